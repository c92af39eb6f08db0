package skipgram

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/w2vtool/w2v/internal/subword"
)

// TestLossByHand checks the loss tally of one negative-sampling step and
// one hierarchical-softmax step against values worked out by hand:
//
//	scores 0.5 (the word), −2 and 7 (negatives; 7 is clamped to 6):
//	log(1+e^−0.5) + log(1+e^−2) + log(1+e^6)
//	  = 0.474076984 + 0.126928011 + 6.002475946 = 6.603480941
//	tree nodes with scores 3 (label 1) and 8 (label 0, clamped to 6; the
//	node gets no step, but its loss counts):
//	log(1+e^−3) + log(1+e^6) = 0.048587352 + 6.002475946 = 6.051063298
func TestLossByHand(t *testing.T) {
	tests := []struct {
		name   string
		out    []float32 // rows of dim 2; the input is (1, 0)
		rows   []int32
		labels []float32
		skip   bool
		want   float64
	}{
		{"negative sampling", []float32{0.5, 9, -2, 9, 7, 9}, []int32{0, 1, 2}, []float32{1, 0, 0}, false, 6.603480941},
		{"hierarchical softmax", []float32{3, 9, 8, 9}, []int32{0, 1}, []float32{1, 0}, true, 6.051063298},
		{"saturated both ways", []float32{7, 9, -7, 9, -8, 9, 6.5, 9}, []int32{0, 1, 2, 3}, []float32{1, 0, 1, 0}, false, 2*math.Log1p(math.Exp(-6)) + 2*math.Log1p(math.Exp(6))},
		{"a word drawn twice", []float32{0.5, 9, -2, 9}, []int32{0, 1, 1}, []float32{1, 0, 0}, false, math.Log1p(math.Exp(-0.5)) + 2*math.Log1p(math.Exp(-2))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorker(t, []int64{3, 2, 1}, 2)
			w.alpha = 0 // the rows must keep their scores for the third case
			x := []float32{1, 0}
			w.outputStep(x, make([]float32, 2), tt.out, tt.rows, tt.labels, tt.skip)
			if math.Abs(w.loss-tt.want) > 1e-6 {
				t.Errorf("loss = %.9f, want %.9f", w.loss, tt.want)
			}
		})
	}
}

// TestSoftplusTable checks the unit loss against the formula across the
// table's range, between and on its nodes, at its ends and beyond them
// (where the score is clamped).
func TestSoftplusTable(t *testing.T) {
	sp := newSoftplusTable()
	for i := -1000; i <= 121000; i++ {
		f := float32(-maxExp + float64(i)*2*maxExp/120000)
		c := min(max(float64(f), -maxExp), maxExp)
		for _, label := range []float32{0, 1} {
			want := math.Log1p(math.Exp(c - 2*float64(label)*c))
			if got := sp.unitLoss(f, label); math.Abs(got-want) > 1e-8 {
				t.Fatalf("loss of score %v, label %v = %.12f, want %.12f", f, label, got, want)
			}
		}
	}
}

// TestLossIsPublishedPerEpoch trains every mode and checks that each epoch
// has a loss, that it falls as training proceeds, and that the state
// carries it. The corpus has something to learn: each sentence counts up
// through the 50 words from a random start.
func TestLossIsPublishedPerEpoch(t *testing.T) {
	sentences, counts := patternCorpus(50, 200, 100, func(i, k int) int { return (i*7 + k) % 50 })
	var words int64
	for _, s := range sentences {
		words += int64(len(s))
	}
	for name, set := range map[string]func(*Config){
		"skip-gram":        func(*Config) {},
		"shared negatives": func(c *Config) { c.SharedNegatives = true },
		"cbow":             func(c *Config) { c.Arch = CBOW },
		"hs":               func(c *Config) { c.HS, c.Negative = true, 0 },
		"subwords":         func(c *Config) { c.Subwords = subword.Config{MinN: 2, MaxN: 3, Buckets: 100} },
		"cbow subwords": func(c *Config) {
			c.Arch, c.Subwords = CBOW, subword.Config{MinN: 2, MaxN: 3, Buckets: 100}
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs, cfg.Sample = 10, 4, 0
			set(&cfg)
			m := NewModel(len(counts), cfg)
			if cfg.Subwords.Enabled() {
				words := make([]string, len(counts))
				for i := range words {
					words[i] = fmt.Sprintf("w%d", i)
				}
				var err error
				if m, err = NewSubwordModel(words, cfg); err != nil {
					t.Fatal(err)
				}
			}
			tr, err := NewTrainer(cfg, m, counts)
			if err != nil {
				t.Fatal(err)
			}
			if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
				t.Fatal(err)
			}
			losses := tr.Losses()
			if len(losses) != cfg.Epochs {
				t.Fatalf("%d epochs of loss, want %d", len(losses), cfg.Epochs)
			}
			for e, l := range losses {
				// Without subsampling, CBOW predicts every word; skip-gram
				// predicts from 2 to 2·Window context words per word.
				lo, hi := words, words*int64(2*cfg.Window)
				if cfg.Arch == CBOW {
					hi = words
				}
				if l.N < lo || l.N > hi {
					t.Errorf("epoch %d: %d predictions, want %d..%d", e, l.N, lo, hi)
				}
				if m := l.Mean(); !(m > 0 && m < 20) {
					t.Errorf("epoch %d: loss %v per %s", e, m, cfg.LossUnit())
				}
			}
			if first, last := losses[0].Mean(), losses[len(losses)-1].Mean(); !(last < first) {
				t.Errorf("loss went from %v to %v", first, last)
			}
			if p := tr.Progress(); p.Epoch != cfg.Epochs-1 || p.Loss != losses[cfg.Epochs-1] {
				t.Errorf("progress %+v, want the last epoch's loss %+v", p, losses[cfg.Epochs-1])
			}
			if s := tr.State(); !slices.Equal(s.Loss, losses) {
				t.Errorf("state's loss %v, want %v", s.Loss, losses)
			}
		})
	}
}

