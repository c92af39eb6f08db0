package phrases

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/corpus"
)

// DefaultMaxEntries is the default limit on the words and pairs Count holds
// at once, as gensim's Phrases (max_vocab_size). At about 16 bytes a pair it
// bounds the pair table near 640 MiB; the 70M-word benchmark corpus fits
// without pruning.
const DefaultMaxEntries = 40_000_000

// CountOptions configure Count.
type CountOptions struct {
	// MaxEntries is the most words and pairs held at once; past it the
	// rarest are pruned. Zero selects DefaultMaxEntries.
	MaxEntries int
	// MaxWordBytes is the longest word kept, as in corpus.Options.
	MaxWordBytes int
	// Read, if not nil, has the number of bytes read added to it as counting
	// goes, so another goroutine can report progress.
	Read *atomic.Int64
}

// Counts are the word and pair counts of a corpus.
type Counts struct {
	t *table
}

// Count counts the words of the shards and the pairs of adjacent words on
// the same line, one goroutine per shard, and merges the counts. Each shard
// gets an equal part of opts.MaxEntries, so the merged counts fit the limit
// too. Pairs that straddle two shards are counted as if the input had not
// been split.
func Count(ctx context.Context, shards []corpus.Shard, opts CountOptions) (*Counts, error) {
	limit := opts.MaxEntries
	if limit <= 0 {
		limit = DefaultMaxEntries
	}
	if len(shards) == 0 {
		return &Counts{newTable(limit)}, nil
	}
	tables := make([]*table, len(shards))
	edges := make([]edge, len(shards))
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Go(func() {
			tables[i], edges[i], errs[i] = countShard(ctx, sh, limit/len(shards), opts)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err // one error, not one per shard
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	t := tables[0]
	t.setMaxEntries(limit)
	for i := 1; i < len(tables); i++ {
		t.merge(tables[i])
		tables[i] = nil // let the collector have it before the next merge
	}
	joinEdges(t, edges)
	return &Counts{t}, nil
}

// An edge describes how a shard begins and ends, so that the pairs cut apart
// by the split into shards can be counted after the merge.
type edge struct {
	words           bool          // the shard holds a word
	first, last     []byte        // its first and last words
	firstIn, lastIn *corpus.Input // the inputs they come from
	leadNL          bool          // a newline precedes the first word in the shard
	trailNL         bool          // a newline follows the last word in the shard
	anyNL           bool          // the shard holds a newline
}

// joinEdges counts the pairs made of the last word of one shard and the first
// word of the next shard that holds words, when both lie in the same input
// with no newline between them.
func joinEdges(t *table, edges []edge) {
	var prev *edge
	nl := false // a newline lies between prev's last word and here
	for i := range edges {
		e := &edges[i]
		if !e.words {
			nl = nl || e.anyNL
			continue
		}
		if prev != nil && prev.lastIn == e.firstIn && !nl && !e.leadNL {
			a, b := t.id(prev.last), t.id(e.first)
			// Either may have been pruned; its pairs then go too.
			if a != 0 && b != 0 {
				t.addPair(a, b, 1)
				t.pruneIfFull()
			}
		}
		prev, nl = e, e.trailNL
	}
}

func countShard(ctx context.Context, sh corpus.Shard, limit int, opts CountOptions) (*table, edge, error) {
	t := newTable(limit)
	sc := newScanner(opts.MaxWordBytes)
	var e edge
	var last []byte
	batch := make([]slot, 0, pairBatch)
	for _, seg := range sh {
		var r io.Reader = io.NewSectionReader(seg.In.R, seg.Start, seg.End-seg.Start)
		if opts.Read != nil {
			r = countingReader{r, opts.Read}
		}
		sc.reset(r)
		var prev uint32 // id of the previous word on this line; 0 at a line start
		segWords := false
		for n := 0; sc.scan(); n++ {
			w := sc.word
			if sc.newlines > 0 {
				prev = 0
			}
			if !e.words {
				e.words, e.first, e.firstIn, e.leadNL = true, clone(w), seg.In, sc.newlines > 0
			}
			segWords = true
			t.tokens++
			id := t.addWord(w, 1)
			if prev != 0 {
				batch = append(batch, slot{prev, id, 1})
			}
			prev = id
			last = append(last[:0], w...)
			if len(batch) == pairBatch {
				t.addPairs(batch)
				batch = batch[:0]
				// Prune only with the batch empty, so no pair in it can
				// refer to a pruned word.
				if t.pruneIfFull() {
					prev = t.id(last) // 0 if it was pruned: its next pair is lost
				}
			}
			if n&0xffff == 0 && ctx.Err() != nil {
				return nil, e, ctx.Err()
			}
		}
		t.addPairs(batch)
		batch = batch[:0]
		t.pruneIfFull()
		if sc.err != nil {
			return nil, e, fmt.Errorf("read %s: %w", seg.In.Name, sc.err)
		}
		if segWords {
			e.last, e.lastIn, e.trailNL = clone(last), seg.In, sc.newlines > 0
		}
		e.anyNL = e.anyNL || sc.newlines > 0 // only read for shards without words
	}
	return t, e, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// Words returns the number of words counted: the corpus's size in words.
func (c *Counts) Words() int64 { return c.t.tokens }

// Distinct returns the number of distinct words and pairs held.
func (c *Counts) Distinct() (words, pairs int) { return c.t.nwords, c.t.npairs }

// Pruned returns how many entries pruning dropped (0 when the corpus fitted
// the limit, and the counts are exact).
func (c *Counts) Pruned() int64 { return c.t.pruned }

// Word returns the count of word w.
func (c *Counts) Word(w string) int64 { return c.t.counts[c.t.ids[w]] }

// Pair returns the count of the pair a b.
func (c *Counts) Pair(a, b string) int64 {
	ia, ib := c.t.ids[a], c.t.ids[b]
	if ia == 0 || ib == 0 {
		return 0
	}
	return int64(c.t.pairCount(ia, ib))
}
