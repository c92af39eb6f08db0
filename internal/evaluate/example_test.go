package evaluate_test

import (
	"fmt"
	"strings"

	"github.com/w2vtool/w2v/internal/evaluate"
)

func ExampleSpearman() {
	// Ties share their average rank.
	human := []float64{1, 2, 2, 3}
	model := []float64{0.1, 0.5, 0.4, 0.9}
	fmt.Printf("%.4f\n", evaluate.Spearman(human, model))
	// Output: 0.9487
}

func ExampleReadPairs() {
	set := "# word1 word2 score\r\ntiger\tcat\t7.35\r\nbook paper 7.46"
	pairs, err := evaluate.ReadPairs(strings.NewReader(set), "pairs.txt")
	fmt.Println(pairs, err)
	_, err = evaluate.ReadPairs(strings.NewReader("tiger cat\n"), "bad.txt")
	fmt.Println(err)
	// Output:
	// [{tiger cat 7.35 2} {book paper 7.46 3}] <nil>
	// bad.txt:1: want "word1 word2 score", got 2 fields
}
