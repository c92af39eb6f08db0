package vocab

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/corpus"
)

// CountOptions configure Count.
type CountOptions struct {
	// MaxDistinct is the most distinct words the shared counts hold; past
	// it the rarest are pruned. Zero selects DefaultMaxDistinct.
	MaxDistinct int
	// Corpus says how the text is split into words.
	Corpus corpus.Options
	// Read, if not nil, has the number of bytes read added to it as counting
	// goes, so another goroutine can report progress.
	Read *atomic.Int64
}

// Count counts the words of the shards, one goroutine per shard.
//
// Each goroutine counts into a counter of its own, which never prunes: when
// it holds opts.MaxDistinct / len(shards) distinct words, or the shard is
// done, it is merged into a shared counter and emptied. Only the shared
// counter prunes, when it passes opts.MaxDistinct, which happens exactly when
// the corpus as a whole has more distinct words than that, whatever the
// number of shards; otherwise every count is exact and the result does not
// depend on the number of shards. Memory stays within about twice
// opts.MaxDistinct words.
func Count(ctx context.Context, shards []corpus.Shard, opts CountOptions) (*Counter, error) {
	limit := opts.MaxDistinct
	if limit <= 0 {
		limit = DefaultMaxDistinct
	}
	if len(shards) <= 1 {
		// One counter, pruned in place, as word2vec counts.
		c := NewCounter(limit)
		if len(shards) == 1 {
			if err := countShard(ctx, shards[0], opts, c, limit, nil); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	shared := NewCounter(limit)
	var mu sync.Mutex
	flush := func(local *Counter) {
		mu.Lock()
		defer mu.Unlock()
		shared.Merge(local)
		local.reset()
	}
	local := max(limit/len(shards), 1)
	workers, stop := context.WithCancel(ctx) // the first error stops all
	defer stop()
	errs := make([]error, len(shards))
	var wg sync.WaitGroup
	for i, sh := range shards {
		wg.Go(func() {
			c := NewCounter(local)
			if errs[i] = countShard(workers, sh, opts, c, local, flush); errs[i] != nil {
				stop()
				return
			}
			flush(c)
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
	return shared, nil
}

// countShard adds the words of sh to c. When c holds more than limit distinct
// words it prunes, or if flush is not nil hands c to flush, which empties it.
func countShard(ctx context.Context, sh corpus.Shard, opts CountOptions, c *Counter, limit int, flush func(*Counter)) error {
	r := corpus.NewShardReader(sh, opts.Corpus)
	if opts.Read != nil {
		r.CountBytes(opts.Read)
	}
	for n := 0; r.Scan(); n++ {
		c.add(r.Word())
		if len(c.counts) > limit {
			if flush != nil {
				flush(c)
			} else {
				c.prune()
			}
		}
		if n&0xffff == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return r.Err()
}
