package search

import (
	"bufio"
	"compress/gzip"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// wordModel is a small real model: rows are the 8,000 most frequent words
// of testdata's Wikipedia slice, each the positive pointwise mutual
// information of the word with the 1,000 most frequent words at most two
// words away, randomly projected to 48 dimensions. Such vectors have the
// clustered, uneven geometry of trained word vectors, which random vectors
// lack, and take a second to make rather than a training run.
type wordModel struct {
	dim   int
	unit  []float32 // unit-length rows
	norms []float32 // the rows' lengths before normalising
	raw   []float32 // the rows as made
}

var loadWordModel = sync.OnceValues(func() (*wordModel, error) {
	const rows, contexts, dim, window = 8000, 1000, 48, 2
	f, err := os.Open("../../testdata/enwiki-2m.txt.gz")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(zr)
	sc.Split(bufio.ScanWords)
	ids := map[string]int32{}
	var text []int32
	var counts []int
	for sc.Scan() {
		id, ok := ids[sc.Text()]
		if !ok {
			id = int32(len(counts))
			ids[sc.Text()] = id
			counts = append(counts, 0)
		}
		counts[id]++
		text = append(text, id)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	order := make([]int32, len(counts))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return counts[b] - counts[a] })
	rank := make([]int32, len(counts))
	for r, id := range order {
		rank[id] = int32(r)
	}
	co := make([]float64, rows*contexts)
	rowSum := make([]float64, rows)
	colSum := make([]float64, contexts)
	var total float64
	for i, id := range text {
		w := rank[id]
		if w >= rows {
			continue
		}
		for j := max(0, i-window); j <= min(len(text)-1, i+window); j++ {
			if c := rank[text[j]]; j != i && c < contexts {
				co[int(w)*contexts+int(c)]++
				rowSum[w]++
				colSum[c]++
				total++
			}
		}
	}
	rng := rand.New(rand.NewPCG(7, 11))
	proj := make([]float64, contexts*dim)
	for i := range proj {
		proj[i] = rng.NormFloat64()
	}
	m := &wordModel{dim: dim, unit: make([]float32, rows*dim), norms: make([]float32, rows), raw: make([]float32, rows*dim)}
	for w := range rows {
		v := make([]float64, dim)
		for c := range contexts {
			x := co[w*contexts+c]
			if x == 0 {
				continue
			}
			pmi := math.Log(x * total / (rowSum[w] * colSum[c]))
			if pmi <= 0 {
				continue
			}
			for j := range v {
				v[j] += pmi * proj[c*dim+j]
			}
		}
		var s float64
		for j, x := range v {
			m.raw[w*dim+j] = float32(x)
			s += x * x
		}
		m.norms[w] = float32(math.Sqrt(s))
		for j, x := range v {
			if s > 0 {
				m.unit[w*dim+j] = float32(x / math.Sqrt(s))
			}
		}
	}
	return m, nil
})

func testModel(t testing.TB) *wordModel {
	t.Helper()
	m, err := loadWordModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// exactTop returns the k rows of m best for query vector q (raw), by the
// metric's definition, in float64, skipping row skip.
func exactTop(m *wordModel, metric Metric, q []float32, k, skip int) []int {
	n := len(m.norms)
	type scored struct {
		row int
		s   float64
	}
	all := make([]scored, 0, n)
	var qn float64
	for _, x := range q {
		qn += float64(x) * float64(x)
	}
	qn = math.Sqrt(qn)
	for r := range n {
		if r == skip {
			continue
		}
		x := m.raw[r*m.dim : (r+1)*m.dim]
		var dot, d2, xn float64
		for j := range x {
			dot += float64(q[j]) * float64(x[j])
			d := float64(q[j]) - float64(x[j])
			d2 += d * d
			xn += float64(x[j]) * float64(x[j])
		}
		var s float64
		switch metric {
		case Cosine:
			s = dot / (qn * math.Sqrt(xn))
			if xn == 0 {
				s = 0
			}
		case Dot:
			s = dot
		case Euclidean:
			s = -d2
		}
		all = append(all, scored{r, s})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].s > all[j].s })
	out := make([]int, k)
	for i := range out {
		out[i] = all[i].row
	}
	return out
}

// recall is the share of the exact top-k of queries (rows of m, as raw or
// unit vectors by metric) that g finds with breadth ef.
func recall(t *testing.T, g *Graph, m *wordModel, metric Metric, queries []int, k, ef int) float64 {
	t.Helper()
	found := 0
	for _, r := range queries {
		raw := m.raw[r*m.dim : (r+1)*m.dim]
		q := raw
		if metric == Cosine {
			q = m.unit[r*m.dim : (r+1)*m.dim]
		}
		hits, err := g.Search(q, k, ef, []int{r})
		if err != nil {
			t.Fatal(err)
		}
		want := exactTop(m, metric, raw, k, r)
		for _, h := range hits {
			if slices.Contains(want, h.Row) {
				found++
			}
		}
	}
	return float64(found) / float64(k*len(queries))
}

