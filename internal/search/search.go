// Package search answers "which rows are nearest to this vector" over a
// matrix of unit-length word vectors (with their lengths before
// normalisation, for the Dot and Euclidean metrics), in two ways.
//
// Searcher searches exactly: every candidate row is scored by blocked
// matrix products (simd.MatMulT) and the best k kept in a bounded heap per
// query. Queries are answered in batches. When a batch mentions fewer
// distinct words than it has queries, as an analogy test set does (19,544
// questions over 905 words), the cosines of the candidates with each
// distinct word are computed once per block and the queries combine them,
// which also is what 3CosMul needs.
//
// Graph is an approximate index, a hierarchical navigable small-world
// graph: a query reads a few thousand rows instead of all of them.
package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/simd"
)

// Method is how an analogy query combines the similarities of a candidate
// to the query's words.
type Method int

const (
	// Add is 3CosAdd (Mikolov et al. 2013): rank candidates x by
	// cos(x, Σ pos − Σ neg), the unit vectors summed, as word2vec's
	// word-analogy and gensim's most_similar do.
	Add Method = iota
	// Mul is 3CosMul (Levy and Goldberg 2014): rank by
	// Π_pos c(x, p) / (Π_neg c(x, n) + ε) with cosines shifted to [0, 1],
	// c = (1 + cos) / 2, as gensim's most_similar_cosmul does.
	Mul
)

// DefaultEpsilon is 3CosMul's ε, Levy and Goldberg's choice. (gensim uses
// 1e-6.)
const DefaultEpsilon = 0.001

func (m Method) String() string {
	switch m {
	case Add:
		return "3CosAdd"
	case Mul:
		return "3CosMul"
	}
	return fmt.Sprintf("Method(%d)", int(m))
}

// Query asks for the rows most similar to the words Pos and least to Neg;
// words are rows of the whole matrix, which may lie beyond the rows
// searched. Rows in Skip (usually the query's own words) are never
// returned.
type Query struct {
	Pos, Neg []int
	Skip     []int
}

// Hit is a row and its score: a cosine for Add, the 3CosMul ratio for Mul;
// for the Dot metric an inner product, for Euclidean a negated distance.
type Hit struct {
	Row   int
	Score float32
}

// Searcher searches the first rows of a matrix of unit-length vectors.
type Searcher struct {
	vecs []float32
	dim  int
	n    int

	// Method combines the similarities of multi-word queries (default Add).
	Method Method
	// Epsilon is 3CosMul's ε (DefaultEpsilon unless set).
	Epsilon float32
	// Threads is the number of goroutines that score blocks of rows
	// (default GOMAXPROCS).
	Threads int
	// Metric ranks the rows (default Cosine). Dot and Euclidean use the
	// rows' lengths in Norms, and only Add combines their query words.
	Metric Metric
	// Norms holds each row's length before normalisation (all rows of the
	// matrix, not only those searched, then Extra's); Dot and Euclidean need it.
	Norms []float32
	// Extra holds unit rows numbered on from the matrix's last, vectors
	// of words it lacks (an unseen word's subword vector): queries may use
	// them; searches never return them.
	Extra []float32
}

// New returns a Searcher over the row-major matrix vecs of rows of length
// dim, which should have unit length. Searches cover the first restrict
// rows (all when restrict is 0 or more than there are).
func New(vecs []float32, dim, restrict int) *Searcher {
	rows := len(vecs) / dim
	if restrict <= 0 || restrict > rows {
		restrict = rows
	}
	return &Searcher{vecs: vecs[:rows*dim], dim: dim, n: restrict, Epsilon: DefaultEpsilon}
}

// Rows returns the number of rows searched.
func (s *Searcher) Rows() int { return s.n }

// Batch limits keep the buffers of one pass over the matrix to a few MiB
// per thread and the term matrix in cache.
const (
	maxBatchQueries = 512  // queries scored directly per pass
	maxBatchTerms   = 1024 // distinct words per pass when combining
)

