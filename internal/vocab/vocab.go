// Package vocab maps words to dense integer ids and back.
//
// A Counter tallies words while the corpus is read, pruning rare words when
// the number of distinct words passes a limit so memory stays bounded on huge
// corpora (word2vec's ReduceVocab); Count fills one from the shards of a
// corpus in parallel, with the same result at any number of shards while the
// corpus has no more distinct words than the limit. Build turns the counts
// into a Vocab: words with at least a minimum count, sorted by descending
// count, ties broken by byte order so the result does not depend on the
// order words were seen.
// Vocabularies read and write word2vec's "word count" per line format.
package vocab

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DefaultMaxDistinct is the number of distinct words a Counter holds before
// it prunes, as in word2vec (0.7 × its 30M-entry hash table).
const DefaultMaxDistinct = 21_000_000

// MaxWords is the most words a vocabulary may hold: ids are int32.
const MaxWords = math.MaxInt32

// Counter counts word occurrences with bounded memory.
type Counter struct {
	counts      map[string]int64
	maxDistinct int
	minReduce   int64 // next pruning drops words with count ≤ minReduce
	tokens      int64
	pruned      int64 // word counts dropped by pruning
	maxLoss     int64 // the most occurrences pruning can have taken from one word
}

// NewCounter returns a counter that prunes once it holds more than
// maxDistinct distinct words (DefaultMaxDistinct if maxDistinct ≤ 0).
func NewCounter(maxDistinct int) *Counter {
	if maxDistinct <= 0 {
		maxDistinct = DefaultMaxDistinct
	}
	return &Counter{counts: make(map[string]int64), maxDistinct: maxDistinct, minReduce: 1}
}

// Add counts one occurrence of word.
func (c *Counter) Add(word []byte) {
	c.add(word)
	if len(c.counts) > c.maxDistinct {
		c.prune()
	}
}

// add counts one occurrence of word without pruning.
func (c *Counter) add(word []byte) {
	c.tokens++
	if n, ok := c.counts[string(word)]; ok { // no allocation for the lookup
		c.counts[string(word)] = n + 1
		return
	}
	c.counts[string(word)] = 1
}

// prune drops the rarest words, raising the bar each time, as word2vec does:
// counts of words that survive stay exact, but words dropped early may later
// be counted again from zero.
func (c *Counter) prune() {
	for len(c.counts) > c.maxDistinct*3/4 {
		for w, n := range c.counts {
			if n <= c.minReduce {
				delete(c.counts, w)
				c.pruned++
			}
		}
		c.minReduce++
	}
	// One call drops a word at most once, with at most the last bar's count.
	c.maxLoss += c.minReduce - 1
}

// Merge adds the counts of o to c, then prunes c if it holds more than its
// limit of distinct words.
func (c *Counter) Merge(o *Counter) {
	c.tokens += o.tokens
	c.pruned += o.pruned
	c.maxLoss += o.maxLoss
	for w, n := range o.counts {
		c.counts[w] += n
	}
	if len(c.counts) > c.maxDistinct {
		c.prune()
	}
}

// reset empties c, keeping its memory for reuse.
func (c *Counter) reset() {
	clear(c.counts)
	c.tokens, c.pruned, c.maxLoss = 0, 0, 0
}

// Tokens returns the number of words added, pruned ones included.
func (c *Counter) Tokens() int64 { return c.tokens }

// Distinct returns the number of distinct words currently held.
func (c *Counter) Distinct() int { return len(c.counts) }

// Pruned returns how many counts of words pruning has dropped (a word
// counted again after being dropped may be dropped again); 0 means every
// count is exact.
func (c *Counter) Pruned() int64 { return c.pruned }

// MaxLoss returns the most occurrences pruning may have taken from any one
// word: a count may be this much below the truth, and a word whose true
// count is at most this may be missing. It is 0 when nothing was pruned.
func (c *Counter) MaxLoss() int64 { return c.maxLoss }

