package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

var halvesOnce sync.Once

// corpusHalves returns two files holding the first and the second 100,000
// words of the test corpus.
func corpusHalves(t *testing.T) (a, b string) {
	t.Helper()
	a, b = filepath.Join(testDir, "half-a.txt"), filepath.Join(testDir, "half-b.txt")
	halvesOnce.Do(func() {
		words := bytes.Fields(firstWords(t, 200_000))
		for i, p := range []string{a, b} {
			half := words[i*len(words)/2 : (i+1)*len(words)/2]
			if err := os.WriteFile(p, bytes.Join(half, []byte(" ")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})
	return a, b
}

// textVectors reads a word2vec text file as each word's line after the word.
func textVectors(t *testing.T, path string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	v := make(map[string]string, len(lines))
	for _, l := range lines[1:] {
		w, rest, _ := strings.Cut(l, " ")
		v[w] = rest
	}
	return v
}

// trainModel trains a 10-dimension model on corpus with --save-model, one
// thread, and returns the vectors' and the model's paths.
func trainModel(t *testing.T, corpus string, args ...string) (vec, model string) {
	t.Helper()
	dir := t.TempDir()
	vec, model = filepath.Join(dir, "a.txt"), filepath.Join(dir, "a.w2vm")
	args = append([]string{"train", corpus, "--dim", "10", "--threads", "1", "--epochs", "1", "-o", vec, "--save-model", model}, args...)
	if code, _, stderr := w2v(t, "", args...); code != 0 {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	return vec, model
}

// With a learning rate of 0 nothing trains, so a continued model must hold
// every old word's vectors exactly as they were, wherever the grown
// vocabulary puts them, and the new words with rows of their own.
func TestContinueKeepsOldRows(t *testing.T) {
	a, b := corpusHalves(t)
	for _, mode := range [][]string{nil, {"--hs", "--negative", "0"}} {
		t.Run(strings.Join(append([]string{"ns"}, mode...), " "), func(t *testing.T) {
			vecA, modelA := trainModel(t, a, mode...)
			dir := t.TempDir()
			vecB, modelB := filepath.Join(dir, "b.txt"), filepath.Join(dir, "b.w2vm")
			code, _, stderr := w2v(t, "", "train", "--continue", modelA, b, "--alpha", "0", "--threads", "1", "-o", vecB, "--save-model", modelB)
			if code != 0 {
				t.Fatalf("continue: exit %d: %s", code, stderr)
			}
			old, grown := textVectors(t, vecA), textVectors(t, vecB)
			for w, v := range old {
				if grown[w] != v {
					t.Fatalf("%q: vector %.40s… after continuing, was %.40s…", w, grown[w], v)
				}
			}
			ckA, ckB := readCk(t, modelA), readCk(t, modelB)
			// So must the output rows, which the vector files do not show.
			idB := make(map[string]int, len(ckB.Words))
			for i, w := range ckB.Words {
				idB[w] = i
			}
			d := ckA.Model.Dim
			for i, w := range ckA.Words {
				j := idB[w]
				if ckA.Model.Out != nil && !slices.Equal(ckA.Model.Out[i*d:(i+1)*d], ckB.Model.Out[j*d:(j+1)*d]) {
					t.Fatalf("%q: output row changed", w)
				}
			}
			// Inner nodes keep their rows counted from the root.
			if hsA, hsB := ckA.Model.OutHS, ckB.Model.OutHS; hsA != nil && !slices.Equal(hsA, hsB[len(hsB)-len(hsA):]) {
				t.Error("the inner nodes' rows, counted from the root, changed")
			}
			if len(grown) <= len(old) || len(ckB.Words) != len(grown) {
				t.Fatalf("the continued model has %d words (file %d), the old one %d: no new words", len(ckB.Words), len(grown), len(old))
			}
			// Counts are summed with the new text's; the vocabulary stays
			// sorted by them, as training needs.
			countA := make(map[string]int64)
			for i, w := range ckA.Words {
				countA[w] = ckA.Counts[i]
			}
			newB := wordCounts(t, b)
			var added []string
			for i, w := range ckB.Words {
				if i > 0 && ckB.Counts[i] > ckB.Counts[i-1] {
					t.Fatalf("counts not in descending order at %q", w)
				}
				if ckB.Counts[i] != countA[w]+newB[w] {
					t.Errorf("%q: count %d, want %d + %d", w, ckB.Counts[i], countA[w], newB[w])
				}
				if _, ok := countA[w]; !ok {
					if newB[w] < 5 {
						t.Errorf("%q joined with %d occurrences in the new text, below --min-count 5", w, newB[w])
					}
					added = append(added, w)
				}
			}
			// A new word is findable: nearest answers for it.
			code, out, stderr := w2v(t, "", "nearest", "-m", vecB, "-k", "3", added[0])
			if code != 0 || len(strings.Fields(out)) < 3 {
				t.Errorf("nearest %s in the continued vectors: exit %d: %s%s", added[0], code, out, stderr)
			}
		})
	}
}

// wordCounts counts the words of a small file.
func wordCounts(t *testing.T, path string) map[string]int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := make(map[string]int64)
	for w := range strings.FieldsSeq(string(b)) {
		c[w]++
	}
	return c
}

// Each bad --continue gets one clear error and writes nothing.
func TestContinueRefuses(t *testing.T) {
	a, b := corpusHalves(t)
	vecA, modelA := trainModel(t, a)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"vector file", []string{"--continue", vecA, b}, "is not a w2v model file: a vector file"},
		{"missing model", []string{"--continue", filepath.Join(t.TempDir(), "nope.w2vm"), b}, "nope.w2vm not found"},
		{"other dim", []string{"--continue", modelA, "--dim", "20", b}, "--dim cannot change when continuing"},
		{"hs added", []string{"--continue", modelA, "--hs", b}, "--hs cannot change when continuing"},
		{"no negative sampling", []string{"--continue", modelA, "--negative", "0", "--hs", b}, "cannot change when continuing"},
		{"other model", []string{"--continue", modelA, "--model", "cbow", b}, "--model cannot change when continuing"},
		{"no new text", []string{"--continue", modelA}, "missing NEW text"},
		{"with resume", []string{"--continue", modelA, "--resume", modelA, b}, "--resume and --continue do not go together"},
		{"read-vocab", []string{"--continue", modelA, "--read-vocab", a, b}, "--read-vocab does not apply"},
		{"subwords", []string{"--continue", modelA, "--subwords", "--buckets", "1000", b}, "does not support subword models"},
		{"model over the vectors", []string{"--save-model", "SAME", "-o", "SAME", a}, "is also the vectors' output"},
		{"model over the checkpoint", []string{"--save-model", "CKPT", "--checkpoint", "CKPT", a}, "is also the checkpoint"},
		{"missing text", []string{"--continue", modelA, filepath.Join(t.TempDir(), "none.txt")}, "none.txt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out, model := filepath.Join(dir, "v.txt"), filepath.Join(dir, "m.w2vm")
			args := append([]string{"train", "-o", out, "--save-model", model}, tc.args...)
			for i := range args {
				switch args[i] {
				case "SAME":
					args[i] = out
				case "CKPT":
					args[i] = filepath.Join(dir, "c.ckpt")
				}
			}
			code, _, stderr := w2v(t, "", args...)
			var errs []string
			for l := range strings.Lines(stderr) {
				if strings.HasPrefix(l, "w2v: ") {
					errs = append(errs, l)
				}
			}
			if code == 0 || len(errs) != 1 || !strings.Contains(errs[0], tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant a non-zero exit and one error line with %q", code, stderr, tc.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("a refused run left %s in its output directory", entries[0].Name())
			}
		})
	}
}
