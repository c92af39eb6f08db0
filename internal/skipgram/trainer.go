package skipgram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/sampling"
)

// A Source yields the training sentences of one worker's part of the corpus
// as word ids. Next returns io.EOF at the end of a pass; Rewind starts the
// next pass.
type Source interface {
	Next(buf []int32) ([]int32, error)
	Rewind() error
}

// syncWords is how many words a worker trains between publishing its
// progress and refreshing its learning rate, as in word2vec.
const syncWords = 10000

// Trainer trains a Model on sentences from Sources. Create one with
// NewTrainer and call Train once.
type Trainer struct {
	cfg     Config
	model   *Model
	sub     sampling.Subsampler
	neg     *sampling.Unigram
	sigmoid *sigmoidTable
	planned int64 // words to train: Epochs × words per epoch

	done atomic.Int64 // words trained so far, published every syncWords
}

// NewTrainer prepares training of m with cfg, for a corpus whose vocabulary
// words occur counts[id] times (their sum being the words of one epoch).
func NewTrainer(cfg Config, m *Model, counts []int64) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(counts) == 0 {
		return nil, errNoWords
	}
	if m.Words != len(counts) || m.Dim != cfg.Dim {
		return nil, fmt.Errorf("skipgram: model is %d×%d, want %d×%d", m.Words, m.Dim, len(counts), cfg.Dim)
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	return &Trainer{
		cfg:     cfg,
		model:   m,
		sub:     sampling.NewSubsampler(counts, total, cfg.Sample),
		neg:     sampling.NewUnigram(counts, 0.75),
		sigmoid: newSigmoidTable(),
		planned: int64(cfg.Epochs) * total,
	}, nil
}

// Progress reports how far training has come.
type Progress struct {
	Words   int64   // words trained so far
	Planned int64   // words the whole run trains
	Alpha   float64 // current learning rate
}

// Progress returns the current progress; it is safe to call while Train runs.
func (t *Trainer) Progress() Progress {
	done := t.done.Load()
	return Progress{Words: done, Planned: t.planned, Alpha: t.alpha(done)}
}

// alpha is the learning rate after done words: linear decay from Alpha to
// Alpha·1e-4, word2vec's schedule.
func (t *Trainer) alpha(done int64) float64 {
	a := t.cfg.Alpha * (1 - float64(done)/float64(t.planned+1))
	return math.Max(a, t.cfg.Alpha*1e-4)
}

// Train runs Epochs passes over the sources, one worker goroutine per source.
// It returns ctx's error if ctx is cancelled; workers notice within
// syncWords words.
func (t *Trainer) Train(ctx context.Context, sources []Source) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
	)
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(t, uint64(i))
			if err := w.run(ctx, src); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
				cancel()
			}
		}()
	}
	wg.Wait()
	if firstErr != nil && !errors.Is(firstErr, context.Canceled) {
		return firstErr
	}
	return ctx.Err()
}

// worker is one training goroutine's state: its random generator, learning
// rate and scratch buffers, so the hot loop allocates nothing.
type worker struct {
	t     *Trainer
	rng   sampling.RNG
	alpha float32
	local int64 // words trained since the last publish

	sentence []int32 // as read
	kept     []int32 // after subsampling

	// Scratch for one update: output rows and their labels, scores and
	// gradient coefficients, and the input gradient.
	rows    []int32
	labels  []float32
	scores  []float32
	coef    []float32
	grad    []float32
	context []int32
}

func newWorker(t *Trainer, index uint64) *worker {
	k := t.cfg.Negative + 1
	maxCtx := 2 * t.cfg.Window
	w := &worker{
		t:        t,
		rng:      sampling.NewRNG(t.cfg.Seed ^ (index+1)*0x9e3779b97f4a7c15),
		alpha:    float32(t.alpha(t.done.Load())),
		sentence: make([]int32, 0, 1024),
		kept:     make([]int32, 0, 1024),
		rows:     make([]int32, 0, k),
		labels:   make([]float32, k),
		scores:   make([]float32, k*maxCtx),
		coef:     make([]float32, k*maxCtx),
		grad:     make([]float32, t.cfg.Dim*maxCtx),
		context:  make([]int32, 0, maxCtx),
	}
	w.labels[0] = 1 // the true word comes first; negatives are 0
	return w
}

// run trains Epochs passes over src.
func (w *worker) run(ctx context.Context, src Source) error {
	for epoch := 0; epoch < w.t.cfg.Epochs; epoch++ {
		if epoch > 0 {
			if err := src.Rewind(); err != nil {
				return err
			}
		}
		for {
			sen, err := src.Next(w.sentence)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			w.sentence = sen[:0]
			w.local += int64(len(sen))
			w.trainSentence(w.subsample(sen))
			if w.local >= syncWords {
				if err := w.publish(ctx); err != nil {
					return err
				}
			}
		}
		if err := w.publish(ctx); err != nil {
			return err
		}
	}
	return nil
}

// publish adds the words trained since the last call to the shared counter,
// refreshes the learning rate and checks for cancellation.
func (w *worker) publish(ctx context.Context) error {
	done := w.t.done.Add(w.local)
	w.local = 0
	w.alpha = float32(w.t.alpha(done))
	return ctx.Err()
}

// subsample returns the words of sen that survive subsampling.
func (w *worker) subsample(sen []int32) []int32 {
	kept := w.kept[:0]
	for _, id := range sen {
		if w.t.sub.Keep(id, &w.rng) {
			kept = append(kept, id)
		}
	}
	w.kept = kept
	return kept
}

// trainSentence walks every position of sen with a window whose reach is
// drawn uniformly from 1..Window, as word2vec does, so nearer words are
// trained on more often.
func (w *worker) trainSentence(sen []int32) {
	window := w.t.cfg.Window
	for pos, center := range sen {
		reach := window - w.rng.Intn(window)
		lo, hi := max(0, pos-reach), min(len(sen), pos+reach+1)
		if w.t.cfg.SharedNegatives {
			ctx := append(w.context[:0], sen[lo:pos]...)
			ctx = append(ctx, sen[pos+1:hi]...)
			if len(ctx) > 0 {
				w.drawTargets(center)
				w.windowUpdate(ctx)
			}
			continue
		}
		for c := lo; c < hi; c++ {
			if c != pos {
				w.drawTargets(center)
				w.pairUpdate(sen[c])
			}
		}
	}
}

// drawTargets fills w.rows with the centre word followed by Negative words
// drawn from the unigram distribution, skipping draws of the centre word
// itself as word2vec does.
func (w *worker) drawTargets(center int32) {
	rows := append(w.rows[:0], center)
	for k := 0; k < w.t.cfg.Negative; k++ {
		if n := w.t.neg.Sample(&w.rng); n != center {
			rows = append(rows, n)
		}
	}
	w.rows = rows
}
