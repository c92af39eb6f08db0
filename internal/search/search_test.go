package search

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// unitMatrix returns n random unit rows of length dim.
func unitMatrix(rng *rand.Rand, n, dim int) []float32 {
	m := make([]float32, n*dim)
	for i := range n {
		row := m[i*dim : (i+1)*dim]
		var s float64
		for j := range row {
			row[j] = float32(rng.NormFloat64())
			s += float64(row[j]) * float64(row[j])
		}
		for j := range row {
			row[j] /= float32(math.Sqrt(s))
		}
	}
	return m
}

// naive scores every row of the first n in float64, straight from the
// definitions.
func naive(m []float32, dim, n int, q Query, method Method, eps float64, k int) []Hit {
	cos := func(a, b int) float64 {
		var s float64
		for j := range dim {
			s += float64(m[a*dim+j]) * float64(m[b*dim+j])
		}
		return s
	}
	var sum []float64
	if method == Add {
		sum = make([]float64, dim)
		for _, r := range q.Pos {
			for j := range sum {
				sum[j] += float64(m[r*dim+j])
			}
		}
		for _, r := range q.Neg {
			for j := range sum {
				sum[j] -= float64(m[r*dim+j])
			}
		}
		var nv float64
		for _, x := range sum {
			nv += x * x
		}
		for j := range sum {
			sum[j] /= math.Sqrt(nv)
		}
	}
	var hits []Hit
	for x := range n {
		if slices.Contains(q.Skip, x) {
			continue
		}
		var sc float64
		if method == Add {
			for j := range dim {
				sc += float64(m[x*dim+j]) * sum[j]
			}
		} else {
			num, den := 1.0, 1.0
			for _, r := range q.Pos {
				num *= (1 + cos(x, r)) / 2
			}
			for _, r := range q.Neg {
				den *= (1 + cos(x, r)) / 2
			}
			sc = num / (den + eps)
		}
		hits = append(hits, Hit{x, float32(sc)})
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
	return hits[:min(k, len(hits))]
}

func TestSearchMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, dim = 3000, 24
	m := unitMatrix(rng, n, dim)
	for _, tc := range []struct {
		name     string
		method   Method
		restrict int
		queries  int
		words    int // distinct words the queries draw from
		threads  int
	}{
		{"add direct", Add, 0, 20, 3000, 2},
		{"add combined", Add, 0, 400, 30, 2},
		{"add restricted", Add, 1000, 400, 30, 1},
		{"mul", Mul, 0, 50, 3000, 3},
		{"mul restricted", Mul, 777, 300, 20, 2},
		{"nearest", Add, 0, 1, 3000, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var qs []Query
			for range tc.queries {
				pick := func() int { return rng.IntN(tc.words) }
				q := Query{Pos: []int{pick(), pick()}, Neg: []int{pick()}}
				if tc.name == "nearest" {
					q = Query{Pos: []int{pick()}}
				}
				q.Skip = slices.Concat(q.Pos, q.Neg)
				qs = append(qs, q)
			}
			s := New(m, dim, tc.restrict)
			s.Method = tc.method
			s.Threads = tc.threads
			got, err := s.Search(context.Background(), qs, 5)
			if err != nil {
				t.Fatal(err)
			}
			rows := n
			if tc.restrict > 0 {
				rows = tc.restrict
			}
			for i, q := range qs {
				want := naive(m, dim, rows, q, tc.method, DefaultEpsilon, 5)
				if len(got[i]) != len(want) {
					t.Fatalf("query %d: %d hits, want %d", i, len(got[i]), len(want))
				}
				for j := range want {
					g, w := got[i][j], want[j]
					if math.Abs(float64(g.Score-w.Score)) > 1e-5 {
						t.Fatalf("query %d hit %d: score %v, want %v", i, j, g, w)
					}
					if g.Row != w.Row && math.Abs(float64(g.Score-w.Score)) > 1e-6 {
						t.Fatalf("query %d hit %d: row %v, want %v", i, j, g, w)
					}
				}
			}
		})
	}
}

func TestSearchTiesGoToEarlierRows(t *testing.T) {
	// Rows 1..6 are copies of one vector; the best hits must be the first k.
	dim := 4
	m := make([]float32, 8*dim)
	for r := range 8 {
		m[r*dim] = 1
	}
	m[0], m[1] = 0, 1 // row 0 is the query, orthogonal to the rest
	m[7*dim], m[7*dim+1] = 0.6, 0.8
	for _, threads := range []int{1, 3} {
		s := New(m, dim, 0)
		s.Threads = threads
		got, err := s.Search(context.Background(), []Query{{Pos: []int{7}, Skip: []int{7}}}, 3)
		if err != nil {
			t.Fatal(err)
		}
		var rows []int
		for _, h := range got[0] {
			rows = append(rows, h.Row)
		}
		if !slices.Equal(rows, []int{0, 1, 2}) {
			t.Errorf("threads %d: rows %v, want [0 1 2]", threads, rows)
		}
	}
}

func TestSearchNaNRowsRankLast(t *testing.T) {
	dim := 2
	m := []float32{1, 0, float32(math.NaN()), 0, 0.6, 0.8, -1, 0}
	s := New(m, dim, 0)
	got, err := s.Search(context.Background(), []Query{{Pos: []int{0}}}, 4)
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for _, h := range got[0] {
		rows = append(rows, h.Row)
	}
	if !slices.Equal(rows, []int{0, 2, 3}) {
		t.Fatalf("rows %v, want [0 2 3] (the NaN row left out)", rows)
	}
}

func TestSearchErrors(t *testing.T) {
	s := New(make([]float32, 8), 2, 0)
	ctx := context.Background()
	if _, err := s.Search(ctx, []Query{{Pos: []int{4}}}, 1); err == nil {
		t.Error("no error for a row out of range")
	}
	if _, err := s.Search(ctx, []Query{{Neg: []int{1}}}, 1); err == nil {
		t.Error("no error for a query without positive words")
	}
	if _, err := s.Search(ctx, []Query{{Pos: []int{1}}}, 0); err == nil {
		t.Error("no error for k = 0")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Search(cancelled, []Query{{Pos: []int{1}}}, 1); err == nil {
		t.Error("no error from a cancelled context")
	}
}

func BenchmarkAnalogyBatch(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, dim = 30000, 300
	m := unitMatrix(rng, n, dim)
	qs := make([]Query, 2000)
	for i := range qs {
		q := Query{Pos: []int{rng.IntN(900), rng.IntN(900)}, Neg: []int{rng.IntN(900)}}
		q.Skip = slices.Concat(q.Pos, q.Neg)
		qs[i] = q
	}
	s := New(m, dim, 0)
	for b.Loop() {
		if _, err := s.Search(context.Background(), qs, 1); err != nil {
			b.Fatal(err)
		}
	}
}
