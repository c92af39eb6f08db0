//go:build !race

// Calibration builds graphs over 8,000 rows: too slow under the race
// detector.

package search

import (
	"context"
	"math"
	"testing"
)

func TestCalibrateEf(t *testing.T) {
	m := testModel(t)
	n := len(m.norms)
	efs := map[string]int{}
	for _, tc := range []struct {
		name   string
		metric Metric
		opts   GraphOptions
	}{
		{"cosine", Cosine, GraphOptions{}},
		{"dot", Dot, GraphOptions{}},
		{"euclidean", Euclidean, GraphOptions{}},
		{"cosine, random links, M 4", Cosine, GraphOptions{M: 4, selectLinks: randomLinks}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Metric, tc.opts.Seed, tc.opts.Threads = tc.metric, 1, 1
			g, err := BuildGraph(context.Background(), m.unit, m.dim, m.norms, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			s := New(m.unit, m.dim, 0)
			s.Metric, s.Norms = tc.metric, m.norms
			c, err := CalibrateEf(context.Background(), s, g, 300, 9)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("ef %d: recall@10 %.3f on %d rows; default %d", c.Measured, c.Recall, c.Rows, c.Ef)
			if c.Rows != 300 || !c.Reached || c.Recall < CalibrationRecall {
				t.Fatalf("calibration %+v, want the target reached on 300 rows", c)
			}
			// Measured again with the test's own exact search (float64, by
			// the metric's definition) on the same rows.
			rows := calibrationRows(n, 300, 9)
			if r := recall(t, g, m, tc.metric, rows, 10, c.Measured); r < CalibrationRecall || math.Abs(r-c.Recall) > 0.01 {
				t.Errorf("recall@10 at ef %d is %.3f, calibration said %.3f", c.Measured, r, c.Recall)
			}
			if c.Measured > calibrationMinEf {
				if r := recall(t, g, m, tc.metric, rows, 10, c.Measured/2); r >= CalibrationRecall {
					t.Errorf("ef %d already gives recall@10 %.3f: calibration chose %d, not the smallest", c.Measured/2, r, c.Measured)
				}
			}
			if want := max(c.Measured, uncalibratedEf(tc.metric)); c.Ef != want {
				t.Errorf("default ef %d, want %d (measured %d, floor %d)", c.Ef, want, c.Measured, uncalibratedEf(tc.metric))
			}
			g.Ef = c.Ef
			if got := g.SearchEf(); got != c.Ef {
				t.Errorf("SearchEf() = %d after calibration, want %d", got, c.Ef)
			}
			efs[tc.name] = c.Measured
		})
	}
	if good, bad := efs["cosine"], efs["cosine, random links, M 4"]; good == 0 || bad <= good {
		t.Errorf("a graph with 4 random links per node calibrated to ef %d, a good one to %d: want more", bad, good)
	}
}

func TestCalibrateEfSmall(t *testing.T) {
	m := testModel(t)
	for _, tc := range []struct {
		name string
		rows int
		want int // rows sampled
	}{
		{"one row", 1, 1},
		{"fewer rows than the sample", 30, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			unit, norms := m.unit[:tc.rows*m.dim], m.norms[:tc.rows]
			g, err := BuildGraph(context.Background(), unit, m.dim, norms, GraphOptions{Seed: 1, Threads: 1})
			if err != nil {
				t.Fatal(err)
			}
			c, err := CalibrateEf(context.Background(), New(unit, m.dim, 0), g, CalibrationSample, 1)
			if err != nil {
				t.Fatal(err)
			}
			if c.Rows != tc.want || !c.Reached || c.Measured > max(calibrationMinEf, tc.rows) || c.Ef != DefaultEf {
				t.Errorf("calibration %+v, want %d rows sampled and the target reached by ef %d", c, tc.want, max(calibrationMinEf, tc.rows))
			}
		})
	}
	g, err := BuildGraph(context.Background(), m.unit[:10*m.dim], m.dim, m.norms[:10], GraphOptions{Metric: Dot})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CalibrateEf(context.Background(), New(m.unit[:10*m.dim], m.dim, 0), g, 5, 1); err == nil {
		t.Error("a dot graph calibrated against a cosine scan")
	}
}

func TestCalibrationRows(t *testing.T) {
	for _, tc := range []struct{ n, count, want int }{
		{10, 3, 3}, {10, 10, 10}, {10, 50, 10}, {1, 500, 1}, {5, 0, 0},
	} {
		rows := calibrationRows(tc.n, tc.count, 4)
		seen := map[int]bool{}
		for i, r := range rows {
			if r < 0 || r >= tc.n || seen[r] || i > 0 && rows[i-1] > r {
				t.Fatalf("calibrationRows(%d, %d) = %v: not distinct sorted rows in range", tc.n, tc.count, rows)
			}
			seen[r] = true
		}
		if len(rows) != tc.want {
			t.Errorf("calibrationRows(%d, %d) has %d rows, want %d", tc.n, tc.count, len(rows), tc.want)
		}
	}
	// Uniform: over many seeds each of 10 rows is drawn about 3/10 of the time.
	counts := make([]int, 10)
	for seed := range uint64(2000) {
		for _, r := range calibrationRows(10, 3, seed) {
			counts[r]++
		}
	}
	for r, c := range counts {
		if c < 500 || c > 700 {
			t.Errorf("row %d drawn %d times in 2,000 samples of 3 of 10, want about 600", r, c)
		}
	}
}
