package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/vecfile"
)

// permuted returns toyVectors under an orthogonal map, (a, b, c, d) →
// (−b, a, d, c), with the vector of word changed (if any) replaced.
func permuted(t *testing.T, changed string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(toyVectors), "\n")
	var b strings.Builder
	b.WriteString(lines[0] + "\n")
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if f[0] == changed {
			fmt.Fprintf(&b, "%s 0.3 -0.9 0.2 0.4\n", f[0])
			continue
		}
		neg := "-" + f[2]
		if f[2] == "0" {
			neg = "0"
		}
		fmt.Fprintf(&b, "%s %s %s %s %s\n", f[0], neg, f[1], f[4], f[3])
	}
	return b.String()
}

// onlyFiles fails unless dir holds exactly names.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestAlign(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.txt")
	tgt := filepath.Join(dir, "b.txt")
	pairs := filepath.Join(dir, "pairs")
	os.WriteFile(src, []byte(toyVectors), 0o644)
	os.WriteFile(tgt, []byte(permuted(t, "")), 0o644)
	os.WriteFile(pairs, []byte("man man\nking king\nqueen queen\nParis Paris\nnope nope\n"), 0o644)
	out := filepath.Join(dir, "out.bin")
	code, stdout, stderr := w2v(t, "", "align", src, tgt, "-o", out, "--eval", pairs, "--refine", "1", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r alignReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v in %q", err, stdout)
	}
	if r.Pairs != 8 || r.EvalWords != 5 || r.EvalMissed != 1 || len(r.Scores) != 2 || len(r.Refined) != 1 {
		t.Errorf("report %+v", r)
	}
	for _, s := range r.Scores {
		if s.NN.At1 != 1 || s.CSLS.At1 != 1 {
			t.Errorf("%s: precision@1 %v (NN), %v (CSLS); an exact map finds every word", s.Stage, s.NN.At1, s.CSLS.At1)
		}
	}
	got, err := vecfile.Open(out, vecfile.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := vecfile.Read(strings.NewReader(permuted(t, "")), "b", vecfile.Options{Raw: true})
	if got.Format != vecfile.Binary || got.Len() != 8 {
		t.Fatalf("wrote %v, %d words", got.Format, got.Len())
	}
	for i := range got.Len() {
		for j, x := range got.Row(i) {
			if d := x - want.Row(i)[j]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%s: mapped %v, target %v", got.Word(i), got.Row(i), want.Row(i))
			}
		}
	}
	onlyFiles(t, dir, "a.txt", "b.txt", "out.bin", "pairs")

	// The table names the stages and retrievals.
	code, stdout, stderr = w2v(t, "", "align", src, tgt, "-o", filepath.Join(dir, "out2.w2v"), "--eval", pairs)
	if code != exitOK || !strings.Contains(stdout, "procrustes  NN         100.00") || !strings.Contains(stdout, "CSLS") {
		t.Errorf("exit %d, table:\n%s%s", code, stdout, stderr)
	}
}

func TestAlignErrors(t *testing.T) {
	dir := t.TempDir()
	file := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src := file("a.txt", toyVectors)
	tgt := file("b.txt", permuted(t, ""))
	three := file("three.txt", "2 3\nman 1 0 0\nking 0 1 0\n")
	junk := file("junk.txt", "hello world again\n")
	empty := file("empty.dict", "# nothing here\n")
	unknown := file("unknown.dict", "chat cat\nchien dog\n")
	out := filepath.Join(dir, "out.txt")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"mismatched dimensions", []string{src, three}, exitError, "4 dimensions and the target 3; an orthogonal map needs the same number"},
		{"empty dictionary", []string{src, tgt, "--dict", empty}, exitError, empty + " holds no word pairs"},
		{"all-unknown dictionary", []string{src, tgt, "--dict", unknown}, exitError, "none of the 2 pairs in " + unknown + " has both words in the models"},
		{"missing dictionary", []string{src, tgt, "--dict", filepath.Join(dir, "nope")}, exitError, "dictionary: open "},
		{"not vectors", []string{junk, tgt}, exitError, junk + `:1: first line "hello world again\n" is not a "WORDS DIMENSIONS" header`},
		{"dict and identical", []string{src, tgt, "--dict", empty, "--identical", "5"}, exitUsage, "either --dict or --identical"},
		{"output is an input", []string{src, tgt, "-o", tgt}, exitUsage, "writing it would destroy the input"},
		{"one model", []string{src}, exitUsage, "want a source and a target model"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"align", "-o", out}, tc.args...)
			code, stdout, stderr := w2v(t, "", args...)
			if code != tc.code || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and an error saying %q", code, stdout, stderr, tc.code, tc.want)
			}
			if first := strings.SplitN(stderr, "\n", 2)[0]; !strings.HasPrefix(first, "w2v: ") {
				t.Errorf("stderr starts %q, want the error", first)
			}
			// Nothing half-written is left behind.
			onlyFiles(t, dir, "a.txt", "b.txt", "empty.dict", "junk.txt", "three.txt", "unknown.dict")
		})
	}
}

func TestDrift(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, "a.txt", []byte(toyVectors))
	b := filepath.Join(dir, "b.txt")
	os.WriteFile(b, []byte(permuted(t, "queen")), 0o644)
	code, stdout, stderr := w2v(t, "", "drift", a, b, "-k", "3", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r struct {
		Words int
		Moves []struct {
			Word     string
			Distance float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if r.Words != 8 || len(r.Moves) != 3 || r.Moves[0].Word != "queen" || r.Moves[0].Distance < 2*r.Moves[1].Distance {
		t.Errorf("drift %+v: want queen first, well ahead", r)
	}
	code, stdout, _ = w2v(t, "", "drift", a, b, "-k", "2")
	if code != exitOK || !strings.Contains(stdout, "   1  queen") || strings.Count(stdout, "\n") != 3 {
		t.Errorf("exit %d, table:\n%s", code, stdout)
	}
}
