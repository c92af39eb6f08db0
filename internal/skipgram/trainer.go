package skipgram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/w2vtool/w2v/internal/sampling"
)

// A Source yields the training sentences of one worker's part of the corpus
// as word ids.
type Source interface {
	// Next reads the next sentence into buf[:0]; it returns io.EOF at the
	// end of a pass.
	Next(buf []int32) ([]int32, error)
	// Rewind starts the next pass.
	Rewind() error
	// Skip positions a fresh source as if pass passes and then sentences
	// sentences had been read, so training can resume where it stopped.
	Skip(pass int, sentences int64) error
}

// syncWords is how many words a worker trains between publishing its
// progress and refreshing its learning rate, as in word2vec.
const syncWords = 10000

// Trainer trains a Model on sentences from Sources. Create one with
// NewTrainer, optionally Restore a saved State, and call Train once.
type Trainer struct {
	cfg      Config
	model    *Model
	sub      sampling.Subsampler
	neg      *sampling.Unigram
	redraws  int // how often a negative that is the target is drawn again
	tree     *huffman
	maxPath  int
	sigmoid  *sigmoidTable
	softplus *softplusTable
	planned  int64 // words to train according to the counts: Epochs × their sum
	skipLoss bool  // see SkipLoss

	// Once every worker has finished the first pass, measured is Epochs ×
	// the words that pass read, which replaces planned: counts read from
	// another corpus's vocabulary, or pruned, need not add up to the corpus.
	measured atomic.Int64

	done    atomic.Int64 // words trained so far, published every syncWords
	stop    atomic.Bool  // workers return at their next sentence boundary
	pausing atomic.Bool  // workers wait at their next sentence boundary

	hotMu sync.Mutex // guards the shared rows of hotRows during exchanges

	mu      sync.Mutex // guards the fields below
	resumed bool
	losses  []Loss    // per epoch, as the workers have published it
	workers []*worker // after Train: each worker's final state
	cond    *sync.Cond
	active  int    // workers still training
	waiting int    // workers waiting at the pause barrier
	gen     uint64 // pause generation; bumped to release waiters

	// Words of the first pass read by the workers that have finished it,
	// and how many have.
	firstPassWords int64
	firstPassDone  int
	// The state restored from does not tell the first pass's words (a
	// checkpoint from before they were saved), so the plan stays the counts'.
	firstPassUnknown bool
}

// NewTrainer prepares training of m with cfg, for a corpus whose vocabulary
// words occur counts[id] times (their sum being the words of one epoch).
// counts must be in descending order, as vocabularies are.
func NewTrainer(cfg Config, m *Model, counts []int64) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(counts) == 0 {
		return nil, errNoWords
	}
	if m.Words != len(counts) || m.Dim != cfg.Dim || (cfg.Negative > 0) != (m.Out != nil) {
		return nil, fmt.Errorf("skipgram: model (%d words, dim %d) does not fit the settings", m.Words, m.Dim)
	}
	if err := checkSubwordModel(cfg, m); err != nil {
		return nil, err
	}
	var total int64
	for _, c := range counts {
		total += c
	}
	t := &Trainer{
		cfg:      cfg,
		model:    m,
		sub:      sampling.NewSubsampler(counts, total, cfg.Sample),
		sigmoid:  newSigmoidTable(),
		softplus: newSoftplusTable(),
		planned:  int64(cfg.Epochs) * total,
		losses:   make([]Loss, cfg.Epochs),
	}
	t.cond = sync.NewCond(&t.mu)
	if cfg.Negative > 0 {
		t.neg = sampling.NewUnigram(counts, t.cfg.negativePower())
		t.redraws = t.cfg.negativeRedraws()
	}
	if cfg.HS && m.OutHS != nil {
		t.tree = newHuffman(counts)
		for w := range counts {
			t.maxPath = max(t.maxPath, int(t.tree.start[w+1]-t.tree.start[w]))
		}
	} else if cfg.HS {
		m.OutHS = nil // one word: nothing to decide
	}
	return t, nil
}