// Search returns, for each query, the k best rows in order, best first;
// ties go to the earlier (more frequent) row. It stops early with ctx's
// error if ctx is cancelled.
func (s *Searcher) Search(ctx context.Context, qs []Query, k int) ([][]Hit, error) {
	if k < 1 {
		return nil, errors.New("search: k must be at least 1")
	}
	total := (len(s.vecs) + len(s.Extra)) / s.dim
	switch {
	case s.Metric == Cosine:
	case s.Metric != Dot && s.Metric != Euclidean:
		return nil, fmt.Errorf("search: unknown metric %v", s.Metric)
	case len(s.Norms) != total:
		return nil, fmt.Errorf("search: the %v metric needs the lengths of all %d rows, have %d", s.Metric, total, len(s.Norms))
	case s.Method == Mul:
		return nil, fmt.Errorf("search: %v combines cosines; it cannot rank by %v", Mul, s.Metric)
	}
	for i, q := range qs {
		if len(q.Pos) == 0 {
			return nil, fmt.Errorf("search: query %d has no positive word", i)
		}
		for _, r := range slices.Concat(q.Pos, q.Neg) {
			if r < 0 || r >= total {
				return nil, fmt.Errorf("search: query %d: row %d out of range [0, %d)", i, r, total)
			}
		}
	}
	out := make([][]Hit, len(qs))
	for lo := 0; lo < len(qs); {
		hi, combine := s.batch(qs, lo)
		var err error
		if combine {
			err = s.searchCombined(ctx, qs[lo:hi], k, out[lo:hi])
		} else {
			err = s.searchDirect(ctx, qs[lo:hi], k, out[lo:hi])
		}
		if err != nil {
			return nil, err
		}
		lo = hi
	}
	return out, nil
}

// batch chooses the queries qs[lo:hi] to answer in one pass and whether to
// combine per-word cosines (cost per row: one dot product per distinct word
// plus a few adds per query) rather than score each query's own vector
// (one dot product per query).
func (s *Searcher) batch(qs []Query, lo int) (hi int, combine bool) {
	seen := make(map[int]struct{})
	terms := 0
	hi = lo
	for hi < len(qs) && hi-lo < 64*maxBatchQueries {
		q := qs[hi]
		add := 0
		for _, r := range slices.Concat(q.Pos, q.Neg) {
			if _, ok := seen[r]; !ok {
				add++
			}
		}
		if len(seen)+add > maxBatchTerms && hi > lo {
			break
		}
		for _, r := range slices.Concat(q.Pos, q.Neg) {
			seen[r] = struct{}{}
		}
		terms += len(q.Pos) + len(q.Neg)
		hi++
	}
	combine = s.Method == Mul || s.Metric == Cosine && len(seen)*s.dim+2*terms < (hi-lo)*s.dim
	if !combine && hi-lo > maxBatchQueries {
		hi = lo + maxBatchQueries
	}
	return hi, combine
}

// blockRows is the number of rows scored per matrix product: a block of
// about 128 KiB stays in cache while every query of the batch uses it.
func (s *Searcher) blockRows() int {
	b := (128 << 10) / (4 * s.dim)
	return max(16, min(1024, b&^7))
}