func sampleRows(n, count int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 1))
	return rng.Perm(n)[:count]
}

// closest keeps the m candidates closest to the base, without the
// diversity heuristic: links crowd into each dense cluster.
func closest(_ *Graph, _ int32, cands []Hit, m int) []Hit {
	return slices.Clone(cands[:min(m, len(cands))])
}

// randomLinks keeps m candidates at random from the ef-construction best.
func randomLinks(g *Graph, base int32, cands []Hit, m int) []Hit {
	rng := rand.New(rand.NewPCG(uint64(base), 3))
	c := slices.Clone(cands)
	rng.Shuffle(len(c), func(i, j int) { c[i], c[j] = c[j], c[i] })
	return c[:min(m, len(c))]
}

// checkLinks fails t unless every link of g is to another node present on
// the link's layer, as the native file's reader demands.
func checkLinks(t *testing.T, g *Graph) {
	t.Helper()
	for i := range int32(g.Len()) {
		for l := 0; l <= int(g.Levels[i]); l++ {
			ls := g.links(i, l)
			for _, x := range ls[1 : 1+ls[0]] {
				if x == i || x < 0 || int(x) >= g.Len() || int(g.Levels[x]) < l {
					t.Fatalf("node %d links to %d on layer %d", i, x, l)
				}
			}
		}
	}
}

// TestGraphConcurrent builds with more threads than CPUs, so that link
// lists are read while other threads rewrite them (run it with -race).
func TestGraphConcurrent(t *testing.T) {
	m := testModel(t)
	n := 3000
	sub := &wordModel{dim: m.dim, unit: m.unit[:n*m.dim], norms: m.norms[:n], raw: m.raw[:n*m.dim]}
	// Several builds, since whether threads collide is up to the scheduler.
	for seed := range uint64(4) {
		g, err := BuildGraph(context.Background(), sub.unit, sub.dim, nil, GraphOptions{Seed: seed, Threads: 8, M: 8, EfConstruction: 60})
		if err != nil {
			t.Fatal(err)
		}
		checkLinks(t, g)
		if r := recall(t, g, sub, Cosine, sampleRows(n, 100, 8), 10, DefaultEf); r < 0.95 {
			t.Errorf("recall@10 = %.3f after a concurrent build, want ≥ 0.95", r)
		}
	}
}

