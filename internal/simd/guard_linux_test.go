package simd

import (
	"syscall"
	"testing"
	"unsafe"
)

// TestPageGuards places slices against inaccessible pages, so that a
// kernel reading or writing even one element past either end (for
// example with an unmasked vector load in a tail) crashes the test.
func TestPageGuards(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[:page], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	if err := syscall.Mprotect(mem[2*page:], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	all := unsafe.Slice((*float32)(unsafe.Pointer(&mem[page])), page/4)
	for i := range all {
		all[i] = 1
	}
	// first and last return n elements at the start and at the end of
	// the accessible page.
	first := func(n int) []float32 { return all[:n:n] }
	last := func(n int) []float32 { return all[len(all)-n:] }
	rows := []int32{0, 1, 2, 1, 0, 2}
	a := []float32{1e-3, 1e-3, 1e-3, 1e-3, 1e-3, 1e-3}
	dst := make([]float32, 16)
	for _, k := range allKernels(t) {
		for n := 0; n <= 300; n++ {
			for _, place := range []func(int) []float32{first, last} {
				other, other2 := make([]float32, n), make([]float32, n)
				k.dot(place(n), other)
				k.dot(other, place(n))
				k.axpy(1e-3, place(n), other)
				k.axpy(1e-3, other, place(n))
				k.scale(1, place(n))
				m := place(3 * n) // three rows against the guard
				k.dotRows(dst[:len(rows)], other, m, rows)
				k.axpyRows(other, a, m, rows)
				k.axpyRowsScatter(other, a, m, other2, rows)
				k.matVec(dst[:3], m, other)
				if n > 0 {
					k.matMulT(dst[:9], m, m, n)
				}
			}
		}
	}
}
