// Package explore finds structure in a matrix of word vectors for people to
// look at: k-means word classes, as word2vec's -classes computes them,
// principal components, and Barnes–Hut t-SNE for 2-D maps (its neighbour
// lists from package search).
//
// It works on the row-major matrices package vecfile reads, rows of unit
// length, and does the maths only; writing and drawing the results is
// packages export's and render's.
package explore

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/simd"
)

// DefaultMaxIter is the number of k-means iterations run at most when
// KMeansOptions.MaxIter is 0. Word vectors rarely need more: by then few
// words still change class.
const DefaultMaxIter = 50

// DefaultTol is KMeansOptions.Tol's default.
const DefaultTol = 1e-6

// KMeansOptions configure KMeans.
type KMeansOptions struct {
	K       int     // number of classes, 1 ≤ K ≤ rows
	MaxIter int     // iterations at most (0 = DefaultMaxIter)
	Tol     float64 // stop once an iteration lowers the objective by less than this fraction (0 = DefaultTol)
	Seed    uint64  // seeds the k-means++ start
	Threads int     // goroutines (0 = GOMAXPROCS)

	// Progress, if not nil, is called after each centroid of the start is
	// chosen and after each iteration, from the goroutine that called
	// KMeans.
	Progress func(Status)
}

// Status is how far KMeans has come.
type Status struct {
	Seeded    int     // centroids of the k-means++ start chosen so far
	Iter      int     // iterations done
	Objective float64 // after the latest iteration: Σ (1 − cosine of a row with its centroid)
	Changed   int     // rows that changed class in the latest iteration
}

// Clustering is the result of KMeans.
type Clustering struct {
	// Class holds each row's class. Classes are numbered in the order of
	// their first row, so with rows most frequent first class 0 holds the
	// most frequent word.
	Class     []int32
	Centroids []float32 // K unit-length rows of the matrix's width, in class order
	Objective float64   // Σ over rows of 1 − cosine with its class's centroid
	Iter      int       // iterations run
	Converged bool      // the last iteration moved no row, or lowered the objective by less than Tol
}

// ErrBadK reports a number of classes that the matrix cannot have.
var ErrBadK = errors.New("bad number of classes")

// KMeans partitions the rows of the row-major matrix vecs (rows of width
// dim, which should have unit length) into o.K classes by spherical k-means:
// each row goes to the centroid with the greatest cosine, and each centroid
// is the normalised sum of its rows. This is word2vec's -classes, which
// normalises its centroids too, with a greedy k-means++ start (centroids
// drawn with probability proportional to the squared distance to the
// nearest one already chosen, the best of a few draws each time) instead
// of a random assignment.
//
// The objective, Σ (1 − cosine of each row with its centroid), never
// increases from one iteration to the next, beyond float rounding. A class
// left empty takes as its centroid the row that fits its own class worst.
// The result depends on o.Seed but not on o.Threads. KMeans stops early with
// ctx's error when ctx is cancelled.
func KMeans(ctx context.Context, vecs []float32, dim int, o KMeansOptions) (*Clustering, error) {
	return kMeans(ctx, vecs, dim, o, nil)
}

// kMeans is KMeans with a hook for tests to break the algorithm.
func kMeans(ctx context.Context, vecs []float32, dim int, o KMeansOptions, tweak func(*kmeans)) (*Clustering, error) {
	if dim < 1 || len(vecs)%dim != 0 {
		return nil, fmt.Errorf("kmeans: matrix of %d values is not made of rows of %d", len(vecs), dim)
	}
	n := len(vecs) / dim
	if o.K < 1 || o.K > n {
		return nil, fmt.Errorf("%w: %d classes asked of %d rows (1 to %d possible)", ErrBadK, o.K, n, n)
	}
	if o.MaxIter <= 0 {
		o.MaxIter = DefaultMaxIter
	}
	if o.Tol <= 0 {
		o.Tol = DefaultTol
	}
	if o.Threads <= 0 {
		o.Threads = runtime.GOMAXPROCS(0)
	}
	if o.Progress == nil {
		o.Progress = func(Status) {}
	}
	km := &kmeans{vecs: vecs, dim: dim, n: n, k: o.K, threads: o.Threads, center: normalizedSum}
	if tweak != nil {
		tweak(km)
	}
	if err := km.seed(ctx, o.Seed, o.Progress); err != nil {
		return nil, err
	}
	km.class = make([]int32, n)
	for i := range km.class {
		km.class[i] = -1
	}
	km.cos = make([]float32, n)
	c := &Clustering{}
	prev := math.Inf(1)
	for c.Iter < o.MaxIter {
		obj, changed, err := km.assign(ctx)
		if err != nil {
			return nil, err
		}
		c.Iter++
		c.Objective = obj
		o.Progress(Status{Seeded: o.K, Iter: c.Iter, Objective: obj, Changed: changed})
		if changed == 0 || prev-obj < o.Tol*prev {
			c.Converged = true
			break
		}
		prev = obj
		km.update()
	}
	c.Class, c.Centroids = km.renumber()
	return c, nil
}

