//go:build !race

package skipgram

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/subword"
)

// oovVector is fastText's vector for a word outside the vocabulary: the
// mean of its n-grams' bucket rows.
func oovVector(m *Model, word string) []float32 {
	d := m.Dim
	v := make([]float32, d)
	buckets := m.Sub.Config.AppendBuckets(nil, word)
	for _, b := range buckets {
		for i := range v {
			v[i] += m.In[(m.Words+int(b))*d+i] / float32(len(buckets))
		}
	}
	return v
}

// misspellings are words of the slice's vocabulary with a letter dropped or
// swapped, none of them in the vocabulary: a subword model should find the
// word among the nearest few to each.
var misspellings = map[string]string{
	"goverment":     "government",
	"univeristy":    "university",
	"populaton":     "population",
	"internationl":  "international",
	"televison":     "television",
	"professionnal": "professional",
	"developement":  "development",
	"presidnet":     "president",
	"championshp":   "championship",
	"anounced":      "announced",
}

// TestSubwordTrainingQuality trains fastText's skip-gram and CBOW on a
// million words of real text and checks the words' vectors (means of their
// rows) as TestTrainingQuality does, and the vectors of misspelt words that
// were never seen: the misspelling's nearest words must include the word.
// A model whose n-gram rows take no gradient keeps them at their random
// start, and misspellings then land anywhere.
func TestSubwordTrainingQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on a million words")
	}
	sentences, v := realCorpus(t, 1_000_000)
	pairs := readEval(t, "EN-WS-353-ALL.txt", evaluate.ReadPairs)
	questions := readEval(t, "questions-words.txt", evaluate.ReadQuestions)
	tests := []struct {
		name   string
		set    func(*Config)
		break_ func(*Trainer)
		good   bool
	}{
		{"skip-gram, negative sampling", nil, nil, true},
		{"cbow, negative sampling", func(c *Config) { c.Arch = CBOW }, nil, true},
		{"broken: gradient sign flipped", nil, func(tr *Trainer) { tr.cfg.Alpha = -tr.cfg.Alpha }, false},
		{"broken: n-grams left out of the input", nil, func(tr *Trainer) { ownRowsOnly(tr.model.Sub) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := DefaultConfig()
			cfg.Dim, cfg.Epochs, cfg.Alpha, cfg.Sample = 50, 3, 0.05, 1e-4
			cfg.Subwords = subword.Config{MinN: 3, MaxN: 6, Buckets: 200_000}
			if tt.set != nil {
				tt.set(&cfg)
			}
			m, err := NewSubwordModel(v.Words(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := NewTrainer(cfg, m, v.Counts())
			if err != nil {
				t.Fatal(err)
			}
			if tt.break_ != nil {
				tt.break_(tr)
			}
			if err := tr.Train(context.Background(), []Source{&memSource{sentences: sentences}}, nil); err != nil {
				if !tt.good && errors.Is(err, ErrDiverged) {
					return
				}
				t.Fatal(err)
			}
			vecs := &trained{voc: v, dim: m.Dim, vecs: normalize(m.WordVectors(), m.Dim)}
			sc := scoreQuality(t, vecs, pairs, questions)
			rho, acc, purity := sc.rho, sc.acc, sc.purity
			found := misspeltFound(t, m, vecs)
			t.Logf("%s, misspellings found %d of %d", sc, found, len(misspellings))
			// Measured on 2026-12-01 (WS-353 / analogy / purity / misspellings
			// found): skip-gram 0.282/0.197/0.588/6 (with fastText's schedule
			// and negatives; 0.293/0.285/0.524/7 with word2vec's), CBOW
			// 0.179/0.036/0.382/3;
			// broken: n-grams left out 0.372/0.031/0.665/0 (plain word
			// vectors: fine words, no OOV vectors, none of the syntactic
			// analogies that n-grams answer). Subword vectors put a word's
			// inflections nearest, which lowers category purity.
			pass := rho >= 0.1 && acc >= 0.02 && purity >= 0.3 && found >= 3
			if tt.set == nil && tt.good {
				pass = pass && acc >= 0.1 // skip-gram's syntactic analogies
			}
			if pass != tt.good {
				t.Errorf("quality check passed = %v, want %v", pass, tt.good)
			}
		})
	}
}

// ownRowsOnly makes every word's row list its own row alone, as a trainer
// that forgot the n-grams would train: the buckets then stay random.
func ownRowsOnly(s *Subwords) {
	var rows []int32
	start := []int32{0}
	for id := range int32(s.Words) {
		rows = append(rows, id)
		start = append(start, int32(len(rows)))
	}
	s.Rows, s.Start, s.max = rows, start, 1
}

// misspeltFound counts the misspellings whose word is among the 10 words
// nearest to their OOV vector.
func misspeltFound(t *testing.T, m *Model, vecs *trained) int {
	t.Helper()
	found := 0
	for bad, good := range misspellings {
		if vecs.voc.ID([]byte(bad)) >= 0 {
			t.Fatalf("%q is in the vocabulary", bad)
		}
		id := vecs.voc.ID([]byte(good))
		if id < 0 {
			t.Fatalf("%q is not in the vocabulary", good)
		}
		q := normalize(oovVector(m, bad), m.Dim)
		// The word is among the 10 nearest when fewer than 10 words are nearer.
		target := simd.Dot(q, vecs.Row(int(id)))
		nearer := 0
		for r := range vecs.Len() {
			if simd.Dot(q, vecs.Row(r)) > target {
				nearer++
			}
		}
		if nearer < 10 {
			found++
		}
	}
	return found
}

// normalize returns rows of x scaled to unit length.
func normalize(x []float32, d int) []float32 {
	out := make([]float32, len(x))
	for i := 0; i < len(x); i += d {
		var s float64
		for _, y := range x[i : i+d] {
			s += float64(y) * float64(y)
		}
		if s == 0 {
			continue
		}
		inv := float32(1 / math.Sqrt(s))
		for j, y := range x[i : i+d] {
			out[i+j] = y * inv
		}
	}
	return out
}
