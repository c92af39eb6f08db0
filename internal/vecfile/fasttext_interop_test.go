package vecfile

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/testenv"
)

// fastTextTool returns the fastText program, Debian's fasttext package.
func fastTextTool(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("fasttext")
	if err != nil {
		testenv.Missing(t, "fastText (the fasttext program)", "apt-get install -y fasttext")
	}
	return path
}

// printWordVectors runs fastText's print-word-vectors on model for words.
func printWordVectors(t *testing.T, ft, model string, words []string) map[string][]float64 {
	t.Helper()
	cmd := exec.Command(ft, "print-word-vectors", model)
	cmd.Stdin = strings.NewReader(strings.Join(words, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fasttext print-word-vectors %s: %v\n%s", model, err, stderr.Bytes())
	}
	got := map[string][]float64{}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		vec := make([]float64, len(f)-1)
		for i, s := range f[1:] {
			if vec[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("print-word-vectors line %q: %v", line, err)
			}
		}
		got[f[0]] = vec
	}
	if len(got) != len(words) {
		t.Fatalf("print-word-vectors printed %d vectors for %d words:\n%s", len(got), len(words), out)
	}
	return got
}

// checkSameVectors compares m's vectors of words with fastText's printed
// ones. fastText prints 5 significant digits, so each value may be off by
// half a unit in the fifth digit on top of the 1e-5 allowed.
func checkSameVectors(t *testing.T, what string, m *FastText, printed map[string][]float64, words []string) {
	t.Helper()
	v := make([]float32, m.Dim())
	for _, w := range words {
		m.WordVector(v, w)
		p := printed[w]
		if len(p) != len(v) {
			t.Fatalf("%s: %q has %d values printed, %d here", what, w, len(p), len(v))
		}
		for j := range v {
			x := float64(v[j])
			tol := 1e-5 + 0.5*math.Pow(10, math.Floor(math.Log10(math.Abs(x)+1e-30))-4)
			if math.Abs(x-p[j]) > tol {
				t.Fatalf("%s: %q value %d is %v here, fastText prints %v", what, w, j, x, p[j])
			}
		}
	}
}

// tinyCorpus writes the first n words of the Wikipedia slice to dir.
func tinyCorpus(t *testing.T, dir string, n int) string {
	t.Helper()
	sc := bufio.NewScanner(testenv.WikipediaSlice(t))
	sc.Buffer(make([]byte, 1<<20), 1<<30)
	sc.Split(bufio.ScanWords)
	var b strings.Builder
	for i := 0; i < n && sc.Scan(); i++ {
		b.WriteString(sc.Text())
		b.WriteByte(' ')
	}
	path := filepath.Join(dir, "corpus.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Words no corpus slice has, misspellings and non-ASCII among them.
var unseenWords = []string{"accomodation", "naïveté", "zzyzx", "qu", "x", "wikipediaesque"}

// TestFastTextInterop trains a tiny model with fastText and checks that we
// read it as fastText does, that what we write fastText reads, and gensim too.
func TestFastTextInterop(t *testing.T) {
	ft := fastTextTool(t)
	dir := t.TempDir()
	corpus := tinyCorpus(t, dir, 60000)
	prefix := filepath.Join(dir, "theirs")
	train := exec.Command(ft, "skipgram", "-input", corpus, "-output", prefix, "-dim", "10", "-epoch", "2",
		"-thread", "1", "-minCount", "5", "-bucket", "5000", "-minn", "3", "-maxn", "6", "-verbose", "0")
	if out, err := train.CombinedOutput(); err != nil {
		t.Fatalf("fasttext skipgram: %v\n%s", err, out)
	}
	theirs := prefix + ".bin"
	m, err := OpenFastText(theirs)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Words) < 500 || m.Args.Bucket != 5000 || m.Dim() != 10 {
		t.Fatalf("read %d words, %d buckets, dim %d", len(m.Words), m.Args.Bucket, m.Dim())
	}
	words := append(append([]string{}, m.Words[:20]...), m.Words[len(m.Words)-20:]...)
	words = append(words, unseenWords...)

	t.Run("read", func(t *testing.T) {
		checkSameVectors(t, "fastText's model", m, printWordVectors(t, ft, theirs, words), words)
	})

	t.Run("write", func(t *testing.T) {
		ours := filepath.Join(dir, "ours.bin")
		writeFile(t, ours, m)
		a, _ := os.ReadFile(theirs)
		b, _ := os.ReadFile(ours)
		if !bytes.Equal(a, b) {
			t.Errorf("our .bin of fastText's model differs from fastText's file (%d and %d bytes)", len(b), len(a))
		}
		checkSameVectors(t, "our copy", m, printWordVectors(t, ft, ours, words), words)

		synth := synthFastText(11)
		path := filepath.Join(dir, "synth.bin")
		writeFile(t, path, synth)
		sw := append(append([]string{}, synth.Words...), unseenWords...)
		checkSameVectors(t, "our synthetic model", synth, printWordVectors(t, ft, path, sw), sw)

		nn := exec.Command(ft, "nn", path, "2")
		nn.Stdin = strings.NewReader("cat\naccomodation\n")
		out, err := nn.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "the ") && !strings.Contains(string(out), "sat ") {
			t.Errorf("fasttext nn %s: %v\n%s", path, err, out)
		}
	})

	t.Run("gensim", func(t *testing.T) {
		py := testenv.GensimPython(t)
		synth := synthFastText(12)
		path := filepath.Join(dir, "gensim.bin")
		writeFile(t, path, synth)
		// gensim, unlike fastText, gives "</s>" n-grams too: leave it out.
		sw := append(append([]string{}, synth.Words[1:]...), unseenWords...)
		script := `import sys
from gensim.models.fasttext import load_facebook_model
m = load_facebook_model(sys.argv[1])
for w in sys.stdin.read().split("\n"):
    if w:
        print(w, " ".join(repr(float(x)) for x in m.wv[w]))
`
		cmd := exec.Command(py, "-c", script, path)
		cmd.Stdin = strings.NewReader(strings.Join(sw, "\n"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gensim load_facebook_model: %v\n%s", err, stderr.Bytes())
		}
		v := make([]float32, synth.Dim())
		n := 0
		for line := range strings.Lines(string(out)) {
			f := strings.Fields(line)
			synth.WordVector(v, f[0])
			for j, s := range f[1:] {
				g, err := strconv.ParseFloat(s, 64)
				if err != nil || math.Abs(g-float64(v[j])) > 1e-5 {
					t.Fatalf("gensim gives %q value %d as %s, we %v (%v)", f[0], j, s, v[j], err)
				}
			}
			n++
		}
		if n != len(sw) {
			t.Fatalf("gensim printed %d vectors for %d words:\n%s", n, len(sw), out)
		}
	})
}

func writeFile(t *testing.T, path string, m *FastText) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteFastText(f, m); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
