//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/w2vtool/w2v/internal/checkpoint"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// w2vBinary builds the command once for tests that need a child process.
func w2vBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp(sharedDir, "bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "w2v")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// interruptTrain starts training in a child process, sends sig once training
// is under way, and returns the exit code and standard error.
func interruptTrain(t *testing.T, sig syscall.Signal, args ...string) (int, string) {
	t.Helper()
	cmd := exec.Command(w2vBinary(t), args...)
	var stderr syncBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(stderr.String(), "vocab:") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	sent := time.Now()
	cmd.Process.Signal(sig)
	err := cmd.Wait()
	if d := time.Since(sent); d > 3*time.Second {
		t.Errorf("took %v to stop after the signal", d)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	return code, stderr.String()
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func readCk(t *testing.T, path string) *checkpoint.Checkpoint {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fi, _ := f.Stat()
	c, err := checkpoint.Read(f, path, fi.Size())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var trainedRE = regexp.MustCompile(`train: ([0-9,]+) words in`)

func TestInterruptAndResume(t *testing.T) {
	corpus := smallCorpus(t, 200_000)
	for _, tc := range []struct {
		name    string
		threads string
		sig     syscall.Signal
	}{{"one thread, SIGINT", "1", syscall.SIGINT}, {"two threads, SIGTERM", "2", syscall.SIGTERM}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			want := filepath.Join(dir, "want.txt")
			out := filepath.Join(dir, "v.txt")
			args := []string{"train", corpus, "--dim", "20", "--epochs", "15", "--threads", tc.threads, "--seed", "3"}
			if tc.threads == "1" {
				if code, _, stderr := w2v(t, "", append(args, "-o", want, "-q")...); code != 0 {
					t.Fatalf("uninterrupted run: exit %d: %s", code, stderr)
				}
			}
			code, stderr := interruptTrain(t, tc.sig, append(args, "-o", out)...)
			if code != 1 || !strings.Contains(stderr, "checkpoint saved to "+out+".ckpt") {
				t.Fatalf("interrupted run: exit %d, stderr:\n%s", code, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("the output exists after an interrupted run")
			}
			ck := readCk(t, out+".ckpt")
			planned := int64(ck.Config.Epochs) * sum(ck.Counts)
			if ck.State.Done <= 0 || ck.State.Done >= planned {
				t.Fatalf("checkpoint at %d of %d words", ck.State.Done, planned)
			}
			code, _, stderr = w2v(t, "", "train", "--resume", out+".ckpt")
			if code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			m := trainedRE.FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("no summary in:\n%s", stderr)
			}
			var local int64
			for _, w := range ck.State.Workers {
				local += w.Local
			}
			if got, want := strings.ReplaceAll(m[1], ",", ""), fmt.Sprint(planned-ck.State.Done); got != want {
				t.Errorf("resumed run trained %s words, want %s (planned %d, done %d, unpublished %d)", got, want, planned, ck.State.Done, local)
			}
			if _, err := os.Stat(out + ".ckpt"); err == nil {
				t.Error("the checkpoint is still there after the run completed")
			}
			if tc.threads == "1" {
				a, _ := os.ReadFile(want)
				b, _ := os.ReadFile(out)
				if !bytes.Equal(a, b) {
					t.Error("interrupted and resumed vectors differ from an uninterrupted run")
				}
			}
		})
	}
}
