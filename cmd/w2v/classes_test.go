package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// groupVectors has three obvious groups: animals, numbers, the odd word.
const groupVectors = `7 3
the 0 0 1
cat 1 0.1 0
one 0.1 1 0
dog 1 0 0.1
two 0 1 0.1
mouse 0.9 0.2 0
three 0.2 0.9 0
`

func TestClasses(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	out := filepath.Join(t.TempDir(), "classes.txt")
	code, stdout, errs := w2v(t, "", "classes", "-m", model, "-k", "3", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q: %s", code, stdout, errs)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// word2vec's layout, sorted by class; classes numbered by first word.
	want := "the 0\ncat 1\ndog 1\nmouse 1\none 2\ntwo 2\nthree 2\n"
	if string(got) != want {
		t.Errorf("classes:\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(errs, "classes: 7 words in 3 classes") || !strings.Contains(errs, "converged") {
		t.Errorf("summary: %q", errs)
	}

	// To standard output, only the 3 most frequent words.
	code, stdout, errs = w2v(t, "", "classes", "-m", model, "-k", "2", "--restrict", "3", "-q")
	if code != 0 || stdout != "the 0\ncat 1\none 1\n" && stdout != "the 0\none 0\ncat 1\n" || errs != "" {
		t.Errorf("restricted: exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
}

func TestClassesBadInput(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	dir := t.TempDir()
	out := filepath.Join(dir, "classes.txt")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"k above the vocabulary", []string{"-m", model, "-k", "8", "-o", out}, 1, "cannot make 8 classes of 7 words"},
		{"k above the restricted vocabulary", []string{"-m", model, "-k", "4", "--restrict", "3", "-o", out}, 1, "cannot make 4 classes of 3 words"},
		{"k zero", []string{"-m", model, "-k", "0", "-o", out}, 2, "--classes (-k) must be at least 1, got 0"},
		{"k missing", []string{"-m", model, "-o", out}, 2, "--classes (-k) must be at least 1"},
		{"negative restrict", []string{"-m", model, "-k", "2", "--restrict", "-1", "-o", out}, 2, "--restrict must be 0"},
		{"iter zero", []string{"-m", model, "-k", "2", "--iter", "0", "-o", out}, 2, "--iter must be at least 1"},
		{"no model", []string{"-k", "2", "-o", out}, 2, "no model given"},
		{"missing model", []string{"-m", filepath.Join(dir, "nope.bin"), "-k", "2", "-o", out}, 1, "nope.bin does not exist"},
		{"unwritable output", []string{"-m", model, "-k", "2", "-o", filepath.Join(dir, "no", "such", "dir", "c.txt")}, 1, "does not exist; create it first"},
		{"output over the model", []string{"-m", model, "-k", "2", "-o", model}, 2, "writing it would destroy the input"},
		{"a stray argument", []string{"-m", model, "-k", "2", "-o", out, "extra"}, 2, `classes takes no arguments, got "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, errs := w2v(t, "", append([]string{"classes"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.msg) || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.msg)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 0 {
				t.Errorf("left behind: %v", entries)
			}
		})
	}
	if b, _ := os.ReadFile(model); string(b) != groupVectors {
		t.Error("the model was changed")
	}
}