func TestGraphDeterministic(t *testing.T) {
	m := testModel(t)
	n := 2000
	vecs := m.unit[:n*m.dim]
	build := func(seed uint64) *Graph {
		g, err := BuildGraph(context.Background(), vecs, m.dim, nil, GraphOptions{Seed: seed, Threads: 1, M: 8, EfConstruction: 40})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	a, b, c := build(9), build(9), build(10)
	if !slices.Equal(a.Links0, b.Links0) || !slices.Equal(a.Upper, b.Upper) || a.Entry != b.Entry {
		t.Error("two one-thread builds with the same seed differ")
	}
	if slices.Equal(a.Levels, c.Levels) {
		t.Error("builds with different seeds have the same layers")
	}
}

func TestGraphErrors(t *testing.T) {
	m := testModel(t)
	vecs := m.unit[:100*m.dim]
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		norms []float32
		opts  GraphOptions
	}{
		{"M too small", nil, GraphOptions{M: 1}},
		{"dot without lengths", nil, GraphOptions{Metric: Dot}},
		{"euclidean with too few lengths", m.norms[:10], GraphOptions{Metric: Euclidean}},
		{"unknown metric", nil, GraphOptions{Metric: Metric(7)}},
	} {
		if _, err := BuildGraph(ctx, vecs, m.dim, tc.norms, tc.opts); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := BuildGraph(cancelled, vecs, m.dim, nil, GraphOptions{}); err == nil {
		t.Error("cancelled build: no error")
	}
	g, err := BuildGraph(ctx, vecs, m.dim, nil, GraphOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Search(make([]float32, 3), 10, 0, nil); err == nil {
		t.Error("query of the wrong length: no error")
	}
	if _, err := g.Search(m.unit[:m.dim], 0, 0, nil); err == nil {
		t.Error("k 0: no error")
	}
}

func BenchmarkGraphBuild(b *testing.B) {
	m := testModel(b)
	for b.Loop() {
		if _, err := BuildGraph(context.Background(), m.unit, m.dim, nil, GraphOptions{Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.norms)), "rows")
}

func BenchmarkGraphSearch(b *testing.B) {
	m := testModel(b)
	g, err := BuildGraph(context.Background(), m.unit, m.dim, nil, GraphOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	queries := sampleRows(len(m.norms), 500, 5)
	exact := New(m.unit, m.dim, 0)
	var qs []Query
	for _, r := range queries {
		qs = append(qs, Query{Pos: []int{r}, Skip: []int{r}})
	}
	truth, err := exact.Search(context.Background(), qs, 10)
	if err != nil {
		b.Fatal(err)
	}
	for _, ef := range []int{10, 20, 50, 100, 200} {
		b.Run("ef="+strconv.Itoa(ef), func(b *testing.B) {
			i, found := 0, 0
			for b.Loop() {
				r := queries[i%len(queries)]
				hits, err := g.Search(m.unit[r*m.dim:(r+1)*m.dim], 10, ef, []int{r})
				if err != nil {
					b.Fatal(err)
				}
				for _, h := range hits {
					if slices.ContainsFunc(truth[i%len(queries)], func(t Hit) bool { return t.Row == h.Row }) {
						found++
					}
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
			b.ReportMetric(float64(found)/float64(10*i), "recall@10")
		})
	}
	b.Run("exact", func(b *testing.B) {
		s := New(m.unit, m.dim, 0)
		s.Threads = 1
		i := 0
		for b.Loop() {
			r := queries[i%len(queries)]
			i++
			if _, err := s.Search(context.Background(), []Query{{Pos: []int{r}, Skip: []int{r}}}, 10); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
	})
}

func TestSearchMetrics(t *testing.T) {
	m := testModel(t)
	queries := sampleRows(len(m.norms), 40, 6)
	for _, metric := range []Metric{Cosine, Dot, Euclidean} {
		t.Run(metric.String(), func(t *testing.T) {
			s := New(m.unit, m.dim, 0)
			s.Metric, s.Norms, s.Threads = metric, m.norms, 2
			var qs []Query
			for _, r := range queries {
				qs = append(qs, Query{Pos: []int{r}, Skip: []int{r}})
			}
			got, err := s.Search(context.Background(), qs, 10)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range queries {
				raw := m.raw[r*m.dim : (r+1)*m.dim]
				want := exactTop(m, metric, raw, 10, r)
				for j, h := range got[i] {
					if h.Row != want[j] {
						t.Fatalf("query %d hit %d: row %d, want %d", r, j, h.Row, want[j])
					}
				}
				x := m.raw[want[0]*m.dim : (want[0]+1)*m.dim]
				var dot, d2 float64
				for j := range x {
					dot += float64(raw[j]) * float64(x[j])
					d2 += (float64(raw[j]) - float64(x[j])) * (float64(raw[j]) - float64(x[j]))
				}
				wantScore := map[Metric]float64{Dot: dot, Euclidean: -math.Sqrt(d2)}[metric]
				if metric != Cosine && math.Abs(float64(got[i][0].Score)-wantScore) > 1e-3*math.Abs(wantScore) {
					t.Errorf("query %d: best score %v, want %v", r, got[i][0].Score, wantScore)
				}
			}
		})
	}
	s := New(m.unit, m.dim, 0)
	s.Metric = Dot
	if _, err := s.Search(context.Background(), []Query{{Pos: []int{1}}}, 3); err == nil {
		t.Error("dot without lengths: no error")
	}
	s.Norms, s.Method = m.norms, Mul
	if _, err := s.Search(context.Background(), []Query{{Pos: []int{1}}}, 3); err == nil {
		t.Error("3CosMul by dot: no error")
	}
}

// TestWalkHeaps checks the walk's two heaps against sorting: the frontier
// gives up its nodes best first, and the bounded heap keeps the k best.
func TestWalkHeaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, k int }{{1, 1}, {2, 1}, {7, 3}, {100, 10}, {1000, 100}, {50, 80}} {
		var all []node
		var front, kept []node
		for i := range tc.n {
			x := node{float32(rng.IntN(tc.n/2 + 1)), int32(i)}
			all = append(all, x)
			front = pushMax(front, x)
			if len(kept) < tc.k || x.score > kept[0].score {
				kept = offerMin(kept, x, tc.k)
			}
		}
		want := slices.Clone(all)
		slices.SortStableFunc(want, func(a, b node) int { return cmpScore(b.score, a.score) })
		for i := range tc.n {
			var x node
			x, front = popMax(front)
			if x.score != want[i].score {
				t.Fatalf("n %d: pop %d gave score %v, want %v", tc.n, i, x.score, want[i].score)
			}
		}
		if len(front) != 0 {
			t.Fatalf("n %d: %d nodes left after popping all", tc.n, len(front))
		}
		k := min(tc.k, tc.n)
		if len(kept) != k {
			t.Fatalf("n %d k %d: kept %d", tc.n, tc.k, len(kept))
		}
		for i := k - 1; i >= 0; i-- {
			var x node
			x, kept = popMin(kept)
			if x.score != want[i].score {
				t.Fatalf("n %d k %d: kept score %v at rank %d, want %v", tc.n, tc.k, x.score, i, want[i].score)
			}
		}
	}
}

func cmpScore(a, b float32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
