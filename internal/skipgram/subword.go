package skipgram

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/sampling"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/subword"
)

// This file holds fastText's subword model (Bojanowski et al. 2017): the
// input matrix has a row per vocabulary word followed by a row per n-gram
// bucket, and a word's input vector is the mean of its own row and the
// rows of its n-grams' buckets. The output layers are word2vec's.
//
// Skip-gram follows fastText's direction: the centre word's mean predicts
// each context word, and the gradient of the mean is added, unscaled, to
// every one of its rows, as fastText does for its unsupervised models. CBOW
// predicts the centre from the mean of all rows of all context words and
// adds the gradient to each of those rows.

// Subwords lists, for each vocabulary word, the input rows whose mean is its
// vector: its own row, then Words+b for the bucket b of each of its n-grams,
// in the order subword.Config.AppendBuckets gives them (a bucket that two
// n-grams share is listed twice, as fastText lists it). The lists are built
// once, so that training hashes nothing.
type Subwords struct {
	Config subword.Config
	Words  int
	Start  []int32 // word w's rows are Rows[Start[w]:Start[w+1]]
	Rows   []int32
	max    int // longest list
}

// EOS is the word fastText gives no n-grams: its end-of-sentence token.
const EOS = "</s>"

// NewSubwords builds the row lists of words under c.
func NewSubwords(words []string, c subword.Config) (*Subwords, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !c.Enabled() {
		return nil, errors.New("skipgram: subwords need maxn ≥ minn ≥ 1 and at least one bucket")
	}
	if int64(len(words))+int64(c.Buckets) > math.MaxInt32 {
		return nil, fmt.Errorf("skipgram: %d words and %d buckets exceed 2^31 input rows", len(words), c.Buckets)
	}
	s := &Subwords{Config: c, Words: len(words), Start: make([]int32, 1, len(words)+1)}
	s.Rows = make([]int32, 0, len(words)*8)
	var buckets []int32
	for w, word := range words {
		s.Rows = append(s.Rows, int32(w))
		if word != EOS {
			buckets = c.AppendBuckets(buckets[:0], word)
			for _, b := range buckets {
				s.Rows = append(s.Rows, int32(len(words))+b)
			}
		}
		if len(s.Rows) > math.MaxInt32 {
			return nil, fmt.Errorf("skipgram: the words' n-grams exceed 2^31 row entries")
		}
		s.Start = append(s.Start, int32(len(s.Rows)))
		s.max = max(s.max, len(s.Rows)-int(s.Start[w]))
	}
	return s, nil
}

// Of returns the rows of word id.
func (s *Subwords) Of(id int32) []int32 { return s.Rows[s.Start[id]:s.Start[id+1]] }

// Bytes returns the memory the lists take.
func (s *Subwords) Bytes() int64 { return 4 * int64(len(s.Start)+len(s.Rows)) }

// SubwordBytes estimates the memory of the row lists of words words, before
// they are built: fastText's defaults give words of typical length about
// 20 n-grams.
func SubwordBytes(words int, c subword.Config) int64 {
	if !c.Enabled() {
		return 0
	}
	per := int64(c.MaxN-c.MinN+1)*6 + 2
	return 4 * int64(words) * per
}

// inputRows is the number of rows of the input matrix of words words under cfg.
func inputRows(words int, cfg Config) int {
	if cfg.Subwords.Enabled() {
		return words + cfg.Subwords.Buckets
	}
	return words
}

// bucketChunk is how many values of the bucket rows one generator fills:
// the chunks are filled in parallel, and each chunk's generator is seeded
// from its index, so the values do not depend on the number of CPUs.
const bucketChunk = 1 << 20

// initBuckets fills the bucket rows b uniform in [-1/dim, 1/dim), as
// fastText initialises every input row, on all CPUs: at 2,000,000 buckets
// they are 200 million values or more, seconds of work on one core.
func initBuckets(b []float32, dim int, seed uint64) {
	scale := 2 / float32(dim)
	var wg sync.WaitGroup
	chunks := (len(b) + bucketChunk - 1) / bucketChunk
	next := atomic.Int64{}
	for range min(runtime.GOMAXPROCS(0), chunks) {
		wg.Go(func() {
			for c := int(next.Add(1) - 1); c < chunks; c = int(next.Add(1) - 1) {
				rng := sampling.NewRNG(seed ^ uint64(c+1)*0xbf58476d1ce4e5b9)
				for i := range b[c*bucketChunk : min(len(b), (c+1)*bucketChunk)] {
					b[c*bucketChunk+i] = (rng.Float32() - 0.5) * scale
				}
			}
		})
	}
	wg.Wait()
}

