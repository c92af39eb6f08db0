package main

import (
	"bytes"
	"cmp"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/vecfile"
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
	_, subA := trainModel(t, a, "--subwords", "--buckets", "10000")
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
		{"subwords added", []string{"--continue", modelA, "--subwords", b}, "was trained without subwords, and continuing cannot add them"},
		{"buckets on a word model", []string{"--continue", modelA, "--buckets", "10000", b}, "--buckets: " + modelA + " was trained without subwords"},
		{"subwords dropped", []string{"--continue", subA, "--subwords=false", b}, "is a subword model, and continuing keeps its n-grams"},
		{"other minn", []string{"--continue", subA, "--minn", "2", b}, "--minn cannot change when continuing: " + subA + " was trained with 3"},
		{"other maxn", []string{"--continue", subA, "--maxn", "5", b}, "--maxn cannot change when continuing"},
		{"other buckets", []string{"--continue", subA, "--buckets", "20000", b}, "--buckets cannot change when continuing"},
		{"fasttext from a word model", []string{"--continue", modelA, "--format", "fasttext", b}, "--format fasttext writes a subword model"},
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

// cosine is the cosine similarity of a and b.
func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

// ngramMean is fastText's vector of a word the model lacks: the mean of
// its n-grams' bucket rows in the checkpoint's input matrix.
func ngramMean(c *checkpoint.Checkpoint, word string) []float32 {
	d, m := c.Model.Dim, c.Model
	v := make([]float32, d)
	bs := c.Config.Subwords.AppendBuckets(nil, word)
	for _, b := range bs {
		row := m.In[(m.Words+int(b))*d : (m.Words+int(b)+1)*d]
		for k := range v {
			v[k] += row[k] / float32(len(bs))
		}
	}
	return v
}

// A subword model continues as a word model does, its n-gram rows carried
// over: new words get vectors, old words train on and stay where they were
// relative to each other, and the output, text or fastText .bin, is what
// a subword model writes.
func TestContinueSubwords(t *testing.T) {
	a, b := corpusHalves(t)
	vecA, modelA := trainModel(t, a, "--subwords", "--buckets", "10000", "--epochs", "5")
	dir := t.TempDir()
	vecB, binB, modelB := filepath.Join(dir, "b.txt"), filepath.Join(dir, "b.bin"), filepath.Join(dir, "b.w2vm")
	for _, out := range [][]string{{"-o", vecB, "--save-model", modelB}, {"-o", binB, "--format", "fasttext", "--subwords"}} {
		args := append([]string{"train", "--continue", modelA, b, "--threads", "1", "--epochs", "1", "-q"}, out...)
		if code, _, stderr := w2v(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	old, grown := readVec(t, vecA), readVec(t, vecB)
	ckA, ckB := readCk(t, modelA), readCk(t, modelB)
	if ckB.Model.Sub == nil || ckB.Config.Subwords != ckA.Config.Subwords || len(ckB.Model.In) != (len(ckB.Words)+10000)*10 {
		t.Fatalf("continued model: subwords %v (%+v), %d input values for %d words", ckB.Model.Sub != nil, ckB.Config.Subwords, len(ckB.Model.In), len(ckB.Words))
	}
	var added string
	for _, w := range ckB.Words {
		if _, ok := old[w]; !ok {
			added = w
			break
		}
	}
	if _, ok := grown[added]; added == "" || !ok {
		t.Fatalf("no new word with a vector (first new word %q)", added)
	}
	// The 100 most frequent words of the first half trained on: each moved,
	// yet, its vector centred on the mean of theirs (subword vectors share
	// a large common part), is nearer its own old vector than any other
	// word's, and keeps its old nearest neighbours.
	top := ckA.Words[:100]
	before, meanA := centred(old, top)
	after, meanB := centred(grown, top)
	var own, shared float64
	for _, w := range top {
		if slices.Equal(old[w], grown[w]) {
			t.Errorf("%q: vector unchanged by continuing", w)
		}
		if nearestTo(before, top, after[w]) == w {
			own++
		}
		shared += float64(overlap(nearestOf(before, top, w, 10), nearestOf(after, top, w, 10))) / 10
	}
	own, shared = own/float64(len(top)), shared/float64(len(top))
	t.Logf("nearest old vector its own: %.2f of words; old 10 nearest kept: %.2f", own, shared)
	if own < 0.6 || shared < 0.5 {
		t.Errorf("old words drifted: %.2f of them nearest their own old vector, %.2f of 10 nearest neighbours kept", own, shared)
	}
	// The .bin is a subword model's: it holds the text output's vectors, and
	// gives an unseen word the mean of its n-grams' rows, which kept what
	// they learnt on the first half.
	ft, err := vecfile.OpenFastText(binB)
	if err != nil {
		t.Fatal(err)
	}
	v := make([]float32, 10)
	for _, w := range []string{"the", added} {
		if !ft.WordVector(v, w) {
			t.Fatalf("%q: not in the .bin", w)
		}
		for k := range v {
			if math.Abs(float64(v[k]-grown[w][k])) > 1e-5 {
				t.Fatalf("%q: the .bin gives %v, the text output %v", w, v, grown[w])
			}
		}
	}
	const unseen = "goverments"
	if ft.WordVector(v, unseen) {
		t.Fatalf("%q is in the vocabulary; pick another unseen word", unseen)
	}
	want := ngramMean(ckB, unseen)
	for k := range v {
		if math.Abs(float64(v[k]-want[k])) > 1e-6 {
			t.Fatalf("%q: the .bin gives %v, the mean of its n-gram rows is %v", unseen, v, want)
		}
	}
	// Centred, as above: the common part alone would make any two close.
	c := cosine(minus(ngramMean(ckA, unseen), meanA), minus(want, meanB))
	t.Logf("%q: cosine %.3f between its vectors before and after continuing", unseen, c)
	if c < 0.8 {
		t.Errorf("%q: cosine %.3f between its vector before and after continuing: the n-gram rows did not carry over", unseen, c)
	}
}

// nearestOf returns the k words of among nearest to word in vecs, by cosine.
func nearestOf(vecs map[string][]float32, among []string, word string, k int) []string {
	others := slices.DeleteFunc(slices.Clone(among), func(w string) bool { return w == word })
	slices.SortFunc(others, func(x, y string) int {
		return cmp.Compare(cosine(vecs[word], vecs[y]), cosine(vecs[word], vecs[x]))
	})
	return others[:k]
}

// overlap counts the words in both a and b.
func overlap(a, b []string) int {
	n := 0
	for _, w := range a {
		if slices.Contains(b, w) {
			n++
		}
	}
	return n
}

// centred returns the vectors of words less their mean, and the mean.
func centred(vecs map[string][]float32, words []string) (map[string][]float32, []float32) {
	mean := make([]float32, len(vecs[words[0]]))
	for _, w := range words {
		for k, x := range vecs[w] {
			mean[k] += x / float32(len(words))
		}
	}
	out := make(map[string][]float32, len(words))
	for _, w := range words {
		out[w] = minus(vecs[w], mean)
	}
	return out, mean
}

// minus returns a − b.
func minus(a, b []float32) []float32 {
	d := slices.Clone(a)
	for k := range d {
		d[k] -= b[k]
	}
	return d
}

// nearestTo returns the word of among whose vector in vecs is nearest v.
func nearestTo(vecs map[string][]float32, among []string, v []float32) string {
	best, bestCos := "", math.Inf(-1)
	for _, w := range among {
		if c := cosine(vecs[w], v); c > bestCos {
			best, bestCos = w, c
		}
	}
	return best
}
