//go:build !race

package skipgram

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/sampling"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/testenv"
	"github.com/w2vtool/w2v/internal/vocab"
)

// realCorpus reads the first n words of the Wikipedia slice in testdata as
// sentences of ids over a min-count-5 vocabulary.
func realCorpus(t *testing.T, n int) ([][]int32, *vocab.Vocab) {
	t.Helper()
	f, err := os.Open("../../testdata/enwiki-2m.txt.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tok := corpus.NewTokenizer(zr, corpus.Options{MaxSentence: 1000})
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

// wsSpearman returns Spearman's rho between WS-353's human scores and the
// model's cosine similarities over the pairs in the vocabulary.
func wsSpearman(t *testing.T, m *Model, v *vocab.Vocab) (float64, int) {
	t.Helper()
	f, err := os.Open(testenv.SharedData(t, "eval/EN-WS-353-ALL.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var human, model []float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 {
			continue
		}
		a, b := v.ID([]byte(strings.ToLower(fs[0]))), v.ID([]byte(strings.ToLower(fs[1])))
		if a < 0 || b < 0 {
			continue
		}
		h, _ := strconv.ParseFloat(fs[2], 64)
		human = append(human, h)
		model = append(model, cosine(m.Vector(a), m.Vector(b)))
	}
	return pearson(ranks(human), ranks(model)), len(human)
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

func ranks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && x[idx[j]] == x[idx[i]] {
			j++
		}
		for k := i; k < j; k++ {
			r[idx[k]] = float64(i+j-1) / 2
		}
		i = j
	}
	return r
}

func pearson(a, b []float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= float64(len(a))
	mb /= float64(len(b))
	var ab, aa, bb float64
	for i := range a {
		ab += (a[i] - ma) * (b[i] - mb)
		aa += (a[i] - ma) * (a[i] - ma)
		bb += (b[i] - mb) * (b[i] - mb)
	}
	return ab / math.Sqrt(aa*bb)
}

// categoryPurity is the share of each listed word's 5 nearest neighbours
// (among the vocabulary's words) that belong to its own category.
func categoryPurity(m *Model, v *vocab.Vocab, categories [][]string) float64 {
	in := map[string]int{}
	for c, ws := range categories {
		for _, w := range ws {
			in[w] = c
		}
	}
	var hits, total float64
	for c, ws := range categories {
		for _, w := range ws {
			id := v.ID([]byte(w))
			if id < 0 {
				continue
			}
			type nb struct {
				id  int32
				cos float64
			}
			var best []nb
			for j := int32(0); j < int32(v.Len()); j++ {
				if j == id {
					continue
				}
				best = append(best, nb{j, cosine(m.Vector(id), m.Vector(j))})
			}
			sort.Slice(best, func(a, b int) bool { return best[a].cos > best[b].cos })
			for _, b := range best[:5] {
				if cc, ok := in[v.Word(b.id)]; ok && cc == c {
					hits++
				}
				total++
			}
		}
	}
	return hits / total
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
			rho, pairs := wsSpearman(t, m, v)
			acc, questions := analogyAccuracy(t, m, v, 10000)
			purity := categoryPurity(m, v, testCategories)
			t.Logf("WS-353 rho %.3f (%d pairs), analogy %.3f (%d questions), category purity %.3f", rho, pairs, acc, questions, purity)
			// Measured with one worker, seed 1 (WS-353 / analogy / purity):
			// skip-gram per-pair 0.155/0.023/0.706, shared 0.192/0.025/0.659,
			// CBOW 0.253/0.021/0.665, SG-HS 0.426/0.051/0.747, CBOW-HS
			// 0.369/0.024/0.700; broken: sign flipped −0.02/0/0, uniform
			// negatives 0.099/0.007/0.635, CBOW sign flipped −0.02/0/0, HS
			// ignoring codes 0.039/0/0.012.
			pass := rho >= 0.12 && acc >= 0.015 && purity >= 0.55
			if pass != tt.good {
				t.Errorf("quality check passed = %v, want %v", pass, tt.good)
			}
		})
	}
}

// analogyAccuracy answers the questions of questions-words.txt whose words
// are all among the restrict most frequent, by 3CosAdd.
func analogyAccuracy(t *testing.T, m *Model, v *vocab.Vocab, restrict int) (float64, int) {
	t.Helper()
	f, err := os.Open(testenv.SharedData(t, "eval/questions-words.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := m.Dim
	norm := make([]float32, restrict*d)
	for i := 0; i < restrict; i++ {
		x := m.Vector(int32(i))
		var s float64
		for _, y := range x {
			s += float64(y) * float64(y)
		}
		for k, y := range x {
			norm[i*d+k] = y / float32(math.Sqrt(s))
		}
	}
	var correct, total int
	scores := make([]float32, restrict)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(strings.ToLower(sc.Text()))
		if len(fs) != 4 {
			continue
		}
		var ids [4]int
		ok := true
		for i, w := range fs {
			id := int(v.ID([]byte(w)))
			if id < 0 || id >= restrict {
				ok = false
				break
			}
			ids[i] = id
		}
		if !ok {
			continue
		}
		total++
		q := make([]float32, d)
		for k := 0; k < d; k++ {
			q[k] = norm[ids[1]*d+k] - norm[ids[0]*d+k] + norm[ids[2]*d+k]
		}
		simd.MatVec(scores, norm, q)
		best, bestScore := -1, float32(-10)
		for j, s := range scores {
			if s > bestScore && j != ids[0] && j != ids[1] && j != ids[2] {
				best, bestScore = j, s
			}
		}
		if best == ids[3] {
			correct++
		}
	}
	return float64(correct) / float64(total), total
}

// ignoreCodes sets every decision on every path to the same target, as a
// bug that read the wrong bit would; the tree then carries no information.
func ignoreCodes(h *huffman) {
	for i := range h.labels {
		h.labels[i] = 1
	}
}
