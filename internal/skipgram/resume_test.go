package skipgram

import (
	"context"
	"math"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestEveryModeIsDeterministicAndTrainsAllWords(t *testing.T) {
	sentences, counts := syntheticCorpus(5, 300, 40, 100)
	modes := []struct {
		name string
		set  func(*Config)
	}{
		{"sg-ns", func(c *Config) {}},
		{"sg-ns-shared", func(c *Config) { c.SharedNegatives = true }},
		{"sg-hs", func(c *Config) { c.HS, c.Negative = true, 0 }},
		{"sg-hs-shared", func(c *Config) { c.HS, c.Negative, c.SharedNegatives = true, 0, true }},
		{"sg-hs-ns", func(c *Config) { c.HS = true }},
		{"cbow-ns", func(c *Config) { c.Arch = CBOW }},
		{"cbow-hs", func(c *Config) { c.Arch, c.HS, c.Negative = CBOW, true, 0 }},
	}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs = 12, 2
			mode.set(&cfg)
			a := trainOnce(t, cfg, sentences, counts)
			b := trainOnce(t, cfg, sentences, counts)
			if !slices.Equal(a.In, b.In) {
				t.Error("two runs differ")
			}
			init := NewModel(len(counts), cfg)
			if slices.Equal(a.In, init.In) {
				t.Error("training changed nothing")
			}
		})
	}
}

// TestResumeIsExact stops training at a pause, resumes from the saved state
// with fresh sources, and checks that the result equals an uninterrupted run.
func TestResumeIsExact(t *testing.T) {
	sentences, counts := syntheticCorpus(6, 500, 300, 120)
	for _, shared := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Dim, cfg.Epochs, cfg.SharedNegatives = 10, 3, shared
		want := trainOnce(t, cfg, sentences, counts)

		m := NewModel(len(counts), cfg)
		tr, err := NewTrainer(cfg, m, counts)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		var saved []State
		periodic := &Periodic{Every: time.Millisecond, Save: func(s State) error {
			saved = append(saved, s)
			if len(saved) == 2 {
				cancel()
			}
			return nil
		}}
		err = tr.Train(ctx, []Source{&memSource{sentences: sentences}}, periodic)
		if err != context.Canceled {
			t.Fatalf("shared=%v: Train = %v, want it cancelled (the run finished before two pauses)", shared, err)
		}
		state := tr.State()
		if state.Done >= tr.Progress().Planned {
			t.Fatalf("nothing left to resume: %+v", state)
		}
		m2 := &Model{Dim: m.Dim, Words: m.Words, In: slices.Clone(m.In), Out: slices.Clone(m.Out)}
		tr2, err := NewTrainer(cfg, m2, counts)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr2.Restore(state); err != nil {
			t.Fatal(err)
		}
		if err := tr2.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
			t.Fatal(err)
		}
		if p := tr2.Progress(); p.Words != p.Planned {
			t.Errorf("resumed run trained %d of %d words", p.Words, p.Planned)
		}
		if !slices.Equal(m2.In, want.In) || !slices.Equal(m2.Out, want.Out) {
			t.Errorf("shared=%v: resumed vectors differ from an uninterrupted run (stopped at %+v)", shared, state)
		}
	}
}

