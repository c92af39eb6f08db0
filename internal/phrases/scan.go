package phrases

import (
	"math"
	"strings"

	"github.com/w2vtool/w2v/internal/corpus"
)

// newScanner returns a tokenizer that cleans words exactly as training does,
// so phrases and training see the same words, and never cuts sentences:
// phrases keep the input's own lines (Newlines says how many end before
// each word).
func newScanner(maxWordBytes int) *corpus.Tokenizer {
	return corpus.NewTokenizer(strings.NewReader(""), corpus.Options{MaxWordBytes: maxWordBytes, MaxSentence: math.MaxInt})
}
