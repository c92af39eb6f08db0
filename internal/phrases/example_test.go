package phrases_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/phrases"
)

func Example() {
	// 25 lines: five people, five verbs, one city, and some new things.
	var b strings.Builder
	for i := range 25 {
		who := []string{"we", "they", "she", "he", "you"}[i%5]
		did := []string{"saw", "left", "loved", "visited", "missed"}[i/5]
		fmt.Fprintf(&b, "%s %s new york\n", who, did)
	}
	for i := range 5 {
		fmt.Fprintf(&b, "%s new %s\n", []string{"a", "the", "my", "our", "some"}[i], []string{"car", "idea", "song", "job", "shoes"}[i])
	}
	text := b.String()
	in := &corpus.Input{Name: "example", R: strings.NewReader(text), Size: int64(len(text))}
	ctx := context.Background()

	// Pass 1: count words and pairs, in two shards.
	shards, err := corpus.Split([]*corpus.Input{in}, 2)
	if err != nil {
		log.Fatal(err)
	}
	counts, err := phrases.Count(ctx, shards, phrases.CountOptions{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("words:", counts.Words(), "new:", counts.Word("new"), "york:", counts.Word("york"), "new york:", counts.Pair("new", "york"))

	// Keep the pairs scoring above 3 with min-count 5. "new york" scores
	// (25 − 5) / (30 · 25) · 115 = 3.07; "saw new", seen 5 times, scores 0.
	model := counts.Model(5, 3)
	for _, p := range model.Phrases() {
		fmt.Printf("%s_%s: count %d, score %.1f\n", p.A, p.B, p.Count, p.Score)
	}

	// Pass 2: write the corpus with them joined; show a few lines.
	var out strings.Builder
	if _, err := model.Apply(ctx, &out, []*corpus.Input{in}, phrases.ApplyOptions{}); err != nil {
		log.Fatal(err)
	}
	lines := strings.SplitAfter(out.String(), "\n")
	fmt.Print(strings.Join(lines[:3], ""), lines[26])
	// Output:
	// words: 115 new: 30 york: 25 new york: 25
	// new_york: count 25, score 3.1
	// we saw new_york
	// they saw new_york
	// she saw new_york
	// the new idea
}
