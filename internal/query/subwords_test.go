package query

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
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

// oovAnswers answers, for each word of oov, what a server's request would
// ask of m: its nearest words (by cosine and by dot, which needs the
// subword row's length), an analogy with it, its similarity to the first
// vocabulary word and its vector, each from a Runner or call of its own.
// The JSON lines and values are joined into one string per word.
func oovAnswers(t *testing.T, m *Model, oov []string) map[string]string {
	t.Helper()
	out := make(map[string]string, len(oov))
	for _, w := range oov {
		out[w] = oovAnswer(m, w)
	}
	return out
}

func oovAnswer(m *Model, w string) string {
	var b strings.Builder
	run := func(mk func(Options) (*Runner, error), o Options, words ...string) {
		r, err := mk(o)
		if err != nil {
			fmt.Fprintf(&b, "error %v\n", err)
			return
		}
		r.Out, r.Err, r.JSON = &b, &b, true
		if err := r.Run(context.Background(), [][]string{words}, ""); err != nil {
			fmt.Fprintf(&b, "error %v\n", err)
		}
	}
	run(m.Nearest, Options{Top: 3, Subwords: true}, w)
	run(m.Nearest, Options{Top: 3, Subwords: true, Metric: "dot"}, w, m.V.Word(0))
	run(m.Analogy, Options{Top: 3, Subwords: true}, m.V.Word(0), w, m.V.Word(1))
	cos, sub, problem := m.SimilarityOf(m.V.Word(0), w, true)
	fmt.Fprintln(&b, cos, sub, problem)
	vec, norm, fromSub, problem := m.WordVector(w, true)
	fmt.Fprintln(&b, vec, norm, fromSub, problem)
	return b.String()
}

// TestSubwordsConcurrent: many goroutines ask about different unseen words
// at once, each request with a Runner (and so a Lexicon) of its own, and
// one goroutine's Runner answering many in turn; every answer equals the
// one asked alone. Subword rows made in a Lexicon shared by the requests
// (UseSubwords on Model.Lex) make the race detector fire here, and
// answers come out wrong or not at all.
func TestSubwordsConcurrent(t *testing.T) {
	words := strings.Fields("the cat sat on mat dog dogs catalog house houses mouse mice horse horses")
	v, _ := fastTextModel(t, words)
	m, err := NewModel(v)
	if err != nil {
		t.Fatal(err)
	}
	var oov []string
	for _, w := range words {
		oov = append(oov, w+"z", "x"+w, w+w)
	}
	want := oovAnswers(t, m, oov)
	for _, w := range oov[:3] {
		if !strings.Contains(want[w], `"from_subwords":["`+w+`"]`) || !strings.Contains(want[w], " true ") {
			t.Fatalf("%s is not marked from subwords:\n%s", w, want[w])
		}
	}
	const goroutines = 16
	errs := make([]error, goroutines) // each goroutine's first wrong answer
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() { errs[g] = askConcurrently(m, oov, want, uint64(g)) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// The Model's own Lexicon was never written to: an unseen word is
	// still unknown to it.
	if _, problem := m.Lex.Lookup(oov[:1]); problem == "" {
		t.Errorf("Model.Lex gave %s a row; the requests' Lexicons must be their own", oov[0])
	}
}

// askConcurrently asks m about the words of oov in an order of its own,
// each as a request of its own and all through one long-lived Runner whose
// subword rows pile up as on the command line, and returns the first answer
// that differs from want's.
func askConcurrently(m *Model, oov []string, want map[string]string, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 7))
	order := slices.Clone(oov)
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	r, err := m.Nearest(Options{Top: 3, Subwords: true, Metric: "dot"})
	if err != nil {
		return err
	}
	for _, w := range order {
		if got := oovAnswer(m, w); got != want[w] {
			return fmt.Errorf("%s: got\n%s\nwant (asked alone)\n%s", w, got, want[w])
		}
		var b strings.Builder
		r.Out, r.Err, r.JSON = &b, &b, true
		if err := r.Run(context.Background(), [][]string{{w, m.V.Word(0)}}, ""); err != nil {
			return fmt.Errorf("%s, a long-lived Runner: %w", w, err)
		}
		if !strings.Contains(want[w], b.String()) {
			return fmt.Errorf("%s, a long-lived Runner: got\n%s\nwant (asked alone)\n%s", w, b.String(), want[w])
		}
	}
	return nil
}

// TestWithSubwordsNoNgrams: a model without n-grams gets no subword
// Lexicon, and unseen words stay unknown to every caller.
func TestWithSubwordsNoNgrams(t *testing.T) {
	v, err := vecfile.Read(strings.NewReader("2 2\na 1 0\nb 0 1\n"), "t.txt", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewModel(v)
	if err != nil {
		t.Fatal(err)
	}
	if lex, ok := m.Lex.WithSubwords(nil); ok || lex != m.Lex {
		t.Fatal("WithSubwords without n-grams: want the Lexicon itself and false")
	}
	if _, _, problem := m.SimilarityOf("a", "c", true); !strings.Contains(problem, `"c" is not in the vocabulary`) {
		t.Errorf("SimilarityOf with an unknown word: %q", problem)
	}
	if _, _, _, problem := m.WordVector("c", true); !strings.Contains(problem, `"c" is not in the vocabulary`) {
		t.Errorf("WordVector of an unknown word: %q", problem)
	}
	vec, norm, sub, problem := m.WordVector("a", true)
	if problem != "" || sub || norm != 1 || !reflect.DeepEqual(vec, []float32{1, 0}) {
		t.Errorf("WordVector(a) = %v, %v, %v, %q", vec, norm, sub, problem)
	}
}
