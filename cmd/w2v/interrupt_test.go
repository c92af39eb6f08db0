//go:build unix

package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/w2vtool/w2v/internal/checkpoint"
)

// interruptTrain runs the command line args in a child process with stdin
// as its standard input, sends sig once a progress line shows that training
// is under way, and returns the exit code and standard error.
func interruptTrain(t *testing.T, sig syscall.Signal, stdin io.Reader, args ...string) (int, string) {
	t.Helper()
	// The first progress line comes once words are trained, so the
	// checkpoint will hold some work.
	return interruptAt(t, "train: ", sig, stdin, args...)
}

// interruptAt runs the command line args in a child process with stdin as
// its standard input, sends sig once a line of its standard error starts
// with prefix, and returns the exit code and standard error.
func interruptAt(t *testing.T, prefix string, sig syscall.Signal, stdin io.Reader, args ...string) (int, string) {
	t.Helper()
	cmd := w2vCommand(t, args...)
	cmd.Stdin = stdin
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	training := make(chan struct{})
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(pipe)
		once := sync.Once{}
		for sc.Scan() {
			stderr.WriteString(sc.Text() + "\n")
			if strings.HasPrefix(sc.Text(), prefix) {
				once.Do(func() { close(training) })
			}
		}
	}()
	select {
	case <-training:
		cmd.Process.Signal(sig)
	case <-copied:
		// The child ended, or closed standard error, before that line.
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Errorf("no line starting %q within two minutes", prefix)
	}
	<-copied
	err = cmd.Wait()
	code := cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatal(err)
	}
	return code, stderr.String()
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

var (
	trainedRE    = regexp.MustCompile(`train: ([0-9,]+) words in`)
	resumeHintRE = regexp.MustCompile(`continue with: w2v (train --resume [^\n]*)`)
)

// resumeArgs returns the arguments of the resume command an interrupted run
// printed, and whether it asks for the corpus on standard input.
func resumeArgs(t *testing.T, stderr string) (args []string, stdin bool) {
	t.Helper()
	m := resumeHintRE.FindStringSubmatch(stderr)
	if m == nil {
		t.Fatalf("no resume command in:\n%s", stderr)
	}
	hint, stdin := strings.CutSuffix(m[1], " < CORPUS")
	return strings.Fields(hint), stdin
}

