package job

import (
	"fmt"
	"io"
	"math"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/memstat"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/subword"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// SubwordOptions are train's fastText subword settings, as its flags give
// them.
type SubwordOptions struct {
	On               bool // --subwords, or implied by setting one of the others
	MinN, MaxN       int
	Buckets          int
	MinNGiven        bool // --minn, --maxn or --buckets was typed (or set by config)
	MaxNGiven        bool
	BucketsGiven     bool
	SubwordsSetFalse bool   // --subwords=false was given explicitly
	Format           string // --format as typed
	FastText         bool   // write a fastText .bin model (--format fasttext)
}

// DefaultSubwordOptions returns fastText's n-gram settings, off.
func DefaultSubwordOptions() SubwordOptions {
	return SubwordOptions{MinN: subword.DefaultMinN, MaxN: subword.DefaultMaxN, Buckets: subword.DefaultBuckets}
}

// SubwordConfig checks o and returns the n-gram settings it asks for:
// subwords are on with --subwords or when --minn, --maxn or --buckets is
// set, and the zero Config (off) otherwise.
func SubwordConfig(o SubwordOptions) (subword.Config, error) {
	given := o.MinNGiven || o.MaxNGiven || o.BucketsGiven
	if o.SubwordsSetFalse && given {
		return subword.Config{}, failure.Usagef("--minn, --maxn and --buckets set the n-grams of --subwords; drop them or --subwords=false")
	}
	if !o.On && !given {
		return subword.Config{}, nil
	}
	c := subword.Config{MinN: o.MinN, MaxN: o.MaxN, Buckets: o.Buckets}
	if err := c.Validate(); err != nil {
		return c, failure.Usagef("--%v", err)
	}
	if !c.Enabled() {
		return c, failure.Usagef("--subwords needs --maxn ≥ --minn ≥ 1 and --buckets ≥ 1 (got minn %d, maxn %d, buckets %d); leave --subwords out for word vectors alone",
			c.MinN, c.MaxN, c.Buckets)
	}
	return c, nil
}

// allocateSubwords creates a subword model (the words' and buckets' input
// rows, the row lists, and the words' full vectors written at the end)
// after checking that it fits in memory.
func (j *trainJob) allocateSubwords() error {
	n, c := j.voc.Len(), j.cfg.Subwords
	need := skipgram.ModelBytes(n, j.cfg) + subwordBytes(n, j.cfg) + j.voc.Bytes()
	what := fmt.Sprintf("a model of %s words and %s n-gram buckets × %d dims", report.Thousands(n), report.Thousands(c.Buckets), j.cfg.Dim)
	if err := memstat.Check(need, what); err != nil {
		return fmt.Errorf("%w; lower --buckets or --dim, or raise --min-count", err)
	}
	var err error
	j.model, err = skipgram.NewSubwordModel(j.voc.Words(), j.cfg)
	return err
}

// subwordBytes is the memory a subword model of n words takes beyond its
// matrices: the row lists, and the words' full vectors computed for the
// output. It is 0 without subwords.
func subwordBytes(n int, cfg skipgram.Config) int64 {
	if !cfg.Subwords.Enabled() {
		return 0
	}
	return skipgram.SubwordBytes(n, cfg.Subwords) + int64(n)*int64(cfg.Dim)*4
}

// bucketsNote describes the model's n-gram buckets for the summary line.
func (j *trainJob) bucketsNote() string {
	if !j.cfg.Subwords.Enabled() {
		return ""
	}
	return fmt.Sprintf(" + %s n-gram buckets", report.Thousands(j.cfg.Subwords.Buckets))
}

// checkFastTextOutput refuses a fastText .bin output that cannot be written.
// The output's name never asks for it: .bin means word2vec's binary format
// in every w2v command, so a fastText model takes --format fasttext.
func (j *trainJob) checkFastTextOutput() error {
	o := &j.o
	if !o.Subwords.FastText {
		return nil
	}
	switch {
	case o.Classes > 0:
		return failure.Usagef("--classes writes word classes; --format fasttext does not apply")
	case o.Format.Gzip:
		return failure.Usagef("%s: fastText reads its .bin models uncompressed; drop the .gz", o.Output)
	case !j.cfg.Subwords.Enabled():
		return failure.Usagef("--format fasttext writes a subword model: add --subwords")
	case j.cfg.Negative == 0:
		return failure.Usagef("--format fasttext needs negative sampling (--negative ≥ 1): fastText's .bin holds one output layer, and w2v's hierarchical-softmax tree is not fastText's")
	}
	return nil
}

// formatName names the output's format for the summary line.
func (j *trainJob) formatName() string {
	if j.o.Subwords.FastText && j.o.Classes == 0 {
		return "fastText .bin"
	}
	return j.o.Format.String()
}

// writeFastText writes the model as a fastText .bin: its settings, the
// words and counts, the input matrix (words' and buckets' rows) and the
// negative-sampling output matrix, so that fastText and gensim can load it.
func (j *trainJob) writeFastText(out io.Writer) error {
	cfg := j.cfg
	args := vecfile.DefaultFastTextArgs(cfg.Dim)
	args.Window, args.Epoch, args.Neg = int32(cfg.Window), int32(cfg.Epochs), int32(cfg.Negative)
	args.MinCount = int32(min(j.o.MinCount, math.MaxInt32))
	args.Bucket, args.MinN, args.MaxN = int32(cfg.Subwords.Buckets), int32(cfg.Subwords.MinN), int32(cfg.Subwords.MaxN)
	args.Sample, args.Loss, args.Model = cfg.Sample, vecfile.LossNS, vecfile.ModelSkipgram
	if cfg.Arch == skipgram.CBOW {
		args.Model = vecfile.ModelCBOW
	}
	m := &vecfile.FastText{Args: args, Words: j.voc.Words(), Counts: j.voc.Counts(), Tokens: sum(j.voc.Counts()),
		Input: j.model.In, Output: j.model.Out}
	return vecfile.WriteFastText(out, m)
}
