package skipgram

import (
	"math"
	"testing"
)

// TestNewModelInitialRange checks that input vectors start uniform in
// [-1/dim, 1/dim), gensim's range (word2vec's is half of it), and output
// vectors at zero.
func TestNewModelInitialRange(t *testing.T) {
	for _, dim := range []int{1, 7, 100, 300} {
		cfg := DefaultConfig()
		cfg.Dim, cfg.HS = dim, true
		m := NewModel(2000, cfg)
		bound := 1 / float64(dim)
		var lo, hi float64
		for _, v := range m.In {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
		// 2000·dim draws: both ends of the range are reached to within 1%.
		if lo < -bound || hi >= bound || lo > -0.99*bound || hi < 0.99*bound {
			t.Errorf("dim %d: input values span [%g, %g], want about [%g, %g)", dim, lo, hi, -bound, bound)
		}
		for _, out := range [][]float32{m.Out, m.OutHS} {
			for _, v := range out {
				if v != 0 {
					t.Fatalf("dim %d: an output value starts at %g, want 0", dim, v)
				}
			}
		}
	}
}
