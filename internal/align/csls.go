package align

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/search"
)

// chunk is how many queries are searched at a time, so that progress and
// cancellation are noticed between chunks.
const chunk = 4096

// Nearest returns, for each row of queries, the k rows of base with the
// highest cosine, best first. Both hold unit rows of length dim. done, if
// not nil, counts the queries searched.
func Nearest(ctx context.Context, base, queries []float32, dim, k, threads int, done *atomic.Int64) ([][]search.Hit, error) {
	nb := len(base) / dim
	// The searcher answers queries that are rows of its matrix beyond the
	// rows it searches: put the queries after the base.
	s := search.New(slices.Concat(base, queries), dim, nb)
	s.Threads = threads
	return searchAll(ctx, s, nb, len(queries)/dim, k, done)
}

// searchAll searches s for the rows first, first+1, … of its matrix, n in
// all, a chunk at a time.
func searchAll(ctx context.Context, s *search.Searcher, first, n, k int, done *atomic.Int64) ([][]search.Hit, error) {
	out := make([][]search.Hit, 0, n)
	qs := make([]search.Query, 0, chunk)
	for lo := 0; lo < n; lo += chunk {
		qs = qs[:0]
		for i := lo; i < min(n, lo+chunk); i++ {
			qs = append(qs, search.Query{Pos: []int{first + i}})
		}
		hits, err := s.Search(ctx, qs, k)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
		if done != nil {
			done.Add(int64(len(qs)))
		}
	}
	return out, nil
}

// Radii returns, for each row of queries, the mean cosine of its k
// nearest rows of base: r in CSLS(x, y) = 2cos(x, y) − r_T(x) − r_S(y),
// where r_T(x) is x's radius among the target rows and r_S(y) y's among
// the mapped source rows. Both hold unit rows of length dim.
func Radii(ctx context.Context, base, queries []float32, dim, k, threads int, done *atomic.Int64) ([]float32, error) {
	hits, err := Nearest(ctx, base, queries, dim, k, threads, done)
	if err != nil {
		return nil, err
	}
	r := make([]float32, len(hits))
	for i, h := range hits {
		var sum float64
		for _, x := range h {
			sum += float64(x.Score)
		}
		if len(h) > 0 {
			r[i] = float32(sum / float64(len(h)))
		}
	}
	return r, nil
}

// NearestCSLS returns, for each row of queries, the k rows y of base with
// the highest CSLS(x, y), best first, given each base row's radius rBase
// (see Radii). The hits' scores are 2cos(x, y) − r(y): CSLS plus the
// query's own radius, which does not change its ranking.
//
// The search is package search's, by inner product, over rows with one
// more dimension: a base row y becomes [y, −r(y)/2] and a query x becomes
// [x, 1], whose inner product is cos(x, y) − r(y)/2.
func NearestCSLS(ctx context.Context, base, rBase, queries []float32, dim, k, threads int, done *atomic.Int64) ([][]search.Hit, error) {
	nb, nq := len(base)/dim, len(queries)/dim
	d := dim + 1
	m := make([]float32, (nb+nq)*d)
	norms := make([]float32, nb+nq)
	// The searcher keeps unit rows and their lengths apart.
	put := func(i int, row []float32, last float32) {
		dst := m[i*d : (i+1)*d]
		copy(dst, row)
		dst[dim] = last
		var ss float64
		for _, x := range dst {
			ss += float64(x) * float64(x)
		}
		n := math.Sqrt(ss)
		norms[i] = float32(n)
		if n > 0 {
			for j := range dst {
				dst[j] = float32(float64(dst[j]) / n)
			}
		}
	}
	for i := range nb {
		put(i, base[i*dim:(i+1)*dim], -rBase[i]/2)
	}
	for i := range nq {
		put(nb+i, queries[i*dim:(i+1)*dim], 1)
	}
	s := search.New(m, d, nb)
	s.Metric, s.Norms, s.Threads = search.Dot, norms, threads
	hits, err := searchAll(ctx, s, nb, nq, k, done)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		for j := range h {
			h[j].Score *= 2
		}
	}
	return hits, nil
}

// Induce returns the dictionary of mutual nearest neighbours under CSLS
// among the n most frequent words of each model (all searched words when
// n is 0 or more): the pairs (x, y) where y is x's best target and x is
// y's best source. The radii are taken within the same n words.
func (a *Aligner) Induce(ctx context.Context, n int) ([]Pair, error) {
	d, k, th := a.dim, a.o.K, a.o.Threads
	ns, nt := limit(a.nx, n), limit(a.ny, n)
	s := unitRows(a.Mapped()[:ns*d], d)
	t := a.yUnit[:nt*d]
	rs, err := Radii(ctx, s, t, d, k, th, &a.Searched) // r_S(y), y in t
	if err != nil {
		return nil, err
	}
	rt, err := Radii(ctx, t, s, d, k, th, &a.Searched) // r_T(x), x in s
	if err != nil {
		return nil, err
	}
	fwd, err := NearestCSLS(ctx, t, rs, s, d, 1, th, &a.Searched)
	if err != nil {
		return nil, err
	}
	back, err := NearestCSLS(ctx, s, rt, t, d, 1, th, &a.Searched)
	if err != nil {
		return nil, err
	}
	var pairs []Pair
	for x, h := range fwd {
		if len(h) == 0 {
			continue
		}
		if y := h[0].Row; len(back[y]) > 0 && back[y][0].Row == x {
			pairs = append(pairs, Pair{x, y})
		}
	}
	return pairs, nil
}

