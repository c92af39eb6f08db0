// Package align maps one word-vector space onto another, so that the two
// models' vectors can be compared: the orthogonal map W that brings a
// dictionary's source words closest to their targets (Procrustes, solved
// with gonum's SVD), retrieval by plain cosine or by cross-domain
// similarity local scaling (CSLS, Conneau et al. 2018), refinement rounds
// that rebuild the dictionary from mutual CSLS neighbours, precision@k on a
// test dictionary, and the words whose vectors moved most between the two
// models (Hamilton et al. 2016).
//
// Every nearest-neighbour list comes from package search; this package
// scans no rows itself.
package align

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync/atomic"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// Defaults, MUSE's (Conneau et al. 2018).
const (
	// DefaultK is the number of neighbours whose mean cosine is a word's
	// CSLS penalty.
	DefaultK = 10
	// DefaultRefineWords is how many of each model's most frequent words
	// refinement pairs up.
	DefaultRefineWords = 15000
)

// Options control how two models are aligned.
type Options struct {
	// Center subtracts each model's mean vector from its rows.
	Center bool
	// Normalize scales each row to unit length, after centring when both
	// are asked for (MUSE's "center,renorm"), so that the centred rows
	// have unit length.
	Normalize bool
	// Restrict limits retrieval, CSLS penalties, evaluation and drift to
	// each model's Restrict most frequent words, its first rows (0 = all).
	// Every source row is still mapped.
	Restrict int
	// K is the CSLS neighbourhood size (default DefaultK).
	K int
	// Threads is the number of goroutines that search (default GOMAXPROCS).
	Threads int
}

// Pair is a dictionary entry: a source row and a target row.
type Pair struct{ Src, Tgt int }

// Aligner holds two models prepared for alignment and the current map.
type Aligner struct {
	src, tgt *vecfile.Vectors
	dim      int
	x, y     []float32 // prepared rows of the source and target
	yUnit    []float32 // y's rows at unit length, for searching
	nx, ny   int       // rows searched: Restrict or all
	w        []float64 // the map, dim×dim row-major; identity before Fit
	mapped   []float32 // x·w, computed on demand
	o        Options

	// Searched counts the query rows searched so far, for progress
	// reports; InduceWork and EvaluateWork say how many a step searches.
	Searched atomic.Int64
}

// New prepares the source and target models for alignment. Their rows are
// copied at the lengths the files gave them (for vectors read normalised,
// the lengths kept in Norm), then centred and normalised as o asks.
func New(src, tgt *vecfile.Vectors, o Options) (*Aligner, error) {
	if src.Dim() != tgt.Dim() {
		return nil, fmt.Errorf("align: the source has %d dimensions and the target %d; an orthogonal map needs the same number", src.Dim(), tgt.Dim())
	}
	if src.Len() == 0 || tgt.Len() == 0 {
		return nil, errors.New("align: a model has no words")
	}
	if o.K <= 0 {
		o.K = DefaultK
	}
	if o.Restrict < 0 {
		return nil, fmt.Errorf("align: restrict must be 0 (all words) or more, got %d", o.Restrict)
	}
	d := src.Dim()
	a := &Aligner{src: src, tgt: tgt, dim: d, o: o, x: prepare(src, o), y: prepare(tgt, o)}
	a.nx, a.ny = limit(src.Len(), o.Restrict), limit(tgt.Len(), o.Restrict)
	a.yUnit = unitRows(a.y[:a.ny*d], d)
	a.w = make([]float64, d*d)
	for i := range d {
		a.w[i*d+i] = 1
	}
	return a, nil
}

func limit(n, restrict int) int {
	if restrict > 0 && restrict < n {
		return restrict
	}
	return n
}

// prepare returns a copy of v's rows at their lengths in the file,
// centred and normalised as o asks.
func prepare(v *vecfile.Vectors, o Options) []float32 {
	d := v.Dim()
	m := slices.Clone(v.Matrix())
	if v.Normalized() {
		for i := range v.Len() {
			simd.Scale(v.Norm(i), m[i*d:(i+1)*d])
		}
	}
	if o.Center {
		mean := make([]float64, d)
		for i := range v.Len() {
			for j, x := range m[i*d : (i+1)*d] {
				mean[j] += float64(x)
			}
		}
		shift := make([]float32, d)
		for j := range mean {
			shift[j] = float32(-mean[j] / float64(v.Len()))
		}
		for i := range v.Len() {
			simd.Axpy(1, shift, m[i*d:(i+1)*d])
		}
	}
	if o.Normalize {
		normalize(m, d)
	}
	return m
}

