//go:build !race

// The race detector would make this test take minutes; it checks Count's
// concurrency on the small corpora of count_test.go.

package vocab

import (
	"bytes"
	"testing"
)

// TestCountIsIndependentOfShardsAtScale counts a corpus of 3,000,000
// distinct words at 1, 2 and 16 shards: with word2vec's limit nothing may be
// pruned and the vocabularies must be identical. (Dividing the limit among
// the shards, as an earlier version did, pruned at 16 shards.)
func TestCountIsIndependentOfShardsAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("counts 16.5M words three times")
	}
	const distinct, repeat = 3_000_000, 5
	path := writeCorpus(t, distinct, repeat)
	var want []byte
	for _, n := range []int{1, 2, 16} {
		c := countFile(t, path, n, 0)
		if c.Pruned() != 0 {
			t.Errorf("%d shards: pruned %d words", n, c.Pruned())
		}
		if c.Distinct() != distinct+10 {
			t.Errorf("%d shards: %d distinct words, want %d", n, c.Distinct(), distinct+10)
		}
		got := saved(t, c, 5)
		if want == nil {
			want = got
			if lines := bytes.Count(got, []byte("\n")); lines != distinct+10 {
				t.Fatalf("vocabulary of %d words at min-count 5, want %d", lines, distinct+10)
			}
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d shards: vocabulary differs from 1 shard's", n)
		}
	}
}
