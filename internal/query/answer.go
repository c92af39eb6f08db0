package query

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/search"
)

// Answer is one query's answer: the title of its table and its ranked
// hits, or the problem that kept it from being answered.
type Answer struct {
	Words   []string
	Title   string
	Hits    []search.Hit
	Problem string
}

// Answer answers a batch of queries with one search. It prints nothing and
// counts nothing, so many goroutines may call it at once (as the server
// does) provided Prepare may be called concurrently, as the Runners of
// Model's Nearest and Analogy may.
func (r *Runner) Answer(ctx context.Context, queries [][]string) ([]Answer, error) {
	qs := make([]search.Query, 0, len(queries))
	ans := make([]Answer, len(queries))
	for i, words := range queries {
		q, title, problem := r.Prepare(words)
		ans[i] = Answer{Words: words, Title: title, Problem: problem}
		if problem == "" {
			qs = append(qs, q)
		}
	}
	hits, err := r.search(ctx, qs)
	if err != nil {
		return nil, err
	}
	for i := range ans {
		if ans[i].Problem == "" {
			ans[i].Hits, hits = hits[0], hits[1:]
		}
	}
	return ans, nil
}

// searchGraph answers qs by walking the graph, the queries spread over
// the CPUs as the scan's blocks are. A 3CosMul query cannot be walked to:
// it is no distance to one vector. The graph finds the candidates nearest to
// its 3CosAdd vector instead (as many as the walk's breadth, ef), and
// those are ranked by 3CosMul with the exact scan's own code (see
// rerankMul).
func (r *Runner) searchGraph(ctx context.Context, qs []search.Query) ([][]search.Hit, error) {
	mul := r.Searcher.Method == search.Mul
	out := make([][]search.Hit, len(qs))
	errs := make([]error, len(qs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(len(qs), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			vec := search.QueryVector(r.V.Dim())
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= len(qs) {
					return
				}
				if !mul {
					out[i], errs[i] = r.Graph.Search(r.Searcher.Vector(qs[i], vec), r.Top, r.Ef, qs[i].Skip)
					continue
				}
				ef := r.Ef
				if ef == 0 {
					ef = r.Graph.SearchEf()
				}
				cands := max(r.Top, ef, search.DefaultEf)
				// Vector is the 3CosAdd vector whatever the Method.
				hits, err := r.Graph.Search(r.Searcher.Vector(qs[i], vec), cands, cands, qs[i].Skip)
				if err == nil {
					hits, err = r.rerankMul(ctx, qs[i], hits)
				}
				out[i], errs[i] = hits, err
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, errors.Join(errs...)
}

// rerankMul returns the Top of cands best for q by 3CosMul. The candidate
// rows (in row order, so that ties go to the earlier row as in the scan)
// and then the query's words are copied into a small matrix, and a Searcher
// over its first len(cands) rows scores them exactly as the full scan does.
func (r *Runner) rerankMul(ctx context.Context, q search.Query, cands []search.Hit) ([]search.Hit, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	rows := make([]int, len(cands))
	for i, h := range cands {
		rows[i] = h.Row
	}
	slices.Sort(rows)
	words := slices.Concat(q.Pos, q.Neg)
	d := r.V.Dim()
	m := make([]float32, 0, (len(rows)+len(words))*d)
	for _, row := range slices.Concat(rows, words) {
		if row >= r.V.Len() { // an unseen word's subword vector, kept by the Searcher
			m = append(m, r.Searcher.Vector(search.Query{Pos: []int{row}}, make([]float32, d))...)
			continue
		}
		m = append(m, r.V.Row(row)...)
	}
	s := search.New(m, d, len(rows))
	s.Method, s.Epsilon, s.Threads = search.Mul, r.Searcher.Epsilon, 1
	local := func(n, base int) []int { // the rows of n query words in m
		out := make([]int, n)
		for i := range out {
			out[i] = len(rows) + base + i
		}
		return out
	}
	sq := search.Query{Pos: local(len(q.Pos), 0), Neg: local(len(q.Neg), len(q.Pos))}
	hits, err := s.Search(ctx, []search.Query{sq}, min(r.Top, len(rows)))
	if err != nil {
		return nil, err
	}
	h := hits[0]
	for i := range h {
		h[i].Row = rows[h[i].Row]
	}
	return h, nil
}
