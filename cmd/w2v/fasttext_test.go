package main

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// fastTextBin writes a random fastText model (8 dimensions, n-grams of 3
// to 6 characters in 200 buckets) and returns its path and the model.
func fastTextBin(t *testing.T) (string, *vecfile.FastText) {
	t.Helper()
	words := strings.Fields("the of and cat cats dog dogs catalog house houses")
	return randomFastText(t, "model.bin", words, 200, 3)
}

// randomFastText writes a fastText model of words (8 dimensions, n-grams
// in buckets buckets) with input rows uniform in ±0.5 drawn from seed, to
// a file name in the test's directory; it returns the path and the model.
func randomFastText(t *testing.T, name string, words []string, buckets int32, seed uint64) (string, *vecfile.FastText) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	a := vecfile.DefaultFastTextArgs(8)
	a.Bucket = buckets
	m := &vecfile.FastText{Args: a, Words: words, Counts: make([]int64, len(words))}
	m.Input = make([]float32, m.InputRows()*m.Dim())
	m.Output = make([]float32, len(words)*m.Dim())
	for i := range m.Input {
		m.Input[i] = r.Float32() - 0.5
	}
	var b bytes.Buffer
	if err := vecfile.WriteFastText(&b, m); err != nil {
		t.Fatal(err)
	}
	return writeFile(t, name, b.Bytes()), m
}

