//go:build !race

// Training the model takes seconds; under the race detector it would take
// minutes, and TestModelConcurrent serves there.

package query_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/skipgram"
	"github.com/w2vtool/w2v/internal/vecfile"
)

var indexedModel = sync.OnceValues(func() (*vecfile.Vectors, error) {
	dir, err := os.MkdirTemp("", "w2v-query-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir) // the model is read into memory
	out := filepath.Join(dir, "vectors.bin")
	cfg := skipgram.DefaultConfig()
	cfg.Dim, cfg.Epochs = 50, 2
	o := job.TrainOptions{Output: out, Binary: true, BinaryGiven: true, OutputGiven: true, Model: "skipgram",
		Negative: cfg.Negative, Dim: cfg.Dim, Window: cfg.Window, Epochs: cfg.Epochs, Alpha: cfg.Alpha, Sample: cfg.Sample,
		MinCount: 5, Threads: 1, Seed: 1, MaxSentence: 1000, MaxWordBytes: 100, MaxDistinct: 1 << 20, Quiet: true}
	s := job.Streams{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}
	if err := job.Train(context.Background(), s, o, cfg, []string{"../../testdata/enwiki-2m.txt.gz"}); err != nil {
		return nil, err
	}
	v, err := vecfile.Open(out, vecfile.Options{})
	if err != nil {
		return nil, err
	}
	defer v.Close()
	fg, _, err := query.BuildIndex(context.Background(), v, search.GraphOptions{Seed: 1})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := vecfile.WriteNativeGraph(&buf, v, fg); err != nil {
		return nil, err
	}
	return vecfile.Read(&buf, "vectors.w2v", vecfile.Options{})
})

// trainedModel returns skip-gram vectors trained on testdata's Wikipedia
// slice, with a cosine graph index.
func trainedModel(t *testing.T) *query.Model {
	t.Helper()
	if testing.Short() {
		t.Skip("trains a model; skipped with -short")
	}
	v, err := indexedModel()
	if err != nil {
		t.Fatal(err)
	}
	m, err := query.NewModel(v)
	if err != nil || m.Graph == nil {
		t.Fatalf("NewModel = %v, %v; want a model with its index", m, err)
	}
	return m
}

// analogyQuestions returns the questions of testdata's analogy set whose
// four words the model knows (lower-cased), as queries "a b c".
func analogyQuestions(t *testing.T, m *query.Model) [][]string {
	t.Helper()
	f, err := os.Open("../../testdata/eval/questions-words.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs [][]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(strings.ToLower(sc.Text()))
		if len(w) != 4 {
			continue
		}
		if _, problem := m.Lex.Lookup(w); problem == "" {
			qs = append(qs, w[:3])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return qs
}

// TestAnalogyIndexAgrees: analogy answered through the graph index gives
// the exact scan's top answer for at least 95 % of the analogy questions,
// by 3CosAdd and by 3CosMul; a 3CosMul that took the index's 3CosAdd
// answers without re-ranking them, or a walk too narrow, falls below.
func TestAnalogyIndexAgrees(t *testing.T) {
	m := trainedModel(t)
	qs := analogyQuestions(t, m)
	if len(qs) < 1000 {
		t.Fatalf("only %d analogy questions in the model's vocabulary", len(qs))
	}
	top1 := func(o query.Options, wantGraph bool) []int {
		t.Helper()
		r, err := m.Analogy(o)
		if err != nil {
			t.Fatal(err)
		}
		if (r.Graph != nil) != wantGraph {
			t.Fatalf("%+v: graph %v, want %v", o, r.Graph != nil, wantGraph)
		}
		ans, err := r.Answer(context.Background(), qs)
		if err != nil {
			t.Fatal(err)
		}
		rows := make([]int, len(ans))
		for i, a := range ans {
			if a.Problem != "" || len(a.Hits) == 0 {
				t.Fatalf("%q: %q, %v", a.Words, a.Problem, a.Hits)
			}
			rows[i] = a.Hits[0].Row
		}
		return rows
	}
	agree := func(a, b []int) float64 {
		n := 0
		for i := range a {
			if a[i] == b[i] {
				n++
			}
		}
		return float64(n) / float64(len(a))
	}
	exactAdd := top1(query.Options{Top: 1, Method: search.Add, Exact: true}, false)
	exactMul := top1(query.Options{Top: 1, Method: search.Mul, Exact: true}, false)
	graphAdd := top1(query.Options{Top: 1, Method: search.Add}, true)
	graphMul := top1(query.Options{Top: 1, Method: search.Mul}, true)
	narrowAdd := top1(query.Options{Top: 1, Method: search.Add, Ef: 1}, true)
	for _, tc := range []struct {
		name        string
		got, exact  []int
		wantAgreing bool
	}{
		{"3CosAdd", graphAdd, exactAdd, true},
		{"3CosMul re-ranked", graphMul, exactMul, true},
		{"3CosMul not re-ranked", graphAdd, exactMul, false},
		{"3CosAdd, ef 1", narrowAdd, exactAdd, false},
	} {
		a := agree(tc.got, tc.exact)
		t.Logf("%s: %.1f %% of %d top answers as exact", tc.name, 100*a, len(qs))
		if tc.wantAgreing && a < 0.95 {
			t.Errorf("%s: %.3f of top answers as exact, want ≥ 0.95", tc.name, a)
		}
		if !tc.wantAgreing && a >= 0.95 {
			t.Errorf("%s (broken): %.3f of top answers as exact, want < 0.95", tc.name, a)
		}
	}
}
