package explore

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"
)

// Projection is the result of PCA.
type Projection struct {
	// Coords holds each row's coordinates on the components, row-major:
	// row i's are Coords[i*Components : (i+1)*Components].
	Coords     []float64
	Components int
	// Variance is the share of the total variance each component
	// explains, largest first.
	Variance []float64
}

// PCA projects the rows of the row-major matrix vecs (rows of width dim)
// onto their first components principal components: the directions of
// greatest variance of the centred rows, from the eigenvectors of their
// covariance matrix (gonum). Each component's sign is chosen so that its
// largest coordinate is positive, which makes the result reproducible.
func PCA(vecs []float32, dim, components int) (*Projection, error) {
	if dim < 1 || len(vecs)%dim != 0 {
		return nil, fmt.Errorf("pca: matrix of %d values is not made of rows of %d", len(vecs), dim)
	}
	n := len(vecs) / dim
	if n < 2 {
		return nil, fmt.Errorf("pca: %d rows; a map needs at least 2", n)
	}
	if components < 1 || components > dim {
		return nil, fmt.Errorf("pca: %d components asked of vectors of %d dimensions", components, dim)
	}
	mean := make([]float64, dim)
	for i := range n {
		for d, x := range vecs[i*dim : (i+1)*dim] {
			mean[d] += float64(x)
		}
	}
	for d := range mean {
		mean[d] /= float64(n)
	}
	// Covariance = Σ (x−μ)(x−μ)ᵀ / (n−1), accumulated a block of centred
	// rows at a time by a rank-k update.
	cov := blas64.Symmetric{Uplo: blas.Upper, N: dim, Stride: dim, Data: make([]float64, dim*dim)}
	const block = 256
	buf := make([]float64, block*dim)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		for i := lo; i < hi; i++ {
			for d, x := range vecs[i*dim : (i+1)*dim] {
				buf[(i-lo)*dim+d] = float64(x) - mean[d]
			}
		}
		a := blas64.General{Rows: hi - lo, Cols: dim, Stride: dim, Data: buf[:(hi-lo)*dim]}
		blas64.Syrk(blas.Trans, 1, a, 1, cov)
	}
	sym := mat.NewSymDense(dim, nil)
	sym.SetRawSymmetric(cov)
	sym.ScaleSym(1/float64(n-1), sym)
	var eig mat.EigenSym
	if !eig.Factorize(sym, true) {
		return nil, errors.New("pca: the eigendecomposition did not converge")
	}
	values := eig.Values(nil) // ascending
	var vectors mat.Dense
	eig.VectorsTo(&vectors)
	var total float64
	for _, v := range values {
		total += max(v, 0)
	}
	p := &Projection{Coords: make([]float64, n*components), Components: components, Variance: make([]float64, components)}
	axis := make([]float64, dim)
	for c := range components {
		col := dim - 1 - c
		mat.Col(axis, col, &vectors)
		if total > 0 {
			p.Variance[c] = max(values[col], 0) / total
		}
		// Sign: the largest coordinate (the first of equal ones) positive.
		big := 0
		for d, x := range axis {
			if math.Abs(x) > math.Abs(axis[big]) {
				big = d
			}
		}
		if axis[big] < 0 {
			for d := range axis {
				axis[d] = -axis[d]
			}
		}
		for i := range n {
			var s float64
			for d, x := range vecs[i*dim : (i+1)*dim] {
				s += (float64(x) - mean[d]) * axis[d]
			}
			p.Coords[i*components+c] = s
		}
	}
	return p, nil
}
