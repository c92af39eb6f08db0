package phrases

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
)

// inputs writes each text to a file and opens them as corpus inputs.
func inputs(t *testing.T, texts ...string) []*corpus.Input {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, text := range texts {
		p := filepath.Join(dir, fmt.Sprintf("c%d.txt", i))
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	ins, closer, err := corpus.Inputs(paths, nil, dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closer.Close() })
	return ins
}

// count counts the texts split into n shards.
func count(t *testing.T, n int, opts CountOptions, texts ...string) *Counts {
	t.Helper()
	shards, err := corpus.Split(inputs(t, texts...), n)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Count(context.Background(), shards, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// dump lists every count held, sorted: "w word n" and "p a b n" lines.
func dump(c *Counts) []string {
	t := c.t
	var out []string
	for id, w := range t.words {
		if w != "" {
			out = append(out, fmt.Sprintf("w %s %d", w, t.counts[id]))
		}
	}
	for _, s := range t.slots {
		if s.a != 0 {
			out = append(out, fmt.Sprintf("p %s %s %d", t.words[s.a], t.words[s.b], s.n))
		}
	}
	slices.Sort(out)
	return out
}

// naiveDump counts the texts the obvious way: per file, per line, adjacent
// fields.
func naiveDump(texts ...string) (lines []string, words int64) {
	wc, pc := map[string]int{}, map[string]int{}
	for _, text := range texts {
		for line := range strings.SplitSeq(text, "\n") {
			f := strings.FieldsFunc(line, func(r rune) bool { return strings.ContainsRune(" \t\n\v\f\r\x00", r) })
			for i, w := range f {
				wc[w]++
				words++
				if i > 0 {
					pc[f[i-1]+" "+w]++
				}
			}
		}
	}
	for w, n := range wc {
		lines = append(lines, fmt.Sprintf("w %s %d", w, n))
	}
	for p, n := range pc {
		lines = append(lines, fmt.Sprintf("p %s %d", p, n))
	}
	slices.Sort(lines)
	return lines, words
}

// randomTexts returns files of words from a small vocabulary, with runs of
// spaces, tabs, newlines and blank lines, some ending without a newline.
func randomTexts(rng *rand.Rand, files, words int) []string {
	seps := []string{" ", " ", " ", "  ", "\t", "\n", "\n\n", " \n ", "\r\n"}
	var texts []string
	for f := range files {
		var b strings.Builder
		if rng.IntN(3) == 0 {
			b.WriteString("\n ")
		}
		for range words {
			fmt.Fprintf(&b, "w%d", rng.IntN(30))
			b.WriteString(seps[rng.IntN(len(seps))])
		}
		text := b.String()
		if f%2 == 1 {
			text = strings.TrimRight(text, " \t\r\n")
		}
		texts = append(texts, text)
	}
	return texts
}

// TestCountShardsExact checks that splitting the input into shards changes
// no count: pairs cut apart by a shard boundary are counted, pairs across a
// line break or between files are not.
func TestCountShardsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 10 {
		texts := randomTexts(rng, 1+rng.IntN(3), 50+rng.IntN(3000))
		want, words := naiveDump(texts...)
		for n := 1; n <= 9; n++ {
			// With the limit at the number of distinct entries, each shard's
			// table fills and is merged many times, but nothing is pruned.
			for _, limit := range []int{0, len(want)} {
				c := count(t, n, CountOptions{MaxEntries: limit}, texts...)
				if got := dump(c); !slices.Equal(got, want) {
					t.Fatalf("trial %d, %d shards, limit %d: counts differ\ngot  %v\nwant %v", trial, n, limit, got, want)
				}
				if c.Words() != words || c.Pruned() != 0 {
					t.Fatalf("trial %d, %d shards, limit %d: %d words, %d pruned; want %d, 0", trial, n, limit, c.Words(), c.Pruned(), words)
				}
			}
		}
	}
}

func TestCountOneLineCorpus(t *testing.T) {
	// The benchmark corpus is a single line: shard boundaries fall inside it.
	text := strings.Repeat("new york is a city ", 2000)
	for n := 1; n <= 5; n++ {
		c := count(t, n, CountOptions{}, text)
		if c.Pair("new", "york") != 2000 || c.Pair("city", "new") != 1999 || c.Word("city") != 2000 {
			t.Errorf("%d shards: new york %d, city new %d, city %d", n, c.Pair("new", "york"), c.Pair("city", "new"), c.Word("city"))
		}
	}
}

func TestCountLineBreaks(t *testing.T) {
	c := count(t, 1, CountOptions{}, "a b\nc d\n\ne f\r\ng", "h i")
	for _, p := range [][2]string{{"b", "c"}, {"d", "e"}, {"f", "g"}, {"g", "h"}} {
		if n := c.Pair(p[0], p[1]); n != 0 {
			t.Errorf("pair %s %s across a line break or files counted %d times", p[0], p[1], n)
		}
	}
	for _, p := range [][2]string{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"h", "i"}} {
		if n := c.Pair(p[0], p[1]); n != 1 {
			t.Errorf("pair %s %s counted %d times, want 1", p[0], p[1], n)
		}
	}
}