// Progress reports how far training has come.
type Progress struct {
	Words   int64   // words trained so far
	Planned int64   // words the whole run trains
	Alpha   float64 // current learning rate
	Epoch   int     // the latest epoch (from 0) with a published loss
	Loss    Loss    // that epoch's loss so far
}

// Loss is the training loss summed over the predictions of an epoch, in
// float64 so that it stays exact however long the run: each prediction
// adds the loss of every output unit it trains, −log σ(score) for the word
// to predict and −log σ(−score) for a negative sample or a tree node's
// other branch, the score clamped to ±6 as the updates clamp it (with
// Loss softmax: the log-softmax loss of the word among the negatives).
type Loss struct {
	Sum float64
	// N counts the predictions: (context word, centre word) pairs in
	// skip-gram, centre words in CBOW (see Config.LossUnit).
	N int64
}

// Mean returns the loss per prediction, or NaN if there were none.
func (l Loss) Mean() float64 {
	if l.N == 0 {
		return math.NaN()
	}
	return l.Sum / float64(l.N)
}

// Progress returns the current progress; it is safe to call while Train
// runs. Planned comes from the counts until the first pass has read the
// whole corpus, and from the words it read after that. The loss lags the
// words by at most syncWords per worker.
func (t *Trainer) Progress() Progress {
	done := t.done.Load()
	p := Progress{Words: done, Planned: t.plan(), Alpha: t.alpha(done)}
	t.mu.Lock()
	for e, l := range t.losses {
		if l.N > 0 {
			p.Epoch, p.Loss = e, l
		}
	}
	t.mu.Unlock()
	return p
}

// SkipLoss makes Train leave the logistic units' loss untallied: their
// loss counts stay, their sums stay 0. The tally took about 5% of
// training's CPU time (skip-gram with shared negatives, dim 100, one
// thread: softplus lookups were 4.8% of a profile's samples), too much for
// a number nobody reads, so runs that print neither progress nor a
// summary skip it. The updates do not depend on it. Call it before Train.
func (t *Trainer) SkipLoss() { t.skipLoss = true }

// Losses returns the loss of each epoch as published so far (all of it
// once Train has returned).
func (t *Trainer) Losses() []Loss {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.losses)
}

// plan returns the number of words the run trains, as best known.
func (t *Trainer) plan() int64 {
	if m := t.measured.Load(); m > 0 {
		return m
	}
	return t.planned
}

// alpha is the learning rate after done words: linear decay from Alpha to
// Alpha·finalAlpha.
func (t *Trainer) alpha(done int64) float64 {
	plan := t.plan()
	f := float64(min(done, plan)) / float64(max(plan, 1))
	return t.cfg.Alpha * (1 - (1-t.cfg.finalAlpha())*f)
}

// finalAlpha is the share of the starting learning rate left at the end of
// training. word2vec decays to 1e-4 of it; ending at a tenth, as gensim's
// two workers in effect do, scored better on the analogy test wherever its
// effect was measured on its own (CBOW with either output layer and
// skip-gram with negative sampling, 1 to 3 seeds; README, "CBOW and
// gensim").
const finalAlpha = 0.1

// finishFirstPass records that a worker's first pass read words words, and
// once every worker's has, plans the run from their sum.
func (t *Trainer) finishFirstPass(words int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.firstPassWords += words
	t.firstPassDone++
	t.measure()
}

// measure sets measured once every worker has finished its first pass.
// t.mu must be held.
func (t *Trainer) measure() {
	if t.firstPassDone == len(t.workers) && t.firstPassWords > 0 && !t.firstPassUnknown {
		t.measured.Store(int64(t.cfg.Epochs) * t.firstPassWords)
	}
}

// State is where training stands, enough to resume it exactly: the shared
// word counter, the words of the first pass as far as known, and each
// worker's position and random generator.
type State struct {
	Done int64
	// FirstPassWords is the sum of the words that the first pass read in
	// the workers that have finished it (those with Epoch ≥ 1).
	FirstPassWords int64
	Workers        []WorkerState
	Loss           []Loss // per epoch, including what workers have not published
}

// WorkerState is one worker's position: it has finished Epoch passes and
// Sentences sentences of the next, holding Words words, and trained Local
// words since it last published them to the shared counter.
type WorkerState struct {
	Epoch     int
	Sentences int64
	Words     int64
	Local     int64
	RNG       uint64
	Negatives []int32 // negative samples already drawn, next first
}

