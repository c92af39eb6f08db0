//go:build !race

// The recall tests build graphs over 8,000 rows: too slow under the race
// detector, which TestGraphConcurrent serves.

package search

import (
	"context"
	"testing"
)

func TestGraphRecall(t *testing.T) {
	m := testModel(t)
	n := len(m.norms)
	queries := sampleRows(n, 300, 5)
	for _, tc := range []struct {
		name   string
		metric Metric
		opts   GraphOptions
		ef     int
		good   bool // recall@10 must be ≥ 0.95, else below
	}{
		{"cosine", Cosine, GraphOptions{Seed: 1}, DefaultEf, true},
		{"cosine one thread", Cosine, GraphOptions{Seed: 2, Threads: 1, EfConstruction: 100}, DefaultEf, true},
		{"dot", Dot, GraphOptions{Seed: 1}, 0, true}, // 0: the metric's default
		{"euclidean", Euclidean, GraphOptions{Seed: 1}, DefaultEf, true},
		{"no heuristic tiny M", Cosine, GraphOptions{Seed: 1, M: 2, selectLinks: closest}, DefaultEf, false},
		{"random links", Cosine, GraphOptions{Seed: 1, M: 4, selectLinks: randomLinks}, DefaultEf, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Metric = tc.metric
			g, err := BuildGraph(context.Background(), m.unit, m.dim, m.norms, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			checkLinks(t, g)
			r := recall(t, g, m, tc.metric, queries, 10, tc.ef)
			t.Logf("recall@10 %.3f", r)
			if tc.good && r < 0.95 {
				t.Errorf("recall@10 = %.3f, want ≥ 0.95", r)
			}
			if !tc.good && r >= 0.95 {
				t.Errorf("recall@10 = %.3f for a broken graph, want < 0.95", r)
			}
		})
	}
}
