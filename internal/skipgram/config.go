package skipgram

import (
	"errors"
	"fmt"
	"math"

	"github.com/w2vtool/w2v/internal/subword"
)

// Arch is the model architecture.
type Arch int

const (
	// SkipGram trains each context word's vector to predict the centre word.
	SkipGram Arch = iota
	// CBOW trains the mean of the context vectors to predict the centre word.
	CBOW
)

func (a Arch) String() string {
	if a == CBOW {
		return "cbow"
	}
	return "skipgram"
}

// ParseArch parses "skipgram" (also "sg") or "cbow".
func ParseArch(s string) (Arch, error) {
	switch s {
	case "skipgram", "sg", "skip-gram":
		return SkipGram, nil
	case "cbow":
		return CBOW, nil
	}
	return 0, fmt.Errorf("unknown model %q (want skipgram or cbow)", s)
}

// Config holds the training settings.
type Config struct {
	Arch     Arch    // skip-gram or CBOW
	Dim      int     // vector dimensions
	Window   int     // largest distance between centre and context word
	Negative int     // negative samples per positive one; 0 turns negative sampling off
	HS       bool    // train a hierarchical softmax output layer too
	Epochs   int     // passes over the corpus
	Alpha    float64 // starting learning rate; decays linearly to Alpha·0.1
	Sample   float64 // subsampling threshold; 0 keeps every word
	Seed     uint64  // seeds the initial vectors and every worker's generator

	// SharedNegatives (skip-gram only) draws one set of negatives per centre
	// word and trains the whole window against it, as a small matrix
	// product (pWord2Vec). Faster, and changes the algorithm: see the README
	// for its measured accuracy.
	SharedNegatives bool

	// Subwords, when enabled, gives the input layer fastText's character
	// n-gram buckets: see NewSubwordModel.
	Subwords subword.Config
	// Loss is the objective of the negative-sampling output layer; with
	// Softmax (skip-gram, negative sampling only) the window shares its
	// negatives, as with SharedNegatives, and Temperature divides the
	// scores.
	Loss        LossKind
	Temperature float64
}

// LossUnit names what Loss.N counts: "pair" (skip-gram's context and
// centre word) or "word" (CBOW's centre word).
func (c Config) LossUnit() string {
	if c.Arch == CBOW {
		return "word"
	}
	return "pair"
}

// DefaultConfig returns word2vec's defaults for skip-gram with negative
// sampling.
func DefaultConfig() Config {
	return Config{Dim: 100, Window: 5, Negative: 5, Epochs: 5, Alpha: 0.025, Sample: 1e-3, Seed: 1, Temperature: 1}
}

// SharedNegativesByDefault reports whether c's mode trains with shared
// negatives unless told otherwise: skip-gram with negative sampling alone,
// without subwords. There it reads one set of output rows per window
// instead of one per pair, which made training 2-3 times as fast at the
// same accuracy (README, "Performance"); hierarchical softmax and subwords
// keep the per-pair updates that their accuracy was measured with.
func SharedNegativesByDefault(c Config) bool {
	return c.Arch == SkipGram && c.Negative > 0 && !c.HS && !c.Subwords.Enabled()
}

// DefaultAlpha returns word2vec's starting learning rate for arch.
func DefaultAlpha(arch Arch) float64 {
	if arch == CBOW {
		return 0.05
	}
	return 0.025
}

// Validate reports the first setting that makes no sense.
func (c Config) Validate() error {
	switch {
	case c.Arch != SkipGram && c.Arch != CBOW:
		return fmt.Errorf("model must be skipgram or cbow, got %d", c.Arch)
	case c.Dim < 1:
		return fmt.Errorf("dim must be at least 1, got %d", c.Dim)
	case c.Window < 1:
		return fmt.Errorf("window must be at least 1, got %d", c.Window)
	case c.Negative < 0:
		return fmt.Errorf("negative must be 0 (off) or more, got %d", c.Negative)
	case c.Negative == 0 && !c.HS:
		return errors.New("negative must be at least 1 unless hierarchical softmax (hs) is on")
	case c.Epochs < 1:
		return fmt.Errorf("epochs must be at least 1, got %d", c.Epochs)
	case math.IsNaN(c.Alpha) || math.IsInf(c.Alpha, 0) || c.Alpha < 0:
		// 0 trains nothing, which adds a new text's words to a continued
		// model without changing its rows.
		return fmt.Errorf("alpha must be a positive number or 0, got %v", c.Alpha)
	case math.IsNaN(c.Sample) || math.IsInf(c.Sample, 0) || c.Sample < 0:
		return fmt.Errorf("sample must be 0 or a positive number, got %v", c.Sample)
	case c.SharedNegatives && c.Arch == CBOW:
		return errors.New("shared-negatives applies to skipgram only")
	case c.Loss != Logistic && c.Loss != Softmax:
		return fmt.Errorf("loss must be logistic or softmax, got %d", c.Loss)
	case c.Loss == Softmax && (c.Arch != SkipGram || c.HS || c.Negative == 0):
		return errors.New("loss softmax applies to skipgram with negative sampling only (no hs, negative at least 1)")
	case c.Loss == Softmax && (math.IsNaN(c.Temperature) || math.IsInf(c.Temperature, 0) || c.Temperature <= 0):
		return fmt.Errorf("temperature must be a positive number, got %v", c.Temperature)
	}
	return c.validateSubwords()
}

var errNoWords = errors.New("skipgram: the vocabulary is empty")