// Restore makes Train continue from s instead of starting afresh. The
// sources given to Train must be fresh, over the same shards as before.
func (t *Trainer) Restore(s State) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	// Done may pass the plan made from the counts, when they undercount
	// the corpus; the first pass's words correct the plan.
	if s.Done < 0 || s.FirstPassWords < 0 {
		return fmt.Errorf("skipgram: state has trained %d words, %d in the first pass", s.Done, s.FirstPassWords)
	}
	if len(s.Loss) > t.cfg.Epochs {
		return fmt.Errorf("skipgram: state holds the loss of %d epochs, the settings %d", len(s.Loss), t.cfg.Epochs)
	}
	t.done.Store(s.Done)
	clear(t.losses)
	copy(t.losses, s.Loss)
	t.workers = make([]*worker, len(s.Workers))
	t.firstPassWords, t.firstPassDone = s.FirstPassWords, 0
	for i, ws := range s.Workers {
		if ws.Epoch < 0 || ws.Epoch > t.cfg.Epochs || ws.Sentences < 0 || ws.Words < 0 || ws.Local < 0 {
			return fmt.Errorf("skipgram: worker %d state %+v is out of range", i, ws)
		}
		w := newWorker(t, uint64(i))
		w.epoch, w.sentences, w.words, w.local, w.rng.State = ws.Epoch, ws.Sentences, ws.Words, ws.Local, ws.RNG
		if ws.Epoch > 0 {
			t.firstPassDone++
		}
		// Sentences are never empty: a position without words is one
		// saved before positions held them.
		if (ws.Epoch == 0 && ws.Sentences > 0 && ws.Words == 0) || (ws.Epoch > 0 && s.FirstPassWords == 0) {
			t.firstPassUnknown = true
		}
		if t.neg != nil {
			if len(ws.Negatives) != negLookahead {
				return fmt.Errorf("skipgram: worker %d state holds %d drawn negatives, want %d", i, len(ws.Negatives), negLookahead)
			}
			for j, n := range ws.Negatives {
				if n < 0 || int(n) >= t.model.Words {
					return fmt.Errorf("skipgram: worker %d state has negative sample %d of %d words", i, n, t.model.Words)
				}
				w.negRing[j] = n
			}
			w.negPos = 0
		}
		t.workers[i] = w
	}
	t.measure()
	for _, w := range t.workers {
		w.alpha = float32(t.alpha(s.Done))
	}
	t.resumed = true
	return nil
}

// State returns the training state. Between Train's return and a new run, or
// inside a Checkpoint callback, it is exact.
func (t *Trainer) State() State {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := State{Done: t.done.Load(), FirstPassWords: t.firstPassWords, Workers: make([]WorkerState, len(t.workers)),
		Loss: slices.Clone(t.losses)}
	for i, w := range t.workers {
		if w.lossN > 0 && w.epoch < len(s.Loss) {
			s.Loss[w.epoch].Sum += w.loss
			s.Loss[w.epoch].N += w.lossN
		}
		s.Workers[i] = WorkerState{Epoch: w.epoch, Sentences: w.sentences, Words: w.words, Local: w.local, RNG: w.rng.State}
		if t.neg != nil {
			for j := range negLookahead {
				s.Workers[i].Negatives = append(s.Workers[i].Negatives, w.negRing[(w.negPos+j)%negLookahead])
			}
		}
	}
	return s
}

// Periodic asks Train to pause all workers every Every (counted from the end
// of the last Save) and call Save with the model and State consistent;
// training continues when Save returns.
type Periodic struct {
	Every time.Duration
	Save  func(State) error
}

