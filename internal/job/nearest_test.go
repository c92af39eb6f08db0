package job

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/query"
)

// TestNearestAll: every word's nearest to the file or standard output,
// with the summary on standard error unless quiet, and never over the
// model.
func TestNearestAll(t *testing.T) {
	model, _, _ := evalFiles(t)
	file := filepath.Join(t.TempDir(), "knn.tsv")
	want := "word\trank\tneighbor\nking\t1\tqueen\nqueen\t1\twoman\nman\t1\twoman\nwoman\t1\tqueen\n"
	tests := []struct {
		name    string
		output  string
		quiet   bool
		err     string
		usage   bool
		summary string
	}{
		{"file", file, false, "", false, "nearest: the 1 nearest of 4 words (exact) in "},
		{"standard output", "-", true, "", false, ""},
		{"over the model", model, true, "would destroy the input", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			o := NearestAllOptions{Model: model, Output: tt.output, Query: query.Options{Top: 1}, Quiet: tt.quiet}
			err := NearestAll(context.Background(), Streams{Out: &out, Err: &errs}, o)
			if !matches(err, tt.err, tt.usage) {
				t.Fatalf("error %v, want %q (usage error: %v)", err, tt.err, tt.usage)
			}
			if tt.err != "" {
				return
			}
			table := out.Bytes()
			if tt.output != "-" {
				if table, err = os.ReadFile(tt.output); err != nil {
					t.Fatal(err)
				}
			}
			if got := withoutScores(string(table)); got != want {
				t.Errorf("table without scores\n%s\nwant\n%s", got, want)
			}
			if !strings.HasPrefix(errs.String(), tt.summary) || (tt.summary == "") != (errs.Len() == 0) {
				t.Errorf("stderr %q, want the summary %q", errs.String(), tt.summary)
			}
		})
	}
}

// withoutScores drops the last column of a table, whose digits depend on
// the order the CPU adds in.
func withoutScores(table string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(table, "\n") {
		if i := strings.LastIndexByte(line, '\t'); i >= 0 {
			b.WriteString(line[:i] + "\n")
		}
	}
	return b.String()
}
