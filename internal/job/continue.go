package job

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vocab"
)

// Continuing training (--continue MODEL NEW...) starts from a model file
// that --save-model wrote, a checkpoint of a finished run, and trains it on
// new text:
//
//   - the model's words keep their rows and stay in the vocabulary, their
//     counts summed with the new text's;
//   - a word the model lacks joins when the new text holds it at least
//     --min-count times. The old text's count of such a word is not known
//     (the model keeps only the words that reached --min-count there), so
//     the threshold applies to the new text's count, which is then the
//     summed count too;
//   - the vocabulary is sorted again by the summed counts, and the
//     negative-sampling table, the subsampling and the Huffman tree are
//     built on them (skipgram.Grow says how the tree's inner rows carry
//     over);
//   - the learning-rate schedule starts again, over the new text's words;
//   - a subword model keeps its n-gram bucket rows as they are (a bucket is
//     a hash of the n-gram alone, whatever the vocabulary), so a word's
//     vector, and an unseen word's, still comes from the n-grams' rows, and
//     a new word's own row starts as any word's does.
//
// The settings come from the model; those that shape the matrices (model,
// dim, hs, negative sampling on or off, subwords and their minn, maxn and
// buckets) cannot change.
//
// The model is read in two steps, so that it is never held twice: its
// header (words, counts, settings) first, to settle the settings and grow
// the vocabulary; then its matrices, each read with room for the grown
// words' rows, and the model grown within them (skipgram.GrowInPlace):
// rows move within their arrays, so a continue step holds the grown model
// and a little bookkeeping, with subwords or without.

// continueFixed are the flags whose setting shapes the model's matrices,
// so that a continued run must keep the model's.
var continueFixed = []string{"model", "dim", "hs", "negative", "minn", "maxn", "buckets"}

// subwordFlags are the flags that ask for subwords.
var subwordFlags = []string{"subwords", "minn", "maxn", "buckets"}

// readModel reads the model file that --continue names, explaining what a
// vector file lacks when given one: its header only when opts is nil, else
// the whole model, read with opts.
func readModel(path string, opts *checkpoint.ReadOptions) (*checkpoint.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("continue: model %s not found", path)
		}
		return nil, fmt.Errorf("continue: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("continue: %w", err)
	}
	var c *checkpoint.Checkpoint
	if opts == nil {
		c, err = checkpoint.ReadHeader(f, path, fi.Size())
	} else {
		c, err = checkpoint.ReadWith(f, path, fi.Size(), *opts)
	}
	if errors.Is(err, checkpoint.ErrNotCheckpoint) {
		return nil, fmt.Errorf("continue: %s is not a w2v model file: a vector file (word2vec text or binary, fastText .vec or .bin, native) holds only the word vectors, while training needs the output weights and word counts too; train with --save-model FILE to keep them, then continue from FILE", path)
	}
	if err != nil {
		return nil, fmt.Errorf("continue: %w", err)
	}
	return c, nil
}

// startContinue reads the header of the model to continue and settles the
// run's settings: the model's, changed by the flags typed that may change.
// The matrices are read by growVocab, once the grown vocabulary's size is
// known.
func (j *trainJob) startContinue(cfg skipgram.Config) (*checkpoint.Checkpoint, error) {
	o := &j.o
	base, err := readModel(o.Continue, nil)
	if err != nil {
		return nil, err
	}
	was := base.Config
	for _, name := range o.Typed {
		switch {
		case name == "read-vocab":
			return nil, failure.Usagef("--read-vocab does not apply with --continue: the vocabulary is the model's, grown by the new text")
		case name == "negative" && (o.Negative > 0) == (was.Negative > 0):
			// More or fewer samples use the same matrices.
		case contains(subwordFlags, name) && o.Subwords.On && !was.Subwords.Enabled():
			return nil, failure.Usagef("--%s: %s was trained without subwords, and continuing cannot add them: its input matrix has no n-gram rows; leave the flag out, or train a new model with --subwords", name, o.Continue)
		case name == "subwords" && !o.Subwords.On && was.Subwords.Enabled():
			return nil, failure.Usagef("--subwords=false: %s is a subword model, and continuing keeps its n-grams; leave the flag out, or train a new model", o.Continue)
		case contains(continueFixed, name):
			if old, same := checkpointSetting(name, *o, base); !same {
				return nil, failure.Usagef("--%s cannot change when continuing: %s was trained with %s; leave the flag out, or train a new model", name, o.Continue, old)
			}
		}
	}
	typed := func(name string) bool { return contains(o.Typed, name) }
	// Settings that only steer training may change; untyped, they are the model's.
	if typed("window") {
		was.Window = cfg.Window
	}
	if typed("sample") {
		was.Sample = cfg.Sample
	}
	if typed("epochs") {
		was.Epochs = cfg.Epochs
	}
	if typed("alpha") {
		was.Alpha = cfg.Alpha
	}
	if typed("seed") {
		was.Seed = cfg.Seed
	}
	if typed("shared-negatives") {
		was.SharedNegatives = cfg.SharedNegatives
	}
	if typed("negative") {
		was.Negative = cfg.Negative
	}
	if err := was.Validate(); err != nil {
		return nil, failure.Usagef("--%v", err)
	}
	j.cfg = was
	if !typed("min-count") {
		o.MinCount = base.Job.MinCount
	}
	if !typed("max-vocab") {
		o.MaxVocab = base.Job.MaxVocab
	}
	if !typed("max-sentence") {
		o.MaxSentence = base.Job.MaxSentence
	}
	if !typed("max-word-bytes") {
		o.MaxWordBytes = base.Job.MaxWordBytes
	}
	j.say("continue: %s, %s × %d, %s", o.Continue, report.CountOf(len(base.Words), "word", "words"), was.Dim, describeArch(was))
	return base, nil
}

