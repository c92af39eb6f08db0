package job

import (
	"slices"
	"testing"
)

func TestNormalizedCopy(t *testing.T) {
	tests := []struct {
		in   []float32
		dim  int
		want []float32
	}{
		{[]float32{3, 4, 0, 0, 0, -2}, 2, []float32{0.6, 0.8, 0, 0, 0, -1}},
		{[]float32{1e-30, 0, 0}, 3, []float32{1, 0, 0}},
		{[]float32{2e30, 2e30}, 1, []float32{1, 1}},
		{nil, 4, []float32{}},
	}
	for _, tt := range tests {
		in := slices.Clone(tt.in)
		got := normalizedCopy(in, tt.dim)
		if !slices.Equal(got, tt.want) {
			t.Errorf("normalizedCopy(%v, %d) = %v, want %v", tt.in, tt.dim, got, tt.want)
		}
		if !slices.Equal(in, tt.in) {
			t.Errorf("the input changed: %v", in)
		}
	}
}
