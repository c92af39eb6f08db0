package job

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/explore"
)

// TestExport: the file's values (not made unit length) of the first
// Restrict words, in the format asked for, and the summary unless quiet.
func TestExport(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.txt")
	if err := os.WriteFile(model, []byte("3 2\nthe 3 4\ncat -0.5 0.25\ndog 1e-3 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		o        ExportOptions
		files    map[string]string // expected contents, by name
		summary  string
		usageErr string
	}{
		{"projector", ExportOptions{Format: "projector"},
			map[string]string{"vectors.tsv": "3\t4\n-0.5\t0.25\n0.001\t2\n", "metadata.tsv": "the\ncat\ndog\n"}, "export: 3 words × 2 to ", ""},
		{"restricted", ExportOptions{Format: "projector", Restrict: 2, Quiet: true},
			map[string]string{"vectors.tsv": "3\t4\n-0.5\t0.25\n", "metadata.tsv": "the\ncat\n"}, "", ""},
		{"npy", ExportOptions{Format: "npy", Restrict: 1, Quiet: true}, map[string]string{"words.txt": "the\n"}, "", ""},
		{"over the model", ExportOptions{Format: "npy", Output: model}, nil, "", "would destroy the input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Model = model
			if o.Output == "" {
				o.Output = filepath.Join(t.TempDir(), "out")
			}
			var errs bytes.Buffer
			err := Export(Streams{Out: new(bytes.Buffer), Err: &errs}, o)
			if !matches(err, tt.usageErr, tt.usageErr != "") {
				t.Fatalf("error %v, want %q", err, tt.usageErr)
			}
			for name, want := range tt.files {
				if got, err := os.ReadFile(filepath.Join(o.Output, name)); err != nil || string(got) != want {
					t.Errorf("%s = %q (%v), want %q", name, got, err, want)
				}
			}
			if !strings.HasPrefix(errs.String(), tt.summary) || (tt.summary == "") != (errs.Len() == 0) {
				t.Errorf("stderr %q, want the summary %q", errs.String(), tt.summary)
			}
		})
	}
}

// TestWordClasses: word2vec's classes file of the first Restrict words,
// the summary unless quiet, and no more classes than words.
func TestWordClasses(t *testing.T) {
	model := filepath.Join(t.TempDir(), "groups.txt")
	text := "5 3\nthe 0 0 1\ncat 1 0.1 0\none 0.1 1 0\ndog 1 0 0.1\ntwo 0 1 0.1\n"
	if err := os.WriteFile(model, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		k        int
		restrict int
		quiet    bool
		out      string
		summary  string
		err      string
	}{
		{"three groups", 3, 0, false, "the 0\ncat 1\ndog 1\none 2\ntwo 2\n", "classes: 5 words in 3 classes", ""},
		{"restricted", 3, 3, true, "the 0\ncat 1\none 2\n", "", ""},
		{"too many classes", 4, 3, true, "", "", "cannot make 4 classes of 3 words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			o := WordClassesOptions{Model: model, Output: "-", Restrict: tt.restrict, Quiet: tt.quiet,
				KMeans: explore.KMeansOptions{K: tt.k, MaxIter: 20, Seed: 1, Threads: 1}}
			err := WordClasses(t.Context(), Streams{Out: &out, Err: &errs}, o)
			if !matches(err, tt.err, false) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
			if out.String() != tt.out {
				t.Errorf("classes\n%s\nwant\n%s", out.String(), tt.out)
			}
			if !strings.HasPrefix(errs.String(), tt.summary) || (tt.summary == "") != (errs.Len() == 0) {
				t.Errorf("stderr %q, want the summary %q", errs.String(), tt.summary)
			}
		})
	}
}