// NewSubwordModel returns a model for words with fastText's subword input
// layer (cfg.Subwords must be enabled): every input row, words' and
// buckets' alike, uniform in [-1/dim, 1/dim) as fastText initialises them,
// output vectors zero.
func NewSubwordModel(words []string, cfg Config) (*Model, error) {
	sub, err := NewSubwords(words, cfg.Subwords)
	if err != nil {
		return nil, err
	}
	m := NewModel(len(words), cfg)
	m.Sub = sub
	return m, nil
}

// WordVectors returns a Words×Dim matrix of the words' full input vectors:
// the input rows themselves (aliased) without subwords, a new matrix of
// the means of each word's rows with them.
func (m *Model) WordVectors() []float32 {
	d := m.Dim
	if m.Sub == nil {
		return m.In[:m.Words*d]
	}
	out := make([]float32, m.Words*d)
	ones := ones(m.Sub.max)
	for id := range int32(m.Words) {
		mean(out[int(id)*d:int(id+1)*d], m.In, m.Sub.Of(id), ones)
	}
	return out
}

// validateSubwords reports subword settings that make no sense with the others.
func (c Config) validateSubwords() error {
	if c.Subwords == (subword.Config{}) {
		return nil
	}
	if err := c.Subwords.Validate(); err != nil {
		return err
	}
	if c.Subwords.Enabled() && c.SharedNegatives {
		return errors.New("shared-negatives does not apply to subwords")
	}
	if c.Subwords.Enabled() && c.Loss == Softmax {
		return errors.New("loss softmax does not apply to subwords (their skip-gram trains pair by pair)")
	}
	return nil
}

// fastTextSchedule reports whether training follows fastText rather than
// word2vec in three choices: the learning rate decays to zero, negatives
// are drawn by the square root of the counts, and a negative that is the
// target is drawn again instead of skipped. Skip-gram with subwords does:
// on the 10M-word benchmark slice (dim 100, 5 epochs) it scored 53.0 % on
// the analogy test with the first two, against 49.5 % with word2vec's
// (50.9 % and 51.3 % with one of the two changed); fastText itself scored
// 53.2 %. The third gives frequent targets all their negatives, as fastText
// does.
// CBOW with subwords keeps word2vec's until it is measured the same way
// (on the small quality test both ways were alike).
func (c Config) fastTextSchedule() bool {
	return c.Subwords.Enabled() && c.Arch == SkipGram
}

// finalAlpha is the share of the starting learning rate left at the end of
// training (see the constant finalAlpha and fastTextSchedule).
func (c Config) finalAlpha() float64 {
	if c.fastTextSchedule() {
		return 0
	}
	return finalAlpha
}

// negativePower is the power of the counts that negative samples are drawn
// by: word2vec's 0.75, or fastText's 0.5 (see fastTextSchedule).
func (c Config) negativePower() float64 {
	if c.fastTextSchedule() {
		return 0.5
	}
	return 0.75
}

// negativeRedraws is how many times a negative sample that is the target
// word is drawn again: none in word2vec, which skips it, and until it
// differs in fastText (see fastTextSchedule), bounded here because a
// one-word vocabulary would draw forever.
func (c Config) negativeRedraws() int {
	if c.fastTextSchedule() {
		return 16
	}
	return 0
}

// checkSubwordModel checks that m has the input rows and row lists cfg asks for.
func checkSubwordModel(cfg Config, m *Model) error {
	rows := inputRows(m.Words, cfg)
	if len(m.In) != rows*m.Dim || cfg.Subwords.Enabled() != (m.Sub != nil) ||
		m.Sub != nil && (m.Sub.Config != cfg.Subwords || m.Sub.Words != m.Words) {
		return fmt.Errorf("skipgram: model's input layer (%d rows, subwords %v) does not fit the settings (%d rows)",
			len(m.In)/max(m.Dim, 1), m.Sub != nil, rows)
	}
	return nil
}

