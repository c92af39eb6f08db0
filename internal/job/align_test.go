package job

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// alignModels writes two models of the same words: b is a with its first
// two coordinates swapped (an orthogonal map), except that moved points
// elsewhere in b.
func alignModels(t *testing.T, moved string) (a, b string) {
	t.Helper()
	rows := [][]string{
		{"the", "0.9", "0.1", "0.2"}, {"king", "0.1", "0.8", "-0.3"}, {"queen", "0.2", "0.7", "0.4"},
		{"man", "-0.5", "0.3", "0.6"}, {"woman", "-0.4", "0.2", "0.9"}, {"paris", "0.3", "-0.6", "0.1"},
		{"city", "0.6", "-0.2", "-0.7"}, {"river", "-0.8", "-0.4", "0.1"},
	}
	var ta, tb strings.Builder
	ta.WriteString("8 3\n")
	tb.WriteString("8 3\n")
	for _, r := range rows {
		ta.WriteString(strings.Join(r, " ") + "\n")
		if r[0] == moved {
			tb.WriteString(r[0] + " 0.1 0.1 -0.9\n")
			continue
		}
		tb.WriteString(strings.Join([]string{r[0], r[2], r[1], r[3]}, " ") + "\n")
	}
	dir := t.TempDir()
	a, b = filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	if err := os.WriteFile(a, []byte(ta.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(b, []byte(tb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return a, b
}

func TestDrift(t *testing.T) {
	a, b := alignModels(t, "paris")
	var stdout, stderr bytes.Buffer
	err := Drift(Streams{Out: &stdout, Err: &stderr}, AlignOptions{JSON: true}, a, b, 3)
	if err != nil {
		t.Fatal(err)
	}
	var r DriftReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("%v in %q", err, stdout.String())
	}
	if r.Words != 8 || len(r.Moves) != 3 || r.Moves[0].Word != "paris" {
		t.Fatalf("report %+v; want paris first of 3 moves among 8 words", r)
	}
	if r.Moves[0].Distance < 0.5 || r.Moves[1].Distance > r.Moves[0].Distance {
		t.Errorf("moves %+v: paris moved far, the others less", r.Moves)
	}

	stdout.Reset()
	o := AlignOptions{Dict: filepath.Join(t.TempDir(), "missing"), IdenticalSet: true}
	err = Drift(Streams{Out: &stdout, Err: &stderr}, o, a, b, 3)
	if !errors.As(err, new(failure.UsageError)) || !strings.Contains(err.Error(), "either --dict or --identical") {
		t.Errorf("--dict with --identical: error %v, want a usage error", err)
	}
}

func TestAlign(t *testing.T) {
	a, b := alignModels(t, "")
	dir := t.TempDir()
	out := filepath.Join(dir, "out.bin")
	pairs := filepath.Join(dir, "pairs")
	if err := os.WriteFile(pairs, []byte("king king\nparis paris\nnope nope\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := Align(context.Background(), Streams{Out: &stdout, Err: &stderr}, AlignOptions{Output: out, Eval: pairs, JSON: true}, a, b)
	if err != nil {
		t.Fatal(err)
	}
	var r AlignReport
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("%v in %q", err, stdout.String())
	}
	if r.Pairs != 8 || r.EvalWords != 3 || r.EvalMissed != 1 || len(r.Scores) != 1 || r.Scores[0].Stage != "procrustes" {
		t.Fatalf("report %+v", r)
	}
	got, err := vecfile.Open(out, vecfile.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Close()
	want, err := vecfile.Open(b, vecfile.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	defer want.Close()
	if got.Format != vecfile.Binary || got.Len() != 8 {
		t.Fatalf("wrote %v with %d words", got.Format, got.Len())
	}
	for i := range got.Len() {
		for j, x := range got.Row(i) {
			if d := x - want.Row(i)[j]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%s: mapped %v, target %v", got.Word(i), got.Row(i), want.Row(i))
			}
		}
	}

	err = Align(context.Background(), Streams{Out: &stdout, Err: &stderr}, AlignOptions{}, a, b)
	if !errors.As(err, new(failure.UsageError)) || !strings.Contains(err.Error(), "no output file") {
		t.Errorf("no output: error %v, want a usage error", err)
	}
}
