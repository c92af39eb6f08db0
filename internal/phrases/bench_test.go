package phrases

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
)

// zipfText returns n words drawn from a Zipf distribution over a vocabulary
// of 50,000, on lines of 1,000 words.
func zipfText(n int) string {
	rng := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(rng, 1.1, 2, 49_999)
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "w%d", z.Uint64())
		if i%1000 == 999 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func stringInput(text string) *corpus.Input {
	return &corpus.Input{Name: "text", R: strings.NewReader(text), Size: int64(len(text))}
}

// TestNoAllocationPerWord checks that counting and joining allocate per new
// word or per block, never per word read.
func TestNoAllocationPerWord(t *testing.T) {
	const words = 100_000
	in := stringInput(zipfText(words))
	shards, _ := corpus.Split([]*corpus.Input{in}, 1)
	c, err := Count(context.Background(), shards, CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	distinct, _ := c.Distinct()
	allocs := testing.AllocsPerRun(2, func() { Count(context.Background(), shards, CountOptions{}) })
	if allocs > float64(distinct)+1000 {
		t.Errorf("Count: %.0f allocations for %d words, %d of them distinct", allocs, words, distinct)
	}
	m := c.Model(5, 10)
	allocs = testing.AllocsPerRun(2, func() { m.Apply(context.Background(), io.Discard, []*corpus.Input{in}, ApplyOptions{Threads: 2}) })
	if allocs > 1000 {
		t.Errorf("Apply: %.0f allocations for %d words", allocs, words)
	}
}

func BenchmarkCount(b *testing.B) {
	text := zipfText(1_000_000)
	in := stringInput(text)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			shards, _ := corpus.Split([]*corpus.Input{in}, threads)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Count(context.Background(), shards, CountOptions{})
			}
		})
	}
}

func BenchmarkApply(b *testing.B) {
	text := zipfText(1_000_000)
	in := stringInput(text)
	shards, _ := corpus.Split([]*corpus.Input{in}, 1)
	c, _ := Count(context.Background(), shards, CountOptions{})
	m := c.Model(5, 10)
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				m.Apply(context.Background(), io.Discard, []*corpus.Input{in}, ApplyOptions{Threads: threads})
			}
		})
	}
}
