package corpus

import (
	"bytes"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// FuzzTokenizer checks the tokenizer's promises on arbitrary bytes: every
// word is non-empty valid UTF-8 of at most MaxWordBytes bytes with no
// separator in it, sentences are at most MaxSentence words, short ASCII input
// splits exactly as bytes.Fields does, and reading one byte at a time changes
// nothing.
func FuzzTokenizer(f *testing.F) {
	f.Add([]byte("the quick brown fox\njumps over\r\nthe lazy dog"), uint8(10), uint8(3))
	f.Add([]byte("caf\xc3\xa9 na\xefve \xff\xfe\x00x"), uint8(4), uint8(1))
	f.Add([]byte("\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98"), uint8(5), uint8(2))
	f.Add([]byte(""), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, maxWord, maxSent uint8) {
		opts := Options{MaxWordBytes: int(maxWord%40) + 4, MaxSentence: int(maxSent%20) + 1}
		words, starts := tokenize(t, bytes.NewReader(data), opts)
		sentence := 0
		for i, w := range words {
			if len(w) == 0 || len(w) > opts.MaxWordBytes || !utf8.ValidString(w) {
				t.Fatalf("word %d %q breaks the limits (max %d bytes)", i, w, opts.MaxWordBytes)
			}
			for j := 0; j < len(w); j++ {
				if separator[w[j]] {
					t.Fatalf("word %q holds separator %q", w, w[j])
				}
			}
			if starts[i] {
				sentence = 0
			}
			if sentence++; sentence > opts.MaxSentence {
				t.Fatalf("sentence longer than %d words", opts.MaxSentence)
			}
		}
		if isShortASCIIText(data, opts.MaxWordBytes) {
			fields := bytes.FieldsFunc(data, func(r rune) bool { return r < 256 && separator[r] })
			if len(fields) != len(words) {
				t.Fatalf("got %d words, bytes.Fields finds %d", len(words), len(fields))
			}
			for i := range fields {
				if string(fields[i]) != words[i] {
					t.Fatalf("word %d = %q, want %q", i, words[i], fields[i])
				}
			}
		}
		again, starts2 := tokenize(t, iotest.OneByteReader(bytes.NewReader(data)), opts)
		if len(again) != len(words) {
			t.Fatalf("one byte at a time: %d words, want %d", len(again), len(words))
		}
		for i := range again {
			if again[i] != words[i] || starts2[i] != starts[i] {
				t.Fatalf("one byte at a time: word %d differs", i)
			}
		}
	})
}

func tokenize(t *testing.T, r interface{ Read([]byte) (int, error) }, opts Options) ([]string, []bool) {
	tok := NewTokenizer(r, opts)
	var words []string
	var starts []bool
	for tok.Scan() {
		words = append(words, string(tok.Word()))
		starts = append(starts, tok.NewSentence())
	}
	if err := tok.Err(); err != nil {
		t.Fatal(err)
	}
	return words, starts
}

// isShortASCIIText reports whether data is ASCII with no word longer than max.
func isShortASCIIText(data []byte, max int) bool {
	run := 0
	for _, c := range data {
		if c >= utf8.RuneSelf {
			return false
		}
		if separator[c] {
			run = 0
		} else if run++; run > max {
			return false
		}
	}
	return true
}