// kmeans is the state of one KMeans run.
type kmeans struct {
	vecs      []float32
	dim, n, k int
	threads   int
	centroids []float32 // k×dim
	class     []int32   // each row's class; −1 before the first assignment
	cos       []float32 // each row's cosine with its centroid

	// center sets a centroid from the sum of its count rows; tests replace
	// it with broken variants that the quality check must catch.
	center func(c []float32, sum []float64, count int)
}

// normalizedSum sets c to sum scaled to unit length. A sum of zero (rows
// that cancel out) leaves c as it was, as good a centroid as any.
func normalizedSum(c []float32, sum []float64, _ int) {
	var s float64
	for _, x := range sum {
		s += x * x
	}
	if s == 0 {
		return
	}
	inv := 1 / math.Sqrt(s)
	for d, x := range sum {
		c[d] = float32(x * inv)
	}
}

func (km *kmeans) row(i int) []float32 { return km.vecs[i*km.dim : (i+1)*km.dim] }

// parallel runs work over [0, n) in chunks of size, spread over the threads.
// Chunks are claimed in any order; work must write only its own chunk's
// results. It returns ctx's error if ctx was cancelled.
func (km *kmeans) parallel(ctx context.Context, n, size int, newWork func() func(lo, hi int)) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(km.threads, (n+size-1)/size) {
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

// seed chooses the k starting centroids by greedy k-means++ (Arthur and
// Vassilvitskii, 2007): each new centroid is the best, by the potential
// Σ (squared distance to the nearest centroid) it leaves, of a few rows
// drawn with probability proportional to that squared distance. On unit
// vectors the squared distance is 2 − 2·cosine.
func (km *kmeans) seed(ctx context.Context, seed uint64, progress func(Status)) error {
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	trials := 2 + int(math.Log(float64(km.k)))
	km.centroids = make([]float32, 0, km.k*km.dim)
	d2 := make([]float64, km.n) // squared distance to the nearest centroid
	for i := range d2 {
		d2[i] = math.Inf(1)
	}
	cos := make([]float32, km.n)
	cum := make([]float64, km.n)
	cands := make([]int, trials)
	pick := rng.IntN(km.n)
	for s := 0; ; s++ {
		c := km.row(pick)
		km.centroids = append(km.centroids, c...)
		progress(Status{Seeded: s + 1})
		if s+1 == km.k {
			return nil
		}
		err := km.parallel(ctx, km.n, 4096, func() func(lo, hi int) {
			return func(lo, hi int) {
				simd.MatVec(cos[lo:hi], km.vecs[lo*km.dim:hi*km.dim], c)
				for i := lo; i < hi; i++ {
					d2[i] = min(d2[i], max(0, 2-2*float64(cos[i])))
				}
			}
		})
		if err != nil {
			return err
		}
		var total float64
		for i, d := range d2 {
			total += d
			cum[i] = total
		}
		if total == 0 {
			// Every row equals a chosen centroid: the rest are drawn
			// uniformly (rows repeat, and some classes will stay empty).
			pick = rng.IntN(km.n)
			continue
		}
		for t := range cands {
			r := rng.Float64() * total
			// The first row whose cumulative weight passes r; rows of
			// weight 0 are never drawn.
			cands[t] = min(sort.SearchFloat64s(cum, r+math.SmallestNonzeroFloat64), km.n-1)
			for cands[t] > 0 && d2[cands[t]] == 0 {
				cands[t]--
			}
		}
		if pick, err = km.bestCandidate(ctx, d2, cands); err != nil {
			return err
		}
	}
}

// bestCandidate returns the candidate row that, as a new centroid, leaves
// the smallest potential Σ min(d2[i], squared distance of row i to it).
func (km *kmeans) bestCandidate(ctx context.Context, d2 []float64, cands []int) (int, error) {
	nt := len(cands)
	m := make([]float32, 0, nt*km.dim)
	for _, r := range cands {
		m = append(m, km.row(r)...)
	}
	nb := (km.n + blockRows - 1) / blockRows
	pots := make([]float64, nb*nt) // per block, summed in order: the result does not depend on the threads
	err := km.parallel(ctx, km.n, blockRows, func() func(lo, hi int) {
		dots := make([]float32, blockRows*nt)
		return func(lo, hi int) {
			simd.MatMulT(dots, km.vecs[lo*km.dim:hi*km.dim], m, km.dim)
			p := pots[lo/blockRows*nt:][:nt]
			for i := lo; i < hi; i++ {
				for t, x := range dots[(i-lo)*nt : (i-lo+1)*nt] {
					p[t] += min(d2[i], max(0, 2-2*float64(x)))
				}
			}
		}
	})
	if err != nil {
		return 0, err
	}
	best, bestPot := 0, math.Inf(1)
	for t := range nt {
		var pot float64
		for b := range nb {
			pot += pots[b*nt+t]
		}
		if pot < bestPot {
			best, bestPot = t, pot
		}
	}
	return cands[best], nil
}

// blockRows is the number of rows whose cosines with every centroid one
// matrix product computes.
const blockRows = 128

// assign gives every row the class of its most similar centroid, and
// returns the objective and how many rows changed class.
func (km *kmeans) assign(ctx context.Context) (obj float64, changed int, err error) {
	nb := (km.n + blockRows - 1) / blockRows
	sums := make([]float64, nb) // per block, summed in order: the result does not depend on the threads
	moved := make([]int, nb)
	err = km.parallel(ctx, km.n, blockRows, func() func(lo, hi int) {
		dots := make([]float32, blockRows*km.k)
		return func(lo, hi int) {
			simd.MatMulT(dots, km.vecs[lo*km.dim:hi*km.dim], km.centroids, km.dim)
			b := lo / blockRows
			for i := lo; i < hi; i++ {
				d := dots[(i-lo)*km.k : (i-lo+1)*km.k]
				best := 0
				for j, x := range d {
					if x > d[best] {
						best = j
					}
				}
				if km.class[i] != int32(best) {
					km.class[i] = int32(best)
					moved[b]++
				}
				km.cos[i] = d[best]
				sums[b] += 1 - float64(d[best])
			}
		}
	})
	for b := range sums {
		obj += sums[b]
		changed += moved[b]
	}
	return obj, changed, err
}

// update moves each centroid to the normalised sum of its rows. A class
// with no rows takes the row that fits its class worst (which then fits the
// new centroid perfectly, so the objective cannot rise).
func (km *kmeans) update() {
	// Rows of each class, in row order (a counting sort), so the sums are
	// computed in an order that does not depend on the threads.
	start := make([]int, km.k+1)
	for _, c := range km.class {
		start[c+1]++
	}
	for j := range km.k {
		start[j+1] += start[j]
	}
	members := make([]int32, km.n)
	fill := slices.Clone(start[:km.k])
	for i, c := range km.class {
		members[fill[c]] = int32(i)
		fill[c]++
	}
	var empty []int
	for j := range km.k {
		if start[j] == start[j+1] {
			empty = append(empty, j)
		}
	}
	km.parallel(context.Background(), km.k, 8, func() func(lo, hi int) {
		sum := make([]float64, km.dim)
		return func(lo, hi int) {
			for j := lo; j < hi; j++ {
				if start[j] == start[j+1] {
					continue
				}
				clear(sum)
				for _, i := range members[start[j]:start[j+1]] {
					for d, x := range km.row(int(i)) {
						sum[d] += float64(x)
					}
				}
				km.center(km.centroids[j*km.dim:(j+1)*km.dim], sum, start[j+1]-start[j])
			}
		}
	})
	if len(empty) == 0 {
		return
	}
	// The worst-fitting rows, worst first; ties to the earlier row.
	worst := make([]int32, km.n)
	for i := range worst {
		worst[i] = int32(i)
	}
	slices.SortStableFunc(worst, func(a, b int32) int {
		switch {
		case km.cos[a] < km.cos[b]:
			return -1
		case km.cos[a] > km.cos[b]:
			return 1
		}
		return 0
	})
	for e, j := range empty {
		copy(km.centroids[j*km.dim:(j+1)*km.dim], km.row(int(worst[e])))
	}
}

// renumber numbers the classes in the order of their first row and returns
// the rows' classes and the centroids in that order. Classes that ended up
// empty (only possible when rows repeat) come last.
func (km *kmeans) renumber() ([]int32, []float32) {
	newID := make([]int32, km.k)
	for j := range newID {
		newID[j] = -1
	}
	next := int32(0)
	for _, c := range km.class {
		if newID[c] < 0 {
			newID[c] = next
			next++
		}
	}
	for j := range newID {
		if newID[j] < 0 {
			newID[j] = next
			next++
		}
	}
	class := make([]int32, km.n)
	for i, c := range km.class {
		class[i] = newID[c]
	}
	centroids := make([]float32, len(km.centroids))
	for j, id := range newID {
		copy(centroids[int(id)*km.dim:], km.centroids[j*km.dim:(j+1)*km.dim])
	}
	return class, centroids
}
