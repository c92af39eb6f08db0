package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/w2vtool/w2v/internal/testenv"
)

// smallCorpus returns a file holding the first n words of the Wikipedia
// slice in testdata, one line (as the benchmark corpus is).
var smallCorpusOnce sync.Map

func smallCorpus(t *testing.T, n int) string {
	t.Helper()
	if p, ok := smallCorpusOnce.Load(n); ok {
		return p.(string)
	}
	p := filepath.Join(testDir, fmt.Sprintf("corpus-%d.txt", n))
	if err := os.WriteFile(p, firstWords(t, n), 0o644); err != nil {
		t.Fatal(err)
	}
	smallCorpusOnce.Store(n, p)
	return p
}

func readHeader(t *testing.T, path string) (words, dim int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := fmt.Fscan(f, &words, &dim); err != nil {
		t.Fatalf("%s: header: %v", path, err)
	}
	return words, dim
}

func TestTrainWritesVectors(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	out := filepath.Join(dir, "v.txt")
	code, _, stderr := w2v(t, "", "train", corpus, "-o", out, "--dim", "16", "--epochs", "1", "--threads", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	words, dim := readHeader(t, out)
	if dim != 16 || words < 1000 {
		t.Fatalf("header %d %d", words, dim)
	}
	for _, want := range []string{"vocab:", "words with count ≥ 5", "words/s", "peak RSS", "wrote " + out} {
		if !strings.Contains(stderr, want) {
			t.Errorf("summary lacks %q:\n%s", want, stderr)
		}
	}
	// Nothing but the output is left in its directory.
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the output directory, want 1", len(ents))
	}
}

func TestTrainModes(t *testing.T) {
	corpus := smallCorpus(t, 50_000)
	dir := t.TempDir()
	for _, mode := range [][]string{
		{"--model", "cbow"},
		{"--hs", "--negative", "0"},
		{"--model", "cbow", "--hs", "--negative", "0"},
		{"--hs"},
		{"--shared-negatives"},
		{"--loss", "softmax"},
		{"--loss", "softmax", "--temperature", "0.5"},
		{"--max-vocab", "100"},
	} {
		out := filepath.Join(dir, "v.txt")
		args := append([]string{"train", corpus, "-o", out, "--dim", "8", "--epochs", "1", "-q"}, mode...)
		if code, _, stderr := w2v(t, "", args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", mode, code, stderr)
		}
		words, dim := readHeader(t, out)
		if dim != 8 || words < 100 || (mode[0] == "--max-vocab" && words != 100) {
			t.Errorf("%v: header %d %d", mode, words, dim)
		}
	}
}

func TestTrainDeterministicWithOneThread(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	args := []string{"train", corpus, "--dim", "12", "--epochs", "2", "--threads", "1", "-q", "--seed", "7"}
	var outs [][]byte
	for i := range 2 {
		out := filepath.Join(dir, fmt.Sprintf("v%d.txt", i))
		if code, _, stderr := w2v(t, "", append(args, "-o", out)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		b, _ := os.ReadFile(out)
		outs = append(outs, b)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Fatal("two runs with --threads 1 and the same seed differ")
	}
	// The same text from a gzip file and from standard input trains the
	// same vectors.
	raw, _ := os.ReadFile(corpus)
	gz := filepath.Join(dir, "c.txt.gz")
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(raw)
	zw.Close()
	os.WriteFile(gz, zb.Bytes(), 0o644)
	for _, tc := range []struct{ name, input, stdin string }{{"gzip", gz, ""}, {"stdin", "-", string(raw)}} {
		out := filepath.Join(dir, tc.name+".txt")
		a := append([]string{"train", tc.input}, args[2:]...)
		if code, _, stderr := w2v(t, tc.stdin, append(a, "-o", out)...); code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, stderr)
		}
		if b, _ := os.ReadFile(out); !bytes.Equal(b, outs[0]) {
			t.Errorf("%s input trained different vectors", tc.name)
		}
	}
}

