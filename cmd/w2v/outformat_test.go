package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// openVectors reads a written vector file and reports its format and
// whether it is gzipped.
func openVectors(t *testing.T, path string) (vecfile.Format, bool) {
	t.Helper()
	v, err := vecfile.Open(path, vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	b, _ := os.ReadFile(path)
	return v.Format, strings.HasPrefix(string(b), "\x1f\x8b")
}

// An output's name decides its format unless a flag says otherwise, and the
// flag winning over the name draws a warning.
func TestOutputFormatFromName(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	dir := t.TempDir()
	vectors := writeText(t, filepath.Join(dir, "in.txt"), "2 2\nnew 1 0\nyork 0 1\n")
	train := []string{"train", corpus, "--dim", "8", "--epochs", "1"}
	tests := []struct {
		name   string
		args   []string
		out    string
		format vecfile.Format
		gz     bool
		warn   string
		says   string // in the summary
	}{
		{"train .bin", train, "v.bin", vecfile.Binary, false, "", "× 8, word2vec binary)"},
		{"train .txt.gz", train, "v.txt.gz", vecfile.Text, true, "", "word2vec text, gzipped)"},
		{"train .vec", train, "v.vec", vecfile.Text, false, "", "word2vec text)"},
		{"train no extension", train, "vectors", vecfile.Text, false, "", "word2vec text)"},
		{"train --binary over .txt", append(train, "--binary"), "v.txt", vecfile.Binary, false,
			"w2v: warning: writing %s in word2vec binary format as asked, though its name says word2vec text", "word2vec binary)"},
		{"train --binary=false over .bin", append(train, "--binary=false"), "v.bin", vecfile.Text, false,
			"w2v: warning: writing %s in word2vec text format as asked, though its name says word2vec binary", "word2vec text)"},
		{"convert .txt", []string{"convert", vectors}, "guess.txt", vecfile.Text, false, "", "(word2vec text)"},
		{"convert .bin.gz", []string{"convert", vectors}, "g.bin.gz", vecfile.Binary, true, "", "(word2vec binary, gzipped)"},
		{"convert no extension", []string{"convert", vectors}, "g", vecfile.Native, false, "", "(w2v native)"},
		{"convert --format text over .bin", []string{"convert", vectors, "--format", "text"}, "g2.bin", vecfile.Text, false,
			"w2v: warning: writing %s in word2vec text format as asked, though its name says word2vec binary", "(word2vec text)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.out)
			code, _, stderr := w2v(t, "", append(tt.args, "-o", out)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if f, gz := openVectors(t, out); f != tt.format || gz != tt.gz {
				t.Errorf("wrote %v (gzip %v), want %v (gzip %v)", f, gz, tt.format, tt.gz)
			}
			warned := strings.Contains(stderr, "warning")
			if tt.warn == "" && warned || tt.warn != "" && !strings.Contains(stderr, strings.ReplaceAll(tt.warn, "%s", out)) {
				t.Errorf("stderr %q; want warning %q", stderr, tt.warn)
			}
			if !strings.Contains(stderr, tt.says) {
				t.Errorf("summary does not name the format: want %q in %q", tt.says, stderr)
			}
		})
	}
}

func TestOutputFormatRefused(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	dir := t.TempDir()
	vectors := writeText(t, filepath.Join(dir, "in.txt"), "2 2\nnew 1 0\nyork 0 1\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"train native", []string{"train", corpus, "-o", filepath.Join(dir, "v.w2v")},
			"train writes word2vec text or binary; write " + filepath.Join(dir, "v") + ".bin, then make the native model with: w2v convert"},
		{"compressed native", []string{"convert", vectors, "-o", filepath.Join(dir, "v.w2v.gz")}, "the native format is memory-mapped and cannot be compressed"},
		{"compressed native by flag", []string{"convert", vectors, "--format", "native", "-o", filepath.Join(dir, "v.gz")}, "cannot be compressed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := w2v(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("%d files in %s, want only the input", len(ents), dir)
			}
		})
	}
}