// Train runs the remaining passes over the sources, one worker goroutine per
// source. When ctx is cancelled, workers stop at their next sentence
// boundary and Train returns ctx's error; State then tells where they
// stopped. periodic may be nil.
func (t *Trainer) Train(ctx context.Context, sources []Source, periodic *Periodic) error {
	t.mu.Lock()
	if t.resumed && len(t.workers) != len(sources) {
		t.mu.Unlock()
		return fmt.Errorf("skipgram: resuming %d workers with %d sources", len(t.workers), len(sources))
	}
	if !t.resumed {
		t.workers = make([]*worker, len(sources))
		for i := range sources {
			t.workers[i] = newWorker(t, uint64(i))
		}
	}
	t.active = len(sources)
	// Shared negatives train each path row once per window, not once per
	// pair, and in place.
	if len(sources) > 1 && !t.cfg.SharedNegatives {
		for _, w := range t.workers {
			w.copyHotNodes(hotNodes)
		}
	}
	t.mu.Unlock()

	stopWatch := context.AfterFunc(ctx, func() {
		t.stop.Store(true)
		t.mu.Lock()
		t.cond.Broadcast()
		t.mu.Unlock()
	})
	defer stopWatch()
	finished := make(chan struct{})
	var pauseErr error
	var pauseWG sync.WaitGroup
	if periodic != nil && periodic.Every > 0 {
		pauseWG.Go(func() {
			pauseErr = t.pauseEvery(periodic, finished)
		})
	}

	errs := make([]error, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			w := t.workers[i]
			if t.resumed {
				if err := src.Skip(w.epoch, w.sentences); err != nil {
					errs[i] = err
					t.stop.Store(true)
				}
			}
			if errs[i] == nil {
				errs[i] = w.run(src)
			}
			if errs[i] != nil {
				t.stop.Store(true)
			}
			t.mu.Lock()
			t.active--
			t.cond.Broadcast()
			t.mu.Unlock()
		})
	}
	wg.Wait()
	close(finished)
	pauseWG.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, errStopped) {
			return err
		}
	}
	if pauseErr != nil {
		return pauseErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return t.checkFinite()
}

// pauseEvery pauses the workers every p.Every until finished is closed.
func (t *Trainer) pauseEvery(p *Periodic, finished <-chan struct{}) error {
	tick := time.NewTicker(p.Every)
	defer tick.Stop()
	for {
		select {
		case <-finished:
			return nil
		case <-tick.C:
		}
		t.mu.Lock()
		t.pausing.Store(true)
		for t.waiting < t.active && !t.stop.Load() {
			t.cond.Wait()
		}
		var err error
		if !t.stop.Load() {
			t.mu.Unlock()
			err = p.Save(t.State())
			t.mu.Lock()
		}
		t.pausing.Store(false)
		// The released workers leave the count now, not when they wake:
		// a worker still asleep when the next tick comes would otherwise be
		// counted as parked while it goes back to training.
		t.waiting = 0
		t.gen++
		t.cond.Broadcast()
		t.mu.Unlock()
		if err != nil {
			t.stop.Store(true)
			return err
		}
		// The next interval counts from the end of this save: after a save
		// slower than Every a tick would be waiting, and training would
		// pause again at once.
		tick.Reset(p.Every)
	}
}

// errStopped is returned by a worker that stopped because Train was told
// to stop (cancelled, or another worker failed).
var errStopped = errors.New("stopped")

// cacheLine is the room left around each worker's data so that no two
// workers write the same cache line: 128 bytes covers the 64-byte lines of
// x86 (whose prefetcher fetches them in pairs) and the 128-byte lines of
// Apple's arm64 cores.
const cacheLine = 128

// padded returns a slice of n zeros with a cache line of unused room on
// either side, so that scratch written for every pair never shares a line
// with another worker's: small allocations are otherwise packed together.
func padded[T int32 | float32](n int) []T {
	const pad = cacheLine / 4
	return make([]T, n+2*pad)[pad : pad+n : pad+n]
}

