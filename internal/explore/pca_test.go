package explore

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestPCAByHand(t *testing.T) {
	// Four points in the plane, spread near x = y; worked out below.
	vecs := []float32{
		3, 3,
		-1, -1,
		2, 1,
		0, 1,
	}
	p, err := PCA(vecs, 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Mean (1, 1); centred rows (2,2) (−2,−2) (1,0) (−1,0). Covariance ×3:
	// [[10, 8], [8, 8]], eigenvalues 9 ± √65, first axis ∝ (8, √65 − 1),
	// the second perpendicular, (−a₁, a₀), whose larger coordinate a₀ is
	// positive.
	l1, l2 := 9+math.Sqrt(65), 9-math.Sqrt(65)
	ax := []float64{8, math.Sqrt(65) - 1}
	norm := math.Hypot(ax[0], ax[1])
	ax[0], ax[1] = ax[0]/norm, ax[1]/norm
	centred := [][2]float64{{2, 2}, {-2, -2}, {1, 0}, {-1, 0}}
	for i, c := range centred {
		want := c[0]*ax[0] + c[1]*ax[1]
		if got := p.Coords[i*2]; math.Abs(got-want) > 1e-9 {
			t.Errorf("row %d first coordinate %g, want %g", i, got, want)
		}
		want2 := -c[0]*ax[1] + c[1]*ax[0]
		if got := p.Coords[i*2+1]; math.Abs(got-want2) > 1e-9 {
			t.Errorf("row %d second coordinate %g, want %g", i, got, want2)
		}
	}
	if math.Abs(p.Variance[0]-l1/(l1+l2)) > 1e-12 || math.Abs(p.Variance[1]-l2/(l1+l2)) > 1e-12 {
		t.Errorf("variance %v, want %g %g", p.Variance, l1/(l1+l2), l2/(l1+l2))
	}
}

func TestPCAFindsTheLongAxis(t *testing.T) {
	// Points along a direction in 10-D with small noise: the first component
	// must be that direction and explain nearly all the variance.
	rng := rand.New(rand.NewPCG(1, 2))
	dim, n := 10, 500
	dir := make([]float64, dim)
	var s float64
	for d := range dir {
		dir[d] = rng.NormFloat64()
		s += dir[d] * dir[d]
	}
	vecs := make([]float32, 0, n*dim)
	ts := make([]float64, n)
	for i := range n {
		ts[i] = rng.NormFloat64() * 5
		for d := range dim {
			vecs = append(vecs, float32(3+ts[i]*dir[d]/math.Sqrt(s)+0.01*rng.NormFloat64()))
		}
	}
	p, err := PCA(vecs, dim, 2)
	if err != nil {
		t.Fatal(err)
	}
	if p.Variance[0] < 0.999 {
		t.Errorf("first component explains %g", p.Variance[0])
	}
	// Coordinates on it are the centred positions along the line (up to
	// sign and the noise).
	var tmean float64
	for _, x := range ts {
		tmean += x / float64(n)
	}
	var dot, a2, b2 float64
	for i := range n {
		dot += (ts[i] - tmean) * p.Coords[i*2]
		a2 += (ts[i] - tmean) * (ts[i] - tmean)
		b2 += p.Coords[i*2] * p.Coords[i*2]
	}
	if r := math.Abs(dot) / math.Sqrt(a2*b2); r < 0.99999 {
		t.Errorf("correlation with the positions %g", r)
	}
}

func TestPCAErrors(t *testing.T) {
	tests := []struct {
		vecs       []float32
		dim, comps int
		msg        string
	}{
		{[]float32{1, 2, 3}, 2, 2, "not made of rows of 2"},
		{[]float32{1, 2}, 2, 2, "1 rows; a map needs at least 2"},
		{[]float32{1, 2, 3, 4}, 2, 3, "3 components asked of vectors of 2 dimensions"},
		{[]float32{1, 2, 3, 4}, 2, 0, "0 components"},
	}
	for _, tt := range tests {
		if _, err := PCA(tt.vecs, tt.dim, tt.comps); err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("err = %v, want %q", err, tt.msg)
		}
	}
}
