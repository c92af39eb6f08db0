package phrases

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/w2vtool/w2v/internal/corpus"
)

// scanAll returns the words of r, each preceded by one "\n" per newline
// before it, and the newlines after the last word.
func scanAll(t *testing.T, r io.Reader, maxWordBytes int) (words []string, trailing int) {
	t.Helper()
	s := newScanner(maxWordBytes)
	s.reset(r)
	for s.scan() {
		words = append(words, strings.Repeat(`\n`, s.newlines)+string(s.word))
	}
	if s.err != nil {
		t.Fatalf("scan: %v", s.err)
	}
	return words, s.newlines
}

func TestScanner(t *testing.T) {
	long := strings.Repeat("x", 150)
	tests := []struct {
		name     string
		in       string
		max      int
		want     []string
		trailing int
	}{
		{"empty", "", 0, nil, 0},
		{"only newlines", "\n\n", 0, nil, 2},
		{"spaces and newlines", " \t\r\n \n ", 0, nil, 2},
		{"words", "a bb  ccc", 0, []string{"a", "bb", "ccc"}, 0},
		{"blank lines counted", "a\n\n\nb\n", 0, []string{"a", `\n\n\nb`}, 1},
		{"leading newlines", "\n\na", 0, []string{`\n\na`}, 0},
		{"crlf", "a b\r\nc\r\n", 0, []string{"a", "b", `\nc`}, 1},
		{"other separators", "a\tb\vc\fd\x00e\rf", 0, []string{"a", "b", "c", "d", "e", "f"}, 0},
		{"invalid utf8 replaced", "a\xffb \xc3", 0, []string{"a\uFFFDb", "\uFFFD"}, 0},
		{"long word truncated", long + " y", 0, []string{long[:100], "y"}, 0},
		{"truncated at code point", strings.Repeat("é", 60), 101, []string{strings.Repeat("é", 50)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, oneByte := range []bool{false, true} {
				var r io.Reader = strings.NewReader(tt.in)
				if oneByte {
					r = iotest.OneByteReader(r)
				}
				got, trailing := scanAll(t, r, tt.max)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) || len(got) != len(tt.want) || trailing != tt.trailing {
					t.Errorf("one byte at a time %v: got %q + %d newlines, want %q + %d", oneByte, got, trailing, tt.want, tt.trailing)
				}
			}
		})
	}
}

// TestScannerMatchesTokenizer checks that phrases and training see the same
// words, whatever bytes the corpus holds: a word the scanner cleaned
// differently would never match the vocabulary train builds.
func TestScannerMatchesTokenizer(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("ab \n\t\x00\xff\xc3\xa9\xe2\x82")
	for trial := 0; trial < 200; trial++ {
		var b []byte
		for n := rng.IntN(3000); len(b) < n; {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
			if rng.IntN(500) == 0 { // now and then an overlong word
				b = append(b, bytes.Repeat([]byte("\xc3\xa9z"), 80)...)
			}
		}
		max := 4 + rng.IntN(100)
		tok := corpus.NewTokenizer(bytes.NewReader(b), corpus.Options{MaxWordBytes: max})
		s := newScanner(max)
		s.reset(bytes.NewReader(b))
		for i := 0; ; i++ {
			more := s.scan()
			if more != tok.Scan() {
				t.Fatalf("trial %d word %d: scanner more=%v, tokenizer disagrees", trial, i, more)
			}
			if !more {
				break
			}
			if !bytes.Equal(s.word, tok.Word()) {
				t.Fatalf("trial %d word %d: scanner %q, tokenizer %q", trial, i, s.word, tok.Word())
			}
			if i > 0 && (s.newlines > 0) != tok.NewSentence() {
				t.Fatalf("trial %d word %d: newlines %d, tokenizer NewSentence %v", trial, i, s.newlines, tok.NewSentence())
			}
		}
	}
}

func TestScannerHugeWordBoundedMemory(t *testing.T) {
	in := io.MultiReader(strings.NewReader("start "), &repeatReader{b: 'z', n: 64 << 20}, strings.NewReader("\nend"))
	got, _ := scanAll(t, in, 0)
	if len(got) != 3 || got[1] != strings.Repeat("z", 100) || got[2] != `\nend` {
		t.Fatalf("got %d words", len(got))
	}
}

type repeatReader struct {
	b byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.n)
	for i := range p[:n] {
		p[i] = r.b
	}
	r.n -= n
	return n, nil
}
