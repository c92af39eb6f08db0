package query

import (
	"errors"
	"strings"
	"testing"
)

// TestCosines: pairs from the words given or from the lines of the input,
// as a table (problems after it on the error stream) or as JSON lines (the
// problems in them), and the pairs that failed counted in the error.
func TestCosines(t *testing.T) {
	tests := []struct {
		name          string
		words         []string
		in            string
		json          bool
		out, errs     string
		failed, total int
	}{
		{
			name:  "words",
			words: []string{"paris", "london", "apple", "apple"},
			out:   "paris  london  0.8000\napple  apple   1.0000\n",
		},
		{
			name:   "unknown word",
			words:  []string{"paris", "pear", "london", "apple"},
			out:    "paris   pear        -\nlondon  apple  0.6000\n",
			errs:   "w2v: \"pear\" is not in the vocabulary\n",
			failed: 1, total: 2,
		},
		{
			name:   "lines",
			in:     "paris Paris\n\nthree words here\n",
			out:    "paris             Paris  0.6000\nthree words here              -\n",
			errs:   "w2v: \"three words here\": want two words\n",
			failed: 1, total: 2,
		},
		{
			name:   "json",
			in:     "paris apple\napple pear\n",
			json:   true,
			out:    `{"word1":"paris","word2":"apple","cosine":0}` + "\n" + `{"word1":"apple","word2":"pear","error":"\"pear\" is not in the vocabulary"}` + "\n",
			failed: 1, total: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := NewModel(model(t))
			if err != nil {
				t.Fatal(err)
			}
			var out, errs strings.Builder
			err = m.Cosines(strings.NewReader(tt.in), &out, &errs, tt.words, tt.json)
			if out.String() != tt.out || errs.String() != tt.errs {
				t.Errorf("stdout\n%q\nwant\n%q\nstderr %q, want %q", out.String(), tt.out, errs.String(), tt.errs)
			}
			var fe FailedError
			switch {
			case tt.failed == 0 && err != nil:
				t.Errorf("error %v, want none", err)
			case tt.failed > 0 && (!errors.As(err, &fe) || fe != FailedError{tt.failed, tt.total}):
				t.Errorf("error %v, want %d of %d failed", err, tt.failed, tt.total)
			}
		})
	}
}