func TestPausesDoNotChangeTheResult(t *testing.T) {
	sentences, counts := syntheticCorpus(7, 200, 200, 100)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 8, 2
	want := trainOnce(t, cfg, sentences, counts)
	m := NewModel(len(counts), cfg)
	tr, _ := NewTrainer(cfg, m, counts)
	pauses := 0
	err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}},
		&Periodic{Every: 100 * time.Microsecond, Save: func(State) error { pauses++; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if pauses == 0 {
		t.Skip("the run ended before the first pause; nothing to compare")
	}
	if !slices.Equal(m.In, want.In) {
		t.Errorf("%d pauses changed the result", pauses)
	}
}

// hookSource is a memSource that calls atRewind before each new pass and
// stops tr once it has given sentences sentences of pass pass, so a test can
// look at or stop training at an exact place.
type hookSource struct {
	memSource
	pass      int
	sentences int
	tr        *Trainer
	cancel    func()
	atRewind  func()
	passes    int // passes started
}

func (s *hookSource) Next(buf []int32) ([]int32, error) {
	sen, err := s.memSource.Next(buf)
	if s.cancel != nil && s.passes == s.pass && s.next == s.sentences {
		s.cancel()
		// The trainer learns of the cancellation in a goroutine of its
		// own; wait for it, so the worker stops after this sentence.
		for !s.tr.stop.Load() {
			runtime.Gosched()
		}
	}
	return sen, err
}

func (s *hookSource) Rewind() error {
	s.passes++
	if s.atRewind != nil {
		s.atRewind()
	}
	return s.memSource.Rewind()
}

// undercounted returns counts that add up to about a quarter of the corpus,
// as with --read-vocab from a smaller corpus.
func undercounted(full []int64) []int64 {
	counts := make([]int64, len(full))
	for i, n := range full {
		counts[i] = max(n/4, 1)
	}
	return counts
}

// TestResumeWhenCountsUndercountTheCorpus trains with counts that add up to
// a quarter of the corpus, stops in the first pass or after the counts' plan
// is passed, and checks that the run resumes and ends as an uninterrupted
// one does, having planned from the words the first pass read.
func TestResumeWhenCountsUndercountTheCorpus(t *testing.T) {
	sentences, full := syntheticCorpus(8, 300, 300, 100)
	counts := undercounted(full)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 10, 3
	corpusWords := int64(len(sentences) * len(sentences[0]))
	want := trainOnce(t, cfg, sentences, counts)

	tests := []struct {
		name            string
		pass, sentences int
	}{
		{"in the first pass", 0, 150},
		{"past the counts' plan", 1, 250}, // the counts plan about 3/4 of a pass
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewModel(len(counts), cfg)
			tr, err := NewTrainer(cfg, m, counts)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			src := &hookSource{memSource: memSource{sentences: sentences}, pass: tt.pass, sentences: tt.sentences, tr: tr, cancel: cancel}
			if err := tr.Train(ctx, []Source{src}, nil); err != context.Canceled {
				t.Fatalf("Train = %v, want it cancelled", err)
			}
			state := tr.State()
			if w := state.Workers[0]; w.Epoch != tt.pass || w.Sentences != int64(tt.sentences) {
				t.Fatalf("stopped at pass %d sentence %d, want %d %d", w.Epoch, w.Sentences, tt.pass, tt.sentences)
			}
			if tt.pass > 0 && state.Done <= tr.planned {
				t.Fatalf("stopped at %d words, within the counts' plan of %d", state.Done, tr.planned)
			}
			m2 := &Model{Dim: m.Dim, Words: m.Words, In: slices.Clone(m.In), Out: slices.Clone(m.Out)}
			tr2, err := NewTrainer(cfg, m2, counts)
			if err != nil {
				t.Fatal(err)
			}
			if err := tr2.Restore(state); err != nil {
				t.Fatalf("Restore(%+v): %v", state, err)
			}
			if err := tr2.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
				t.Fatal(err)
			}
			if p := tr2.Progress(); p.Words != 3*corpusWords || p.Planned != 3*corpusWords {
				t.Errorf("resumed run ended at %d of %d planned words, want %d of %d", p.Words, p.Planned, 3*corpusWords, 3*corpusWords)
			}
			if !slices.Equal(m2.In, want.In) || !slices.Equal(m2.Out, want.Out) {
				t.Errorf("resumed vectors differ from an uninterrupted run (stopped at done %d, first pass %d words)", state.Done, state.FirstPassWords)
			}
		})
	}
}

// TestPlanFollowsTheFirstPass checks the learning-rate schedule when the
// counts undercount the corpus: the rate must not sit at its floor for the
// passes after the first.
func TestPlanFollowsTheFirstPass(t *testing.T) {
	sentences, full := syntheticCorpus(9, 200, 200, 100)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 8, 4
	counts := undercounted(full)
	m := NewModel(len(counts), cfg)
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	var alphas []float64 // the rate at the start of each pass after the first
	src := &hookSource{memSource: memSource{sentences: sentences}, atRewind: func() {
		alphas = append(alphas, tr.Progress().Alpha)
	}}
	if err := tr.Train(context.Background(), []Source{src}, nil); err != nil {
		t.Fatal(err)
	}
	words := int64(len(sentences) * len(sentences[0]))
	if p := tr.Progress(); p.Planned != int64(cfg.Epochs)*words {
		t.Errorf("planned %d words, want %d × %d", p.Planned, cfg.Epochs, words)
	}
	// After pass k of 4, the rate has gone k/4 of the way to its end.
	for k, a := range alphas {
		want := cfg.Alpha * (1 - (1-finalAlpha)*float64(k+1)/float64(cfg.Epochs))
		if math.Abs(a-want) > 0.01*cfg.Alpha {
			t.Errorf("learning rate %v at the start of pass %d, want %v", a, k+2, want)
		}
	}
	if len(alphas) != cfg.Epochs-1 {
		t.Errorf("%d passes after the first, want %d", len(alphas), cfg.Epochs-1)
	}
}
