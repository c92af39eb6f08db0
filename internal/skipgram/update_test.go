package skipgram

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/w2vtool/w2v/internal/simd"
)

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 1e-6 }

// newTestWorker returns a worker over a model of len(counts) words of dim d.
func newTestWorker(t *testing.T, counts []int64, d int) *worker {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Dim = d
	m := NewModel(len(counts), cfg)
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	return newWorker(tr, 0)
}

// TestPairUpdateByHand checks one SGD step on 2-d vectors against values
// worked out on paper. Both scores are 0, where σ = 0.5 exactly:
//
//	g(true)  = (1 − 0.5)·0.1 = 0.05     g(neg) = (0 − 0.5)·0.1 = −0.05
//	in      += 0.05·(0.2, 0.4) − 0.05·(0.1, 0.2)  = (0.505, −0.24)
//	out[1]  += 0.05·(0.5, −0.25)                  = (0.225, 0.3875)
//	out[0]  −= 0.05·(0.5, −0.25)                  = (0.075, 0.2125)
func TestPairUpdateByHand(t *testing.T) {
	w := newTestWorker(t, []int64{1, 1}, 2)
	m := w.t.model
	copy(m.In, []float32{0.5, -0.25, 9, 9})
	copy(m.Out, []float32{0.1, 0.2, 0.2, 0.4})
	w.alpha = 0.1
	grad := make([]float32, 2)
	w.outputStep(m.In[0:2], grad, m.Out, []int32{1, 0}, []float32{1, 0}, false) // true word 1, negative 0
	simd.Axpy(1, grad, m.In[0:2])
	want := map[string][]float32{
		"in[0]":  {0.505, -0.24},
		"in[1]":  {9, 9},
		"out[0]": {0.075, 0.2125},
		"out[1]": {0.225, 0.3875},
	}
	got := map[string][]float32{"in[0]": m.In[0:2], "in[1]": m.In[2:4], "out[0]": m.Out[0:2], "out[1]": m.Out[2:4]}
	for k, wv := range want {
		if !near(got[k][0], wv[0]) || !near(got[k][1], wv[1]) {
			t.Errorf("%s = %v, want %v", k, got[k], wv)
		}
	}
}

// referenceWindowUpdate is windowStep followed by adding the inputs'
// gradients, written out in float64 loops: all scores from the old
// matrices, then both updates. Scores at or beyond ±maxExp get no step with
// skip, and σ clamped to 0 or 1 without.
func referenceWindowUpdate(in, out [][]float64, ctx, rows []int32, labels []float64, alpha float64, skip bool, sig func(float64) float64) {
	g := make([][]float64, len(ctx))
	for i, c := range ctx {
		g[i] = make([]float64, len(rows))
		for j, r := range rows {
			var s float64
			for k := range in[c] {
				s += in[c][k] * out[r][k]
			}
			switch {
			case s > -maxExp && s < maxExp:
				g[i][j] = (labels[j] - sig(s)) * alpha
			case skip:
				g[i][j] = 0
			case s > 0:
				g[i][j] = (labels[j] - 1) * alpha
			default:
				g[i][j] = labels[j] * alpha
			}
		}
	}
	d := len(in[0])
	dIn := make([][]float64, len(ctx))
	for i := range ctx {
		dIn[i] = make([]float64, d)
		for j, r := range rows {
			for k := range d {
				dIn[i][k] += g[i][j] * out[r][k]
			}
		}
	}
	for j, r := range rows {
		for i, c := range ctx {
			for k := range d {
				out[r][k] += g[i][j] * in[c][k]
			}
		}
	}
	for i, c := range ctx {
		for k := range d {
			in[c][k] += dIn[i][k]
		}
	}
}

// TestWindowUpdateMatchesReference checks windowStep against the float64
// reference, for negative sampling (saturated scores clamped) and
// hierarchical softmax (skipped). Normal vectors of dimension 17 score
// beyond ±6 often enough that both rules are exercised.
func TestWindowUpdateMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, skip := range []bool{false, true} {
		saturated := 0
		for _, tc := range []struct{ words, dim, ctx int }{{8, 3, 1}, {8, 5, 4}, {20, 17, 10}} {
			counts := make([]int64, tc.words)
			for i := range counts {
				counts[i] = 1
			}
			w := newTestWorker(t, counts, tc.dim)
			m := w.t.model
			for i := range m.In {
				m.In[i] = float32(rng.NormFloat64())
				m.Out[i] = float32(rng.NormFloat64())
			}
			in := rowsOf(m.In, tc.dim)
			out := rowsOf(m.Out, tc.dim)
			ctx := make([]int32, tc.ctx)
			for i := range ctx {
				ctx[i] = int32(i) // distinct, as the reference applies updates per row
			}
			rows := []int32{int32(tc.words - 1), int32(tc.words - 2), int32(tc.words - 3)}
			for _, c := range ctx {
				for _, r := range rows {
					if math.Abs(dot(in[c], out[r])) >= maxExp {
						saturated++
					}
				}
			}
			w.alpha = 0.05
			labels := []float64{1, 0, 0}
			sig := func(x float64) float64 { return float64(w.t.sigmoid.at(float32(x))) }
			referenceWindowUpdate(in, out, ctx, rows, labels, 0.05, skip, sig)
			grad := make([]float32, len(ctx)*tc.dim)
			w.windowStep(ctx, grad, m.Out, rows, []float32{1, 0, 0}, skip)
			for i, c := range ctx {
				simd.Axpy(1, grad[i*tc.dim:(i+1)*tc.dim], m.In[int(c)*tc.dim:(int(c)+1)*tc.dim])
			}
			compareRows(t, "In", m.In, in)
			compareRows(t, "Out", m.Out, out)
		}
		if saturated == 0 {
			t.Fatalf("skip=%v: no score reached ±%d; the test checks nothing of the rule", skip, maxExp)
		}
	}
}

