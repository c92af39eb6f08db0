package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// phraseCorpus is the hand-made corpus of internal/phrases's tests: 33 words;
// with --min-count 3, "the dog" and "dog ran" score 2.64, "new york" 2.0625.
const phraseCorpus = "new york\nthe dog ran\nice cream\nbig apple\nnew york\nthe dog ran\nice cream\nbig apple\n" +
	"new york\nthe dog ran\nice cream\nnew york\nthe dog ran\nthe dog ran\n"

func writeText(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPhrasesWritesOutput(t *testing.T) {
	dir := t.TempDir()
	in := writeText(t, filepath.Join(dir, "in.txt"), phraseCorpus)
	out := filepath.Join(dir, "out.txt")
	code, stdout, stderr := w2v(t, "", "phrases", in, "-o", out, "--min-count", "3", "--threshold", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want := strings.NewReplacer("new york", "new_york", "the dog", "the_dog").Replace(phraseCorpus)
	if b, _ := os.ReadFile(out); string(b) != want {
		t.Errorf("output:\n%s\nwant:\n%s", b, want)
	}
	for _, s := range []string{"count: 33 words", "3 pairs score above 2", "joined 2 distinct phrases 9 times", "33 words in, 24 out", "peak RSS", "wrote " + out} {
		if !strings.Contains(stderr, s) {
			t.Errorf("summary lacks %q:\n%s", s, stderr)
		}
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("%d files in the directory, want 2", len(ents))
	}
}

// TestPhrasesInputsAndOutputs checks that standard input, gzip files and
// standard output give the same text, and -q silences the summary.
func TestPhrasesInputsAndOutputs(t *testing.T) {
	corpus := smallCorpus(t, 200_000)
	dir := t.TempDir()
	raw, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "c.txt.gz")
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	zw.Write(raw)
	zw.Close()
	writeText(t, gz, zb.String())

	ref := filepath.Join(dir, "ref.txt")
	if code, _, stderr := w2v(t, "", "phrases", corpus, "-o", ref, "-q", "--threads", "3"); code != 0 || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(ref)
	// Joining is all that changes: the words are the same, and the corpus,
	// one line, stays one line.
	if got := strings.ReplaceAll(string(want), "_", " "); got != string(raw) {
		t.Fatalf("output is not the input with some spaces turned into _")
	}
	if n := strings.Count(string(want), "_"); n < 1000 {
		t.Errorf("only %d phrases joined in 200,000 words of Wikipedia", n)
	}
	for _, tc := range []struct {
		name, in, stdin string
	}{{"gzip", gz, ""}, {"stdin", "-", string(raw)}} {
		for _, threads := range []string{"1", "2"} {
			out := filepath.Join(dir, tc.name+".txt")
			code, _, stderr := w2v(t, tc.stdin, "phrases", tc.in, "-o", out, "-q", "--threads", threads)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", tc.name, code, stderr)
			}
			if got, _ := os.ReadFile(out); !bytes.Equal(got, want) {
				t.Errorf("%s input, %s threads: output differs", tc.name, threads)
			}
		}
	}
	code, stdout, stderr := w2v(t, "", "phrases", corpus, "-o", "-")
	if code != 0 || stdout != string(want) {
		t.Errorf("-o -: exit %d, %d bytes on stdout, want %d", code, len(stdout), len(want))
	}
	if !strings.Contains(stderr, "wrote -") {
		t.Errorf("-o -: summary %q", stderr)
	}
}

func TestPhrasesTwoPasses(t *testing.T) {
	var b strings.Builder
	for i := range 110 {
		if i%11 == 0 {
			b.WriteString("new york times\n")
		} else {
			b.WriteString(strings.Repeat("x", i) + " " + strings.Repeat("y", i) + " " + strings.Repeat("z", i) + "\n")
		}
	}
	dir := t.TempDir()
	in := writeText(t, filepath.Join(dir, "in.txt"), b.String())
	p1, p2 := filepath.Join(dir, "p1.txt"), filepath.Join(dir, "p2.txt")
	for _, args := range [][]string{{in, "-o", p1}, {p1, "-o", p2}} {
		if code, _, stderr := w2v(t, "", append([]string{"phrases", "--threshold", "10", "-q"}, args...)...); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	}
	got, _ := os.ReadFile(p2)
	if n := strings.Count(string(got), "new_york_times\n"); n != 10 {
		t.Errorf("new_york_times appears %d times after two passes, want 10:\n%.100s", n, got)
	}
}

