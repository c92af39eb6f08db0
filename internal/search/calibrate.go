package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Calibration of a graph's default search breadth. Word vectors differ
// widely in how hard their graphs are to walk: on small, well-trained
// models ef 100 finds over 0.95 of the true 10 nearest, while on a
// 262,577-word model full of barely trained rare words it found 0.76. So
// the breadth is measured per model when the index is built, and stored
// with it.
const (
	// CalibrationRecall is the mean recall@10 that the calibrated breadth
	// must reach on the sampled rows: the level the search benchmark
	// compares tools at.
	CalibrationRecall = 0.95
	// CalibrationSample is how many rows calibration samples. Their exact
	// search reads every row 500 times: about 10 CPU seconds on a
	// 3,000,000 × 300 model (the exact scan's 2,363 queries per CPU second
	// over 59,897 rows of dim 300, scaled), a few seconds on all cores;
	// and 500 rows × 10 neighbours put the mean within about ±0.01.
	CalibrationSample = 500
	// MaxCalibratedEf caps the breadths tried: past it a walk costs about
	// what the exact scan of a large model does.
	MaxCalibratedEf = 4096

	calibrationK     = 10
	calibrationMinEf = 10
)

// A Calibration is what CalibrateEf measured.
type Calibration struct {
	// Ef is the default breadth to store: Measured, but never below the
	// rule for uncalibrated graphs (DefaultEf, 4 × for Dot). The sample's
	// queries are rows; an analogy's b − a + c lies between rows and needs
	// a wider walk: on the query package's test model ef 10 passed the
	// target for rows, yet 3CosAdd's top answer at it agreed with the exact
	// one for 89.7 % of the questions, against 99.5 % at ef 100.
	Ef       int
	Measured int     // the smallest breadth tried that reached the target, else the largest tried
	Recall   float64 // mean recall@10 at Measured on the sample
	Rows     int     // rows sampled
	Reached  bool    // whether Recall reached CalibrationRecall
}

// CalibrateEf finds the default search breadth of g: it takes sample rows
// at random (seeded; all rows if there are fewer), finds each one's exact
// 10 nearest other rows with s, walks g for the same rows at ef 10, 20, 40,
// … doubling up to MaxCalibratedEf (or the row count), and measures the
// first ef whose mean recall@10 reaches CalibrationRecall (see Calibration
// for the default it gives). s must search
// the rows g links, by g's metric. Both run on s.Threads goroutines.
func CalibrateEf(ctx context.Context, s *Searcher, g *Graph, sample int, seed uint64) (Calibration, error) {
	n := g.Len()
	if s.Rows() != n || s.Metric != g.Metric {
		return Calibration{}, fmt.Errorf("search: calibrating a %v graph of %d rows against a %v scan of %d", g.Metric, n, s.Metric, s.Rows())
	}
	rows := calibrationRows(n, sample, seed)
	qs := make([]Query, len(rows))
	for i := range rows {
		one := rows[i : i+1 : i+1]
		qs[i] = Query{Pos: one, Skip: one}
	}
	exact, err := s.Search(ctx, qs, calibrationK)
	if err != nil {
		return Calibration{}, err
	}
	want := 0
	for _, hs := range exact {
		want += len(hs)
	}
	limit := min(MaxCalibratedEf, max(calibrationMinEf, n))
	c := Calibration{Rows: len(rows)}
	for ef := calibrationMinEf; ; ef = min(2*ef, limit) {
		c.Measured, c.Recall = ef, 1
		if want > 0 {
			got, err := s.graphNeighbors(ctx, Bulk{K: calibrationK, Graph: g, Ef: ef}, qs)
			if err != nil {
				return Calibration{}, err
			}
			found := 0
			for i, hs := range got {
				for _, h := range hs {
					if slices.ContainsFunc(exact[i], func(x Hit) bool { return x.Row == h.Row }) {
						found++
					}
				}
			}
			c.Recall = float64(found) / float64(want)
		}
		if c.Reached = c.Recall >= CalibrationRecall; c.Reached || ef >= limit {
			c.Ef = max(c.Measured, uncalibratedEf(g.Metric))
			return c, nil
		}
	}
}

// calibrationRows returns min(count, n) distinct rows of n drawn uniformly
// by Floyd's method, which, unlike a permutation, costs memory for the
// sample only; sorted, so that the exact scan reads them in order.
func calibrationRows(n, count int, seed uint64) []int {
	count = max(0, min(count, n))
	rng := rand.New(rand.NewPCG(seed, 0x5ca1ab1e))
	picked := make(map[int]bool, count)
	rows := make([]int, 0, count)
	for j := n - count; j < n; j++ {
		t := rng.IntN(j + 1)
		if picked[t] {
			t = j
		}
		picked[t] = true
		rows = append(rows, t)
	}
	slices.Sort(rows)
	return rows
}