func ones(n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = 1
	}
	return x
}

// mean sets h to the mean of the rows of in named by rows; ones holds at
// least len(rows) ones.
func mean(h, in []float32, rows []int32, ones []float32) {
	clear(h)
	simd.AxpyRows(h, ones, in, rows)
	simd.Scale(1/float32(len(rows)), h)
}

// subwordScratch is a worker's scratch for the subword model.
type subwordScratch struct {
	ones []float32 // coefficients for summing rows
	acc  []float32 // the gradient of the centre's mean, summed over its window
	rows []int32   // CBOW: the rows of all context words
}

func newSubwordScratch(t *Trainer) subwordScratch {
	s := t.model.Sub
	if s == nil {
		return subwordScratch{}
	}
	n := 2 * t.cfg.Window * s.max
	o := padded[float32](max(n, s.max))
	for i := range o {
		o[i] = 1
	}
	return subwordScratch{ones: o, acc: padded[float32](t.cfg.Dim), rows: padded[int32](n)[:0]}
}

// trainSentenceSubwords is trainSentence for the subword model.
func (w *worker) trainSentenceSubwords(sen []int32) {
	cfg := &w.t.cfg
	m := w.t.model
	window, d := cfg.Window, m.Dim
	for pos, center := range sen {
		// The next centre's rows are scattered over the bucket matrix,
		// far from each other and from anything in cache: ask for them
		// one centre early.
		if cfg.Arch == SkipGram && pos+1 < len(sen) {
			for _, r := range m.Sub.Of(sen[pos+1]) {
				simd.Prefetch(m.In[int(r)*d : int(r)*d+d])
			}
		}
		reach := window - w.rng.Intn(window)
		lo, hi := max(0, pos-reach), min(len(sen), pos+reach+1)
		if cfg.Arch == CBOW {
			w.cbowSubwords(sen[lo:pos], sen[pos+1:hi], center)
		} else {
			w.skipGramSubwords(sen[lo:pos], sen[pos+1:hi], center)
		}
	}
}

// skipGramSubwords trains the mean of center's rows to predict each word of
// left and then right, as fastText does pair by pair, but with each row
// read and written once per window instead of once per pair. fastText
// recomputes the mean for every pair after adding the pair's gradient g to
// every row; the mean of rows that each moved by g has moved by g, so
// adding g to the kept mean gives the same input (up to rounding, and
// exactly unless a bucket is listed twice), and the rows take the sum of
// the window's gradients at the end. Between the pairs only this worker's
// view of the rows differs from fastText's: other workers see the rows'
// steps at the end of the window instead of after each pair.
func (w *worker) skipGramSubwords(left, right []int32, center int32) {
	if len(left)+len(right) == 0 {
		return
	}
	m := w.t.model
	d := m.Dim
	rows := m.Sub.Of(center)
	h, g, acc := w.hidden[:d], w.grad[:d], w.sub.acc[:d]
	mean(h, m.In, rows, w.sub.ones)
	clear(acc)
	for _, ctx := range [2][]int32{left, right} {
		for _, c := range ctx {
			w.predict(h, g, c)
			simd.Axpy(1, g, h)
			simd.Axpy(1, g, acc)
		}
	}
	w.lossN += int64(len(left) + len(right))
	for _, r := range rows {
		simd.Axpy(1, acc, m.In[int(r)*d:int(r)*d+d])
	}
}

// cbowSubwords trains the mean of all rows of the context words to predict
// center, and adds the gradient to each of those rows.
func (w *worker) cbowSubwords(left, right []int32, center int32) {
	if len(left)+len(right) == 0 {
		return
	}
	m := w.t.model
	d := m.Dim
	rows := w.sub.rows[:0]
	for _, ctx := range [2][]int32{left, right} {
		for _, c := range ctx {
			rows = append(rows, m.Sub.Of(c)...)
		}
	}
	w.sub.rows = rows
	h, g := w.hidden[:d], w.grad[:d]
	mean(h, m.In, rows, w.sub.ones)
	w.predict(h, g, center)
	w.lossN++
	for _, r := range rows {
		simd.Axpy(1, g, m.In[int(r)*d:int(r)*d+d])
	}
}
