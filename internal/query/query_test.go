package query

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// model is a small vector file with three spellings of paris, pointing
// different ways, so that nearest answers have no ties.
func model(t *testing.T) *vecfile.Vectors {
	t.Helper()
	text := "5 2\nparis 1 0\nParis 0.6 0.8\nlondon 0.8 0.6\napple 0 1\nPARIS -1 0\n"
	v, err := vecfile.Read(strings.NewReader(text), "model.txt", vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLexicon(t *testing.T) {
	lex := NewLexicon(model(t))
	tests := []struct {
		words   []string
		rows    []int
		problem string
	}{
		{[]string{"paris", "apple"}, []int{0, 3}, ""},
		{[]string{"Paris"}, []int{1}, ""},
		{[]string{"London"}, nil, `"London" is not in the vocabulary (but "london" is)`},
		{[]string{"pARIS"}, nil, `"pARIS" is not in the vocabulary (but "paris" is)`}, // the first row of that spelling
		{[]string{"apple", "pear"}, nil, `"pear" is not in the vocabulary`},
	}
	for _, tt := range tests {
		rows, problem := lex.Lookup(tt.words)
		if problem != tt.problem || len(rows) != len(tt.rows) {
			t.Errorf("Lookup(%q) = %v, %q; want %v, %q", tt.words, rows, problem, tt.rows, tt.problem)
			continue
		}
		for i := range rows {
			if rows[i] != tt.rows[i] {
				t.Errorf("Lookup(%q) = %v, want %v", tt.words, rows, tt.rows)
			}
		}
	}
}

// TestAnswerAll: lines of a stream become queries of words, blank lines are
// skipped, and unanswered queries become a FailedError.
func TestAnswerAll(t *testing.T) {
	tests := []struct {
		in      string
		args    [][]string
		queries [][]string
		err     string
	}{
		{"a b\n\n  c  \n", nil, [][]string{{"a", "b"}, {"c"}}, ""},
		{"x\nfail\n", nil, [][]string{{"x"}, {"fail"}}, "1 of 2 queries could not be answered"},
		{"ignored\n", [][]string{{"fail"}}, [][]string{{"fail"}}, "the query could not be answered"},
		{"no newline at the end", nil, [][]string{{"no", "newline", "at", "the", "end"}}, ""},
	}
	for _, tt := range tests {
		var got [][]string
		failed, total := 0, 0
		var prompt strings.Builder
		err := AnswerAll(strings.NewReader(tt.in), &prompt, tt.args, "hint", func(qs [][]string) error {
			for _, q := range qs {
				total++
				if q[0] == "fail" {
					failed++
				}
				got = append(got, q)
			}
			return nil
		}, func() (int, int) { return failed, total })
		if msg := errString(err); msg != tt.err || strings.Join(flat(got), "|") != strings.Join(flat(tt.queries), "|") {
			t.Errorf("AnswerAll(%q, %q): queries %q, error %q; want %q, %q", tt.in, tt.args, got, msg, tt.queries, tt.err)
		}
		if prompt.Len() != 0 {
			t.Errorf("prompt %q shown to a stream that is not a terminal", prompt.String())
		}
	}
}

func TestReadLinesTooLong(t *testing.T) {
	in := strings.Repeat("x", maxQueryLine+10) + "\n"
	err := readLines(strings.NewReader(in), new(strings.Builder), "", func([]string) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "query line longer than") {
		t.Errorf("err = %v, want a line too long", err)
	}
}

func TestRunner(t *testing.T) {
	v := model(t)
	lex := NewLexicon(v)
	var out, errs strings.Builder
	r := Runner{
		In: strings.NewReader(""), Out: &out, Err: &errs, V: v, Searcher: search.New(v.Matrix(), v.Dim(), 0), Top: 2,
		Prepare: func(words []string) (search.Query, string, string) {
			rows, problem := lex.Lookup(words)
			return search.Query{Pos: rows, Skip: rows}, "Nearest to " + strings.Join(words, " "), problem
		},
	}
	err := r.Run(context.Background(), [][]string{{"london"}, {"pear"}}, "")
	var fe FailedError
	if !errors.As(err, &fe) || fe != (FailedError{Failed: 1, Total: 2}) {
		t.Errorf("Run error %v, want 1 of 2 failed", err)
	}
	want := "Nearest to london:\n  1  Paris  0.9600\n  2  paris  0.8000\n"
	if out.String() != want {
		t.Errorf("stdout\n%s\nwant\n%s", out.String(), want)
	}
	if errs.String() != "w2v: \"pear\" is not in the vocabulary\n" {
		t.Errorf("stderr %q", errs.String())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func flat(qs [][]string) []string {
	var s []string
	for _, q := range qs {
		s = append(s, strings.Join(q, " "))
	}
	return s
}