// normalize scales the rows of m to unit length; zero rows stay zero.
func normalize(m []float32, d int) {
	for i := 0; i < len(m); i += d {
		row := m[i : i+d]
		if n := math.Sqrt(float64(simd.Dot(row, row))); n > 0 {
			simd.Scale(float32(1/n), row)
		}
	}
}

// unitRows returns a copy of m with unit rows.
func unitRows(m []float32, d int) []float32 {
	u := slices.Clone(m)
	normalize(u, d)
	return u
}

// Dim returns the models' number of dimensions.
func (a *Aligner) Dim() int { return a.dim }

// Map returns the current map W, dim×dim row-major: a source row x maps to
// x·W.
func (a *Aligner) Map() []float64 { return a.w }

// Fit sets the map to the orthogonal W that minimises ‖XW − Y‖ over the
// pairs' prepared rows (see Procrustes).
func (a *Aligner) Fit(pairs []Pair) error {
	w, err := Procrustes(a.x, a.y, a.dim, pairs)
	if err != nil {
		return err
	}
	a.w, a.mapped = w, nil
	return nil
}

// Mapped returns every prepared source row times the map, row-major.
func (a *Aligner) Mapped() []float32 {
	if a.mapped == nil {
		a.mapped = Apply(a.x, a.dim, a.w)
	}
	return a.mapped
}

// Procrustes returns the orthogonal dim×dim matrix W (row-major) that
// minimises ‖XW − Y‖, X and Y being the rows of x and y that pairs name:
// W = UVᵀ from the singular value decomposition XᵀY = UΣVᵀ (Schönemann
// 1966). Sums are taken in float64.
func Procrustes(x, y []float32, dim int, pairs []Pair) ([]float64, error) {
	if len(pairs) == 0 {
		return nil, errors.New("align: no dictionary pairs to fit a map to")
	}
	nx, ny := len(x)/dim, len(y)/dim
	xs := make([]float64, len(pairs)*dim)
	ys := make([]float64, len(pairs)*dim)
	for i, p := range pairs {
		if p.Src < 0 || p.Src >= nx || p.Tgt < 0 || p.Tgt >= ny {
			return nil, fmt.Errorf("align: pair %d (%d, %d) out of range", i, p.Src, p.Tgt)
		}
		for j := range dim {
			xs[i*dim+j] = float64(x[p.Src*dim+j])
			ys[i*dim+j] = float64(y[p.Tgt*dim+j])
		}
	}
	m := blas64.General{Rows: dim, Cols: dim, Stride: dim, Data: make([]float64, dim*dim)}
	blas64.Gemm(blas.Trans, blas.NoTrans, 1,
		blas64.General{Rows: len(pairs), Cols: dim, Stride: dim, Data: xs},
		blas64.General{Rows: len(pairs), Cols: dim, Stride: dim, Data: ys}, 0, m)
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(dim, dim, m.Data), mat.SVDFull) {
		return nil, errors.New("align: the singular value decomposition did not converge")
	}
	var u, v, w mat.Dense
	svd.UTo(&u)
	svd.VTo(&v)
	w.Mul(&u, v.T())
	return w.RawMatrix().Data, nil
}

// Apply returns x·W for the row-major rows of x and the dim×dim row-major
// map w.
func Apply(x []float32, dim int, w []float64) []float32 {
	wt := make([]float32, dim*dim) // Wᵀ, so that row j is W's column j
	for i := range dim {
		for j := range dim {
			wt[j*dim+i] = float32(w[i*dim+j])
		}
	}
	out := make([]float32, len(x))
	const block = 1024
	for lo := 0; lo < len(x)/dim; lo += block {
		hi := min(lo+block, len(x)/dim)
		simd.MatMulT(out[lo*dim:hi*dim], x[lo*dim:hi*dim], wt, dim)
	}
	return out
}

// Write writes the source words and their mapped vectors to w in format f.
func (a *Aligner) Write(w io.Writer, f vecfile.OutFormat) error {
	if f.Format != vecfile.Native {
		return vecfile.WriteVectors(w, f, a.src.Words(), a.Mapped(), a.dim)
	}
	// WriteNative takes Vectors: read them back from the binary encoding,
	// streamed through a pipe.
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(vecfile.WriteBinary(pw, a.src.Words(), a.Mapped(), a.dim))
	}()
	v, err := vecfile.Read(pr, "mapped vectors", vecfile.Options{})
	pr.CloseWithError(errors.New("align: reading stopped"))
	if err != nil {
		return err
	}
	defer v.Close()
	return vecfile.WriteNative(w, v)
}
