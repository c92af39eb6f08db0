package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainVocabularyIndependentOfThreads checks that --save-vocab writes the
// same vocabulary at any --threads, and that train warns when --max-distinct
// makes it prune.
func TestTrainVocabularyIndependentOfThreads(t *testing.T) {
	corpus := smallCorpus(t, 200_000)
	dir := t.TempDir()
	train := func(threads int, extra ...string) (vocab []byte, stderr string) {
		t.Helper()
		v := filepath.Join(dir, fmt.Sprintf("vocab-%d.txt", threads))
		args := append([]string{"train", corpus, "-o", filepath.Join(dir, "v.txt"), "--save-vocab", v,
			"--threads", fmt.Sprint(threads), "--min-count", "1", "--dim", "2", "--epochs", "1", "-q"}, extra...)
		code, _, stderr := w2v(t, "", args...)
		if code != 0 {
			t.Fatalf("threads %d: exit %d: %s", threads, code, stderr)
		}
		b, err := os.ReadFile(v)
		if err != nil {
			t.Fatal(err)
		}
		return b, stderr
	}
	want, stderr := train(1)
	if stderr != "" {
		t.Errorf("threads 1: stderr %q, want nothing with -q", stderr)
	}
	distinct := bytes.Count(want, []byte("\n"))
	// A limit the corpus just fits: dividing it among the threads, as
	// counting once did, would prune.
	for _, extra := range [][]string{nil, {"--max-distinct", fmt.Sprint(distinct)}} {
		for _, threads := range []int{1, 2, 16} {
			got, stderr := train(threads, extra...)
			if !bytes.Equal(got, want) {
				t.Errorf("threads %d %v: the vocabulary differs from that of 1 thread", threads, extra)
			}
			if stderr != "" {
				t.Errorf("threads %d %v: stderr %q, want nothing with -q", threads, extra, stderr)
			}
		}
	}
	for _, threads := range []int{1, 16} {
		_, stderr := train(threads, "--max-distinct", fmt.Sprint(distinct/2))
		if !strings.Contains(stderr, "warning") || !strings.Contains(stderr, "pruned") {
			t.Errorf("threads %d, --max-distinct %d of %d words: stderr %q, want a warning about pruning", threads, distinct/2, distinct, stderr)
		}
	}
	for _, bad := range []string{"0", "-1", "2147483648"} {
		code, _, stderr := w2v(t, "", "train", corpus, "-o", filepath.Join(dir, "v.txt"), "--max-distinct", bad, "-q")
		if code != 2 || !strings.Contains(stderr, "--max-distinct") {
			t.Errorf("--max-distinct %s: exit %d, stderr %q; want a usage error", bad, code, stderr)
		}
	}
}
