package vocab

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
)

// writeCorpus writes a corpus of distinct rare words, each occurring repeat
// times, the occurrences spread evenly through the file so that they fall in
// different shards, with ten frequent words between them and a newline every
// 20 words. It returns the file's path.
func writeCorpus(t testing.TB, distinct, repeat int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "corpus.txt")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	frequent := []string{"the", "of", "and", "in", "a", "to", "was", "is", "for", "on"}
	var word []byte
	n := 0
	for range repeat {
		for i := range distinct {
			word = strconv.AppendInt(append(word[:0], 'r'), int64(i), 36)
			w.Write(word)
			if i%10 == 0 {
				w.WriteByte(' ')
				w.WriteString(frequent[(i/10)%len(frequent)])
			}
			if n++; n%20 == 0 {
				w.WriteByte('\n')
			} else {
				w.WriteByte(' ')
			}
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// countFile counts the words of path split into n shards.
func countFile(t testing.TB, path string, n, maxDistinct int) *Counter {
	t.Helper()
	inputs, closer, err := corpus.Inputs([]string{path}, nil, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	shards, err := corpus.Split(inputs, n)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Count(context.Background(), shards, CountOptions{MaxDistinct: maxDistinct})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// saved returns the vocabulary as --save-vocab writes it.
func saved(t testing.TB, c *Counter, minCount int64) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Build(minCount, 0).Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCountPrunesOnlyPastTheLimit checks that whether pruning happens
// depends on the corpus's distinct words and the limit, not on the shards,
// and that below the limit the counts are those of one shard.
func TestCountPrunesOnlyPastTheLimit(t *testing.T) {
	const distinct = 2000 // plus 10 frequent words
	path := writeCorpus(t, distinct, 3)
	exact := saved(t, countFile(t, path, 1, distinct+10), 1)
	for _, n := range []int{1, 2, 3, 16} {
		for _, limit := range []int{distinct + 10, 4 * distinct, 1000, distinct + 9} {
			c := countFile(t, path, n, limit)
			if c.Distinct() > limit {
				t.Errorf("%d shards, limit %d: holds %d distinct words", n, limit, c.Distinct())
			}
			if limit >= distinct+10 {
				if c.Pruned() != 0 || c.MaxLoss() != 0 {
					t.Errorf("%d shards, limit %d: pruned %d, max loss %d; want nothing pruned", n, limit, c.Pruned(), c.MaxLoss())
				}
				if got := saved(t, c, 1); !bytes.Equal(got, exact) {
					t.Errorf("%d shards, limit %d: counts differ from the exact ones", n, limit)
				}
				continue
			}
			if c.Pruned() == 0 || c.MaxLoss() < 1 {
				t.Errorf("%d shards, limit %d: pruned %d, max loss %d; want pruning reported", n, limit, c.Pruned(), c.MaxLoss())
			}
			// The frequent words survive with exact counts.
			v := c.Build(1, 0)
			if id := v.ID([]byte("the")); id < 0 || v.Count(id) != 3*distinct/100 {
				t.Errorf("%d shards, limit %d: \"the\" has id %d, want it counted %d times", n, limit, id, 3*distinct/100)
			}
		}
	}
}

func TestCountCancelled(t *testing.T) {
	path := writeCorpus(t, 100, 2)
	inputs, closer, err := corpus.Inputs([]string{path}, nil, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	for _, n := range []int{1, 4} {
		shards, _ := corpus.Split(inputs, n)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Count(ctx, shards, CountOptions{}); err != context.Canceled {
			t.Errorf("%d shards: Count = %v, want context.Canceled", n, err)
		}
	}
}

func BenchmarkCount(b *testing.B) {
	path := writeCorpus(b, 200_000, 5)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprint(n, "shards"), func(b *testing.B) {
			for b.Loop() {
				countFile(b, path, n, 0)
			}
		})
	}
}
