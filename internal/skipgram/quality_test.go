//go:build !race

package skipgram

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/sampling"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/testenv"
	"github.com/w2vtool/w2v/internal/vocab"
)

// realCorpus reads the first n words of the Wikipedia slice in testdata as
// sentences of ids over a min-count-5 vocabulary.
func realCorpus(t *testing.T, n int) ([][]int32, *vocab.Vocab) {
	t.Helper()
	tok := corpus.NewTokenizer(testenv.WikipediaSlice(t), corpus.Options{MaxSentence: 1000})
	var words []string
	var starts []int
	c := vocab.NewCounter(0)
	for len(words) < n && tok.Scan() {
		if tok.NewSentence() {
			starts = append(starts, len(words))
		}
		words = append(words, string(tok.Word()))
		c.Add(tok.Word())
	}
	v := c.Build(5, 0)
	starts = append(starts, len(words))
	var sentences [][]int32
	for i := 0; i+1 < len(starts); i++ {
		var s []int32
		for _, w := range words[starts[i]:starts[i+1]] {
			if id := v.ID([]byte(w)); id >= 0 {
				s = append(s, id)
			}
		}
		sentences = append(sentences, s)
	}
	return sentences, v
}

// trained is a trained model's input vectors, normalised, as the
// evaluate package reads them.
type trained struct {
	voc  *vocab.Vocab
	dim  int
	vecs []float32
}

func newTrained(m *Model, v *vocab.Vocab) *trained {
	tr := &trained{voc: v, dim: m.Dim, vecs: make([]float32, 0, v.Len()*m.Dim)}
	for id := range int32(v.Len()) {
		x := m.Vector(id)
		var s float64
		for _, y := range x {
			s += float64(y) * float64(y)
		}
		inv := float32(1 / math.Sqrt(s))
		if s == 0 {
			inv = 0
		}
		for _, y := range x {
			tr.vecs = append(tr.vecs, y*inv)
		}
	}
	return tr
}

func (tr *trained) Len() int            { return tr.voc.Len() }
func (tr *trained) Dim() int            { return tr.dim }
func (tr *trained) Word(i int) string   { return tr.voc.Word(int32(i)) }
func (tr *trained) Row(i int) []float32 { return tr.vecs[i*tr.dim : (i+1)*tr.dim] }
func (tr *trained) Matrix() []float32   { return tr.vecs }

