package main

import (
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/w2vtool/w2v/internal/testenv"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// TestTrainSubwordsResumeIsExact interrupts a one-thread subword run that
// writes a fastText model and checks that the resumed run (the bucket rows
// restored from the checkpoint, the output format too) writes the same
// bytes as an uninterrupted one.
func TestTrainSubwordsResumeIsExact(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	want, out := filepath.Join(dir, "want.bin"), filepath.Join(dir, "v.bin")
	args := []string{"train", corpus, "--subwords", "--buckets", "20000", "--format", "fasttext", "--dim", "16", "--epochs", "12", "--threads", "1", "--seed", "5"}
	if code, _, stderr := w2v(t, "", append(args, "-o", want, "-q")...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	code, stderr := interruptTrain(t, syscall.SIGINT, nil, append(args, "-o", out)...)
	if code != 130 {
		t.Fatalf("interrupted run: exit %d, want 130; stderr:\n%s", code, stderr)
	}
	ck := readCk(t, out+".ckpt")
	if ck.Model.Sub == nil || len(ck.Model.In) != (len(ck.Words)+20000)*16 || !ck.Job.FastText {
		t.Fatalf("checkpoint holds %d input values for %d words, subwords %v, fastText output %v",
			len(ck.Model.In), len(ck.Words), ck.Model.Sub != nil, ck.Job.FastText)
	}
	resume, _ := resumeArgs(t, stderr)
	if code, _, stderr := w2v(t, "", resume...); code != 0 {
		t.Fatalf("%v: exit %d: %s", resume, code, stderr)
	}
	a, _ := os.ReadFile(want)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("interrupted and resumed model differs from an uninterrupted run")
	}
}

// TestTrainSubwordsFastTextReadsModel trains the same small model twice
// (one thread, fixed seed), once as word vectors and once as a fastText
// .bin, and checks that fastText's print-word-vectors reads the .bin and
// prints the words' vectors we wrote and the vectors we give unseen words.
func TestTrainSubwordsFastTextReadsModel(t *testing.T) {
	ft, err := exec.LookPath("fasttext")
	if err != nil {
		testenv.Missing(t, "fastText (the fasttext program)", "apt-get install -y fasttext")
	}
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	vec, bin := filepath.Join(dir, "v.vec"), filepath.Join(dir, "m.bin")
	args := []string{"train", corpus, "--subwords", "--buckets", "10000", "--dim", "12", "--epochs", "2", "--threads", "1", "-q"}
	for _, a := range [][]string{{"-o", vec}, {"-o", bin, "--format", "fasttext"}} {
		if code, _, stderr := w2v(t, "", append(args, a...)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", a, code, stderr)
		}
	}
	ours, err := vecfile.OpenFastText(bin)
	if err != nil {
		t.Fatal(err)
	}
	words := []string{"the", "city", "government", "goverment", "xyzzyq"} // two never seen
	cmd := exec.Command(ft, "print-word-vectors", bin)
	cmd.Stdin = strings.NewReader(strings.Join(words, "\n") + "\n")
	printed, err := cmd.Output()
	if err != nil {
		t.Fatalf("fasttext print-word-vectors: %v", err)
	}
	vecs := readVec(t, vec)
	lines := strings.Split(strings.TrimSpace(string(printed)), "\n")
	if len(lines) != len(words) {
		t.Fatalf("fastText printed %d lines for %d words:\n%s", len(lines), len(words), printed)
	}
	v := make([]float32, 12)
	for i, line := range lines {
		f := strings.Fields(line)
		w := words[i]
		if len(f) != 13 || f[0] != w {
			t.Fatalf("fastText printed %q for %q", line, w)
		}
		known := ours.WordVector(v, w)
		if want, ok := vecs[w]; ok != known {
			t.Fatalf("%q: in the .vec %v, in the model %v", w, ok, known)
		} else if ok {
			for j := range v {
				if math.Abs(float64(v[j]-want[j])) > 1e-6 {
					t.Fatalf("%q: the .bin gives %v, the .vec %v", w, v, want)
				}
			}
		}
		for j := range v {
			p, err := strconv.ParseFloat(f[j+1], 64)
			if err != nil {
				t.Fatal(err)
			}
			// fastText prints 5 significant digits.
			tol := 1e-5 + 0.5*math.Pow(10, math.Floor(math.Log10(math.Abs(float64(v[j]))+1e-30))-4)
			if math.Abs(p-float64(v[j])) > tol {
				t.Fatalf("%q (known %v) value %d: fastText prints %v, we give %v", w, known, j, p, v[j])
			}
		}
	}
}

// readVec reads a word2vec text file into a map.
func readVec(t *testing.T, path string) map[string][]float32 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float32{}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if i == 0 {
			continue
		}
		v := make([]float32, len(f)-1)
		for j, s := range f[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				t.Fatal(err)
			}
			v[j] = float32(x)
		}
		out[f[0]] = v
	}
	return out
}

func TestTrainSubwordsBadInput(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "fasttext"}, "add --subwords"},
		{[]string{"--subwords", "--format", "fasttext", "-o", filepath.Join(dir, "m.bin.gz")}, "drop the .gz"},
		{[]string{"--subwords", "--format", "fasttext", "--negative", "0", "--hs"}, "needs negative sampling"},
		{[]string{"--format", "word2vec"}, "want text, binary or fasttext"},
		{[]string{"--subwords=false", "--minn", "2"}, "--subwords=false"},
		{[]string{"--maxn", "2"}, "maxn 2 is smaller than minn 3"},
		{[]string{"--buckets", "-1"}, "buckets -1"},
		{[]string{"--subwords", "--shared-negatives"}, "shared-negatives does not apply to subwords"},
	}
	for _, tt := range tests {
		args := append([]string{"train", corpus, "-o", filepath.Join(dir, "v.bin"), "-q"}, tt.args...)
		code, _, stderr := w2v(t, "", args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "v.bin")); err == nil {
		t.Error("a refused run wrote its output")
	}
}