func TestTrainConfigPrecedence(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "w2v.yaml")
	os.WriteFile(cfg, []byte("train:\n  dim: 7\n  epochs: 1\n  quiet: true\n"), 0o644)
	tests := []struct {
		name string
		env  string
		args []string
		want int
	}{
		{"default", "", nil, 100},
		{"file", "", []string{"--config", cfg}, 7},
		{"env over file", "9", []string{"--config", cfg}, 9},
		{"flag over env", "9", []string{"--config", cfg, "--dim", "11"}, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("W2V_TRAIN_DIM", tt.env)
			}
			out := filepath.Join(dir, "out.txt")
			args := append([]string{"train", corpus, "-o", out, "--epochs", "1", "-q"}, tt.args...)
			if code, _, stderr := w2v(t, "", args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if _, dim := readHeader(t, out); dim != tt.want {
				t.Errorf("dim = %d, want %d", dim, tt.want)
			}
		})
	}
	t.Run("default file in working directory", func(t *testing.T) {
		t.Chdir(dir)
		out := filepath.Join(dir, "cwd.txt")
		if code, _, stderr := w2v(t, "", "train", corpus, "-o", out); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if _, dim := readHeader(t, out); dim != 7 {
			t.Errorf("dim = %d, want 7 from ./w2v.yaml", dim)
		}
	})
}

func TestTrainBadInput(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	dir := t.TempDir()
	badCfg := filepath.Join(dir, "bad.yaml")
	os.WriteFile(badCfg, []byte("train:\n  dimm: 7\n"), 0o644)
	out := filepath.Join(dir, "out.txt")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no corpus", []string{"train"}, 2, "missing CORPUS"},
		{"dim 0", []string{"train", corpus, "--dim", "0"}, 2, "--dim must be at least 1"},
		{"negative -1", []string{"train", corpus, "--negative", "-1"}, 2, "--negative must be 0 (off) or more"},
		{"window 0", []string{"train", corpus, "--window", "0"}, 2, "--window must be at least 1"},
		{"epochs 0", []string{"train", corpus, "--epochs", "0"}, 2, "--epochs must be at least 1"},
		{"alpha NaN", []string{"train", corpus, "--alpha", "NaN"}, 2, "--alpha must be a positive number"},
		{"alpha negative", []string{"train", corpus, "--alpha", "-0.1"}, 2, "--alpha must be a positive number"},
		{"threads negative", []string{"train", corpus, "--threads", "-2"}, 2, "--threads must be 0"},
		{"not a number", []string{"train", corpus, "--dim", "ten"}, 2, "invalid argument \"ten\""},
		{"unknown flag", []string{"train", corpus, "--dimm", "3"}, 2, "unknown flag: --dimm"},
		{"unknown config key", []string{"train", corpus, "--config", badCfg}, 2, "unknown setting dimm"},
		{"missing config", []string{"train", corpus, "--config", filepath.Join(dir, "nope.yaml")}, 2, "not found"},
		{"negative 0 without hs", []string{"train", corpus, "--negative", "0"}, 2, "--negative must be at least 1 unless hierarchical softmax (hs) is on"},
		{"unknown model", []string{"train", corpus, "--model", "glove"}, 2, "unknown model \"glove\""},
		{"shared negatives with cbow", []string{"train", corpus, "--model", "cbow", "--shared-negatives"}, 2, "shared-negatives applies to skipgram only"},
		{"softmax with cbow", []string{"train", corpus, "--model", "cbow", "--loss", "softmax"}, 2, "--loss softmax applies to skipgram with negative sampling only"},
		{"softmax with hs", []string{"train", corpus, "--hs", "--loss", "softmax"}, 2, "--loss softmax applies to skipgram with negative sampling only"},
		{"temperature 0", []string{"train", corpus, "--loss", "softmax", "--temperature", "0"}, 2, "--temperature must be a positive number"},
		{"unknown loss", []string{"train", corpus, "--loss", "hinge"}, 2, "--loss: unknown loss \"hinge\""},
		{"json to stdout", []string{"train", corpus, "--json", "-o", "-"}, 2, "--json writes the summary to standard output"},
		{"max-vocab negative", []string{"train", corpus, "--max-vocab", "-1"}, 2, "--max-vocab must be 0"},
		{"resume missing checkpoint", []string{"train", "--resume", filepath.Join(dir, "none.ckpt")}, 1, "checkpoint " + filepath.Join(dir, "none.ckpt") + " not found"},
		{"missing corpus", []string{"train", filepath.Join(dir, "nope.txt")}, 1, "nope.txt does not exist"},
		{"corpus is a directory", []string{"train", dir}, 1, "is a directory"},
		{"min-count too high", []string{"train", corpus, "--min-count", "100000000"}, 1, "no word occurs at least 100000000 times"},
		{"output dir missing", []string{"train", corpus, "-o", filepath.Join(dir, "no", "v.txt")}, 1, "does not exist; create it first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if !strings.Contains(strings.Join(args, " "), " -o ") {
				args = append(args, "-o", out)
			}
			code, _, stderr := w2v(t, "", append(args, "-q")...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if strings.Count(stderr, "\n") > 2 || strings.Contains(stderr, "goroutine") {
				t.Errorf("error output is not one clear line:\n%s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s exists after a failed run", out)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("files left in %s: %d entries", dir, len(ents))
			}
		})
	}
}

