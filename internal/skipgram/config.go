package skipgram

import (
	"errors"
	"fmt"
	"math"
)

// Config holds the training settings.
type Config struct {
	Dim      int     // vector dimensions
	Window   int     // largest distance between centre and context word
	Negative int     // negative samples per positive one
	Epochs   int     // passes over the corpus
	Alpha    float64 // starting learning rate; decays linearly to Alpha·1e-4
	Sample   float64 // subsampling threshold; 0 keeps every word
	Seed     uint64  // seeds the initial vectors and every worker's generator

	// SharedNegatives draws one set of negatives per centre word and trains
	// the whole window against it (pWord2Vec). Faster, and changes the
	// algorithm: see the README for its measured accuracy.
	SharedNegatives bool
}

// DefaultConfig returns word2vec's defaults for skip-gram with negative
// sampling.
func DefaultConfig() Config {
	return Config{Dim: 100, Window: 5, Negative: 5, Epochs: 5, Alpha: 0.025, Sample: 1e-3, Seed: 1}
}

// Validate reports the first setting that makes no sense.
func (c Config) Validate() error {
	switch {
	case c.Dim < 1:
		return fmt.Errorf("dim must be at least 1, got %d", c.Dim)
	case c.Window < 1:
		return fmt.Errorf("window must be at least 1, got %d", c.Window)
	case c.Negative < 1:
		return fmt.Errorf("negative must be at least 1, got %d", c.Negative)
	case c.Epochs < 1:
		return fmt.Errorf("epochs must be at least 1, got %d", c.Epochs)
	case math.IsNaN(c.Alpha) || math.IsInf(c.Alpha, 0) || c.Alpha <= 0:
		return fmt.Errorf("alpha must be a positive number, got %v", c.Alpha)
	case math.IsNaN(c.Sample) || math.IsInf(c.Sample, 0) || c.Sample < 0:
		return fmt.Errorf("sample must be 0 or a positive number, got %v", c.Sample)
	}
	return nil
}

var errNoWords = errors.New("skipgram: the vocabulary is empty")
