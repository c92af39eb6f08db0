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
// at once, as gensim's Phrases (max_vocab_size). A full pair table takes 16
// bytes an entry, 640 MiB at this limit; the 70M-word benchmark corpus, with
// 12M entries, fits without pruning.
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
// the same line, one goroutine per shard. Pairs that straddle two shards are
// counted as if the input had not been split.
//
// Each goroutine counts into a table of its own, holding up to
// opts.MaxEntries / len(shards) entries; when it is full, or the shard is
// done, it is merged into a shared table and emptied. Only the shared table
// is pruned, when it passes opts.MaxEntries, so the counts are exact — and
// the same whatever the number of shards — unless the corpus as a whole
// holds more distinct words and pairs than that. Memory stays within twice
// the limit.
func Count(ctx context.Context, shards []corpus.Shard, opts CountOptions) (*Counts, error) {
	limit := opts.MaxEntries
	if limit <= 0 {
		limit = DefaultMaxEntries
	}
	if len(shards) <= 1 {
		// One table, pruned in place.
		var sh corpus.Shard
		if len(shards) == 1 {
			sh = shards[0]
		}
		t, _, err := countShard(ctx, sh, limit, nil, opts)
		if err != nil {
			return nil, err
		}
		return &Counts{t}, nil
	}
	var (
		mu     sync.Mutex
		shared *table
	)
	// flush merges a full or final table into the shared one. It returns a
	// table to go on counting into: t emptied, or a new one if t became the
	// shared table (the first flush, which so costs no copying).
	flush := func(t *table) *table {
		mu.Lock()
		defer mu.Unlock()
		if shared == nil {
			shared = t
			shared.setMaxEntries(limit)
			shared.pruneIfFull()
			return nil
		}
		shared.merge(t)
		t.reset()
		return t
	}
	edges := make([]edge, len(shards))
	errs := make([]error, len(shards))
	workers, stop := context.WithCancel(ctx) // the first error stops all
	defer stop()
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Go(func() {
			var t *table
			t, edges[i], errs[i] = countShard(workers, sh, max(limit/len(shards), 1), flush, opts)
			if errs[i] != nil {
				stop()
				return
			}
			flush(t)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err // one error, not one per shard
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err // the first, not those of the shards it stopped
		}
	}
	joinEdges(shared, edges)
	return &Counts{shared}, nil
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

// countShard counts the words and pairs of a shard into a table holding up
// to limit entries. When the table is full, countShard prunes it, or if
// flush is not nil hands it to flush and goes on with the table flush
// returns (or a new one). It returns the table and how the shard begins and
// ends.
func countShard(ctx context.Context, sh corpus.Shard, limit int, flush func(*table) *table, opts CountOptions) (*table, edge, error) {
	t := newTable(limit)
	sc := newScanner(opts.MaxWordBytes)
	var e edge
	var last []byte // the last word counted
	batch := make([]slot, 0, pairBatch)
	for _, seg := range sh {
		var r io.Reader = io.NewSectionReader(seg.In.R, seg.Start, seg.End-seg.Start)
		if opts.Read != nil {
			r = corpus.CountingReader(r, opts.Read)
		}
		sc.Reset(r)
		var prev uint32 // id of the previous word on this line; 0 at a line start
		segWords := false
		for n := 0; sc.Scan(); n++ {
			w := sc.Word()
			if sc.Newlines() > 0 {
				prev = 0
			}
			if !e.words {
				e.words, e.first, e.firstIn, e.leadNL = true, clone(w), seg.In, sc.Newlines() > 0
			}
			segWords = true
			t.tokens++
			id := t.addWord(w, 1)
			if prev != 0 {
				batch = append(batch, slot{prev, id, 1})
			}
			prev = id
			last = append(last[:0], w...)
			if len(batch) == pairBatch || t.entries()+len(batch) > t.maxEntries {
				t.addPairs(batch)
				batch = batch[:0]
				// Only with the batch empty: no pair in it may refer to a
				// word that is gone.
				if t.entries() > t.maxEntries {
					if flush == nil {
						t.pruneIfFull()
						prev = t.id(last) // 0 if it was pruned: its next pair is lost
					} else {
						if t = flush(t); t == nil {
							t = newTable(limit)
						}
						// The next pair needs its first word here. Its count
						// is in the table just flushed, so add it with 0:
						// the one place a pair outcounts its word.
						prev = t.addWord(last, 0)
					}
				}
			}
			if n&0xffff == 0 && ctx.Err() != nil {
				return nil, e, ctx.Err()
			}
		}
		t.addPairs(batch)
		batch = batch[:0]
		if flush == nil {
			t.pruneIfFull()
		}
		if sc.Err() != nil {
			return nil, e, fmt.Errorf("read %s: %w", seg.In.Name, sc.Err())
		}
		if segWords {
			e.last, e.lastIn, e.trailNL = clone(last), seg.In, sc.Newlines() > 0
		}
		e.anyNL = e.anyNL || sc.Newlines() > 0 // only read for shards without words
	}
	return t, e, nil
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }

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
