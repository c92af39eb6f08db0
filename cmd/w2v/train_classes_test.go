package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestTrainClasses trains with --classes and checks that the output holds
// word2vec's classes layout: every word once, "word class", sorted by
// class, and no vectors.
func TestTrainClasses(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	vocab := filepath.Join(t.TempDir(), "vocab.txt")
	out := filepath.Join(t.TempDir(), "classes.txt")
	code, _, stderr := w2v(t, "", "train", corpus, "-o", out, "--dim", "16", "--epochs", "1", "--threads", "2",
		"--classes", "20", "--save-vocab", vocab)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "in 20 classes)") {
		t.Errorf("summary: %s", stderr)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]bool{}
	prev, used := -1, map[int]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		word, cls, ok := strings.Cut(sc.Text(), " ")
		c, err := strconv.Atoi(cls)
		if !ok || err != nil || c < 0 || c >= 20 || c < prev || seen[word] {
			t.Fatalf("bad line %q after class %d", sc.Text(), prev)
		}
		seen[word], used[c], prev = true, true, c
	}
	vb, err := os.ReadFile(vocab)
	if err != nil {
		t.Fatal(err)
	}
	words := strings.Split(strings.TrimSpace(string(vb)), "\n")
	if len(seen) != len(words) || len(used) != 20 {
		t.Errorf("%d words in %d classes; the vocabulary has %d words", len(seen), len(used), len(words))
	}
}

func TestTrainClassesBadInput(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	dir := t.TempDir()
	out := filepath.Join(dir, "classes.txt")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"negative", []string{"--classes", "-1"}, 2, "--classes must be 0 (write the vectors) or more, got -1"},
		{"with --binary", []string{"--classes", "5", "--binary"}, 2, "--binary does not apply"},
		{"more than the vocabulary", []string{"--classes", "1000000"}, 1, "--classes 1000000: the vocabulary has only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"train", corpus, "-o", out, "--epochs", "1", "--dim", "8", "-q"}, tt.args...)
			code, _, stderr := w2v(t, "", args...)
			if code != tt.code || !strings.Contains(stderr, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.msg)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}
