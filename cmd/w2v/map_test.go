package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	// The groups lie along the first two axes: PCA must keep them apart.
	code, stdout, errs := w2v(t, "", "map", "-m", model, "-f", "tsv", "-o", "-", "cat", "dog", "one", "two")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 5 || lines[0] != "word\tx\ty" {
		t.Fatalf("output %q", stdout)
	}
	x := func(i int) string { return strings.Fields(lines[i])[1] }
	// cat and dog on one side of the first component, one and two on the other.
	if (x(1)[0] == '-') != (x(2)[0] == '-') || (x(3)[0] == '-') != (x(4)[0] == '-') || (x(1)[0] == '-') == (x(3)[0] == '-') {
		t.Errorf("first component does not split the groups:\n%s", stdout)
	}

	svg := filepath.Join(t.TempDir(), "map.svg")
	if code, _, errs := w2v(t, "", "map", "-m", model, "-o", svg, "--top", "5"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "<circle"); n != 5 || !strings.Contains(string(b), ">dog</text>") || !strings.Contains(string(b), "5 words by PCA") {
		t.Errorf("%d points in\n%s", n, b)
	}
}

func TestMapBadInput(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	dir := t.TempDir()
	out := filepath.Join(dir, "map.svg")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown words", []string{"-m", model, "-o", out, "cat", "Cat", "unicorn"}, 1, "not in the model: Cat, unicorn"},
		{"one word", []string{"-m", model, "-o", out, "cat"}, 2, "a map needs at least two words"},
		{"top 1", []string{"-m", model, "-o", out, "--top", "1"}, 2, "--top must be at least 2"},
		{"top negative", []string{"-m", model, "-o", out, "--top", "-5"}, 2, "--top must be at least 2"},
		{"no output", []string{"-m", model}, 2, "no output file"},
		{"unknown format", []string{"-m", model, "-o", filepath.Join(dir, "map.png")}, 2, `got "png"`},
		{"unwritable output", []string{"-m", model, "-o", filepath.Join(dir, "no", "map.svg")}, 1, "does not exist"},
		{"missing model", []string{"-m", filepath.Join(dir, "nope.txt"), "-o", out}, 1, "does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := w2v(t, "", append([]string{"map"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errs, tt.code, tt.msg)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("left behind: %v", ents)
			}
		})
	}
}