// InduceWork returns how many query rows Induce(n) searches.
func (a *Aligner) InduceWork(n int) int64 {
	return int64(2 * (limit(a.nx, n) + limit(a.ny, n)))
}

// Refine runs rounds of refinement: each induces a dictionary from mutual
// CSLS neighbours among the n most frequent words (Induce) and fits the
// map to it. It returns the number of pairs of each round's dictionary.
func (a *Aligner) Refine(ctx context.Context, rounds, n int) ([]int, error) {
	var sizes []int
	for range rounds {
		pairs, err := a.Induce(ctx, n)
		if err != nil {
			return sizes, err
		}
		if err := a.Fit(pairs); err != nil {
			return sizes, err
		}
		sizes = append(sizes, len(pairs))
	}
	return sizes, nil
}

// Precision is the share of test words whose 1, 5 and 10 best targets
// hold an accepted translation.
type Precision struct {
	At1  float64 `json:"p@1"`
	At5  float64 `json:"p@5"`
	At10 float64 `json:"p@10"`
}

// Scores is an evaluation of the map on a test dictionary, retrieving
// targets by plain cosine (NN) and by CSLS.
type Scores struct {
	NN   Precision `json:"nn"`
	CSLS Precision `json:"csls"`
}

// Evaluate retrieves the 10 best targets of each test word's mapped
// vector, by cosine and by CSLS, and scores them.
func (a *Aligner) Evaluate(ctx context.Context, ts *Tests) (*Scores, error) {
	d, k, th := a.dim, a.o.K, a.o.Threads
	s := unitRows(a.Mapped()[:a.nx*d], d)
	q := make([]float32, 0, len(ts.Tests)*d)
	for _, t := range ts.Tests {
		q = append(q, s[t.Src*d:(t.Src+1)*d]...)
	}
	nn, err := Nearest(ctx, a.yUnit, q, d, 10, th, &a.Searched)
	if err != nil {
		return nil, err
	}
	rs, err := Radii(ctx, s, a.yUnit, d, k, th, &a.Searched)
	if err != nil {
		return nil, err
	}
	cs, err := NearestCSLS(ctx, a.yUnit, rs, q, d, 10, th, &a.Searched)
	if err != nil {
		return nil, err
	}
	return &Scores{NN: precision(ts, nn), CSLS: precision(ts, cs)}, nil
}

// EvaluateWork returns how many query rows Evaluate searches.
func (a *Aligner) EvaluateWork(ts *Tests) int64 { return int64(a.ny + 2*len(ts.Tests)) }

// precision scores the hits of each test.
func precision(ts *Tests, hits [][]search.Hit) Precision {
	var at [3]int
	for i, t := range ts.Tests {
		for j, h := range hits[i] {
			if slices.Contains(t.Tgt, h.Row) {
				for c, cut := range []int{1, 5, 10} {
					if j < cut {
						at[c]++
					}
				}
				break
			}
		}
	}
	n := float64(len(ts.Tests))
	return Precision{float64(at[0]) / n, float64(at[1]) / n, float64(at[2]) / n}
}

// Move is a word and the cosine distance between its mapped source vector
// and its target vector.
type Move struct {
	Word     string  `json:"word"`
	Distance float64 `json:"distance"`
}

// Drift returns the words of pairs that the two models share, by how far
// their vectors moved under the current map: 1 − cos(xW, y), farthest
// first (ties in source order).
func (a *Aligner) Drift(pairs []Pair) []Move {
	d := a.dim
	m := a.Mapped()
	moves := make([]Move, 0, len(pairs))
	for _, p := range pairs {
		x, y := m[p.Src*d:(p.Src+1)*d], a.y[p.Tgt*d:(p.Tgt+1)*d]
		var xy, xx, yy float64
		for j := range x {
			xy += float64(x[j]) * float64(y[j])
			xx += float64(x[j]) * float64(x[j])
			yy += float64(y[j]) * float64(y[j])
		}
		c := 0.0
		if xx > 0 && yy > 0 {
			c = xy / math.Sqrt(xx*yy)
		}
		moves = append(moves, Move{Word: a.src.Word(p.Src), Distance: 1 - c})
	}
	slices.SortStableFunc(moves, func(u, v Move) int { return cmp.Compare(v.Distance, u.Distance) })
	return moves
}
