package evaluate

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// toyModel has man:king :: woman:queen built in, a first "Queen" that the
// case-folded "queen" stands for, and "KING", a case variant of a query word
// that points exactly where king − man + woman does.
const toyModel = `9 4
the 0.1 0.1 0.1 0.1
man 1 0 0 0
Queen 0 1 1 0
king 1 0 1 0
woman 0 1 0 0
KING -0.2929 1 0.7071 0
queen 0 1 1 0.01
rare 0 0 0 1
Woman 0 1 0 0.01
`

func toy(t *testing.T) *vecfile.Vectors {
	t.Helper()
	v, err := vecfile.Read(strings.NewReader(toyModel), "toy.txt", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// bare hides the optional methods of *vecfile.Vectors, leaving those of
// Vectors, as a model being trained offers them.
type bare struct{ v *vecfile.Vectors }

func (b bare) Len() int             { return b.v.Len() }
func (b bare) Dim() int             { return b.v.Dim() }
func (b bare) Word(i int) string    { return b.v.Word(i) }
func (b bare) Row(i int) []float32  { return b.v.Row(i) }
func models(t *testing.T) []Vectors { return []Vectors{toy(t), bare{toy(t)}} }

func TestAnalogies(t *testing.T) {
	secs := []Section{
		{"royal", []Question{
			{A: "man", B: "king", C: "woman", D: "queen"},
			{A: "MAN", B: "King", C: "Woman", D: "QUEEN"},
			{A: "man", B: "king", C: "woman", D: "absent"},
		}},
		{"rare", []Question{{A: "man", B: "rare", C: "woman", D: "queen"}}},
	}
	for _, tc := range []struct {
		name     string
		opts     AnalogyOptions
		words    []string // answers, "" when skipped
		correct  int
		answered int
	}{
		// Ignoring case, KING is a form of the query word king and is
		// skipped; "queen" stands for the earlier "Queen".
		{"folded", AnalogyOptions{}, []string{"Queen", "Queen", "", "KING"}, 2, 3},
		// Exactly, KING is another word, and the best answer; "MAN" is
		// unknown.
		{"case-sensitive", AnalogyOptions{CaseSensitive: true}, []string{"KING", "", "", "KING"}, 0, 2},
		// Restricted to the first 7 words, "rare" is unknown.
		{"restricted", AnalogyOptions{Restrict: 7}, []string{"Queen", "Queen", "", ""}, 2, 2},
		{"3CosMul", AnalogyOptions{Method: search.Mul}, []string{"Queen", "Queen", "", "KING"}, 2, 3},
	} {
		for _, v := range models(t) {
			t.Run(fmt.Sprintf("%s/%T", tc.name, v), func(t *testing.T) {
				rep, err := Analogies(context.Background(), v, secs, tc.opts)
				if err != nil {
					t.Fatal(err)
				}
				for i, ans := range rep.Answers {
					if ans.Word != tc.words[i] {
						t.Errorf("question %d (%s %s %s): answer %q, want %q", i, ans.A, ans.B, ans.C, ans.Word, tc.words[i])
					}
				}
				if rep.Total.Correct != tc.correct || rep.Total.Answered != tc.answered || rep.Total.Total != 4 {
					t.Errorf("total %+v, want %d correct of %d answered of 4", rep.Total, tc.correct, tc.answered)
				}
				if rep.Semantic != (Score{"semantic", tc.correct, tc.answered, 4}) || rep.Syntactic.Total != 0 {
					t.Errorf("semantic %+v, syntactic %+v", rep.Semantic, rep.Syntactic)
				}
			})
		}
	}
}

func TestSemanticIsFirstFiveSections(t *testing.T) {
	var secs []Section
	for i := range 7 {
		secs = append(secs, Section{Name: string(rune('a' + i)), Questions: []Question{{A: "man", B: "king", C: "woman", D: "queen"}}})
	}
	rep, err := Analogies(context.Background(), toy(t), secs, AnalogyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Semantic.Total != 5 || rep.Syntactic.Total != 2 || rep.Total.Correct != 7 {
		t.Fatalf("semantic %+v syntactic %+v total %+v", rep.Semantic, rep.Syntactic, rep.Total)
	}
}

func TestPairs(t *testing.T) {
	for _, v := range models(t) {
		t.Run(fmt.Sprintf("%T", v), func(t *testing.T) { testPairs(t, v) })
	}
}

func testPairs(t *testing.T, v Vectors) {
	pairs := []Pair{
		{A: "man", B: "woman", Score: 1},
		{A: "king", B: "QUEEN", Score: 5},  // folded: Queen
		{A: "Queen", B: "queen", Score: 9}, // nearly identical
		{A: "man", B: "absent", Score: 3},
	}
	rep, err := Pairs(v, pairs, PairsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Pairs != 4 || rep.Found != 3 || math.Abs(rep.Spearman-1) > 1e-12 {
		t.Fatalf("got %+v, want 3 of 4 found and rho 1", rep)
	}
	rep, err = Pairs(v, pairs, PairsOptions{CaseSensitive: true})
	if err != nil || rep.Found != 2 {
		t.Fatalf("case-sensitive: %+v, %v; want 2 pairs found (QUEEN is unknown)", rep, err)
	}
	if _, err := Pairs(v, pairs[2:], PairsOptions{CaseSensitive: true, Restrict: 3}); err == nil {
		t.Fatal("want an error when fewer than 2 pairs are found")
	}
}
