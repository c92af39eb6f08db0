package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// No command writes an output over one of its inputs.
func TestOutputIsNotAnInput(t *testing.T) {
	dir := t.TempDir()
	text := strings.Repeat(phraseCorpus, 20)
	corpus := writeText(t, filepath.Join(dir, "small.txt"), text)
	vocabFile := writeText(t, filepath.Join(dir, "vocab.txt"), "new 40\nyork 40\n")
	vectors := writeText(t, filepath.Join(dir, "v.txt"), "2 2\nnew 1 0\nyork 0 1\n")
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(corpus, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"train over its corpus", []string{"train", corpus, "-o", corpus}, "the output " + corpus + " is the input " + corpus},
		{"train over a link to its corpus", []string{"train", corpus, "-o", link}, "the output " + link + " is the input " + corpus},
		{"train, second corpus", []string{"train", vectors, corpus, "-o", "./" + filepath.Base(corpus)}, "is the input " + corpus},
		{"save-vocab over the corpus", []string{"train", corpus, "-o", filepath.Join(dir, "out.txt"), "--save-vocab", corpus}, "the output " + corpus + " is the input"},
		{"checkpoint over the corpus", []string{"train", corpus, "-o", filepath.Join(dir, "out.txt"), "--checkpoint", corpus}, "the output " + corpus + " is the input"},
		{"save-vocab over read-vocab", []string{"train", corpus, "-o", filepath.Join(dir, "out.txt"), "--read-vocab", vocabFile, "--save-vocab", vocabFile}, "the output " + vocabFile + " is the input " + vocabFile},
		{"phrases over its corpus", []string{"phrases", corpus, "-o", corpus}, "the output " + corpus + " is the input " + corpus},
		{"convert over its input", []string{"convert", vectors, "-o", vectors, "--format", "text"}, "the output " + vectors + " is the input " + vectors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(dir)
			code, _, stderr := w2v(t, "", tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, tt.want)
			}
			if b, _ := os.ReadFile(corpus); string(b) != text {
				t.Errorf("the corpus was overwritten")
			}
			if b, _ := os.ReadFile(vocabFile); string(b) != "new 40\nyork 40\n" {
				t.Errorf("the vocabulary was overwritten")
			}
			if b, _ := os.ReadFile(vectors); string(b) != "2 2\nnew 1 0\nyork 0 1\n" {
				t.Errorf("the vectors were overwritten")
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 4 {
				t.Errorf("%d files in %s, want the 4 inputs", len(ents), dir)
			}
		})
	}
}
