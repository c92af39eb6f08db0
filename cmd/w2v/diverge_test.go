//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainDivergenceIsAnError trains in a child process (a panic must not
// take the test binary with it) with a learning rate far too high: training
// must stop with one line naming the learning rate, exit 1, and leave no
// file behind. It used to panic on amd64 (a NaN score indexed the sigmoid
// table) and, on arm64, write NaN vectors.
func TestTrainDivergenceIsAnError(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	for _, model := range []string{"skipgram", "cbow"} {
		t.Run(model, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "vectors.txt")
			cmd := w2vCommand(t, "train", corpus, "-o", out, "--model", model,
				"--alpha", "1e9", "--dim", "300", "--threads", "1", "--quiet")
			cmd.Dir = dir
			stderr, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			msg := string(stderr)
			if code != 1 || !strings.Contains(msg, "training diverged") || !strings.Contains(msg, "learning rate 1e+09") {
				t.Errorf("exit %d, output %q; want exit 1 and one line naming the learning rate", code, msg)
			}
			if strings.Count(msg, "\n") != 1 || strings.Contains(msg, "goroutine") {
				t.Errorf("error output is not one line:\n%s", msg)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				t.Errorf("files left in the output directory: %v", names)
			}
		})
	}
}