// scan runs work on every block of rows, spread over the threads, each with
// its own heaps, and merges the heaps into out.
func (s *Searcher) scan(ctx context.Context, nq, k int, out [][]Hit, newWorker func() func(lo, hi int, heaps []topK)) error {
	b := s.blockRows()
	blocks := (s.n + b - 1) / b
	threads := s.Threads
	if threads <= 0 {
		threads = runtime.GOMAXPROCS(0)
	}
	threads = max(1, min(threads, blocks))
	var next atomic.Int64
	all := make([][]topK, threads)
	var wg sync.WaitGroup
	for t := range threads {
		heaps := make([]topK, nq)
		for i := range heaps {
			heaps[i].k = k
		}
		all[t] = heaps
		work := newWorker()
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= blocks {
					return
				}
				work(i*b, min(s.n, (i+1)*b), heaps)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for q := range out {
		merged := all[0][q]
		for _, heaps := range all[1:] {
			for _, h := range heaps[q].h {
				merged.offer(h)
			}
		}
		out[q] = merged.sorted()
	}
	return nil
}

// Vector writes the vector of query q into v (of the rows' length) and
// returns v: for Cosine, normalize(Σ pos − Σ neg) of the unit rows; for Dot
// and Euclidean, Σ pos − Σ neg of the rows at their lengths in Norms.
func (s *Searcher) Vector(q Query, v []float32) []float32 {
	v = v[:s.dim]
	clear(v)
	scale := func(r int) float32 {
		if s.Metric == Cosine {
			return 1
		}
		return s.Norms[r]
	}
	for _, r := range q.Pos {
		simd.Axpy(scale(r), s.row(r), v)
	}
	for _, r := range q.Neg {
		simd.Axpy(-scale(r), s.row(r), v)
	}
	if s.Metric == Cosine {
		if nv := float32(math.Sqrt(float64(simd.Dot(v, v)))); nv > 0 {
			simd.Scale(1/nv, v)
		}
	}
	return v
}

// searchDirect scores each query's own vector (see Vector).
func (s *Searcher) searchDirect(ctx context.Context, qs []Query, k int, out [][]Hit) error {
	d := s.dim
	qm := make([]float32, len(qs)*d)
	qq := make([]float32, len(qs)) // ‖q‖², for Euclidean
	for i, q := range qs {
		v := s.Vector(q, qm[i*d:(i+1)*d])
		qq[i] = simd.Dot(v, v)
	}
	b := s.blockRows()
	err := s.scan(ctx, len(qs), k, out, func() func(lo, hi int, heaps []topK) {
		scores := make([]float32, len(qs)*b)
		return func(lo, hi int, heaps []topK) {
			nb := hi - lo
			sc := scores[:len(qs)*nb]
			simd.MatMulT(sc, qm, s.vecs[lo*d:hi*d], d)
			for i := range qs {
				x := sc[i*nb : (i+1)*nb]
				s.Metric.scoreRows(x, lo, s.Norms, qq[i])
				heaps[i].feed(x, lo, qs[i].Skip)
			}
		}
	})
	if err != nil || s.Metric != Euclidean {
		return err
	}
	for i := range out {
		for j := range out[i] {
			out[i][j].Score = -float32(math.Sqrt(max(0, -float64(out[i][j].Score))))
		}
	}
	return nil
}

// searchCombined computes, per block, the cosines of the rows with every
// distinct word of the batch, and combines them per query.
func (s *Searcher) searchCombined(ctx context.Context, qs []Query, k int, out [][]Hit) error {
	d := s.dim
	index := make(map[int]int)
	var termRows []int
	term := func(r int) int {
		t, ok := index[r]
		if !ok {
			t = len(termRows)
			index[r] = t
			termRows = append(termRows, r)
		}
		return t
	}
	type plan struct{ pos, neg []int } // term numbers
	plans := make([]plan, len(qs))
	scale := make([]float32, len(qs)) // Add: 1/‖Σ pos − Σ neg‖, turning sums into cosines
	sum := make([]float32, d)
	for i, q := range qs {
		clear(sum)
		for _, r := range q.Pos {
			plans[i].pos = append(plans[i].pos, term(r))
			simd.Axpy(1, s.row(r), sum)
		}
		for _, r := range q.Neg {
			plans[i].neg = append(plans[i].neg, term(r))
			simd.Axpy(-1, s.row(r), sum)
		}
		if nv := math.Sqrt(float64(simd.Dot(sum, sum))); nv > 0 {
			scale[i] = float32(1 / nv)
		}
	}
	tm := make([]float32, len(termRows)*d)
	for t, r := range termRows {
		copy(tm[t*d:], s.row(r))
	}
	eps := s.Epsilon
	b := s.blockRows()
	err := s.scan(ctx, len(qs), k, out, func() func(lo, hi int, heaps []topK) {
		cos := make([]float32, len(termRows)*b)
		comb := make([]float32, b)
		den := make([]float32, b)
		return func(lo, hi int, heaps []topK) {
			nb := hi - lo
			c := cos[:len(termRows)*nb]
			simd.MatMulT(c, tm, s.vecs[lo*d:hi*d], d)
			row := func(t int) []float32 { return c[t*nb : (t+1)*nb] }
			x := comb[:nb]
			for i, p := range plans {
				switch {
				case s.Method == Mul:
					mul(x, den[:nb], p.pos, p.neg, row, eps)
				case len(p.pos) == 1 && len(p.neg) == 0:
					x = row(p.pos[0])
				default:
					copy(x, row(p.pos[0]))
					for _, t := range p.pos[1:] {
						simd.Axpy(1, row(t), x)
					}
					for _, t := range p.neg {
						simd.Axpy(-1, row(t), x)
					}
				}
				heaps[i].feed(x, lo, qs[i].Skip)
				x = comb[:nb]
			}
		}
	})
	if err != nil {
		return err
	}
	if s.Method == Add {
		for i := range out {
			for j := range out[i] {
				out[i][j].Score *= scale[i]
			}
		}
	}
	return nil
}

// mul computes the 3CosMul scores of a block into x from the cosines of its
// rows with the positive and negative terms; den is scratch space.
func mul(x, den []float32, pos, neg []int, row func(int) []float32, eps float32) {
	for j := range x {
		x[j] = 1
	}
	for _, t := range pos {
		for j, c := range row(t)[:len(x)] {
			x[j] *= (1 + c) / 2
		}
	}
	if len(neg) == 0 {
		for j := range x {
			x[j] /= 1 + eps
		}
		return
	}
	for j := range den {
		den[j] = 1
	}
	for _, t := range neg {
		for j, c := range row(t)[:len(x)] {
			den[j] *= (1 + c) / 2
		}
	}
	for j := range x {
		x[j] /= den[j] + eps
	}
}

func (s *Searcher) row(r int) []float32 {
	if r*s.dim >= len(s.vecs) {
		r -= len(s.vecs) / s.dim
		return s.Extra[r*s.dim : (r+1)*s.dim]
	}
	return s.vecs[r*s.dim : (r+1)*s.dim]
}