func dot(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func rowsOf(m []float32, d int) [][]float64 {
	r := make([][]float64, len(m)/d)
	for i := range r {
		r[i] = make([]float64, d)
		for k := range r[i] {
			r[i][k] = float64(m[i*d+k])
		}
	}
	return r
}

func compareRows(t *testing.T, name string, got []float32, want [][]float64) {
	t.Helper()
	d := len(want[0])
	for i := range want {
		for k := range want[i] {
			if math.Abs(float64(got[i*d+k])-want[i][k]) > 1e-4 {
				t.Fatalf("%s[%d][%d] = %v, want %v", name, i, k, got[i*d+k], want[i][k])
			}
		}
	}
}

func TestSigmoidTable(t *testing.T) {
	s := newSigmoidTable()
	for x := float32(-maxExp); x <= maxExp; x += 0.01 {
		want := 1 / (1 + math.Exp(-float64(x)))
		if got := s.at(x); math.Abs(float64(got)-want) > 0.0016 {
			t.Fatalf("σ(%v) = %v, want %v", x, got, want)
		}
	}
}

// TestAlphaSchedule checks the linear decay from Alpha to a tenth of it.
func TestAlphaSchedule(t *testing.T) {
	tr := &Trainer{cfg: Config{Alpha: 0.025}, planned: 1000}
	tests := []struct {
		done int64
		want float64
	}{{0, 0.025}, {500, 0.025 * 0.55}, {1000, 0.0025}, {5000, 0.0025}}
	for _, tt := range tests {
		if got := tr.alpha(tt.done); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("alpha(%d) = %v, want %v", tt.done, got, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Dim = 0 },
		func(c *Config) { c.Window = 0 },
		func(c *Config) { c.Negative = -1 },
		func(c *Config) { c.Epochs = 0 },
		func(c *Config) { c.Alpha = math.NaN() },
		func(c *Config) { c.Alpha = -1 },
		func(c *Config) { c.Sample = -1 },
	}
	for i, f := range bad {
		c := DefaultConfig()
		f(&c)
		if c.Validate() == nil {
			t.Errorf("case %d: %+v accepted", i, c)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Error(err)
	}
}

// TestHotRowsMatchInPlace checks that training on a worker's copies of the
// hot rows, as workers do when several train at once, moves every row as
// training in place does: with one worker nobody else writes the rows
// meanwhile, so the two differ only in rounding. A push that dropped or
// doubled the worker's changes would differ by whole steps.
func TestHotRowsMatchInPlace(t *testing.T) {
	counts := []int64{500, 300, 200, 120, 90, 60, 40, 30, 20, 12, 9, 7, 5, 3, 2, 1}
	sentence := []int32{0, 3, 15, 1, 7, 0, 2, 9, 14, 4, 0, 11, 5, 1, 8, 13, 6, 10, 12, 2, 0, 1}
	for _, arch := range []Arch{SkipGram, CBOW} {
		train := func(copies bool) *Model {
			cfg := DefaultConfig()
			cfg.Arch, cfg.Dim, cfg.HS, cfg.Sample = arch, 24, true, 0
			m := NewModel(len(counts), cfg)
			for i := range m.OutHS {
				m.OutHS[i] = float32(i%13-6) * 0.01 // nonzero, so the scores vary
			}
			tr, err := NewTrainer(cfg, m, counts)
			if err != nil {
				t.Fatal(err)
			}
			w := newWorker(tr, 0)
			if copies {
				w.copyHotNodes(5) // some nodes hot, most shared
			}
			w.alpha = 0.1
			for range 3 {
				w.pullHot()
				w.trainSentence(sentence)
				w.pushHot()
			}
			return m
		}
		inPlace, copied := train(false), train(true)
		var moved float64
		for i, v := range inPlace.OutHS {
			moved = max(moved, math.Abs(float64(v-float32(i%13-6)*0.01)))
		}
		if moved < 1e-3 {
			t.Fatalf("%v: training moved the tree's rows by at most %g", arch, moved)
		}
		for name, pair := range map[string][2][]float32{
			"In":    {inPlace.In, copied.In},
			"Out":   {inPlace.Out, copied.Out},
			"OutHS": {inPlace.OutHS, copied.OutHS},
		} {
			for i := range pair[0] {
				if d := math.Abs(float64(pair[0][i] - pair[1][i])); d > 1e-5 {
					t.Fatalf("%v: %s[%d]: in place %v, on copies %v", arch, name, i, pair[0][i], pair[1][i])
				}
			}
		}
	}
}
