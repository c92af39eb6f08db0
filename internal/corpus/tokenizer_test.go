package corpus

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

// scanAll returns the words of r, with "|" standing before each word that
// starts a sentence.
func scanAll(t *testing.T, r io.Reader, opts Options) []string {
	t.Helper()
	tok := NewTokenizer(r, opts)
	var out []string
	for tok.Scan() {
		w := string(tok.Word())
		if !utf8.ValidString(w) {
			t.Errorf("word %q is not valid UTF-8", w)
		}
		if tok.NewSentence() {
			w = "|" + w
		}
		out = append(out, w)
	}
	if err := tok.Err(); err != nil {
		t.Fatalf("Err: %v", err)
	}
	return out
}

func TestTokenizer(t *testing.T) {
	long := strings.Repeat("x", 150)
	tests := []struct {
		name string
		in   string
		opts Options
		want []string
	}{
		{"empty", "", Options{}, nil},
		{"only space", " \t\r\n\n ", Options{}, nil},
		{"words and lines", "a b\nc  d\n\ne", Options{}, []string{"|a", "b", "|c", "d", "|e"}},
		{"crlf", "a b\r\nc\r\n", Options{}, []string{"|a", "b", "|c"}},
		{"tabs vt ff", "a\tb\vc\fd", Options{}, []string{"|a", "b", "c", "d"}},
		{"nul separates", "a\x00b\x00\x00c", Options{}, []string{"|a", "b", "c"}},
		{"lone cr is not a line break", "a\rb", Options{}, []string{"|a", "b"}},
		{"invalid utf8 replaced", "a\xffb \xc3", Options{}, []string{"|a\uFFFDb", "\uFFFD"}},
		{"valid utf8 kept", "naïve café", Options{}, []string{"|naïve", "café"}},
		{"long word truncated", long + " y", Options{}, []string{"|" + long[:100], "y"}},
		{"truncated at code point", strings.Repeat("é", 60), Options{MaxWordBytes: 101}, []string{"|" + strings.Repeat("é", 50)}},
		{"replacement counts toward limit", "ab\xff\xff", Options{MaxWordBytes: 7}, []string{"|ab\uFFFD"}},
		{"valid rune cut at limit not replaced", "abcd" + "😀", Options{MaxWordBytes: 7}, []string{"|abcd"}},
		{"max sentence", "a b c d e\nf", Options{MaxSentence: 2}, []string{"|a", "b", "|c", "d", "|e", "|f"}},
		{"no final newline", "a b", Options{}, []string{"|a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scanAll(t, strings.NewReader(tt.in), tt.opts)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") || len(got) != len(tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
			// Reading one byte at a time must not change anything.
			got = scanAll(t, iotest.OneByteReader(strings.NewReader(tt.in)), tt.opts)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("one byte at a time: got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestTokenizerHugeWordBoundedMemory(t *testing.T) {
	// A word far longer than the buffer is truncated, and what follows it is
	// still read.
	in := io.MultiReader(strings.NewReader("start "), &repeatReader{b: 'z', n: 64 << 20}, strings.NewReader(" end"))
	tok := NewTokenizer(in, Options{})
	var words []string
	for tok.Scan() {
		words = append(words, string(tok.Word()))
	}
	if len(words) != 3 || words[0] != "start" || words[1] != strings.Repeat("z", 100) || words[2] != "end" {
		t.Fatalf("got %d words: first %q last %q", len(words), words[0], words[len(words)-1])
	}
	if cap(tok.buf) > bufSize {
		t.Fatalf("buffer grew to %d", cap(tok.buf))
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

func TestTokenizerReadError(t *testing.T) {
	boom := errors.New("boom")
	tok := NewTokenizer(io.MultiReader(strings.NewReader("a b "), iotest.ErrReader(boom)), Options{})
	n := 0
	for tok.Scan() {
		n++
	}
	if n != 2 || !errors.Is(tok.Err(), boom) {
		t.Fatalf("scanned %d words, err %v", n, tok.Err())
	}
}

func TestTokenizerWordsAcrossBufferBoundary(t *testing.T) {
	// Words must come out whole whatever the buffer boundaries.
	var b bytes.Buffer
	var want []string
	for i := 0; b.Len() < 3*bufSize; i++ {
		w := strings.Repeat(string(rune('a'+i%26)), 1+i%13)
		want = append(want, w)
		b.WriteString(w)
		b.WriteByte(" \n\t"[i%3])
	}
	tok := NewTokenizer(&b, Options{MaxSentence: 1 << 30})
	i := 0
	for tok.Scan() {
		if i >= len(want) || string(tok.Word()) != want[i] {
			t.Fatalf("word %d = %q, want %q", i, tok.Word(), want[i])
		}
		i++
	}
	if i != len(want) {
		t.Fatalf("got %d words, want %d", i, len(want))
	}
}

func BenchmarkTokenizer(b *testing.B) {
	text := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog anarchism originated "), 1<<14)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		tok := NewTokenizer(bytes.NewReader(text), Options{})
		for tok.Scan() {
		}
	}
}

func TestTokenizerNewlines(t *testing.T) {
	tests := []struct {
		in       string
		want     string // each word preceded by one "/" per newline before it
		trailing int
	}{
		{"", "", 0},
		{"\n\n", "", 2},
		{" \t\r\n \n ", "", 2},
		{"a bb  ccc", "a bb ccc", 0},
		{"a\n\n\nb\n", "a ///b", 1},
		{"\n\na", "//a", 0},
		{"a b\r\nc\r\n", "a b /c", 1},
	}
	for _, tt := range tests {
		tok := NewTokenizer(iotest.OneByteReader(strings.NewReader(tt.in)), Options{})
		var got []string
		for tok.Scan() {
			got = append(got, strings.Repeat("/", tok.Newlines())+string(tok.Word()))
		}
		if strings.Join(got, " ") != tt.want || tok.Newlines() != tt.trailing {
			t.Errorf("%q: got %q + %d newlines, want %q + %d", tt.in, strings.Join(got, " "), tok.Newlines(), tt.want, tt.trailing)
		}
	}
}