func TestPhrasesConfig(t *testing.T) {
	dir := t.TempDir()
	in := writeText(t, filepath.Join(dir, "in.txt"), phraseCorpus)
	out := filepath.Join(dir, "out.txt")
	t.Setenv("W2V_PHRASES_MIN_COUNT", "3")
	t.Setenv("W2V_PHRASES_THRESHOLD", "2.63")
	if code, _, stderr := w2v(t, "", "phrases", in, "-o", out, "-q"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if b, _ := os.ReadFile(out); strings.Contains(string(b), "new_york") || !strings.Contains(string(b), "the_dog ran") {
		t.Errorf("environment settings not applied:\n%s", b)
	}
}

func TestPhrasesBadInput(t *testing.T) {
	dir := t.TempDir()
	in := writeText(t, filepath.Join(dir, "in.txt"), phraseCorpus)
	out := filepath.Join(dir, "out.txt")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no corpus", []string{"phrases"}, 2, "missing CORPUS"},
		{"threshold 0", []string{"phrases", in, "--threshold", "0"}, 2, "--threshold must be a positive number"},
		{"threshold negative", []string{"phrases", in, "--threshold", "-5"}, 2, "--threshold must be a positive number"},
		{"threshold NaN", []string{"phrases", in, "--threshold", "NaN"}, 2, "--threshold must be a positive number"},
		{"threshold Inf", []string{"phrases", in, "--threshold", "Inf"}, 2, "--threshold must be a positive number"},
		{"min-count 0", []string{"phrases", in, "--min-count", "0"}, 2, "--min-count must be at least 1"},
		{"threads negative", []string{"phrases", in, "--threads", "-1"}, 2, "--threads must be 0"},
		{"max-entries 0", []string{"phrases", in, "--max-entries", "0"}, 2, "--max-entries must be at least 1"},
		{"max-word-bytes 2", []string{"phrases", in, "--max-word-bytes", "2"}, 2, "--max-word-bytes must be at least 4"},
		{"not a number", []string{"phrases", in, "--threshold", "high"}, 2, "invalid argument \"high\""},
		{"unknown flag", []string{"phrases", in, "--treshold", "3"}, 2, "unknown flag: --treshold"},
		{"missing corpus", []string{"phrases", filepath.Join(dir, "nope.txt")}, 1, "nope.txt does not exist"},
		{"corpus is a directory", []string{"phrases", dir}, 1, "is a directory"},
		{"one of two missing", []string{"phrases", in, filepath.Join(dir, "nope.txt")}, 1, "nope.txt does not exist"},
		{"bad gzip", []string{"phrases", writeText(t, filepath.Join(t.TempDir(), "x.txt"), "\x1f\x8b but no gzip header")}, 1, "gzip: invalid header (the gzip data is corrupt)"},
		{"output dir missing", []string{"phrases", in, "-o", filepath.Join(dir, "no", "p.txt")}, 1, "does not exist; create it first"},
		{"output dir is a file", []string{"phrases", in, "-o", filepath.Join(in, "p.txt")}, 1, "not a directory"},
		{"output is a directory", []string{"phrases", in, "-o", dir}, 1, "is a directory"},
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

func TestPhrasesUnwritableOutput(t *testing.T) {
	// /dev/full accepts the open and fails every write, as a full disk does.
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	dir := t.TempDir()
	in := writeText(t, filepath.Join(dir, "in.txt"), strings.Repeat(phraseCorpus, 50000))
	code, _, stderr := w2v(t, "", "phrases", in, "-o", "/dev/full", "-q")
	if code != 1 || !strings.Contains(stderr, "write /dev/full") || !strings.Contains(stderr, "no space left") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestPhrasesPruneAndEmpty(t *testing.T) {
	dir := t.TempDir()
	// Past --max-entries the rarest entries go, and the summary says so;
	// "new york", in every line, keeps its count and is joined.
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("w" + strings.Repeat("x", i%97) + " new york r" + strings.Repeat("y", i%89) + "\n")
	}
	in := writeText(t, filepath.Join(dir, "in.txt"), b.String())
	out := filepath.Join(dir, "out.txt")
	code, _, stderr := w2v(t, "", "phrases", in, "-o", out, "--max-entries", "100", "--threshold", "1")
	if code != 0 || !strings.Contains(stderr, "pruned (raise --max-entries for exact counts)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if got, _ := os.ReadFile(out); strings.Count(string(got), " new_york ") != 5000 {
		t.Errorf("new_york joined %d times, want 5000: %s\n%.200s", strings.Count(string(got), " new_york "), stderr, got)
	}
	// An empty corpus makes an empty output.
	empty := writeText(t, filepath.Join(dir, "empty.txt"), "")
	if code, _, stderr := w2v(t, "", "phrases", empty, "-o", out, "-q"); code != 0 {
		t.Fatalf("empty corpus: exit %d: %s", code, stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Size() != 0 {
		t.Errorf("empty corpus: output %v, %v", fi, err)
	}
}
