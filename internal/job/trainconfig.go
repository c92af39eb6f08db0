package job

import (
	"runtime"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/skipgram"
)

// subwordAlpha is fastText's starting learning rate for its unsupervised models.
const subwordAlpha = 0.05

// Config checks the options and turns them into the trainer's settings.
// It fills in what the flags leave to it: Threads 0 becomes the number of
// CPUs and, unless SharedNegativesGiven, SharedNegatives takes the mode's
// default, so that the summary and checkpoint record what ran.
func (o *TrainOptions) Config() (skipgram.Config, error) {
	if o.Threads < 0 {
		return skipgram.Config{}, failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.Threads)
	}
	if o.Threads == 0 {
		o.Threads = runtime.NumCPU()
	}
	if o.MinCount < 1 {
		return skipgram.Config{}, failure.Usagef("--min-count must be at least 1, got %d", o.MinCount)
	}
	if o.MaxVocab < 0 {
		return skipgram.Config{}, failure.Usagef("--max-vocab must be 0 (no limit) or more, got %d", o.MaxVocab)
	}
	if o.MaxSentence < 1 {
		return skipgram.Config{}, failure.Usagef("--max-sentence must be at least 1, got %d", o.MaxSentence)
	}
	if o.MaxWordBytes < 4 {
		return skipgram.Config{}, failure.Usagef("--max-word-bytes must be at least 4, got %d", o.MaxWordBytes)
	}
	if o.CheckpointEvery < 0 {
		return skipgram.Config{}, failure.Usagef("--checkpoint-every must not be negative, got %v", o.CheckpointEvery)
	}
	arch, err := skipgram.ParseArch(o.Model)
	if err != nil {
		return skipgram.Config{}, failure.Usagef("--model: %v", err)
	}
	loss, err := skipgram.ParseLoss(o.Loss)
	if err != nil {
		return skipgram.Config{}, failure.Usagef("--loss: %v", err)
	}
	cfg := skipgram.Config{
		Arch: arch, Dim: o.Dim, Window: o.Window, Negative: o.Negative, HS: o.HS, Epochs: o.Epochs,
		Alpha: o.Alpha, Sample: o.Sample, Seed: o.Seed, SharedNegatives: o.SharedNegatives,
		Loss: loss, Temperature: o.Temperature,
	}
	if cfg.Subwords, err = SubwordConfig(o.Subwords); err != nil {
		return cfg, err
	}
	if !o.SharedNegativesGiven {
		cfg.SharedNegatives = skipgram.SharedNegativesByDefault(cfg)
		o.SharedNegatives = cfg.SharedNegatives
	}
	if err := cfg.Validate(); err != nil {
		return cfg, failure.Usagef("--%v", err)
	}
	return cfg, nil
}

// ResolveSubwords settles the subword options from the flags that changed
// reports as set: it notes which n-gram flags were given, applies --format,
// and turns subwords on when any n-gram flag asks for them, with fastText's
// starting learning rate unless --alpha was given. A default output name
// becomes vectors.bin for --format fasttext.
func (o *TrainOptions) ResolveSubwords(changed func(flag string) bool) error {
	s := &o.Subwords
	s.MinNGiven, s.MaxNGiven, s.BucketsGiven = changed("minn"), changed("maxn"), changed("buckets")
	s.SubwordsSetFalse = changed("subwords") && !s.On
	switch s.Format {
	case "":
	case "text", "binary":
		o.Binary, o.BinaryGiven = s.Format == "binary", true
	case "fasttext":
		s.FastText = true
		if !changed("output") {
			o.Output = "vectors.bin"
		}
	default:
		return failure.Usagef("--format %q: want text, binary or fasttext", s.Format)
	}
	if (s.On || s.MinNGiven || s.MaxNGiven || s.BucketsGiven) && !s.SubwordsSetFalse {
		s.On = true
		if !changed("alpha") {
			o.Alpha = subwordAlpha
		}
	}
	return nil
}