func TestFastTextQueries(t *testing.T) {
	bin, m := fastTextBin(t)
	native := filepath.Join(t.TempDir(), "model.w2v")
	if code, _, stderr := w2v(t, "", "convert", bin, "-o", native); code != 0 || !strings.Contains(stderr, "200 n-gram buckets") {
		t.Fatalf("convert to native: exit %d\n%s", code, stderr)
	}
	for _, model := range []string{bin, native} {
		code, out, stderr := w2v(t, "", "nearest", "-m", model, "-k", "3", "cat", "housse")
		if code != 0 || !strings.Contains(out, "Nearest to cat:") || !strings.Contains(out, "Nearest to housse (from subwords):") {
			t.Fatalf("nearest -m %s: exit %d\n%s%s", model, code, out, stderr)
		}
		code, out, _ = w2v(t, "", "nearest", "-m", model, "--json", "housse")
		var res struct {
			FromSubwords []string `json:"from_subwords"`
			Neighbors    []struct{ Word string }
		}
		if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || len(res.FromSubwords) != 1 || len(res.Neighbors) != 10 {
			t.Fatalf("nearest --json -m %s: exit %d, %v\n%s", model, code, err, out)
		}
		code, out, _ = w2v(t, "", "similarity", "-m", model, "cat", "catz")
		if code != 0 || !strings.Contains(out, "catz (from subwords)") {
			t.Fatalf("similarity -m %s: exit %d\n%s", model, code, out)
		}
		code, out, _ = w2v(t, "", "analogy", "-m", model, "cat", "cats", "housez")
		if code != 0 || !strings.Contains(out, "housez from subwords") {
			t.Fatalf("analogy -m %s: exit %d\n%s", model, code, out)
		}
	}
	// The native copy answers as the .bin does.
	_, a, _ := w2v(t, "", "similarity", "-m", bin, "--json", "cat", "catz", "hous", "dogs")
	_, b, _ := w2v(t, "", "similarity", "-m", native, "--json", "cat", "catz", "hous", "dogs")
	if a != b || !strings.Contains(a, `"from_subwords":["catz"]`) {
		t.Fatalf("the .bin answers\n%s\nthe native copy\n%s", a, b)
	}

	// Text holds each word's full vector, the mean of its rows.
	vec := filepath.Join(t.TempDir(), "model.vec")
	if code, _, stderr := w2v(t, "", "convert", bin, "-o", vec); code != 0 {
		t.Fatalf("convert to text: exit %d\n%s", code, stderr)
	}
	v, err := vecfile.Open(vec, vecfile.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, m.Dim())
	for i, w := range m.Words {
		m.WordVector(want, w)
		for j, x := range v.Row(i) {
			if math.Abs(float64(x-want[j])) > 1e-6 {
				t.Fatalf("%s in the .vec: %v; want %v", w, v.Row(i), want)
			}
		}
	}

	// --format fasttext writes the .bin back, byte for byte, and needs a .bin.
	again := filepath.Join(t.TempDir(), "again.bin")
	if code, _, stderr := w2v(t, "", "convert", bin, "--format", "fasttext", "-o", again); code != 0 {
		t.Fatalf("convert --format fasttext: exit %d\n%s", code, stderr)
	}
	x, _ := os.ReadFile(bin)
	y, _ := os.ReadFile(again)
	if !bytes.Equal(x, y) {
		t.Fatal("convert --format fasttext changed the model")
	}
	for _, src := range []string{vec, native} {
		out := filepath.Join(t.TempDir(), "no.bin")
		code, _, stderr := w2v(t, "", "convert", src, "--format", "fasttext", "-o", out)
		if code != 1 || !strings.Contains(stderr, "not a fastText .bin model") {
			t.Fatalf("convert %s --format fasttext: exit %d\n%s", src, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatalf("a refused conversion left %s", out)
		}
	}

	// A word2vec model has no n-grams: an unknown word is still an error.
	if code, _, stderr := w2v(t, "", "nearest", "-m", vec, "housse"); code != 1 || !strings.Contains(stderr, "not in the vocabulary") {
		t.Fatalf("nearest of an unknown word in a .vec: exit %d\n%s", code, stderr)
	}
}

// TestFastTextBadModel: a damaged .bin is an error naming the file.
func TestFastTextBadModel(t *testing.T) {
	bin, _ := fastTextBin(t)
	data, _ := os.ReadFile(bin)
	cut := writeFile(t, "cut.bin", data[:len(data)-100])
	code, _, stderr := w2v(t, "", "nearest", "-m", cut, "cat")
	if code != 1 || !strings.Contains(stderr, cut) || !strings.Contains(stderr, "truncated") {
		t.Fatalf("nearest on a truncated .bin: exit %d\n%s", code, stderr)
	}
	data[len(data)-4*8*10-17] = 1 // the output matrix's quantization flag
	ftz := writeFile(t, "q.bin", data)
	code, _, stderr = w2v(t, "", "nearest", "-m", ftz, "cat")
	if code != 1 || !strings.Contains(stderr, ftz) || !strings.Contains(stderr, ".ftz") {
		t.Fatalf("nearest on a quantized model: exit %d\n%s", code, stderr)
	}
}

// TestFastTextEvaluation: test sets are scored with subword vectors for
// unseen words, and the coverage is reported with and without them.
func TestFastTextEvaluation(t *testing.T) {
	bin, _ := fastTextBin(t)
	pairs := writeFile(t, "pairs.txt", []byte("cat\tcats\t9\ncat\tcatz\t8\ndog\thouse\t1\nhouse\thousez\t7\n"))
	code, out, stderr := w2v(t, "", "similarity", "-m", bin, "--pairs", pairs)
	if code != 0 || !strings.Contains(out, "unseen words from subwords") || !strings.Contains(out, "in vocabulary") {
		t.Fatalf("similarity --pairs: exit %d\n%s%s", code, out, stderr)
	}
	var rep struct {
		Subwords bool
		Sets     []struct {
			Answered     int
			InVocabulary *int `json:"in_vocabulary"`
			Total        int
		}
	}
	code, out, _ = w2v(t, "", "similarity", "-m", bin, "--pairs", pairs, "--json")
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil || !rep.Subwords || len(rep.Sets) != 1 {
		t.Fatalf("similarity --pairs --json: exit %d, %v\n%s", code, err, out)
	}
	if s := rep.Sets[0]; s.Answered != 4 || s.InVocabulary == nil || *s.InVocabulary != 2 || s.Total != 4 {
		t.Fatalf("pairs answered %d, in vocabulary %v, of %d; want 4, 2, 4\n%s", s.Answered, s.InVocabulary, s.Total, out)
	}
	questions := writeFile(t, "q.txt", []byte(": s\ncat cats dog dogs\ncatz cats dog dogs\nhouse houses dogz dogs\n"))
	code, out, stderr = w2v(t, "", "analogy", "-m", bin, "--questions", questions)
	if code != 0 || !strings.Contains(out, "answered 3 of 3 questions (100.00%), 1 (33.33%) without subword vectors") {
		t.Fatalf("analogy --questions: exit %d\n%s%s", code, out, stderr)
	}
}
