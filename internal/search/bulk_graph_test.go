//go:build !race

// Building a graph over 8,000 rows is too slow under the race detector;
// bulk_test.go's tests run there.

package search

import (
	"context"
	"math"
	"testing"
)

// TestNeighborsGraph: through a graph, bulk neighbours are the graph's
// answers for each row, and close to the exact ones on word vectors.
func TestNeighborsGraph(t *testing.T) {
	m := testModel(t)
	const rows, k = 1000, 10
	g, err := BuildGraph(context.Background(), m.unit, m.dim, nil, GraphOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := New(m.unit, m.dim, 0)
	exact := make([][]Hit, 0, rows)
	if err := s.Neighbors(context.Background(), Bulk{Rows: rows, K: k}, func(_ int, h []Hit) error {
		exact = append(exact, h)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	found := 0
	err = s.Neighbors(context.Background(), Bulk{Rows: rows, K: k, Graph: g}, func(row int, hits []Hit) error {
		want, err := g.Search(m.unit[row*m.dim:(row+1)*m.dim], k, 0, []int{row})
		if err != nil {
			return err
		}
		for j := range hits {
			if hits[j].Row != want[j].Row || math.Abs(float64(hits[j].Score-want[j].Score)) > 1e-5 {
				t.Fatalf("row %d: bulk %v, graph query %v", row, hits, want)
			}
			for _, e := range exact[row] {
				if e.Row == hits[j].Row {
					found++
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := float64(found) / (rows * k); r < 0.95 {
		t.Errorf("bulk recall@10 through the graph %.3f, want ≥ 0.95", r)
	}
}

// BenchmarkNeighbors lists the 10 nearest of each of 8,000 word vectors
// (dim 48), exactly and through the graph, and for comparison exactly by
// one Search per row, as a loop of single queries would.
func BenchmarkNeighbors(b *testing.B) {
	m := testModel(b)
	g, err := BuildGraph(context.Background(), m.unit, m.dim, nil, GraphOptions{Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	s := New(m.unit, m.dim, 0)
	for _, tc := range []struct {
		name  string
		graph *Graph
	}{{"exact", nil}, {"graph", g}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if err := s.Neighbors(context.Background(), Bulk{K: 10, Graph: tc.graph}, func(int, []Hit) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(m.norms))/b.Elapsed().Seconds(), "rows/s")
		})
	}
	b.Run("one query a time", func(b *testing.B) {
		for b.Loop() {
			for r := range len(m.norms) {
				if _, err := s.Search(context.Background(), []Query{{Pos: []int{r}, Skip: []int{r}}}, 10); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.N*len(m.norms))/b.Elapsed().Seconds(), "rows/s")
	})
}
