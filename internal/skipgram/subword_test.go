package skipgram

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/w2vtool/w2v/internal/sampling"
	"github.com/w2vtool/w2v/internal/subword"
)

func TestNewSubwords(t *testing.T) {
	c := subword.Config{MinN: 3, MaxN: 4, Buckets: 1000}
	words := []string{"where", EOS, "é"}
	s, err := NewSubwords(words, c)
	if err != nil {
		t.Fatal(err)
	}
	for id, w := range words {
		want := []int32{int32(id)}
		if w != EOS {
			for _, b := range c.AppendBuckets(nil, w) {
				want = append(want, int32(len(words))+b)
			}
		}
		if got := s.Of(int32(id)); !slices.Equal(got, want) {
			t.Errorf("rows of %q = %v, want %v", w, got, want)
		}
	}
	// "<wh", "whe", …, "re>" and 4-grams: 5 + 4 n-grams besides the word's row.
	if n := len(s.Of(0)); n != 10 {
		t.Errorf("where has %d rows, want 10", n)
	}
	for _, bad := range []subword.Config{{MinN: 0, MaxN: 3, Buckets: 10}, {MinN: 3, MaxN: 2, Buckets: 10}, {}} {
		if _, err := NewSubwords(words, bad); err == nil {
			t.Errorf("NewSubwords(%+v) succeeded", bad)
		}
	}
}

