package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/search"
)

// t-SNE's defaults, those of van der Maaten (2014) and scikit-learn.
const (
	DefaultPerplexity = 30   // effective number of neighbours of each point
	DefaultTSNEIter   = 1000 // gradient-descent iterations
	DefaultTheta      = 0.5  // Barnes–Hut accuracy: a cell is summarised when its width/distance < θ

	exaggeration      = 12  // early exaggeration of the affinities…
	exaggerationIters = 250 // …for this many iterations, with momentum 0.5; 0.8 after
	minGain           = 0.01
)

// TSNEOptions configure TSNE. Zero values take the defaults.
type TSNEOptions struct {
	Perplexity float64 // DefaultPerplexity; 3·Perplexity neighbours must exist (rows > 3·Perplexity)
	Iterations int     // DefaultTSNEIter
	Theta      float64 // DefaultTheta; smaller is more accurate and slower
	// LearningRate is the gradient-descent step; 0 takes scikit-learn's
	// "auto", max(rows/12/4, 50), which suits large maps better than the
	// paper's fixed 200.
	LearningRate float64
	Threads      int // goroutines (0 = GOMAXPROCS); the result does not depend on it

	// Progress, if not nil, is called from TSNE's goroutine after the
	// neighbours are found (Iter 0) and every 50 iterations.
	Progress func(TSNEStatus)
}

// TSNEStatus is how far TSNE has come.
type TSNEStatus struct {
	Iter int     // iterations done
	KL   float64 // Kullback–Leibler divergence of the map's affinities from the input's, at Iter (0 at Iter 0)
}

// ErrPerplexity reports a perplexity that the number of rows cannot give.
var ErrPerplexity = errors.New("bad perplexity")

// TSNE maps the rows of the row-major matrix vecs (rows of width dim, of
// unit length) to 2-D points by Barnes–Hut t-SNE (van der Maaten 2014) and
// returns their coordinates, x and y of each row in turn.
//
// The input affinities come from each row's ⌈3·perplexity⌉ nearest rows,
// found by search.Searcher (by cosine, which on unit rows orders as the
// Euclidean distance; the squared distance is 2 − 2·cosine), with each
// row's Gaussian width found by bisection to give the perplexity, then
// symmetrised. The map starts from the first two principal components,
// scaled to a standard deviation of 1e-4 (scikit-learn's init="pca"), and
// descends the gradient with a quadtree summarising far points, early
// exaggeration 12 for 250 iterations, momentum 0.5 then 0.8, and per-
// coordinate gains. Nothing is random: the result is the same for any
// number of threads. TSNE stops early with ctx's error when ctx is
// cancelled.
func TSNE(ctx context.Context, vecs []float32, dim int, o TSNEOptions) ([]float64, error) {
	return tsneWith(ctx, vecs, dim, o, nil)
}

