package simd

import "testing"

// Prefetch must accept any slice, including ones that end or start in the
// middle of a cache line, and must leave the values alone.
func TestPrefetchLeavesValues(t *testing.T) {
	backing := make([]float32, 400)
	for i := range backing {
		backing[i] = float32(i)
	}
	for _, off := range []int{0, 1, 3, 15, 16, 17} {
		for _, n := range []int{0, 1, 7, 16, 17, 100, 300, 383} {
			x := backing[off : off+n]
			Prefetch(x)
		}
	}
	Prefetch(nil)
	for i, v := range backing {
		if v != float32(i) {
			t.Fatalf("backing[%d] = %v after Prefetch", i, v)
		}
	}
}
