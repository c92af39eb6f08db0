package skipgram

import (
	"context"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
)

// memSource replays fixed sentences.
type memSource struct {
	sentences [][]int32
	next      int
}

func (s *memSource) Next(buf []int32) ([]int32, error) {
	if s.next >= len(s.sentences) {
		return nil, io.EOF
	}
	s.next++
	return append(buf[:0], s.sentences[s.next-1]...), nil
}

func (s *memSource) Rewind() error { s.next = 0; return nil }

func (s *memSource) Skip(pass int, sentences int64) error {
	s.next = int(sentences)
	return nil
}

// syntheticCorpus returns sentences over words 0..v-1 with Zipf-like counts.
func syntheticCorpus(seed uint64, v, sentences, length int) ([][]int32, []int64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	z := rand.NewZipf(rng, 1.1, 2, uint64(v-1))
	counts := make([]int64, v)
	out := make([][]int32, sentences)
	for i := range out {
		s := make([]int32, length)
		for j := range s {
			s[j] = int32(z.Uint64())
			counts[s[j]]++
		}
		out[i] = s
	}
	return out, counts
}

func trainOnce(t *testing.T, cfg Config, sentences [][]int32, counts []int64) *Model {
	t.Helper()
	m := NewModel(len(counts), cfg)
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
		t.Fatal(err)
	}
	if p := tr.Progress(); p.Words != p.Planned {
		t.Fatalf("trained %d words, planned %d", p.Words, p.Planned)
	}
	return m
}

func TestSingleWorkerIsDeterministic(t *testing.T) {
	sentences, counts := syntheticCorpus(1, 200, 50, 100)
	for _, shared := range []bool{false, true} {
		cfg := DefaultConfig()
		cfg.Dim, cfg.Epochs, cfg.SharedNegatives = 16, 2, shared
		a := trainOnce(t, cfg, sentences, counts)
		b := trainOnce(t, cfg, sentences, counts)
		if !slices.Equal(a.In, b.In) || !slices.Equal(a.Out, b.Out) {
			t.Errorf("shared=%v: two runs with one worker and the same seed differ", shared)
		}
		cfg.Seed = 2
		c := trainOnce(t, cfg, sentences, counts)
		if slices.Equal(a.In, c.In) {
			t.Errorf("shared=%v: different seeds gave the same vectors", shared)
		}
	}
}

func TestTrainStopsWhenCancelled(t *testing.T) {
	sentences, counts := syntheticCorpus(2, 100, 400, 100)
	cfg := DefaultConfig()
	cfg.Dim, cfg.Epochs = 8, 1000
	m := NewModel(len(counts), cfg)
	tr, err := NewTrainer(cfg, m, counts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tr.Train(ctx, []Source{&memSource{sentences: sentences}}, nil); err != context.Canceled {
		t.Fatalf("Train = %v, want context.Canceled", err)
	}
	if p := tr.Progress(); p.Words > 2*syncWords+100 {
		t.Fatalf("trained %d words after cancellation", p.Words)
	}
}

func TestNewTrainerChecksShape(t *testing.T) {
	if _, err := NewTrainer(DefaultConfig(), NewModel(3, DefaultConfig()), []int64{1, 2}); err == nil {
		t.Error("want an error for a model of 3 words and 2 counts")
	}
	if _, err := NewTrainer(DefaultConfig(), NewModel(0, DefaultConfig()), nil); err == nil {
		t.Error("want an error for an empty vocabulary")
	}
}
