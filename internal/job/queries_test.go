package job

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/query"
)

// TestQueries: nearest, analogy and similarity answer queries given or
// read from standard input on the model, in tables or JSON; unknown words
// fail the run, a malformed analogy is a usage error found before the
// model is read, and no model is a usage error.
func TestQueries(t *testing.T) {
	model, _, _ := evalFiles(t)
	missing := filepath.Join(t.TempDir(), "missing.txt")
	top1 := query.Options{Top: 1}
	tests := []struct {
		name  string
		run   func(Streams) error
		stdin string
		out   []string // in the output, in order
		err   string
		usage bool
	}{
		{name: "nearest words", run: func(s Streams) error {
			return Nearest(context.Background(), s, QueryOptions{Model: model, Query: top1}, []string{"king", "man"})
		}, out: []string{"king", "queen", "man", "woman"}},
		{name: "nearest from standard input, as JSON", stdin: "man\nking\n", run: func(s Streams) error {
			return Nearest(context.Background(), s, QueryOptions{Model: model, Query: top1, JSON: true}, nil)
		}, out: []string{`"query":"man"`, `"word":"woman"`, `"query":"king"`, `"word":"queen"`}},
		{name: "nearest unknown word", run: func(s Streams) error {
			return Nearest(context.Background(), s, QueryOptions{Model: model, Query: top1}, []string{"unicorn"})
		}, err: "could not be answered", usage: false},
		{name: "nearest without a model", run: func(s Streams) error {
			return Nearest(context.Background(), s, QueryOptions{Query: top1}, []string{"king"})
		}, err: "no model given", usage: true},
		{name: "analogy", run: func(s Streams) error {
			return Analogy(context.Background(), s, QueryOptions{Model: model, Query: top1}, []string{"man", "king", "woman"})
		}, out: []string{"queen"}},
		{name: "analogy expression from standard input", stdin: "king - man + woman\n", run: func(s Streams) error {
			return Analogy(context.Background(), s, QueryOptions{Model: model, Query: top1}, nil)
		}, out: []string{"queen"}},
		{name: "malformed analogy before the model", run: func(s Streams) error {
			return Analogy(context.Background(), s, QueryOptions{Model: missing, Query: top1}, []string{"king", "-", "-", "man"})
		}, err: "two operators in a row", usage: true},
		{name: "similarity", run: func(s Streams) error { return Similarity(s, model, []string{"king", "queen"}, false) },
			out: []string{"king", "queen", "0.8000"}},
		{name: "similarity from standard input, as JSON", stdin: "man woman\n", run: func(s Streams) error { return Similarity(s, model, nil, true) },
			out: []string{`"man"`, `"woman"`, "0.8"}},
		{name: "similarity of a missing model", run: func(s Streams) error { return Similarity(s, missing, []string{"a", "b"}, false) },
			err: "missing.txt", usage: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			err := tt.run(Streams{In: strings.NewReader(tt.stdin), Out: &out, Err: &errs})
			if tt.err == "" && err != nil {
				t.Fatalf("error %v (stderr %q)", err, errs.String())
			}
			if !matches(err, tt.err, tt.usage) {
				t.Fatalf("error %v, want %q (usage error: %v)", err, tt.err, tt.usage)
			}
			rest := out.String()
			for _, w := range tt.out {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output %q lacks %q after the answers before it", out.String(), w)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}

// TestServe: a server on a free port says what it serves and, once its
// context ends, that it stopped; an address it cannot listen on is an
// error naming it.
func TestServe(t *testing.T) {
	model, _, _ := evalFiles(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var errs bytes.Buffer
	if err := Serve(ctx, Streams{Err: &errs}, model, "127.0.0.1:0", false); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	want := "serve: " + model + ", 4 words × 2, no index, on http://127.0.0.1:"
	if got := errs.String(); !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "\nserve: stopped\n") {
		t.Errorf("stderr %q, want %q... and serve: stopped", got, want)
	}
	err := Serve(context.Background(), Streams{Err: &bytes.Buffer{}}, model, "127.0.0.1:-1", false)
	if err == nil || !strings.Contains(err.Error(), "listen on 127.0.0.1:-1") || errors.Is(err, context.Canceled) {
		t.Errorf("Serve on a bad port: error %v, want one naming the address", err)
	}
}
