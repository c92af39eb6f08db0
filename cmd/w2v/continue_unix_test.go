//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A --continue run interrupted and then resumed gives, with one thread,
// the vectors of an uninterrupted one, and writes its outputs only at the
// end.
func TestContinueInterruptAndResume(t *testing.T) {
	a, b := corpusHalves(t)
	_, modelA := trainModel(t, a)
	dir := t.TempDir()
	want, out, model := filepath.Join(dir, "want.txt"), filepath.Join(dir, "v.txt"), filepath.Join(dir, "b.w2vm")
	args := []string{"train", "--continue", modelA, b, "--threads", "1", "--epochs", "15", "--seed", "3"}
	if code, _, stderr := w2v(t, "", append(args, "-o", want, "-q")...); code != 0 {
		t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
	}
	code, stderr := interruptTrain(t, syscall.SIGINT, nil, append(args, "-o", out, "--save-model", model)...)
	if code != 130 || !strings.Contains(stderr, "checkpoint saved to "+out+".ckpt") {
		t.Fatalf("interrupted run: exit %d, want 130; stderr:\n%s", code, stderr)
	}
	for _, p := range []string{out, model} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists after an interrupted run", p)
		}
	}
	ck := readCk(t, out+".ckpt")
	if ck.State.Done <= 0 || ck.Job.EpochWords <= 0 || ck.State.Done >= 15*ck.Job.EpochWords {
		t.Fatalf("checkpoint at %d words of 15 epochs of %d", ck.State.Done, ck.Job.EpochWords)
	}
	resume, _ := resumeArgs(t, stderr)
	if code, _, stderr := w2v(t, "", resume...); code != 0 {
		t.Fatalf("%v: exit %d: %s", resume, code, stderr)
	}
	x, _ := os.ReadFile(want)
	y, _ := os.ReadFile(out)
	if !bytes.Equal(x, y) {
		t.Error("interrupted and resumed --continue vectors differ from an uninterrupted run")
	}
	// The resumed run remembers --save-model.
	if c := readCk(t, model); len(c.Words) != len(textVectors(t, out)) {
		t.Errorf("the model file holds %d words, the vectors %d", len(c.Words), len(textVectors(t, out)))
	}
}
