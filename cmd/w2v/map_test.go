package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	// The groups lie along the first two axes: PCA, the default for chosen
	// words, must keep them apart.
	code, stdout, errs := w2v(t, "", "map", "-m", model, "-f", "tsv", "-o", "-", "cat", "dog", "one", "two", "cat")
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

	dir := t.TempDir()
	svg := filepath.Join(dir, "map.svg")
	if code, _, errs := w2v(t, "", "map", "-m", model, "-o", svg, "--top", "5"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(svg)
	if err != nil {
		t.Fatal(err)
	}
	// --top maps are t-SNE's, the perplexity lowered to fit 5 words.
	if n := strings.Count(string(b), "<circle"); n != 5 || !strings.Contains(string(b), ">dog</text>") || !strings.Contains(string(b), "5 words by t-SNE, perplexity 1.33") {
		t.Errorf("%d points in\n%s", n, b)
	}

	// t-SNE with classes, as JSON: the animals, the numbers and "the" in three
	// classes, and the groups apart on the map.
	code, stdout, errs = w2v(t, "", "map", "-m", model, "--json", "-o", "-", "--method", "tsne", "-k", "3", "--iterations", "500",
		"cat", "dog", "mouse", "one", "two", "three", "the")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var pts []struct {
		Word  string
		X, Y  float64
		Class *int32
	}
	if err := json.Unmarshal([]byte(stdout), &pts); err != nil || len(pts) != 7 {
		t.Fatalf("%v: %s", err, stdout)
	}
	for _, p := range pts {
		if p.Class == nil {
			t.Fatalf("no class: %s", stdout)
		}
	}
	if *pts[0].Class != *pts[2].Class || *pts[0].Class == *pts[3].Class || *pts[3].Class != *pts[5].Class || *pts[6].Class == *pts[0].Class {
		t.Errorf("classes do not follow the groups: %s", stdout)
	}
	d := func(a, b int) float64 {
		dx, dy := pts[a].X-pts[b].X, pts[a].Y-pts[b].Y
		return dx*dx + dy*dy
	}
	if d(0, 1) >= d(0, 3) || d(3, 4) >= d(3, 0) {
		t.Errorf("t-SNE does not keep the groups apart: %s", stdout)
	}

	// The same map drawn as PNG and HTML, and byte-identical on one thread.
	pngOut := filepath.Join(dir, "map.png")
	for _, threads := range []string{"1", "2"} {
		if code, _, errs := w2v(t, "", "map", "-m", model, "-o", pngOut, "-k", "2", "--threads", threads); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		b, err = os.ReadFile(pngOut)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(b)); err != nil {
			t.Fatalf("not a PNG: %v", err)
		}
		if threads == "1" {
			os.Rename(pngOut, pngOut+".1")
		} else if one, _ := os.ReadFile(pngOut + ".1"); !bytes.Equal(one, b) {
			t.Error("the map on 2 threads differs from the map on 1")
		}
	}
	html := filepath.Join(dir, "map.html")
	if code, _, errs := w2v(t, "", "map", "-m", model, "-o", html); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if b, _ = os.ReadFile(html); !strings.HasPrefix(string(b), "<!DOCTYPE html>") || !strings.Contains(string(b), `"mouse"`) {
		t.Errorf("page:\n%.300s", b)
	}
}

func TestMapBadInput(t *testing.T) {
	model := writeFile(t, "groups.txt", []byte(groupVectors))
	words := writeFile(t, "words.txt", []byte("cat\n\n dog \n"))
	dir := t.TempDir()
	out := filepath.Join(dir, "map.svg")
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown words", []string{"-m", model, "-o", out, "cat", "Cat", "unicorn"}, 1, "not in the model: Cat, unicorn"},
		{"unknown words in the list", []string{"-m", model, "-o", out, "--words", words, "unicorn"}, 1, "not in the model: unicorn"},
		{"one word", []string{"-m", model, "-o", out, "cat"}, 2, "a map needs at least two words"},
		{"top 1", []string{"-m", model, "-o", out, "--top", "1"}, 2, "--top must be at least 2"},
		{"top 0", []string{"-m", model, "-o", out, "--top", "0"}, 2, "--top must be at least 2"},
		{"top negative", []string{"-m", model, "-o", out, "--top", "-5"}, 2, "--top must be at least 2"},
		{"no output", []string{"-m", model}, 2, "no output file"},
		{"unknown format", []string{"-m", model, "-o", filepath.Join(dir, "map.gif")}, 2, `got "gif"`},
		{"json and another format", []string{"-m", model, "-o", out, "--json", "-f", "svg"}, 2, "--json and --format svg disagree"},
		{"unknown method", []string{"-m", model, "-o", out, "--method", "umap"}, 2, `--method must be pca or tsne, got "umap"`},
		{"perplexity too large for the words", []string{"-m", model, "-o", out, "--perplexity", "5"}, 2, "--perplexity 5 needs more than 15 words"},
		{"perplexity below 1", []string{"-m", model, "-o", out, "--perplexity", "0.5"}, 2, "--perplexity must be at least 1"},
		{"t-SNE of 3 words", []string{"-m", model, "-o", out, "--method", "tsne", "cat", "dog", "one"}, 2, "t-SNE needs at least 4 words"},
		{"iterations 0", []string{"-m", model, "-o", out, "--iterations", "0"}, 2, "--iterations must be at least 1"},
		{"more classes than words", []string{"-m", model, "-o", out, "-k", "3", "cat", "dog"}, 1, "cannot make 3 classes of 2 words"},
		{"missing word list", []string{"-m", model, "-o", out, "--words", filepath.Join(dir, "nope.txt")}, 1, "does not exist"},
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