// describeArch names the architecture, output layer and n-grams of cfg.
func describeArch(cfg skipgram.Config) string {
	s := cfg.Arch.String()
	if cfg.Negative > 0 {
		s += fmt.Sprintf(", negative %d", cfg.Negative)
	}
	if cfg.HS {
		s += ", hierarchical softmax"
	}
	if c := cfg.Subwords; c.Enabled() {
		s += fmt.Sprintf(", subwords %d–%d in %s buckets", c.MinN, c.MaxN, report.Thousands(c.Buckets))
	}
	return s
}

// growVocab counts the new text and builds the grown vocabulary and model
// from base, the model's header, as the comment at the top of this file
// describes. The model's matrices are read only now, each with room for
// the grown words' rows, and grown within them: no row is held twice.
func (j *trainJob) growVocab(ctx context.Context, topts corpus.Options, base *checkpoint.Checkpoint) error {
	o := j.o
	if o.MaxDistinct < 1 || o.MaxDistinct > vocab.MaxWords {
		return failure.Usagef("--max-distinct must be between 1 and %d, got %d", vocab.MaxWords, o.MaxDistinct)
	}
	t0 := time.Now()
	counter, err := countWords(ctx, j.s, j.shards, vocab.CountOptions{MaxDistinct: o.MaxDistinct, Corpus: topts}, o.Quiet)
	if err != nil {
		return err
	}
	fresh := counter.Build(1, 0)
	words, counts, from, epochWords, added := growWords(base.Words, base.Counts, fresh, o.MinCount, o.MaxVocab)
	if epochWords == 0 {
		return fmt.Errorf("continue: the new text holds no word of the model and none %d times (--min-count); nothing to train", o.MinCount)
	}
	j.voc = vocab.New(words, counts)
	// Nothing of the model's matrices is held yet: the peak is the grown
	// model and what growing it in place holds beside it (its bookkeeping
	// and the old row lists).
	need := skipgram.ModelBytes(j.voc.Len(), j.cfg) + subwordBytes(j.voc.Len(), j.cfg) + j.voc.Bytes() +
		skipgram.GrowInPlaceBytes(len(base.Words), j.cfg)
	if err := checkMemory(need, fmt.Sprintf("a model of %s words%s × %d dims", report.Thousands(j.voc.Len()), j.bucketsNote(), j.cfg.Dim)); err != nil {
		return err
	}
	full, err := readModel(o.Continue, &checkpoint.ReadOptions{GrowTo: len(words)})
	if err != nil {
		return err
	}
	if !slices.Equal(full.Words, base.Words) || !slices.Equal(full.Counts, base.Counts) {
		return fmt.Errorf("continue: model %s changed while the new text was counted; run again", o.Continue)
	}
	if j.model, err = skipgram.GrowInPlace(full.Model, j.cfg, words, from); err != nil {
		return fmt.Errorf("continue: model %s: %w", o.Continue, err)
	}
	j.epochWords = epochWords
	j.say("vocab: %s of the model + %s new with count ≥ %d, of %s distinct in %s tokens of new text (%s)",
		report.Thousands(len(base.Words)), report.Thousands(added), o.MinCount, report.Thousands(counter.Distinct()),
		progress.Count(counter.Tokens()), report.Since(t0))
	return nil
}

// growWords merges a model's vocabulary (words, counts) with the new
// text's counts: the model's words all stay, new words that reach minCount
// join, all counts are summed, and the result is sorted as vocab.Counter
// sorts (count descending, then by word). maxWords > 0 caps the new words
// so that the total does not pass it (the model's words are never dropped).
// from[i] is word i's id in the model, -1 for a new word; epochWords is the
// new text's words that the vocabulary covers, which one epoch trains.
func growWords(words []string, counts []int64, fresh *vocab.Vocab, minCount int64, maxWords int) (
	outWords []string, outCounts []int64, from []int32, epochWords int64, added int) {
	type entry struct {
		w    string
		n    int64
		from int32
	}
	entries := make([]entry, 0, len(words))
	for i, w := range words {
		e := entry{w, counts[i], int32(i)}
		if id := fresh.ID([]byte(w)); id >= 0 {
			e.n += fresh.Count(id)
			epochWords += fresh.Count(id)
		}
		entries = append(entries, e)
	}
	old := make(map[string]bool, len(words))
	for _, w := range words {
		old[w] = true
	}
	room := max(maxWords-len(words), 0)
	// fresh is sorted by count, so the cap keeps the most frequent.
	for id, w := range fresh.Words() {
		n := fresh.Count(int32(id))
		if n < minCount || maxWords > 0 && room == 0 {
			break
		}
		if old[w] {
			continue
		}
		entries = append(entries, entry{w, n, -1})
		epochWords += n
		added++
		room--
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return cmp.Compare(a.w, b.w)
	})
	outWords, outCounts, from = make([]string, len(entries)), make([]int64, len(entries)), make([]int32, len(entries))
	for i, e := range entries {
		outWords[i], outCounts[i], from[i] = e.w, e.n, e.from
	}
	return outWords, outCounts, from, epochWords, added
}

// saveModel writes the finished run to out as a model file: a checkpoint
// whose trainer state is finished, holding everything --continue needs.
func (j *trainJob) saveModel(out *Output) error {
	c, err := j.checkpointOf(j.trainer.State())
	if err != nil {
		return err
	}
	if err := checkpoint.Write(out, c); err != nil {
		return fmt.Errorf("write model %s: %w", j.o.SaveModel, err)
	}
	return out.Commit()
}
