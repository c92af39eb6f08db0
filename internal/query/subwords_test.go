package query

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// fastTextModel writes a random fastText model of the given words to a
// .bin and opens it.
func fastTextModel(t *testing.T, words []string) (*vecfile.Vectors, *vecfile.FastText) {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	a := vecfile.DefaultFastTextArgs(8)
	a.Bucket = 100
	m := &vecfile.FastText{Args: a, Words: words, Counts: make([]int64, len(words))}
	m.Input = make([]float32, m.InputRows()*m.Dim())
	m.Output = make([]float32, len(words)*m.Dim())
	for i := range m.Input {
		m.Input[i] = r.Float32() - 0.5
	}
	path := filepath.Join(t.TempDir(), "m.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := vecfile.WriteFastText(f, m); err != nil {
		t.Fatal(err)
	}
	f.Close()
	v, err := vecfile.Open(path, vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v, m
}

func TestLexiconSubwords(t *testing.T) {
	words := strings.Fields("the cat sat on mat dog dogs catalog")
	v, m := fastTextModel(t, words)
	sr := search.New(v.Matrix(), v.Dim(), 0)
	lex := NewLexicon(v)
	if _, problem := lex.Lookup([]string{"cats"}); !strings.Contains(problem, "not in the vocabulary") {
		t.Fatalf("before UseSubwords, an unseen word: %q", problem)
	}
	if !lex.UseSubwords(sr) {
		t.Fatal("UseSubwords: the model has n-grams")
	}
	rows, problem := lex.Lookup([]string{"cat", "cats", "cats", "dogz"})
	if problem != "" {
		t.Fatal(problem)
	}
	n := v.Len()
	if want := []int{1, n, n, n + 1}; !reflect.DeepEqual(rows, want) {
		t.Fatalf("rows %v; want %v (an unseen word's row is made once)", rows, want)
	}
	want := make([]float32, v.Dim())
	m.SubwordVector(want, "cats")
	norm := float32(math.Sqrt(float64(simd.Dot(want, want))))
	simd.Scale(1/norm, want)
	if got := lex.Row(n); !reflect.DeepEqual(got, want) {
		t.Fatalf("row of cats %v; want its unit subword vector %v", got, want)
	}
	if got := lex.Labels([]string{"cat", "cats"}, rows[:2]); !reflect.DeepEqual(got, []string{"cat", "cats" + FromSubwords}) {
		t.Fatalf("labels %q", got)
	}
	if got := lex.SubwordWords([]string{"cat", "cats"}, rows[:2]); !reflect.DeepEqual(got, []string{"cats"}) {
		t.Fatalf("subword words %q", got)
	}
	// The search ranks the vocabulary by cosine with the subword vector,
	// and never returns the unseen word's own row.
	hits, err := sr.Search(context.Background(), []search.Query{{Pos: []int{n}, Skip: []int{n}}}, n)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits[0]) != n {
		t.Fatalf("%d hits; want the %d words", len(hits[0]), n)
	}
	best, bestCos := -1, float32(-2)
	for i := range n {
		if c := simd.Dot(v.Row(i), want); c > bestCos {
			best, bestCos = i, c
		}
	}
	if h := hits[0][0]; h.Row != best || math.Abs(float64(h.Score-bestCos)) > 1e-5 {
		t.Fatalf("nearest to cats: row %d (%v); want %d (%v)", h.Row, h.Score, best, bestCos)
	}
	// Dot needs the lengths of the extra rows too.
	sr2 := search.New(v.Matrix(), v.Dim(), 0)
	sr2.Metric, sr2.Norms = search.Dot, Norms(v)
	lex2 := NewLexicon(v)
	lex2.UseSubwords(sr2)
	rows, _ = lex2.Lookup([]string{"cats"})
	if _, err := sr2.Search(context.Background(), []search.Query{{Pos: rows, Skip: rows}}, 3); err != nil {
		t.Fatalf("dot search with a subword row: %v", err)
	}
}

func TestLexiconNoSubwords(t *testing.T) {
	v, err := vecfile.Read(strings.NewReader("2 2\na 1 0\nb 0 1\n"), "t.txt", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lex := NewLexicon(v)
	if lex.UseSubwords(nil) {
		t.Fatal("a word2vec file has no n-grams")
	}
	if _, problem := lex.Lookup([]string{"c"}); problem == "" {
		t.Fatal("an unknown word without subwords must be reported")
	}
}
