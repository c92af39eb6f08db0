package job

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
)

// TestIndex: the model is written with a graph of the metric asked for
// and the summary names it; an output over the model is refused, and a
// missing model writes nothing.
func TestIndex(t *testing.T) {
	model, _, _ := evalFiles(t)
	dir := t.TempDir()
	tests := []struct {
		name    string
		input   string
		output  string
		metric  search.Metric
		err     string
		usage   bool
		summary string
	}{
		{"cosine", model, filepath.Join(dir, "cos.w2v"), search.Cosine, "", false, "index: 4 words × 2, cosine, M 4, ef-construction 20, to "},
		{"dot", model, filepath.Join(dir, "dot.w2v"), search.Dot, "", false, "index: 4 words × 2, dot, M 4, "},
		{"over the model", model, model, search.Cosine, "would destroy the input", true, ""},
		{"no model", filepath.Join(dir, "missing.txt"), filepath.Join(dir, "x.w2v"), search.Cosine, "missing.txt", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var errs bytes.Buffer
			g := search.GraphOptions{Metric: tt.metric, M: 4, EfConstruction: 20, Seed: 1, Threads: 1}
			err := Index(context.Background(), Streams{Err: &errs}, tt.input, tt.output, g)
			if !matches(err, tt.err, tt.usage) {
				t.Fatalf("error %v, want %q (usage error: %v)", err, tt.err, tt.usage)
			}
			if tt.err != "" {
				return
			}
			if !strings.HasPrefix(errs.String(), tt.summary) || !strings.Contains(errs.String(), "index: default search breadth ef ") {
				t.Errorf("stderr %q, want the summary %q and the calibrated ef", errs.String(), tt.summary)
			}
			v, err := query.LoadModel(&bytes.Buffer{}, tt.output)
			if err != nil {
				t.Fatal(err)
			}
			defer v.Close()
			if g := v.Graph(); g == nil || search.Metric(g.Metric) != tt.metric || g.M != 4 || g.Ef < 1 {
				t.Fatalf("written graph %+v, want one of metric %v, M 4, with a calibrated ef", g, tt.metric)
			}
			if v.Len() != 4 || v.Word(0) != "king" {
				t.Errorf("written model has %d words, first %q; want the model's 4, king first", v.Len(), v.Word(0))
			}
		})
	}
}
