package evaluate

import (
	"context"
	"math"
	"testing"
)

// toyOOV gives "womanly" woman's vector and "kingly" king's, as subwords
// might, and no vector to anything else.
func toyOOV(dst []float32, w string) bool {
	vecs := map[string][]float32{
		"womanly": {0, 1, 0, 0},
		"kingly":  {1 / math.Sqrt2, 0, 1 / math.Sqrt2, 0},
		"rare":    {1, 1, 1, 1}, // in the vocabulary: must never be asked for
	}
	v, ok := vecs[w]
	copy(dst, v)
	return ok
}

func TestAnalogiesOOV(t *testing.T) {
	secs := []Section{{"royal", []Question{
		// Matched with case, KING is where king − man + woman points (see toyModel).
		{A: "man", B: "king", C: "woman", D: "KING"},
		{A: "man", B: "kingly", C: "womanly", D: "KING"}, // answered with OOV vectors
		{A: "man", B: "king", C: "nothing", D: "queen"},  // no vector for nothing
		{A: "man", B: "king", C: "woman", D: "kingly"},   // the answer must be in the vocabulary
	}}}
	for _, v := range models(t) {
		without, err := Analogies(context.Background(), v, secs, AnalogyOptions{CaseSensitive: true})
		if err != nil {
			t.Fatal(err)
		}
		with, err := Analogies(context.Background(), v, secs, AnalogyOptions{CaseSensitive: true, OOV: toyOOV})
		if err != nil {
			t.Fatal(err)
		}
		if without.Total.Answered != 1 || without.InVocabulary != 1 {
			t.Fatalf("without OOV: answered %d, in vocabulary %d; want 1, 1", without.Total.Answered, without.InVocabulary)
		}
		if with.Total.Answered != 2 || with.InVocabulary != 1 || with.Total.Correct != 2 {
			t.Fatalf("with OOV: answered %d, in vocabulary %d, correct %d; want 2, 1, 2", with.Total.Answered, with.InVocabulary, with.Total.Correct)
		}
		if a := with.Answers[1]; !a.OOV || a.Word != "KING" {
			t.Fatalf("the OOV question: %+v", a)
		}
	}
}

func TestPairsOOV(t *testing.T) {
	pairs := []Pair{
		{A: "man", B: "king", Score: 8},
		{A: "woman", B: "womanly", Score: 10}, // cosine 1 with OOV vectors
		{A: "man", B: "woman", Score: 1},
		{A: "king", B: "kingly", Score: 9},
		{A: "man", B: "nothing", Score: 5}, // no vector: skipped
	}
	for _, v := range models(t) {
		without, err := Pairs(v, pairs, PairsOptions{CaseSensitive: true})
		if err != nil {
			t.Fatal(err)
		}
		with, err := Pairs(v, pairs, PairsOptions{CaseSensitive: true, OOV: toyOOV})
		if err != nil {
			t.Fatal(err)
		}
		if without.Found != 2 || without.InVocab != 2 {
			t.Fatalf("without OOV: found %d, in vocabulary %d; want 2, 2", without.Found, without.InVocab)
		}
		if with.Found != 4 || with.InVocab != 2 {
			t.Fatalf("with OOV: found %d, in vocabulary %d; want 4, 2", with.Found, with.InVocab)
		}
		// Cosines 0.707, 1, 0, 1 against scores 8, 10, 1, 9: ranks agree but for a tie.
		if with.Spearman < 0.9 {
			t.Fatalf("with OOV: Spearman %v", with.Spearman)
		}
	}
}