// TestGensimLoadsOutput checks that gensim reads both output formats and
// gets exactly our vectors.
func TestGensimLoadsOutput(t *testing.T) {
	py := testenv.GensimPython(t)
	corpus := smallCorpus(t, 50_000)
	dir := t.TempDir()
	txt, bin := filepath.Join(dir, "v.txt"), filepath.Join(dir, "v.bin")
	for _, a := range [][]string{{"-o", txt}, {"-o", bin, "--binary"}} {
		args := append([]string{"train", corpus, "--dim", "10", "--epochs", "1", "--threads", "1", "-q"}, a...)
		if code, _, stderr := w2v(t, "", args...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	script := `
import sys
from gensim.models import KeyedVectors
for path, binary in ((sys.argv[1], False), (sys.argv[2], True)):
    kv = KeyedVectors.load_word2vec_format(path, binary=binary)
    print(len(kv.index_to_key), kv.vector_size)
    for w in kv.index_to_key:
        print(w, " ".join(repr(float(x)) for x in kv[w]))
`
	cmd := exec.Command(py, "-c", script, txt, bin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	got, err := cmd.Output()
	if err != nil {
		t.Fatalf("gensim: %v\n%s", err, stderr.String())
	}
	want := expectedDump(t, txt)
	gotLines := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(gotLines) != 2*len(want) {
		t.Fatalf("gensim printed %d lines, want %d", len(gotLines), 2*len(want))
	}
	for half := range 2 {
		for i, w := range want {
			if err := sameRow(gotLines[half*len(want)+i], w); err != nil {
				t.Fatalf("format %d, line %d: %v", half, i, err)
			}
		}
	}
}

// expectedDump reads our text file back as gensim should print it.
func expectedDump(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

// sameRow compares a row gensim printed with one of our text file, value by
// value as float32.
func sameRow(got, want string) error {
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) || g[0] != w[0] {
		return fmt.Errorf("got %.60q, want %.60q", got, want)
	}
	for i := 1; i < len(g); i++ {
		gv, err1 := strconv.ParseFloat(g[i], 32)
		wv, err2 := strconv.ParseFloat(w[i], 32)
		if err1 != nil || err2 != nil || float32(gv) != float32(wv) || math.IsNaN(gv) {
			return fmt.Errorf("%s: value %d: got %s, want %s", g[0], i, g[i], w[i])
		}
	}
	return nil
}

// TestSharedNegativesDefault checks which modes train with shared negatives
// when --shared-negatives is not set, and that setting it anywhere (flag,
// environment) wins.
func TestSharedNegativesDefault(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	out := filepath.Join(t.TempDir(), "v.txt")
	for _, tt := range []struct {
		name  string
		flags []string
		env   string // W2V_TRAIN_SHARED_NEGATIVES
		want  bool
	}{
		{"skipgram, negative sampling", nil, "", true},
		{"per pair asked for", []string{"--shared-negatives=false"}, "", false},
		{"per pair from the environment", nil, "false", false},
		{"cbow", []string{"--model", "cbow"}, "", false},
		{"hierarchical softmax", []string{"--hs", "--negative", "0"}, "", false},
		{"both output layers", []string{"--hs"}, "", false},
		{"hs with shared asked for", []string{"--hs", "--shared-negatives"}, "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("W2V_TRAIN_SHARED_NEGATIVES", tt.env)
			}
			args := append([]string{"train", corpus, "-o", out, "--dim", "8", "--epochs", "1", "--threads", "1", "--json", "-q"}, tt.flags...)
			code, stdout, stderr := w2v(t, "", args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var sum struct {
				Shared *bool `json:"shared_negatives"`
			}
			if err := json.Unmarshal([]byte(stdout), &sum); err != nil || sum.Shared == nil {
				t.Fatalf("summary %q: %v (or no shared_negatives)", stdout, err)
			}
			if *sum.Shared != tt.want {
				t.Errorf("shared_negatives = %v, want %v", *sum.Shared, tt.want)
			}
		})
	}
}