// Vocab is an immutable vocabulary: ids 0..Len()-1 in descending count order.
type Vocab struct {
	words  []string
	counts []int64
	ids    map[string]int32
	total  int64
}

// Build returns the vocabulary of words counted at least minCount times,
// keeping only the maxWords most frequent if maxWords > 0.
func (c *Counter) Build(minCount int64, maxWords int) *Vocab {
	type entry struct {
		w string
		n int64
	}
	entries := make([]entry, 0, len(c.counts))
	for w, n := range c.counts {
		if n >= minCount {
			entries = append(entries, entry{w, n})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return strings.Compare(a.w, b.w)
	})
	if maxWords > 0 && len(entries) > maxWords {
		entries = entries[:maxWords]
	}
	words := make([]string, len(entries))
	counts := make([]int64, len(entries))
	for i, e := range entries {
		words[i], counts[i] = e.w, e.n
	}
	return New(words, counts)
}

// New returns a vocabulary of the given words and counts, which must be of
// equal length, with distinct words, at most MaxWords of them; ids follow
// the order given.
func New(words []string, counts []int64) *Vocab {
	v := &Vocab{words: words, counts: counts, ids: make(map[string]int32, len(words))}
	for i, w := range words {
		v.ids[w] = int32(i)
		v.total += counts[i]
	}
	return v
}

// Len returns the number of words.
func (v *Vocab) Len() int { return len(v.words) }

// ID returns the id of word, or -1 if it is not in the vocabulary.
func (v *Vocab) ID(word []byte) int32 {
	if id, ok := v.ids[string(word)]; ok {
		return id
	}
	return -1
}

// Word returns the word with the given id.
func (v *Vocab) Word(id int32) string { return v.words[id] }

// Words returns all words in id order. The caller must not modify it.
func (v *Vocab) Words() []string { return v.words }

// Count returns how often the word with the given id was counted.
func (v *Vocab) Count(id int32) int64 { return v.counts[id] }

// Counts returns all counts in id order. The caller must not modify it.
func (v *Vocab) Counts() []int64 { return v.counts }

// Total returns the sum of all counts: the number of corpus words that are in
// the vocabulary, i.e. the words one training epoch sees.
func (v *Vocab) Total() int64 { return v.total }

// Bytes estimates the memory v takes: its strings, counts and hash index.
func (v *Vocab) Bytes() int64 {
	var n int64
	for _, w := range v.words {
		n += int64(len(w)) + 16 + 8 + 48
	}
	return n
}

// Write writes the vocabulary as "word count" lines, in id order.
func (v *Vocab) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	var line []byte
	for i, word := range v.words {
		line = append(line[:0], word...)
		line = append(line, ' ')
		line = strconv.AppendInt(line, v.counts[i], 10)
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Read reads a vocabulary in "word count" per line format (as written by
// Write and by word2vec's -save-vocab) and keeps the words with at least
// minCount occurrences, re-sorted as Build sorts. name is used in errors.
func Read(r io.Reader, name string, minCount int64, maxWords int) (*Vocab, error) {
	c := NewCounter(1 << 62)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, fmt.Errorf("%s line %d: want \"word count\", got %d fields", name, line, len(fields))
		}
		if !utf8.ValidString(fields[0]) {
			return nil, fmt.Errorf("%s line %d: word is not valid UTF-8", name, line)
		}
		n, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s line %d: count %q is not a non-negative integer", name, line, fields[1])
		}
		if _, dup := c.counts[fields[0]]; dup {
			return nil, fmt.Errorf("%s line %d: word %q listed twice", name, line, fields[0])
		}
		if len(c.counts) == MaxWords {
			return nil, fmt.Errorf("%s line %d: more than %d words, the most a vocabulary can hold", name, line, MaxWords)
		}
		c.counts[fields[0]] = n
		c.tokens += n
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return c.Build(minCount, maxWords), nil
}