// TestResumeKeepsTheLoss stops a run at a pause and resumes it: the loss of
// every epoch must equal the uninterrupted run's, up to the order of the
// float64 additions.
func TestResumeKeepsTheLoss(t *testing.T) {
	sentences, counts := syntheticCorpus(6, 500, 300, 120)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 10, 3
	train := func(tr *Trainer, ctx context.Context, p *Periodic) error {
		return tr.Train(ctx, []Source{&memSource{sentences: sentences}}, p)
	}
	tr, err := NewTrainer(cfg, NewModel(len(counts), cfg), counts)
	if err != nil {
		t.Fatal(err)
	}
	if err := train(tr, context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	want := tr.Losses()

	m := NewModel(len(counts), cfg)
	tr, err = NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	pauses := 0
	err = train(tr, ctx, &Periodic{Every: time.Millisecond, Save: func(State) error {
		if pauses++; pauses == 2 {
			cancel()
		}
		return nil
	}})
	if err != context.Canceled {
		t.Fatalf("Train = %v, want it cancelled", err)
	}
	tr2, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr2.Restore(tr.State()); err != nil {
		t.Fatal(err)
	}
	if err := train(tr2, context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	got := tr2.Losses()
	for e := range want {
		if got[e].N != want[e].N || math.Abs(got[e].Sum-want[e].Sum) > 1e-9*want[e].Sum {
			t.Errorf("epoch %d: resumed loss %+v, uninterrupted %+v", e, got[e], want[e])
		}
	}
}

// TestSkipLossTrainsTheSame trains one model with the loss tallied and one
// with SkipLoss: the vectors must be the same bits, and only the first run
// may have a loss.
func TestSkipLossTrainsTheSame(t *testing.T) {
	sentences, counts := patternCorpus(40, 100, 60, func(i, k int) int { return (i*5 + k*k) % 40 })
	for name, set := range map[string]func(*Config){
		"per pair":         func(*Config) {},
		"shared negatives": func(c *Config) { c.SharedNegatives = true },
		"hs":               func(c *Config) { c.HS, c.Negative = true, 0 },
		"cbow":             func(c *Config) { c.Arch = CBOW },
	} {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs, cfg.Sample = 8, 2, 0
			set(&cfg)
			train := func(skip bool) (*Model, []Loss) {
				m := NewModel(len(counts), cfg)
				tr, err := NewTrainer(cfg, m, counts)
				if err != nil {
					t.Fatal(err)
				}
				if skip {
					tr.SkipLoss()
				}
				if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
					t.Fatal(err)
				}
				return m, tr.Losses()
			}
			tallied, withLoss := train(false)
			skipped, noLoss := train(true)
			if !slices.Equal(tallied.In, skipped.In) || !slices.Equal(tallied.Out, skipped.Out) || !slices.Equal(tallied.OutHS, skipped.OutHS) {
				t.Error("skipping the loss changed the trained vectors")
			}
			for e := range withLoss {
				if withLoss[e].Sum <= 0 || noLoss[e].Sum != 0 {
					t.Errorf("epoch %d: loss sum %v tallied, %v skipped; want > 0 and 0", e, withLoss[e].Sum, noLoss[e].Sum)
				}
			}
		})
	}
}

// patternCorpus returns n sentences of length words over a vocabulary of v
// words, word k of sentence i being word(i, k), and the words' counts sorted
// from most to least frequent, as a vocabulary's are (the tests need the
// order, not which word has which count).
func patternCorpus(v, n, length int, word func(i, k int) int) ([][]int32, []int64) {
	sentences := make([][]int32, n)
	counts := make([]int64, v)
	for i := range sentences {
		s := make([]int32, length)
		for k := range s {
			s[k] = int32(word(i, k))
			counts[s[k]]++
		}
		sentences[i] = s
	}
	slices.SortFunc(counts, func(a, b int64) int { return int(b - a) })
	return sentences, counts
}
