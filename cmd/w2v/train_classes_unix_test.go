//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestTrainClassesInterrupted interrupts a --classes run while k-means
// runs, after training: the trained vectors must be kept in a checkpoint,
// and the command it prints must finish the job without training again.
func TestTrainClassesInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on a million words; skipped with -short")
	}
	corpus := smallCorpus(t, 1_000_000)
	dir := t.TempDir()
	out := filepath.Join(dir, "classes.txt")
	code, msg := interruptAt(t, "classes: ", syscall.SIGINT, nil,
		"train", corpus, "-o", out, "--dim", "50", "--epochs", "1", "--threads", "2", "--classes", "4000")
	hint := "continue with: w2v train --resume " + out + ".ckpt --classes 4000"
	if code != 130 || !strings.Contains(msg, "interrupted while finding word classes") || !strings.Contains(msg, hint) {
		t.Fatalf("exit %d, want 130 and %q:\n%s", code, hint, msg)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatalf("%s written by an interrupted run", out)
	}
	code, _, errs := w2v(t, "", "train", "--resume", out+".ckpt", "--classes", "4000", "-q")
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines < 4000 || !strings.HasPrefix(string(b), "the 0\n") {
		t.Errorf("classes after resuming: %d lines, starting %q", lines, string(b)[:min(len(b), 40)])
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the output directory after resuming, want only the classes", len(ents))
	}
}