func TestInterruptAndResume(t *testing.T) {
	corpus := smallCorpus(t, 100_000)
	for _, tc := range []struct {
		name    string
		threads string
		sig     syscall.Signal
		code    int
	}{{"one thread, SIGINT", "1", syscall.SIGINT, 130}, {"two threads, SIGTERM", "2", syscall.SIGTERM, 143}} {
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
			code, stderr := interruptTrain(t, tc.sig, nil, append(args, "-o", out)...)
			if code != tc.code || !strings.Contains(stderr, "checkpoint saved to "+out+".ckpt") {
				t.Fatalf("interrupted run: exit %d, want %d; stderr:\n%s", code, tc.code, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatal("the output exists after an interrupted run")
			}
			ck := readCk(t, out+".ckpt")
			planned := int64(ck.Config.Epochs) * sum(ck.Counts)
			if ck.State.Done <= 0 || ck.State.Done >= planned {
				t.Fatalf("checkpoint at %d of %d words", ck.State.Done, planned)
			}
			// The command the run printed is the one that continues it.
			resume, stdin := resumeArgs(t, stderr)
			if stdin {
				t.Errorf("a run on a file asks for standard input: %s", stderr)
			}
			code, _, stderr = w2v(t, "", resume...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", resume, code, stderr)
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

// interruptedCheckpoint returns a checkpoint of a one-thread, 20-dimension
// run on corpus, interrupted part way, copied into a directory of its own.
func interruptedCheckpoint(t *testing.T, corpus string, stdin io.Reader, args ...string) (ckpt, stderr string) {
	t.Helper()
	dir := t.TempDir()
	ckpt = filepath.Join(dir, "v.txt.ckpt")
	args = append([]string{"train", corpus, "--dim", "20", "--threads", "1", "--epochs", "100", "-o", filepath.Join(dir, "v.txt")}, args...)
	code, stderr := interruptTrain(t, syscall.SIGINT, stdin, args...)
	if code != 130 {
		t.Fatalf("interrupted run: exit %d, want 130; stderr:\n%s", code, stderr)
	}
	return ckpt, stderr
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A resumed run takes its settings from the checkpoint: the config file and
// environment do not count as changes, and a typed flag only when its value
// differs.
func TestResumeTakesCheckpointSettings(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	ckpt, _ := interruptedCheckpoint(t, corpus, nil)
	tests := []struct {
		name   string
		config string // ./w2v.yaml
		env    string // W2V_TRAIN_DIM
		args   []string
		code   int
		want   string
	}{
		{name: "config file with the run's settings", config: "train: {dim: 20, threads: 1}\n"},
		{name: "environment with the run's dim", env: "20"},
		{name: "environment with another dim", env: "30"},
		{name: "typed with the run's values", args: []string{"--dim", "20", "--threads", "1", "--epochs", "100", "--model", "skipgram"}},
		{name: "typed another dim", args: []string{"--dim", "5"}, code: 2, want: "--dim cannot change when resuming: the checkpoint has 20"},
		{name: "typed another model", args: []string{"--model", "cbow"}, code: 2, want: "--model cannot change when resuming: the checkpoint has skipgram"},
		{name: "read-vocab", args: []string{"--read-vocab", corpus}, code: 2, want: "--read-vocab cannot change when resuming"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			if tt.config != "" {
				os.WriteFile("w2v.yaml", []byte(tt.config), 0o644)
			}
			if tt.env != "" {
				t.Setenv("W2V_TRAIN_DIM", tt.env)
			}
			copyFile(t, ckpt, "r.ckpt")
			out := filepath.Join(dir, "v.txt")
			code, _, stderr := w2v(t, "", append([]string{"train", "--resume", "r.ckpt", "-o", out, "-q"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.want)
			}
			if tt.code != 0 {
				return
			}
			if _, dim := readHeader(t, out); dim != 20 {
				t.Errorf("dim %d, want the checkpoint's 20", dim)
			}
		})
	}
}

// A run on standard input prints a resume command that gives it again, and
// the resumed run checks the corpus's content, not only its size.
func TestResumeFromStandardInput(t *testing.T) {
	corpus := smallCorpus(t, 20_000)
	text, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(corpus)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ckpt, stderr := interruptedCheckpoint(t, "-", f)
	resume, stdin := resumeArgs(t, stderr)
	if !stdin || resume[len(resume)-1] != "-" || !strings.Contains(stderr, "--resume "+ckpt+" - < CORPUS") {
		t.Fatalf("resume command does not read standard input: %s", stderr)
	}

	code, _, stderr := w2v(t, "", "train", "--resume", ckpt)
	if code != 2 || !strings.Contains(stderr, "trained on standard input; give the same corpus again: w2v train --resume "+ckpt+" - < CORPUS") {
		t.Errorf("resume without the corpus: exit %d, stderr %q", code, stderr)
	}

	// The same number of bytes, different words.
	other := bytes.Clone(text)
	copy(other, bytes.ToUpper(other[:1000]))
	code, _, stderr = w2v(t, string(other), resume...)
	if code != 1 || !strings.Contains(stderr, "corpus standard input differs from standard input when the checkpoint was made (same size, different content)") {
		t.Errorf("resume on another corpus: exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = w2v(t, string(text), resume...)
	if code != 0 || !strings.Contains(stderr, "wrote ") {
		t.Errorf("resume on the same corpus: exit %d, stderr %q", code, stderr)
	}
}

// signalOnRead is standard input on which no data arrives: its first read
// sends the process sig, as Ctrl-C does in a terminal, and reads block for a
// minute (so that a command that ignores the signal fails rather than
// hangs). The blocked read outlives the command, as it would in a real
// process about to exit; by the time it returns, its directory is gone.
type signalOnRead struct {
	sig  syscall.Signal
	once sync.Once
}

func (r *signalOnRead) Read([]byte) (int, error) {
	r.once.Do(func() { syscall.Kill(os.Getpid(), r.sig) })
	time.Sleep(time.Minute)
	return 0, io.EOF
}

// Interrupted while waiting for standard input, a command says so and exits
// as the signal asks, rather than reporting on an empty corpus.
func TestInterruptBeforeStandardInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		sig  syscall.Signal
		code int
	}{
		{[]string{"train", "-", "-o", filepath.Join(dir, "v.txt")}, syscall.SIGINT, 130},
		{[]string{"phrases", "-", "-o", filepath.Join(dir, "p.txt")}, syscall.SIGTERM, 143},
	} {
		var stdout, stderr bytes.Buffer
		code := run(tc.args, &signalOnRead{sig: tc.sig}, &stdout, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), "interrupted") || strings.Contains(stderr.String(), "no word occurs") {
			t.Errorf("%s: exit %d, stderr %q; want exit %d and \"interrupted\"", tc.args[0], code, stderr.String(), tc.code)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 0 {
			t.Errorf("%s: files left behind: %v", tc.args[0], ents)
		}
	}
}

// A corpus file edited since the checkpoint, to the same size, is refused.
func TestResumeRefusesChangedCorpus(t *testing.T) {
	corpus := filepath.Join(t.TempDir(), "c.txt")
	copyFile(t, smallCorpus(t, 20_000), corpus)
	ckpt, _ := interruptedCheckpoint(t, corpus, nil)
	text, _ := os.ReadFile(corpus)
	copy(text[len(text)/2:], bytes.ToUpper(text[len(text)/2:]))
	if err := os.WriteFile(corpus, text, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := w2v(t, "", "train", "--resume", ckpt)
	if code != 1 || !strings.Contains(stderr, "corpus "+corpus+" differs from "+corpus+" when the checkpoint was made") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// sum adds up x.
func sum(x []int64) int64 {
	var s int64
	for _, v := range x {
		s += v
	}
	return s
}