// tsneWith is TSNE with a hook for tests to break the algorithm.
func tsneWith(ctx context.Context, vecs []float32, dim int, o TSNEOptions, tweak func(*tsne)) ([]float64, error) {
	if dim < 1 || len(vecs)%dim != 0 {
		return nil, fmt.Errorf("tsne: matrix of %d values is not made of rows of %d", len(vecs), dim)
	}
	n := len(vecs) / dim
	if o.Perplexity == 0 {
		o.Perplexity = DefaultPerplexity
	}
	if o.Iterations == 0 {
		o.Iterations = DefaultTSNEIter
	}
	if o.Theta == 0 {
		o.Theta = DefaultTheta
	}
	if o.LearningRate == 0 {
		o.LearningRate = max(float64(n)/exaggeration/4, 50)
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.Progress == nil {
		o.Progress = func(TSNEStatus) {}
	}
	switch {
	case !(o.Perplexity >= 1) || math.IsInf(o.Perplexity, 0):
		return nil, fmt.Errorf("tsne: %w: %g (at least 1)", ErrPerplexity, o.Perplexity)
	case neighbours(o.Perplexity) > n-1:
		return nil, fmt.Errorf("tsne: %w: perplexity %g uses %d neighbours per point; %d points have only %d (at most %g possible)",
			ErrPerplexity, o.Perplexity, neighbours(o.Perplexity), n, n-1, float64(n-1)/3)
	case o.Iterations < 0:
		return nil, fmt.Errorf("tsne: %d iterations", o.Iterations)
	case !(o.Theta > 0) || !(o.LearningRate > 0):
		return nil, fmt.Errorf("tsne: θ %g and learning rate %g must be positive", o.Theta, o.LearningRate)
	}
	p, err := affinities(ctx, vecs, dim, o.Perplexity, o.Threads)
	if err != nil {
		return nil, err
	}
	o.Progress(TSNEStatus{})
	y, err := pcaStart(vecs, dim)
	if err != nil {
		return nil, err
	}
	t := &tsne{p: p, y: y, n: n, threads: o.Threads, theta: o.Theta, repulse: 1}
	if tweak != nil {
		tweak(t)
	}
	return t.descend(ctx, o)
}

// neighbours is the number of nearest rows whose affinities count for a
// perplexity.
func neighbours(perplexity float64) int { return int(math.Ceil(3 * perplexity)) }

// sparse is a symmetric matrix of affinities, row i's columns
// col[start[i]:start[i+1]] in increasing order.
type sparse struct {
	start []int
	col   []int32
	val   []float64
}

// affinities returns the symmetrised input affinities p_ij = (p_j|i +
// p_i|j) / Σ, from each row's nearest neighbours.
func affinities(ctx context.Context, vecs []float32, dim int, perplexity float64, threads int) (*sparse, error) {
	n := len(vecs) / dim
	k := neighbours(perplexity)
	s := search.New(vecs, dim, 0)
	s.Threads = threads
	qs := make([]search.Query, n)
	for i := range qs {
		qs[i] = search.Query{Pos: []int{i}, Skip: []int{i}}
	}
	hits, err := s.Search(ctx, qs, k)
	if err != nil {
		return nil, fmt.Errorf("tsne: neighbours: %w", err)
	}
	// Conditional affinities p_j|i, row by row.
	cond := make([]float64, n*k)
	err = parallel(ctx, threads, n, 64, func() func(lo, hi int) {
		d2 := make([]float64, k)
		return func(lo, hi int) {
			for i := lo; i < hi; i++ {
				for j, h := range hits[i] {
					d2[j] = max(0, 2-2*float64(h.Score))
				}
				conditional(cond[i*k:(i+1)*k], d2, perplexity)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	// Symmetrise: row i gets p_j|i at j and p_i|j at every j that has i
	// among its neighbours; the two meet where i and j are each other's.
	count := make([]int, n+1)
	for i := range n {
		count[i+1] += k
		for _, h := range hits[i] {
			count[h.Row+1]++
		}
	}
	for i := range n {
		count[i+1] += count[i]
	}
	type entry struct {
		col int32
		val float64
	}
	entries := make([]entry, count[n])
	fill := slices.Clone(count[:n])
	var total float64
	for i := range n {
		for j, h := range hits[i] {
			v := cond[i*k+j]
			entries[fill[i]] = entry{int32(h.Row), v}
			fill[i]++
			entries[fill[h.Row]] = entry{int32(i), v}
			fill[h.Row]++
			total += 2 * v
		}
	}
	p := &sparse{start: make([]int, n+1)}
	for i := range n {
		row := entries[count[i]:count[i+1]]
		slices.SortStableFunc(row, func(a, b entry) int { return int(a.col) - int(b.col) })
		for e := 0; e < len(row); e++ {
			c, v := row[e].col, row[e].val
			for e+1 < len(row) && row[e+1].col == c {
				e++
				v += row[e].val
			}
			p.col = append(p.col, c)
			p.val = append(p.val, v/total)
		}
		p.start[i+1] = len(p.col)
	}
	return p, nil
}

// conditional sets p to the Gaussian affinities exp(−β·d²) of neighbours
// at squared distances d2, normalised to sum 1, with β found by bisection
// so that their perplexity, exp(entropy), is the one asked (to 1e-5 in the
// entropy, or the best of 100 halvings).
func conditional(p, d2 []float64, perplexity float64) {
	want := math.Log(perplexity)
	near := slices.Min(d2) // subtracted: the same p, without underflow
	beta, lo, hi := 1.0, 0.0, math.Inf(1)
	for range 100 {
		var sum, dsum float64
		for j, d := range d2 {
			p[j] = math.Exp(-beta * (d - near))
			sum += p[j]
			dsum += (d - near) * p[j]
		}
		h := math.Log(sum) + beta*dsum/sum
		for j := range p {
			p[j] /= sum
		}
		switch {
		case math.Abs(h-want) < 1e-5:
			return
		case h > want: // too flat: narrow the Gaussian
			lo = beta
			if math.IsInf(hi, 1) {
				beta *= 2
			} else {
				beta = (beta + hi) / 2
			}
		default:
			hi = beta
			beta = (beta + lo) / 2
		}
	}
}

// pcaStart returns the first two principal components of the rows, scaled
// so that the first has standard deviation 1e-4.
func pcaStart(vecs []float32, dim int) ([]float64, error) {
	n := len(vecs) / dim
	if dim == 1 {
		// One dimension: the second coordinate is zero.
		y := make([]float64, 2*n)
		for i := range n {
			y[2*i] = float64(vecs[i])
		}
		return scaleStart(y), nil
	}
	pr, err := PCA(vecs, dim, 2)
	if err != nil {
		return nil, fmt.Errorf("tsne: start: %w", err)
	}
	return scaleStart(pr.Coords), nil
}

func scaleStart(y []float64) []float64 {
	n := len(y) / 2
	var mean, ss float64
	for i := range n {
		mean += y[2*i]
	}
	mean /= float64(n)
	for i := range n {
		ss += (y[2*i] - mean) * (y[2*i] - mean)
	}
	sd := math.Sqrt(ss / float64(n))
	if sd == 0 {
		sd = 1
	}
	for i := range y {
		y[i] *= 1e-4 / sd
	}
	return y
}

// tsne is the state of one gradient descent.
type tsne struct {
	p       *sparse
	y       []float64 // x, y of each point
	n       int
	threads int
	theta   float64
	tree    quadtree

	// repulse scales the repulsive forces: 1, but tests break it.
	repulse float64
}

// descend runs the iterations and returns the map.
func (t *tsne) descend(ctx context.Context, o TSNEOptions) ([]float64, error) {
	n := t.n
	attr := make([]float64, 2*n) // Σ_j p_ij w_ij (y_i − y_j), w = 1/(1+d²)
	rep := make([]float64, 2*n)  // Σ_j w_ij² (y_i − y_j), by the tree
	zs := make([]float64, n)     // Σ_j w_ij, by the tree: point i's share of Z
	kls := make([]float64, n)    // Σ_j p_ij log(p_ij/w_ij), on the iterations that report
	update := make([]float64, 2*n)
	gains := make([]float64, 2*n)
	for i := range gains {
		gains[i] = 1
	}
	for it := range o.Iterations {
		exag, momentum := 1.0, 0.8
		if it < exaggerationIters {
			exag, momentum = exaggeration, 0.5
		}
		report := (it+1)%50 == 0 || it+1 == o.Iterations
		t.tree.build(t.y)
		err := parallel(ctx, t.threads, n, 64, func() func(lo, hi int) {
			stack := make([]int32, 0, 128)
			return func(lo, hi int) {
				for i := lo; i < hi; i++ {
					zs[i], rep[2*i], rep[2*i+1], stack = t.tree.repulsion(t.y[2*i], t.y[2*i+1], t.theta, stack)
					attr[2*i], attr[2*i+1], kls[i] = t.attraction(i, report)
				}
			}
		})
		if err != nil {
			return nil, err
		}
		var z float64
		for _, x := range zs {
			z += x
		}
		z = max(z, 1e-300)
		for c := range t.y {
			g := 4 * (exag*attr[c] - t.repulse*rep[c]/z)
			// Gains grow where the step keeps its direction and shrink
			// where the gradient turns (Jacobs 1988).
			if g*update[c] < 0 {
				gains[c] += 0.2
			} else {
				gains[c] = max(gains[c]*0.8, minGain)
			}
			update[c] = momentum*update[c] - o.LearningRate*gains[c]*g
			t.y[c] += update[c]
		}
		if report {
			var kl float64
			for _, x := range kls {
				kl += x
			}
			o.Progress(TSNEStatus{Iter: it + 1, KL: kl + math.Log(z)})
		}
	}
	return t.y, nil
}

// attraction returns Σ_j p_ij w_ij (y_i − y_j) over row i's neighbours and,
// if kl, Σ_j p_ij log(p_ij / w_ij).
func (t *tsne) attraction(i int, kl bool) (ax, ay, div float64) {
	xi, yi := t.y[2*i], t.y[2*i+1]
	lo, hi := t.p.start[i], t.p.start[i+1]
	for e, j := range t.p.col[lo:hi] {
		dx, dy := xi-t.y[2*j], yi-t.y[2*j+1]
		w := 1 / (1 + dx*dx + dy*dy)
		pw := t.p.val[lo+e] * w
		ax += pw * dx
		ay += pw * dy
		if kl {
			div += t.p.val[lo+e] * math.Log(t.p.val[lo+e]/w)
		}
	}
	return ax, ay, div
}

// parallel runs work over [0, n) in chunks of size, spread over threads
// goroutines. Chunks are claimed in any order; work must write only its
// own chunk's results. It returns ctx's error if ctx was cancelled.
func parallel(ctx context.Context, threads, n, size int, newWork func() func(lo, hi int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(threads, (n+size-1)/size) {
		wg.Go(func() {
			work := newWork()
			for ctx.Err() == nil {
				lo := int(next.Add(int64(size))) - size
				if lo >= n {
					return
				}
				work(lo, min(lo+size, n))
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}
