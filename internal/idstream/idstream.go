// Package idstream yields the training sentences of one shard of the corpus
// as word ids.
//
// The first pass tokenizes the shard's text and looks each word up in the
// vocabulary, dropping words that are not in it; as it goes it writes the ids
// to a cache file, so later passes read 4 bytes a word instead of tokenizing
// and hashing the text again. The cache is read and written through bounded
// buffers, so memory does not grow with the corpus.
package idstream

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/vocab"
)

// endOfSentence marks a sentence boundary in the cache.
const endOfSentence = ^uint32(0)

// Source yields one shard's sentences. It is not safe for concurrent use;
// each training worker owns one.
type Source struct {
	text  *corpus.ShardReader
	vocab *vocab.Vocab

	cache     *os.File
	cacheName string // non-empty while the file still has to be removed
	cacheW    *bufio.Writer
	fromText  bool // this pass reads text (and fills the cache)

	carry int32 // first word of the next sentence, already read; -1 if none or not in the vocabulary

	// Cache read buffer: unread bytes are buf[pos:end].
	buf      []byte
	pos, end int
	eof      bool
}

// New returns a source over shard whose id cache is a temporary file in
// cacheDir.
func New(shard corpus.Shard, v *vocab.Vocab, opts corpus.Options, cacheDir string) (*Source, error) {
	f, err := os.CreateTemp(cacheDir, ".w2v-ids-*")
	if err != nil {
		return nil, fmt.Errorf("create id cache: %w", err)
	}
	s := &Source{
		text:      corpus.NewShardReader(shard, opts),
		vocab:     v,
		cache:     f,
		cacheName: f.Name(),
		cacheW:    bufio.NewWriterSize(f, 256<<10),
		fromText:  true,
		carry:     -1,
	}
	// On Unix an open file can be removed and still used; it then vanishes
	// even if the process is killed. Elsewhere Close removes it.
	if os.Remove(f.Name()) == nil {
		s.cacheName = ""
	}
	return s, nil
}

// Next reads the next sentence into buf[:0] and returns it. It returns io.EOF
// at the end of the pass. Sentences are never empty.
func (s *Source) Next(buf []int32) ([]int32, error) {
	if s.fromText {
		return s.nextFromText(buf[:0])
	}
	return s.nextFromCache(buf[:0])
}

func (s *Source) nextFromText(sen []int32) ([]int32, error) {
	if s.carry >= 0 {
		sen = append(sen, s.carry)
		s.carry = -1
	}
	for s.text.Scan() {
		id := s.vocab.ID(s.text.Word())
		// A sentence ends where the text says, even when the word that
		// starts the next one is not in the vocabulary: skipping it first
		// would join two lines into one window.
		if s.text.NewSentence() && len(sen) > 0 {
			s.carry = id
			return sen, s.writeSentence(sen)
		}
		if id >= 0 {
			sen = append(sen, id)
		}
	}
	if err := s.text.Err(); err != nil {
		return nil, err
	}
	if len(sen) > 0 {
		return sen, s.writeSentence(sen)
	}
	return nil, io.EOF
}

func (s *Source) writeSentence(sen []int32) error {
	var b [4]byte
	for _, id := range sen {
		binary.LittleEndian.PutUint32(b[:], uint32(id))
		s.cacheW.Write(b[:])
	}
	binary.LittleEndian.PutUint32(b[:], endOfSentence)
	if _, err := s.cacheW.Write(b[:]); err != nil {
		return fmt.Errorf("write id cache: %w", err)
	}
	return nil
}

func (s *Source) nextFromCache(sen []int32) ([]int32, error) {
	for {
		for s.pos+4 <= s.end {
			x := binary.LittleEndian.Uint32(s.buf[s.pos:])
			s.pos += 4
			if x == endOfSentence {
				return sen, nil
			}
			sen = append(sen, int32(x))
		}
		if s.eof {
			if len(sen) == 0 && s.pos == s.end {
				return nil, io.EOF
			}
			return nil, errors.New("read id cache: truncated")
		}
		if err := s.refill(); err != nil {
			return nil, err
		}
	}
}

func (s *Source) refill() error {
	s.end = copy(s.buf, s.buf[s.pos:s.end])
	s.pos = 0
	n, err := io.ReadAtLeast(s.cache, s.buf[s.end:], 4)
	s.end += n
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		s.eof = true
	case err != nil:
		return fmt.Errorf("read id cache: %w", err)
	}
	return nil
}

// Rewind starts the next pass. After the first pass, passes read the cache.
func (s *Source) Rewind() error {
	if s.fromText {
		if err := s.cacheW.Flush(); err != nil {
			return fmt.Errorf("write id cache: %w", err)
		}
		s.fromText = false
	}
	if _, err := s.cache.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("rewind id cache: %w", err)
	}
	if s.buf == nil {
		s.buf = make([]byte, 256<<10)
	}
	s.pos, s.end, s.eof = 0, 0, false
	return nil
}

// Skip positions a fresh source as if pass passes and then sentences
// sentences had been read. Passes before the current one are read from the
// text without training, which also fills the id cache.
func (s *Source) Skip(pass int, sentences int64) error {
	buf := make([]int32, 0, 1024)
	if pass > 0 {
		for {
			sen, err := s.Next(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			buf = sen[:0]
		}
		if err := s.Rewind(); err != nil {
			return err
		}
	}
	for i := range sentences {
		sen, err := s.Next(buf)
		if err == io.EOF {
			return fmt.Errorf("resume: the corpus has only %d sentences where %d were read before; has it changed?", i, sentences)
		}
		if err != nil {
			return err
		}
		buf = sen[:0]
	}
	return nil
}

// Close releases the cache file.
func (s *Source) Close() error {
	err := s.cache.Close()
	if s.cacheName != "" {
		os.Remove(s.cacheName)
	}
	return err
}