// readEval opens a file of testdata/eval, the evaluation sets.
func readEval[T any](t *testing.T, name string, read func(io.Reader, string) (T, error)) T {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "eval", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := read(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// categoryPurity is the share of each listed word's 5 nearest neighbours
// (among the vocabulary's words) that belong to its own category.
func categoryPurity(t *testing.T, tr *trained, categories [][]string) float64 {
	t.Helper()
	in := map[string]int{}
	var qs []search.Query
	var cats []int
	for c, ws := range categories {
		for _, w := range ws {
			in[w] = c
			if id := tr.voc.ID([]byte(w)); id >= 0 {
				qs = append(qs, search.Query{Pos: []int{int(id)}, Skip: []int{int(id)}})
				cats = append(cats, c)
			}
		}
	}
	hits, err := search.New(tr.vecs, tr.dim, 0).Search(context.Background(), qs, 5)
	if err != nil {
		t.Fatal(err)
	}
	var same, total float64
	for i, h := range hits {
		for _, x := range h {
			if c, ok := in[tr.Word(x.Row)]; ok && c == cats[i] {
				same++
			}
			total++
		}
	}
	return same / total
}

var testCategories = [][]string{
	strings.Fields("zero one two three four five six seven eight nine"),
	strings.Fields("january february march april may june july august september october november december"),
	strings.Fields("france germany italy spain england russia china japan india egypt greece poland"),
}

// TestTrainingQuality trains on a million words of real text and checks
// the vectors against thresholds that a working trainer clears and broken
// ones do not: the broken variants below must fail them, which shows the
// thresholds can catch a bug of that size.
func TestTrainingQuality(t *testing.T) {
	sentences, v := realCorpus(t, 1_000_000)
	pairs := readEval(t, "EN-WS-353-ALL.txt", evaluate.ReadPairs)
	questions := readEval(t, "questions-words.txt", evaluate.ReadQuestions)
	sgHS := func(c *Config) { c.HS, c.Negative = true, 0 }
	tests := []struct {
		name   string
		set    func(*Config)
		break_ func(*Trainer)
		good   bool
	}{
		{"skip-gram, per-pair negatives", nil, nil, true},
		{"skip-gram, shared negatives", func(c *Config) { c.SharedNegatives = true }, nil, true},
		{"cbow, negative sampling", func(c *Config) { c.Arch, c.Alpha = CBOW, 0.05 }, nil, true},
		{"skip-gram, hierarchical softmax", sgHS, nil, true},
		{"cbow, hierarchical softmax", func(c *Config) { c.Arch, c.Alpha, c.HS, c.Negative = CBOW, 0.05, true, 0 }, nil, true},
		{"skip-gram, softmax τ=1", func(c *Config) { c.Loss = Softmax }, nil, true},
		{"broken: softmax gradient sign flipped", func(c *Config) { c.Loss = Softmax }, func(tr *Trainer) { tr.cfg.Alpha = -tr.cfg.Alpha }, false},
		{"broken: gradient sign flipped", nil, func(tr *Trainer) { tr.cfg.Alpha = -tr.cfg.Alpha }, false},
		{"broken: uniform negatives", nil, func(tr *Trainer) { tr.neg = sampling.NewUnigram(v.Counts(), 0) }, false},
		{"broken: cbow gradient sign flipped", func(c *Config) { c.Arch, c.Alpha = CBOW, 0.05 }, func(tr *Trainer) { tr.cfg.Alpha = -tr.cfg.Alpha }, false},
		{"broken: hierarchical softmax ignores the code", sgHS, func(tr *Trainer) { ignoreCodes(tr.tree) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs = 50, 3
			if tt.set != nil {
				tt.set(&cfg)
			}
			m := NewModel(v.Len(), cfg)
			tr, err := NewTrainer(cfg, m, v.Counts())
			if err != nil {
				t.Fatal(err)
			}
			if tt.break_ != nil {
				tt.break_(tr)
			}
			if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
				if !tt.good && errors.Is(err, ErrDiverged) {
					return // a broken variant that blows up is caught too
				}
				t.Fatal(err)
			}
			vecs := newTrained(m, v)
			sc := scoreQuality(t, vecs, pairs, questions)
			rho, acc, purity := sc.rho, sc.acc, sc.purity
			t.Logf("%s", sc)
			// Measured on 2026-12-01 (WS-353 / analogy / purity): skip-gram
			// per-pair 0.156/0.026/0.694, shared 0.181/0.024/0.647, CBOW
			// 0.221/0.020/0.700, SG-HS 0.426/0.051/0.747, CBOW-HS
			// 0.369/0.024/0.700; broken: sign flipped −0.022/0/0, uniform
			// negatives 0.115/0.007/0.641, CBOW sign flipped −0.022/0/0, HS
			// ignoring codes 0.039/0/0.012. Softmax τ=1 0.377/0.026/0.659
			// (shared negatives in the same run 0.198/0.030/0.641); its
			// sign-flipped variant diverges.
			pass := rho >= 0.12 && acc >= 0.015 && purity >= 0.55
			if pass != tt.good {
				t.Errorf("quality check passed = %v, want %v", pass, tt.good)
			}
		})
	}
}

// ignoreCodes sets every decision on every path to the same target, as a
// bug that read the wrong bit would; the tree then carries no information.
func ignoreCodes(h *huffman) {
	for i := range h.labels {
		h.labels[i] = 1
	}
}

// quality is what the quality tests measure of trained vectors.
type quality struct {
	rho, acc, purity float64
	pairs, questions int // how many of each were answered
}

func (q quality) String() string {
	return fmt.Sprintf("WS-353 rho %.3f (%d pairs), analogy %.3f (%d questions), category purity %.3f",
		q.rho, q.pairs, q.acc, q.questions, q.purity)
}

// scoreQuality scores vecs on the word pairs, the analogy questions (among
// the 10,000 most frequent words) and testCategories.
func scoreQuality(t *testing.T, vecs *trained, pairs []evaluate.Pair, questions []evaluate.Section) quality {
	t.Helper()
	ws, err := evaluate.Pairs(vecs, pairs, evaluate.PairsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	an, err := evaluate.Analogies(context.Background(), vecs, questions, evaluate.AnalogyOptions{Restrict: 10000, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	return quality{rho: ws.Spearman, acc: an.Total.Accuracy(), purity: categoryPurity(t, vecs, testCategories),
		pairs: ws.Found, questions: an.Total.Answered}
}