func TestSubwordConfigChecks(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Subwords = subword.Config{MinN: 3, MaxN: 6, Buckets: 10}
	cfg.SharedNegatives = true
	if err := cfg.Validate(); err == nil {
		t.Error("shared negatives with subwords validated")
	}
	cfg.SharedNegatives = false
	if _, err := NewTrainer(cfg, NewModel(2, cfg), []int64{2, 1}); err == nil {
		t.Error("NewTrainer took a model without row lists")
	}
	m, err := NewSubwordModel([]string{"ab", "cd"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.In) != 12*cfg.Dim {
		t.Errorf("input matrix has %d values, want (2 words + 10 buckets) × %d", len(m.In), cfg.Dim)
	}
	if ModelBytes(2, cfg) != int64(12+2)*int64(cfg.Dim)*4 {
		t.Errorf("ModelBytes = %d, want the buckets' rows counted", ModelBytes(2, cfg))
	}
	if _, err := NewTrainer(cfg, m, []int64{2, 1}); err != nil {
		t.Error(err)
	}
}

// newSubwordWorker returns a worker over a subword model of words with
// alpha 0.1 and all input rows filled from a fixed pattern.
func newSubwordWorker(t *testing.T, words []string, cfg Config) *worker {
	t.Helper()
	m, err := NewSubwordModel(words, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.In {
		m.In[i] = float32(math.Sin(float64(i)*0.7)) * 0.3
	}
	for i := range m.Out {
		m.Out[i] = float32(math.Cos(float64(i)*1.3)) * 0.2
	}
	for i := range m.OutHS {
		m.OutHS[i] = float32(math.Cos(float64(i)*0.9)) * 0.2
	}
	counts := make([]int64, len(words))
	for i := range counts {
		counts[i] = int64(len(words) - i)
	}
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	w := newWorker(tr, 0)
	w.alpha = 0.1
	return w
}

// fastTextSkipGram is fastText's skip-gram update for one centre word,
// written out pair by pair in float64: for each context word, the mean of
// the centre's rows is scored against the targets (targets(c): the output
// rows and labels), each output row takes its step, and the gradient of the
// mean is added in full to every one of the centre's rows before the next
// pair recomputes the mean.
func fastTextSkipGram(in, out [][]float64, rows []int32, ctx []int32, targets func(c int32) ([]int32, []float64), alpha float64, sig func(float64) float64, skip bool) {
	d := len(in[0])
	for _, c := range ctx {
		h := make([]float64, d)
		for _, r := range rows {
			for i := range h {
				h[i] += in[r][i] / float64(len(rows))
			}
		}
		grad := make([]float64, d)
		outRows, labels := targets(c)
		for k, o := range outRows {
			var f float64
			for i := range h {
				f += h[i] * out[o][i]
			}
			var g float64
			switch {
			case f > -maxExp && f < maxExp:
				g = (labels[k] - sig(f)) * alpha
			case skip:
				continue
			case f > 0:
				g = (labels[k] - 1) * alpha
			default:
				g = labels[k] * alpha
			}
			for i := range h {
				grad[i] += g * out[o][i]
				out[o][i] += g * h[i]
			}
		}
		for _, r := range rows {
			for i := range grad {
				in[r][i] += grad[i]
			}
		}
	}
}

func toRows(m []float32, d int) [][]float64 {
	var x [][]float64
	for i := 0; i < len(m); i += d {
		r := make([]float64, d)
		for j := range r {
			r[j] = float64(m[i+j])
		}
		x = append(x, r)
	}
	return x
}

func closeRows(t *testing.T, name string, got []float32, want [][]float64, tol float64) {
	t.Helper()
	d := len(want[0])
	for r := range want {
		for i := range d {
			if diff := math.Abs(float64(got[r*d+i]) - want[r][i]); diff > tol {
				t.Fatalf("%s row %d [%d] = %v, want %v", name, r, i, got[r*d+i], want[r][i])
			}
		}
	}
}

// TestSkipGramSubwordsMatchesFastText checks the windowed update (mean kept
// across the window, the rows' steps applied once) against fastText's
// pair-by-pair update computed above, with negative sampling (negatives
// fixed in advance) and with hierarchical softmax.
func TestSkipGramSubwordsMatchesFastText(t *testing.T) {
	words := []string{"the", "cat", "sat", "on", "mats", "where"}
	for _, hs := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Dim, cfg.Negative, cfg.HS = 8, 1, hs
		if hs {
			cfg.Negative = 0
		}
		cfg.Subwords = subword.Config{MinN: 2, MaxN: 3, Buckets: 1009}
		w := newSubwordWorker(t, words, cfg)
		m := w.t.model
		const neg = 5 // every negative drawn is "where"
		for i := range w.negRing {
			w.negRing[i] = neg
		}
		in := toRows(m.In, cfg.Dim)
		outM := m.Out
		if hs {
			outM = m.OutHS
		}
		out := toRows(outM, cfg.Dim)
		targets := func(c int32) ([]int32, []float64) {
			if hs {
				nodes, labels := w.t.tree.path(c)
				l := make([]float64, len(labels))
				for i, x := range labels {
					l[i] = float64(x)
				}
				return nodes, l
			}
			return []int32{c, neg}, []float64{1, 0}
		}
		center := int32(4) // "mats": its own row and 9 n-grams
		if r := m.Sub.Of(center); len(r) != 10 || len(slices.Compact(slices.Sorted(slices.Values(r)))) != 10 {
			t.Fatalf("mats has rows %v, want 10 distinct", r)
		}
		left, right := []int32{0, 1}, []int32{3, 2}
		fastTextSkipGram(in, out, m.Sub.Of(center), append(slices.Clone(left), right...), targets, 0.1,
			func(f float64) float64 { return float64(w.t.sigmoid.at(float32(f))) }, hs)
		w.skipGramSubwords(left, right, center)
		// Exact up to rounding while no bucket is listed twice: then
		// fastText's mean moves by more than the gradient.
		closeRows(t, "in", m.In, in, 1e-5)
		closeRows(t, "out", outM, out, 1e-5)
	}
}

// TestSkipGramSubwordsByHand works one update out on paper. Dim 2, one
// bucket; word 0's rows are itself (1, 0) and bucket 0 (0, 1); its mean is
// h = (0.5, 0.5). Its one context word 1 has output row (0, 0), so the score
// is 0 and σ = 0.5: with α 0.1 the true word's step is g = 0.05 and the
// negative (word 0, output row (2, −2), score 0) has g = −0.05:
//
//	out[1] += 0.05·h          = (0.025, 0.025)
//	out[0] −= 0.05·h          = (1.975, −2.025)
//	grad    = 0.05·(0,0) − 0.05·(2,−2) = (−0.1, 0.1), added to both rows:
//	in[0]   = (0.9, 0.1)    bucket = (−0.1, 1.1)
func TestSkipGramSubwordsByHand(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim, cfg.Negative = 2, 1
	cfg.Subwords = subword.Config{MinN: 50, MaxN: 50, Buckets: 1} // no n-gram that short words have
	w := newSubwordWorker(t, []string{"a", "b"}, cfg)
	m := w.t.model
	m.Sub = &Subwords{Config: cfg.Subwords, Words: 2, Start: []int32{0, 2, 3}, Rows: []int32{0, 2, 1}, max: 2}
	copy(m.In, []float32{1, 0, 9, 9, 0, 1})
	copy(m.Out, []float32{2, -2, 0, 0})
	for i := range w.negRing {
		w.negRing[i] = 0
	}
	w.sub = newSubwordScratch(w.t)
	w.skipGramSubwords(nil, []int32{1}, 0)
	want := []float32{0.9, 0.1, 9, 9, -0.1, 1.1}
	wantOut := []float32{1.975, -2.025, 0.025, 0.025}
	for i := range want {
		if !near(m.In[i], want[i]) {
			t.Fatalf("in = %v, want %v", m.In, want)
		}
	}
	for i := range wantOut {
		if !near(m.Out[i], wantOut[i]) {
			t.Fatalf("out = %v, want %v", m.Out, wantOut)
		}
	}
}

// TestCBOWSubwords checks CBOW's update against the same written-out
// update: the mean of all rows of both context words predicts the centre,
// and every one of those rows takes the whole gradient.
func TestCBOWSubwords(t *testing.T) {
	words := []string{"the", "cat", "sat", "on", "mats", "where"}
	cfg := DefaultConfig()
	cfg.Arch, cfg.Dim, cfg.Negative = CBOW, 8, 1
	cfg.Subwords = subword.Config{MinN: 2, MaxN: 3, Buckets: 7}
	w := newSubwordWorker(t, words, cfg)
	m := w.t.model
	const neg = 5
	for i := range w.negRing {
		w.negRing[i] = neg
	}
	in, out := toRows(m.In, cfg.Dim), toRows(m.Out, cfg.Dim)
	rows := append(slices.Clone(m.Sub.Of(1)), m.Sub.Of(3)...)
	center := int32(2)
	fastTextSkipGram(in, out, rows, []int32{center}, func(c int32) ([]int32, []float64) { return []int32{c, neg}, []float64{1, 0} }, 0.1,
		func(f float64) float64 { return float64(w.t.sigmoid.at(float32(f))) }, false)
	w.cbowSubwords([]int32{1}, []int32{3}, center)
	closeRows(t, "in", m.In, in, 1e-5)
	closeRows(t, "out", m.Out, out, 1e-5)
}

func TestWordVectors(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Dim = 3
	cfg.Subwords = subword.Config{MinN: 3, MaxN: 3, Buckets: 5}
	m, err := NewSubwordModel([]string{"ab", "xyz"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := m.WordVectors()
	for id := range int32(2) {
		rows := m.Sub.Of(id)
		for i := range 3 {
			var s float64
			for _, r := range rows {
				s += float64(m.In[int(r)*3+i])
			}
			if want := s / float64(len(rows)); math.Abs(float64(got[int(id)*3+i])-want) > 1e-6 {
				t.Errorf("word %d [%d] = %v, want the mean of its %d rows %v", id, i, got[int(id)*3+i], len(rows), want)
			}
		}
	}
}

// TestInitBuckets checks that the bucket rows start uniform in ±1/dim, as
// fastText's, and the same on any number of CPUs.
func TestInitBuckets(t *testing.T) {
	const dim = 50
	a := make([]float32, 3*bucketChunk+7)
	b := make([]float32, len(a))
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	initBuckets(a, dim, 9)
	runtime.GOMAXPROCS(4)
	initBuckets(b, dim, 9)
	if !slices.Equal(a, b) {
		t.Error("bucket rows differ with the number of CPUs")
	}
	var sum float64
	for _, x := range a {
		if x < -1.0/dim || x >= 1.0/dim {
			t.Fatalf("value %v outside ±1/%d", x, dim)
		}
		sum += float64(x)
	}
	if mean := sum / float64(len(a)); math.Abs(mean) > 1e-4 || a[0] == a[bucketChunk] {
		t.Errorf("mean %v, first values of two chunks %v %v: not uniform draws", mean, a[0], a[bucketChunk])
	}
}

// TestSubwordModesAreDeterministic trains every subword mode twice with one
// worker and checks the runs agree, and that the words' rows, the buckets'
// rows and the output layers all moved: a mode that skipped the buckets or
// an output layer would leave them at their start.
func TestSubwordModesAreDeterministic(t *testing.T) {
	sentences, counts := syntheticCorpus(7, 300, 40, 100)
	words := make([]string, len(counts))
	for i := range words {
		words[i] = fmt.Sprintf("w%dx%d", i, i%7)
	}
	modes := []struct {
		name string
		set  func(*Config)
	}{
		{"sg-ns", func(c *Config) {}},
		{"sg-hs", func(c *Config) { c.HS, c.Negative = true, 0 }},
		{"sg-hs-ns", func(c *Config) { c.HS = true }},
		{"cbow-ns", func(c *Config) { c.Arch = CBOW }},
		{"cbow-hs", func(c *Config) { c.Arch, c.HS, c.Negative = CBOW, true, 0 }},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs = 12, 2
			cfg.Subwords = subword.Config{MinN: 2, MaxN: 4, Buckets: 500}
			mode.set(&cfg)
			train := func() (*Model, *Model) {
				m, err := NewSubwordModel(words, cfg)
				if err != nil {
					t.Fatal(err)
				}
				init := &Model{In: slices.Clone(m.In), Out: slices.Clone(m.Out), OutHS: slices.Clone(m.OutHS)}
				tr, err := NewTrainer(cfg, m, counts)
				if err != nil {
					t.Fatal(err)
				}
				if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
					t.Fatal(err)
				}
				return m, init
			}
			a, init := train()
			b, _ := train()
			if !slices.Equal(a.In, b.In) || !slices.Equal(a.Out, b.Out) || !slices.Equal(a.OutHS, b.OutHS) {
				t.Error("two runs differ")
			}
			n := len(words) * cfg.Dim
			for name, pair := range map[string][2][]float32{
				"words' rows": {a.In[:n], init.In[:n]}, "bucket rows": {a.In[n:], init.In[n:]},
				"output rows": {a.Out, init.Out}, "tree rows": {a.OutHS, init.OutHS},
			} {
				if len(pair[0]) > 0 && slices.Equal(pair[0], pair[1]) {
					t.Errorf("training left the %s unchanged", name)
				}
			}
		})
	}
}

