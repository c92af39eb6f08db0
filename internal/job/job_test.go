package job

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/checkpoint"
	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/skipgram"
)

func TestResumeCommand(t *testing.T) {
	tests := []struct {
		path   string
		inputs []string
		want   string
	}{
		{"v.txt.ckpt", []string{"a.txt", "b.txt"}, "w2v train --resume v.txt.ckpt"},
		{"my run.ckpt", []string{"a.txt"}, "w2v train --resume 'my run.ckpt'"},
		{"v.ckpt", []string{"standard input"}, "w2v train --resume v.ckpt - < CORPUS"},
		{"v.ckpt", []string{"it's.txt", "standard input"}, `w2v train --resume v.ckpt 'it'\''s.txt' - < CORPUS`},
	}
	for _, tt := range tests {
		var ins []checkpoint.Input
		for _, n := range tt.inputs {
			ins = append(ins, checkpoint.Input{Name: n})
		}
		if got := resumeCommand(tt.path, ins); got != tt.want {
			t.Errorf("resumeCommand(%q, %q) = %q, want %q", tt.path, tt.inputs, got, tt.want)
		}
	}
}

func TestShellQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain/path-1_2.txt", "plain/path-1_2.txt"},
		{"", "''"},
		{"a b", "'a b'"},
		{"$HOME", "'$HOME'"},
		{"it's", `'it'\''s'`},
	}
	for _, tt := range tests {
		if got := shellQuote(tt.in); got != tt.want {
			t.Errorf("shellQuote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckResumeFlags(t *testing.T) {
	c := &checkpoint.Checkpoint{
		Config: skipgram.Config{Arch: skipgram.SkipGram, Dim: 50, Window: 5, Epochs: 3, Alpha: 0.025},
		Job:    checkpoint.Job{MinCount: 5, Threads: 2},
	}
	tests := []struct {
		name string
		o    TrainOptions
		want string // "" for no error
	}{
		{"same values", TrainOptions{Model: "skipgram", Dim: 50, MinCount: 5, Threads: 2, Typed: []string{"model", "dim", "min-count", "threads"}}, ""},
		{"resumable flags", TrainOptions{Output: "x.bin", Binary: true, Typed: []string{"output", "binary", "quiet", "checkpoint-every"}}, ""},
		{"untyped differences", TrainOptions{Dim: 300}, ""},
		{"dim", TrainOptions{Dim: 300, Typed: []string{"dim"}}, "--dim cannot change when resuming: the checkpoint has 50; leave the flag out"},
		{"model", TrainOptions{Model: "cbow", Typed: []string{"model"}}, "--model cannot change when resuming: the checkpoint has skipgram; leave the flag out"},
		{"min-count", TrainOptions{MinCount: 1, Typed: []string{"min-count"}}, "--min-count cannot change when resuming: the checkpoint has 5; leave the flag out"},
		{"read-vocab", TrainOptions{ReadVocab: "v.txt", Typed: []string{"read-vocab"}},
			"--read-vocab cannot change when resuming: the checkpoint has its own vocabulary and settings; leave the flag out"},
	}
	for _, tt := range tests {
		err := checkResumeFlags(tt.o, c)
		got := ""
		if err != nil {
			got = err.Error()
			var ue failure.UsageError
			if !errors.As(err, &ue) {
				t.Errorf("%s: %v is not a usage error", tt.name, err)
			}
		}
		if got != tt.want {
			t.Errorf("%s: checkResumeFlags = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestSameInputs(t *testing.T) {
	in := func(name, text string) *corpus.Input {
		return &corpus.Input{Name: name, R: strings.NewReader(text), Size: int64(len(text))}
	}
	fp := func(text string) uint64 {
		h, err := checkpoint.Fingerprint(strings.NewReader(text), int64(len(text)))
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	was := []checkpoint.Input{{Name: "a.txt", Size: 11, Sample: fp("hello world")}}
	tests := []struct {
		name string
		was  []checkpoint.Input
		now  []*corpus.Input
		want string
	}{
		{"same", was, []*corpus.Input{in("a.txt", "hello world")}, ""},
		{"moved", was, []*corpus.Input{in("b.txt", "hello world")}, ""},
		{"older checkpoint", []checkpoint.Input{{Name: "a.txt", Size: 11}}, []*corpus.Input{in("a.txt", "HELLO WORLD")}, ""},
		{"count", was, nil, "resume: the checkpoint was trained on 1 corpus files, got 0"},
		{"size", was, []*corpus.Input{in("a.txt", "hello")}, "resume: corpus a.txt has 5 bytes but a.txt had 11 when the checkpoint was made; has it changed?"},
		{"content", was, []*corpus.Input{in("a.txt", "HELLO WORLD")}, "resume: corpus a.txt differs from a.txt when the checkpoint was made (same size, different content)"},
	}
	for _, tt := range tests {
		err := sameInputs(tt.was, tt.now)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: sameInputs = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCheckOutputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.txt")
	if err := os.WriteFile(in, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		outputs, inputs []string
		clash           bool
	}{
		{[]string{filepath.Join(dir, "new.txt")}, []string{in}, false},
		{[]string{"-", ""}, []string{in, "-"}, false},
		{[]string{in}, []string{in}, true},
		{[]string{link}, []string{in}, true},
		{[]string{filepath.Join(dir, ".", "in.txt")}, []string{"", in}, true},
	}
	for _, tt := range tests {
		err := CheckOutputs(tt.outputs, tt.inputs)
		var ue failure.UsageError
		if (err != nil) != tt.clash || err != nil && !errors.As(err, &ue) {
			t.Errorf("CheckOutputs(%q, %q) = %v, want a usage error %v", tt.outputs, tt.inputs, err, tt.clash)
		}
	}
}

func TestSpools(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "c.txt")
	if err := os.WriteFile(plain, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		files []string
		want  bool
	}{
		{[]string{plain}, false},
		{[]string{filepath.Join(dir, "missing.txt")}, false},
		{[]string{plain, "-"}, true},
		{[]string{filepath.Join(dir, "c.txt.gz")}, true},
		{[]string{dir}, true}, // not a regular file
	}
	for _, tt := range tests {
		if got := spools(tt.files); got != tt.want {
			t.Errorf("spools(%q) = %v, want %v", tt.files, got, tt.want)
		}
	}
}

func TestStopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	other := errors.New("disk full")
	if err := stopped(ctx, other, "out.txt"); err != other {
		t.Errorf("stopped before cancellation = %v, want the error itself", err)
	}
	cancel()
	err := stopped(ctx, ctx.Err(), "out.txt")
	var in *failure.Interrupted
	if !errors.As(err, &in) || err.Error() != "interrupted; out.txt was not written" {
		t.Errorf("stopped after cancellation = %v (%T)", err, err)
	}
}
