package search_test

import (
	"context"
	"fmt"

	"github.com/w2vtool/w2v/internal/search"
)

func ExampleSearcher_Search() {
	words := []string{"man", "woman", "king", "queen", "apple"}
	// Unit vectors: gender on the first axis, royalty on the second.
	vecs := []float32{
		1, 0, 0,
		-1, 0, 0,
		0.6, 0.8, 0,
		-0.6, 0.8, 0,
		0, 0, 1,
	}
	s := search.New(vecs, 3, 0)
	// man is to king as woman is to ?: king - man + woman.
	q := search.Query{Pos: []int{2, 1}, Neg: []int{0}, Skip: []int{0, 1, 2}}
	hits, err := s.Search(context.Background(), []search.Query{q}, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range hits[0] {
		fmt.Printf("%s %.3f\n", words[h.Row], h.Score)
	}
	// Output:
	// queen 0.918
	// apple 0.000
}