// TestPruneBoundsMemory counts ever more distinct words and pairs with a
// small limit: the table must stay within it, however long the corpus,
// while a pair frequent from the start keeps its exact count.
func TestPruneBoundsMemory(t *testing.T) {
	const limit = 2000
	var sizes []int
	for _, lines := range []int{2000, 20000} {
		rng := rand.New(rand.NewPCG(5, 6))
		var b strings.Builder
		for range lines {
			// Every line holds the phrase and rare words that make new pairs.
			fmt.Fprintf(&b, "x%d new york y%d z%d\n", rng.IntN(1e6), rng.IntN(1e6), rng.IntN(1e6))
		}
		for n := 1; n <= 3; n++ {
			shards, err := corpus.Split(inputs(t, b.String()), n)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Count(context.Background(), shards, CountOptions{MaxEntries: limit})
			if err != nil {
				t.Fatal(err)
			}
			tb := c.t
			if w, p := c.Distinct(); w+p > limit || c.Pruned() == 0 {
				t.Errorf("%d lines, %d shards: %d words + %d pairs held, %d pruned; limit %d", lines, n, w, p, c.Pruned(), limit)
			}
			if len(tb.slots) > tb.maxSlots || len(tb.words) > limit+pairBatch+1 {
				t.Errorf("%d lines, %d shards: %d slots (max %d), %d word ids", lines, n, len(tb.slots), tb.maxSlots, len(tb.words))
			}
			if c.Pair("new", "york") != int64(lines) || c.Words() != int64(5*lines) {
				t.Errorf("%d lines, %d shards: new york counted %d times, %d words", lines, n, c.Pair("new", "york"), c.Words())
			}
			if n == 1 {
				sizes = append(sizes, len(tb.slots)*12+len(tb.words)*24)
			}
		}
	}
	// The table's size is set by the limit, not by the corpus: ten times
	// the lines take no more than a word id or two more.
	if sizes[1] > sizes[0]+100 {
		t.Errorf("table grew with the corpus: %d bytes for 2,000 lines, %d for 20,000", sizes[0], sizes[1])
	}
}

// TestPruneKeepsTableConsistent prunes random tables and checks that every
// surviving pair is still found, with its count, and nothing else is.
func TestPruneKeepsTableConsistent(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 50 {
		tb := newTable(1 << 20)
		var batch []slot
		ids := make([]uint32, 40)
		for i := range ids {
			ids[i] = tb.addWord(fmt.Appendf(nil, "w%d", i), 1+int64(rng.IntN(20)))
		}
		for range 2000 {
			// Skewed, so counts vary.
			a, b := ids[rng.IntN(1+rng.IntN(len(ids)))], ids[rng.IntN(len(ids))]
			batch = append(batch, slot{a, b, 1})
			if len(batch) == pairBatch {
				tb.addPairs(batch)
				batch = batch[:0]
			}
		}
		tb.addPairs(batch)
		before := map[[2]uint32]uint32{}
		for _, s := range tb.slots {
			if s.a != 0 {
				before[[2]uint32{s.a, s.b}] = s.n
			}
		}
		target := rng.IntN(tb.entries())
		tb.prune(target)
		if tb.entries() > target {
			t.Fatalf("trial %d: %d entries after pruning to %d", trial, tb.entries(), target)
		}
		m := tb.minReduce - 1 // the bar prune used
		kept := 0
		for k, n := range before {
			alive := int64(n) > m && tb.counts[k[0]] != 0 && tb.counts[k[1]] != 0
			got := tb.pairCount(k[0], k[1])
			if alive && got != n || !alive && got != 0 {
				t.Fatalf("trial %d: pair %v count %d before, %d after pruning at %d", trial, k, n, got, m)
			}
			if alive {
				kept++
			}
		}
		if kept != tb.npairs {
			t.Fatalf("trial %d: %d pairs kept, table says %d", trial, kept, tb.npairs)
		}
	}
}

func TestTableGrowsAndMerges(t *testing.T) {
	a, b := newTable(1<<20), newTable(1<<20)
	var wa, wb []uint32
	for i := range 300 {
		wa = append(wa, a.addWord(fmt.Appendf(nil, "w%d", i), 2))
		wb = append(wb, b.addWord(fmt.Appendf(nil, "w%d", i+150), 3))
	}
	for i := range 299 {
		for j := range 100 {
			a.addPair(wa[i], wa[(i+j)%300], 1)
			b.addPair(wb[i], wb[(i+j)%300], 1)
		}
	}
	a.merge(b)
	if got, want := a.nwords, 450; got != want {
		t.Errorf("%d words after merge, want %d", got, want)
	}
	// w200 is word 200 of a and word 50 of b.
	if n := a.counts[a.ids["w200"]]; n != 5 {
		t.Errorf("count(w200) = %d, want 5", n)
	}
	if n := a.pairCount(a.ids["w200"], a.ids["w210"]); n != 2 {
		t.Errorf("count(w200 w210) = %d, want 2", n)
	}
}

func TestCountReadError(t *testing.T) {
	boom := errors.New("boom")
	text := strings.Repeat("a b c d\n", 200_000)
	in := &corpus.Input{Name: "broken.txt", R: readerAtFunc(func(p []byte, off int64) (int, error) {
		if off > int64(len(text))/10*9 { // past where Split looks
			return 0, boom
		}
		return copy(p, text[off:]), nil
	}), Size: int64(len(text))}
	for n := 1; n <= 3; n++ {
		shards, err := corpus.Split([]*corpus.Input{in}, n)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Count(context.Background(), shards, CountOptions{})
		if !errors.Is(err, boom) || err.Error() != "read broken.txt: boom" {
			t.Errorf("%d shards: got %v", n, err)
		}
	}
}