// TestSubwordsFollowFastTextSchedule checks the two places where skip-gram
// with subwords follows fastText instead of word2vec: the learning rate
// decays to zero, and negatives are drawn by the square root of the counts.
func TestSubwordsFollowFastTextSchedule(t *testing.T) {
	counts := []int64{10000, 100, 1}
	words := []string{"the", "cat", "sat"}
	for _, tc := range []struct {
		name      string
		arch      Arch
		sub       subword.Config
		wantFinal float64 // learning rate left at the end, as a share of the start
		wantPower float64
	}{
		{"word2vec", SkipGram, subword.Config{}, finalAlpha, 0.75},
		{"skip-gram subwords", SkipGram, subword.Config{MinN: 2, MaxN: 3, Buckets: 50}, 0, 0.5},
		{"cbow subwords", CBOW, subword.Config{MinN: 2, MaxN: 3, Buckets: 50}, finalAlpha, 0.75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.Arch, cfg.Subwords = 4, tc.arch, tc.sub
			m := NewModel(len(words), cfg)
			if tc.sub.Enabled() {
				var err error
				if m, err = NewSubwordModel(words, cfg); err != nil {
					t.Fatal(err)
				}
			}
			tr, err := NewTrainer(cfg, m, counts)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := tr.alpha(tr.plan()), cfg.Alpha*tc.wantFinal; math.Abs(got-want) > 1e-12 {
				t.Errorf("rate at the end %v, want %v", got, want)
			}
			// Draw often and compare the rare words' shares with count^power.
			r := sampling.NewRNG(1)
			drawn := make([]int, len(counts))
			const n = 2000000
			for range n {
				drawn[tr.neg.Sample(&r)]++
			}
			z := 0.0
			for _, c := range counts {
				z += math.Pow(float64(c), tc.wantPower)
			}
			want := math.Pow(float64(counts[1]), tc.wantPower) / z
			if got := float64(drawn[1]) / n; math.Abs(got-want) > 0.1*want {
				t.Errorf("word of count 100 drawn %.5f of the time, want %.5f (power %v)", got, want, tc.wantPower)
			}
		})
	}
}