// worker is one training goroutine's state: its position, random generator,
// learning rate and scratch buffers, so the hot loop allocates nothing. Its
// fields and scratch are padded (see padded), since workers write them for
// every pair.
type worker struct {
	_         [cacheLine]byte
	t         *Trainer
	rng       sampling.RNG
	alpha     float32
	epoch     int   // passes finished
	sentences int64 // sentences read in the current pass
	words     int64 // words read in the current pass
	local     int64 // words trained since the last publish

	negRing [negLookahead]int32 // negative samples drawn ahead; see nextNegative
	negPos  int

	// The worker's copy of the tree's top nodes, or nil; see hotRows.
	hotHS *hotRows

	sentence []int32 // as read
	kept     []int32 // after subsampling

	// Scratch for one update: output rows and their labels, scores (which
	// become gradient coefficients), their transpose, the input gradient,
	// the CBOW hidden vector and the window's context words.
	rows    []int32
	labels  []float32
	scores  []float32
	coefT   []float32
	grad    []float32
	hidden  []float32
	context []int32

	hotIndex []int32 // scratch for output: the hot rows' places in hotHS

	sub subwordScratch // with subwords

	diverged bool // a score was NaN or infinite; see gradients

	// The loss of the current epoch since the last publish, and the
	// predictions it sums over.
	loss  float64
	lossN int64

	_ [cacheLine]byte
}

func newWorker(t *Trainer, index uint64) *worker {
	k := t.cfg.Negative + 1
	maxCtx := 2 * t.cfg.Window
	units := max(k, t.maxPath)
	w := &worker{
		t:        t,
		rng:      sampling.NewRNG(t.cfg.Seed ^ (index+1)*0x9e3779b97f4a7c15),
		alpha:    float32(t.alpha(t.done.Load())),
		sentence: padded[int32](1024)[:0],
		kept:     padded[int32](1024)[:0],
		rows:     padded[int32](k)[:0],
		labels:   padded[float32](k),
		scores:   padded[float32](units * maxCtx),
		coefT:    padded[float32](units * maxCtx),
		grad:     padded[float32](t.cfg.Dim * maxCtx),
		hidden:   padded[float32](t.cfg.Dim),
		context:  padded[int32](maxCtx)[:0],
		hotIndex: padded[int32](units)[:0],
	}
	w.sub = newSubwordScratch(t)
	w.labels[0] = 1 // the true word comes first; negatives are 0
	if t.neg != nil {
		w.fillNegatives()
	}
	return w
}

// run trains the remaining passes over src, checking at every sentence
// boundary whether to stop or pause, so its state is always a clean
// position to resume from.
func (w *worker) run(src Source) error {
	t := w.t
	w.pullHot()
	for w.epoch < t.cfg.Epochs {
		for {
			if t.pausing.Load() || t.stop.Load() {
				if w.wait() {
					return errStopped
				}
			}
			sen, err := src.Next(w.sentence)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			w.sentence = sen[:0]
			w.sentences++
			w.words += int64(len(sen))
			w.local += int64(len(sen))
			w.trainSentence(w.subsample(sen))
			if w.diverged {
				return w.t.divergence(w.t.done.Load() + w.local)
			}
			if w.local >= syncWords {
				w.publish()
			}
		}
		if w.epoch == 0 {
			t.finishFirstPass(w.words)
		}
		w.publish()
		w.epoch++
		w.sentences, w.words = 0, 0
		if w.epoch < t.cfg.Epochs {
			if err := src.Rewind(); err != nil {
				return err
			}
		}
	}
	return nil
}

// wait parks the worker while a pause is on, and reports whether to stop.
// The model is complete while workers wait: each first adds its changes to
// the hot rows.
func (w *worker) wait() (stop bool) {
	t := w.t
	w.pushHot()
	defer w.pullHot()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stop.Load() {
		return true
	}
	gen := t.gen
	t.waiting++
	t.cond.Broadcast()
	for gen == t.gen && !t.stop.Load() {
		t.cond.Wait()
	}
	if gen == t.gen {
		t.waiting-- // stopped during the pause; a finished pause has reset the count
	}
	return t.stop.Load()
}

// publish adds the words trained since the last call to the shared counter,
// exchanges changes to the hot rows with the other workers and refreshes the
// learning rate.
func (w *worker) publish() {
	w.pushHot()
	w.pullHot()
	if w.lossN > 0 {
		t := w.t
		t.mu.Lock()
		t.losses[w.epoch].Sum += w.loss
		t.losses[w.epoch].N += w.lossN
		t.mu.Unlock()
		w.loss, w.lossN = 0, 0
	}
	done := w.t.done.Add(w.local)
	w.local = 0
	w.alpha = float32(w.t.alpha(done))
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
