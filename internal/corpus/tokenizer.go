package corpus

import (
	"errors"
	"io"
	"unicode/utf8"
)

// Default limits, matching the train command's defaults.
const (
	DefaultMaxWordBytes = 100
	DefaultMaxSentence  = 10000
)

// Options set the tokenizer's limits. Zero values select the defaults.
type Options struct {
	// MaxWordBytes is the longest word kept, in bytes of UTF-8; longer words
	// are truncated at a code point boundary.
	MaxWordBytes int
	// MaxSentence is the most words a sentence may have; longer lines are cut
	// into several sentences.
	MaxSentence int
}

func (o Options) withDefaults() Options {
	if o.MaxWordBytes <= 0 {
		o.MaxWordBytes = DefaultMaxWordBytes
	}
	if o.MaxSentence <= 0 {
		o.MaxSentence = DefaultMaxSentence
	}
	return o
}

// separator reports which bytes end a word: ASCII whitespace and NUL.
var separator = [256]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true, 0: true}

const bufSize = 256 << 10

// Tokenizer reads words from a stream. Use it like bufio.Scanner:
//
//	for tok.Scan() {
//		if tok.NewSentence() { … }
//		use(tok.Word())
//	}
//	if err := tok.Err(); err != nil { … }
type Tokenizer struct {
	r    io.Reader
	opts Options

	buf        []byte
	start, end int // unread bytes are buf[start:end]
	eof        bool
	err        error

	word    []byte // current word: a view into buf or into clean
	clean   []byte // scratch for words that needed repair
	long    []byte // the kept prefix of an overlong word
	newSent bool   // the current word starts a sentence

	newlines    int // newlines since the previous word (or the start)
	lineBreak   bool
	sentenceLen int // words in the current sentence so far
	words       int64
}

// NewTokenizer returns a tokenizer reading from r.
func NewTokenizer(r io.Reader, opts Options) *Tokenizer {
	t := &Tokenizer{opts: opts.withDefaults(), buf: make([]byte, bufSize)}
	t.Reset(r)
	return t
}

// Reset makes t read from r, keeping its buffers. The next word starts a new
// sentence.
func (t *Tokenizer) Reset(r io.Reader) {
	t.r = r
	t.start, t.end = 0, 0
	t.eof = false
	t.err = nil
	t.word = nil
	t.newlines = 0
	t.lineBreak = true
	t.sentenceLen = 0
}

// Word returns the current word. The slice is valid until the next call to
// Scan or Reset.
func (t *Tokenizer) Word() []byte { return t.word }

// NewSentence reports whether the current word starts a sentence: it is the
// first word of the input, the first after a newline, or the first after
// MaxSentence words of a long line.
func (t *Tokenizer) NewSentence() bool { return t.newSent }

// Words returns the number of words scanned so far.
func (t *Tokenizer) Words() int64 { return t.words }

// Newlines returns the number of newlines between the previous word (or the
// start of the input) and the current one; after Scan returns false, the
// number after the last word. Tools that rewrite text line by line use it to
// keep blank lines.
func (t *Tokenizer) Newlines() int { return t.newlines }

// Err returns the first read error other than io.EOF.
func (t *Tokenizer) Err() error { return t.err }

// fill reads more input into the buffer after moving unread bytes to its
// start. It returns false when no more input will come.
func (t *Tokenizer) fill() bool {
	if t.eof || t.err != nil {
		return false
	}
	if t.start > 0 {
		t.end = copy(t.buf, t.buf[t.start:t.end])
		t.start = 0
	}
	for empty := 0; ; {
		n, err := t.r.Read(t.buf[t.end:])
		t.end += n
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.err = err
			}
			t.eof = true
			return n > 0
		}
		if n > 0 {
			return true
		}
		if empty++; empty > 100 {
			t.err = io.ErrNoProgress
			return false
		}
	}
}

// Scan advances to the next word, returning false at the end of the input or
// on a read error.
func (t *Tokenizer) Scan() bool {
	// Skip separators, counting line breaks.
	t.newlines = 0
	for {
		for t.start < t.end && separator[t.buf[t.start]] {
			if t.buf[t.start] == '\n' {
				t.newlines++
				t.lineBreak = true
			}
			t.start++
		}
		if t.start < t.end {
			break
		}
		if !t.fill() {
			t.word = nil
			return false
		}
	}
	// Find the word's end, reading more if it runs to the end of the buffer.
	i := t.start
	for {
		for i < t.end && !separator[t.buf[i]] {
			i++
		}
		if i < t.end || t.eof || t.err != nil {
			break
		}
		keep := t.opts.MaxWordBytes + utf8.UTFMax
		if i-t.start >= keep {
			// An overlong word: keep what truncation needs, drop the rest.
			t.long = append(t.long[:0], t.buf[t.start:t.start+keep]...)
			t.start = i
			t.skipWord()
			t.setWord(t.long)
			return true
		}
		off := i - t.start
		more := t.fill() // moves the unread bytes to the buffer's start
		i = t.start + off
		if !more {
			break
		}
	}
	t.setWord(t.buf[t.start:i])
	t.start = i
	return true
}

// skipWord discards input up to the next separator.
func (t *Tokenizer) skipWord() {
	for {
		for t.start < t.end {
			if separator[t.buf[t.start]] {
				return
			}
			t.start++
		}
		if !t.fill() {
			return
		}
	}
}

// setWord makes raw the current word, repairing it if needed, and updates
// the sentence bookkeeping.
func (t *Tokenizer) setWord(raw []byte) {
	t.word = raw
	if !isShortASCII(raw, t.opts.MaxWordBytes) {
		t.word = t.repair(raw)
	}
	t.newSent = t.lineBreak || t.sentenceLen >= t.opts.MaxSentence
	if t.newSent {
		t.sentenceLen = 0
	}
	t.lineBreak = false
	t.sentenceLen++
	t.words++
}

func isShortASCII(b []byte, max int) bool {
	if len(b) > max {
		return false
	}
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// repair replaces each invalid UTF-8 byte with U+FFFD and truncates the
// result to at most MaxWordBytes bytes at a code point boundary.
func (t *Tokenizer) repair(raw []byte) []byte {
	out := t.clean[:0]
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		n := size
		if r == utf8.RuneError && size == 1 {
			n = len(string(utf8.RuneError))
		}
		if len(out)+n > t.opts.MaxWordBytes {
			break
		}
		if n == size {
			out = append(out, raw[:size]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		raw = raw[size:]
	}
	t.clean = out
	return out
}