// TestNegativeRedraws checks what happens when a negative sample is the
// target: word2vec skips it, so a frequent target gets fewer negatives;
// fastText's schedule draws again, so it gets all of them; and a one-word
// vocabulary, where every draw is the target, still returns.
func TestNegativeRedraws(t *testing.T) {
	tests := []struct {
		name     string
		subwords bool
		counts   []int64
		lo, hi   float64 // bounds on the mean number of negatives
	}{
		// Word 0 is drawn with probability 4^0.75/(4^0.75+1) ≈ 0.74, so
		// about 1.3 of 5 draws survive.
		{"word2vec skips", false, []int64{4, 1}, 1, 1.7},
		// 4^0.5/(4^0.5+1) = 2/3; all 17 draws are the target with
		// probability (2/3)^17 ≈ 0.001.
		{"fastText draws again", true, []int64{4, 1}, 4.98, 5},
		{"one word", true, []int64{4}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim = 4
			cfg.SharedNegatives = false
			words := []string{"ab", "cd"}[:len(tt.counts)]
			m := NewModel(len(words), cfg)
			if tt.subwords {
				cfg.Subwords = subword.Config{MinN: 3, MaxN: 6, Buckets: 10}
				var err error
				if m, err = NewSubwordModel(words, cfg); err != nil {
					t.Fatal(err)
				}
			}
			tr, err := NewTrainer(cfg, m, tt.counts)
			if err != nil {
				t.Fatal(err)
			}
			w := newWorker(tr, 0)
			const draws = 4000
			total := 0
			for range draws {
				w.drawTargets(0)
				if w.rows[0] != 0 || slices.Contains(w.rows[1:], 0) {
					t.Fatalf("rows %v: want the target first and never among the negatives", w.rows)
				}
				total += len(w.rows) - 1
			}
			if mean := float64(total) / draws; mean < tt.lo || mean > tt.hi {
				t.Errorf("mean negatives %.3f, want in [%v, %v]", mean, tt.lo, tt.hi)
			}
		})
	}
}
