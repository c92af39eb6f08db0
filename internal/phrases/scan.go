package phrases

import (
	"errors"
	"io"
	"unicode/utf8"

	"github.com/w2vtool/w2v/internal/corpus"
)

// separator reports which bytes end a word; the same set as package corpus
// uses, so phrases and training see the same words.
var separator = [256]bool{' ': true, '\t': true, '\n': true, '\v': true, '\f': true, '\r': true, 0: true}

const scanBufSize = 256 << 10

// scanner reads words and counts the newlines between them. It differs from
// corpus.Tokenizer in what it reports about line breaks: not only whether one
// precedes a word but how many, so that Apply can reproduce blank lines and
// keep the output line-aligned with the input. Its memory is bounded by its
// buffer, whatever the input: long lines and huge words cost nothing extra.
type scanner struct {
	r            io.Reader
	maxWordBytes int

	buf        []byte
	start, end int // unread bytes are buf[start:end]
	eof        bool
	err        error

	word     []byte // current word: a view into buf, long or clean
	newlines int    // newlines between the previous word (or the start) and word
	long     []byte // kept prefix of an overlong word
	clean    []byte // scratch for words that needed repair
}

func newScanner(maxWordBytes int) *scanner {
	if maxWordBytes <= 0 {
		maxWordBytes = corpus.DefaultMaxWordBytes
	}
	return &scanner{maxWordBytes: maxWordBytes, buf: make([]byte, scanBufSize)}
}

// reset makes s read from r, keeping its buffers.
func (s *scanner) reset(r io.Reader) {
	s.r = r
	s.start, s.end = 0, 0
	s.eof = false
	s.err = nil
	s.word = nil
	s.newlines = 0
}

// fill reads more input after moving the unread bytes to the buffer's start.
// It returns false when no more input will come.
func (s *scanner) fill() bool {
	if s.eof || s.err != nil {
		return false
	}
	if s.start > 0 {
		s.end = copy(s.buf, s.buf[s.start:s.end])
		s.start = 0
	}
	for empty := 0; ; {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			s.eof = true
			return n > 0
		}
		if n > 0 {
			return true
		}
		if empty++; empty > 100 {
			s.err = io.ErrNoProgress
			return false
		}
	}
}

// scan advances to the next word. It returns false at the end of the input
// or on a read error; newlines then holds the number of newlines after the
// last word.
func (s *scanner) scan() bool {
	s.newlines = 0
	for {
		for s.start < s.end && separator[s.buf[s.start]] {
			if s.buf[s.start] == '\n' {
				s.newlines++
			}
			s.start++
		}
		if s.start < s.end {
			break
		}
		if !s.fill() {
			s.word = nil
			return false
		}
	}
	i := s.start
	for {
		for i < s.end && !separator[s.buf[i]] {
			i++
		}
		if i < s.end || s.eof || s.err != nil {
			break
		}
		keep := s.maxWordBytes + utf8.UTFMax
		if i-s.start >= keep {
			// An overlong word: keep what truncation needs, skip the rest.
			s.long = append(s.long[:0], s.buf[s.start:s.start+keep]...)
			s.start = i
			s.skipWord()
			s.setWord(s.long)
			return true
		}
		off := i - s.start
		more := s.fill() // moves the unread bytes to the buffer's start
		i = s.start + off
		if !more {
			break
		}
	}
	s.setWord(s.buf[s.start:i])
	s.start = i
	return true
}

// skipWord discards input up to the next separator.
func (s *scanner) skipWord() {
	for {
		for s.start < s.end {
			if separator[s.buf[s.start]] {
				return
			}
			s.start++
		}
		if !s.fill() {
			return
		}
	}
}

func (s *scanner) setWord(raw []byte) {
	s.word = raw
	if len(raw) > s.maxWordBytes || !isASCII(raw) {
		s.word = s.repair(raw)
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// repair replaces each invalid UTF-8 byte with U+FFFD and truncates the
// result to at most maxWordBytes bytes at a code point boundary, exactly as
// corpus.Tokenizer does.
func (s *scanner) repair(raw []byte) []byte {
	out := s.clean[:0]
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		n := size
		if r == utf8.RuneError && size == 1 {
			n = len(string(utf8.RuneError))
		}
		if len(out)+n > s.maxWordBytes {
			break
		}
		if n == size {
			out = append(out, raw[:size]...)
		} else {
			out = utf8.AppendRune(out, utf8.RuneError)
		}
		raw = raw[size:]
	}
	s.clean = out
	return out
}
