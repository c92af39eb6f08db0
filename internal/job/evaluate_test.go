package job

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/search"
)

// evalFiles writes a four-word model in which man is to king as woman is
// to queen, a word-pair test set and an analogy test set, and returns
// their paths.
func evalFiles(t *testing.T) (model, pairs, questions string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"model.txt":     "4 2\nking 1 0\nqueen 0.8 0.6\nman 0 1\nwoman 0.6 0.8\n",
		"pairs.txt":     "king queen 9\nking man 2\nman woman 8\nking unicorn 5\n",
		"questions.txt": ": family\nman woman king queen\nman unicorn king queen\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "model.txt"), filepath.Join(dir, "pairs.txt"), filepath.Join(dir, "questions.txt")
}

// TestPairs: each set's pairs answered and in all, within --restrict; a
// missing test set is named before the model is read; no model is a usage
// error.
func TestPairs(t *testing.T) {
	model, pairs, _ := evalFiles(t)
	missing := filepath.Join(filepath.Dir(model), "none.txt")
	tests := []struct {
		name     string
		o        PairsOptions
		err      string
		usage    bool
		answered []int // per set, from the JSON report
	}{
		{"two sets", PairsOptions{Model: model, Pairs: []string{pairs, pairs}}, "", false, []int{3, 3}},
		{"restrict", PairsOptions{Model: model, Pairs: []string{pairs}, Restrict: 3}, "", false, []int{2}},
		{"too few pairs", PairsOptions{Model: model, Pairs: []string{pairs}, Restrict: 2}, pairs + ": only 1 of the 4 pairs", false, nil},
		{"missing set", PairsOptions{Model: missing, Pairs: []string{pairs, missing}}, "pairs file " + missing + " does not exist", false, nil},
		{"missing model", PairsOptions{Model: missing, Pairs: []string{pairs}}, "model " + missing + " does not exist", false, nil},
		{"no model", PairsOptions{Pairs: []string{pairs}}, "no model given", true, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.o.JSON = true
			err := Pairs(Streams{Out: &out, Err: new(bytes.Buffer)}, tt.o)
			if !matches(err, tt.err, tt.usage) {
				t.Fatalf("error %v, want %q (usage error: %v)", err, tt.err, tt.usage)
			}
			if tt.err != "" {
				return
			}
			var rep struct {
				Words int
				Sets  []struct {
					File            string
					Answered, Total int
					Spearman        float64
				}
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("%v in %q", err, out.String())
			}
			if rep.Words != 4 || len(rep.Sets) != len(tt.answered) {
				t.Fatalf("report %+v, want %d sets of a 4-word model", rep, len(tt.answered))
			}
			for i, s := range rep.Sets {
				if s.File != tt.o.Pairs[i] || s.Answered != tt.answered[i] || s.Total != 4 {
					t.Errorf("set %d: %+v, want %s with %d of 4 answered", i, s, tt.o.Pairs[i], tt.answered[i])
				}
			}
		})
	}
}

// TestQuestions: the questions answered and right, by either method; a
// missing test set is named before the model is read.
func TestQuestions(t *testing.T) {
	model, _, questions := evalFiles(t)
	missing := filepath.Join(filepath.Dir(model), "none.txt")
	tests := []struct {
		name  string
		o     QuestionsOptions
		err   string
		usage bool
	}{
		{"3CosAdd", QuestionsOptions{Model: model, Questions: questions, Method: search.Add}, "", false},
		{"3CosMul", QuestionsOptions{Model: model, Questions: questions, Method: search.Mul}, "", false},
		{"missing set", QuestionsOptions{Model: missing, Questions: missing}, "questions file " + missing + " does not exist", false},
		{"no model", QuestionsOptions{Questions: questions}, "no model given", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			tt.o.JSON = true
			err := Questions(context.Background(), Streams{Out: &out, Err: new(bytes.Buffer)}, tt.o)
			if !matches(err, tt.err, tt.usage) {
				t.Fatalf("error %v, want %q (usage error: %v)", err, tt.err, tt.usage)
			}
			if tt.err != "" {
				return
			}
			var rep struct {
				Questions, Method string
				Total             struct{ Correct, Answered, Total int }
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatalf("%v in %q", err, out.String())
			}
			want := tt.o.Method.String()
			if rep.Questions != questions || rep.Method != want || rep.Total.Correct != 1 || rep.Total.Answered != 1 || rep.Total.Total != 2 {
				t.Errorf("report %+v, want %s by %s: 1 right of 1 answered of 2", rep, questions, want)
			}
		})
	}
}

// matches reports whether err is what a test wants: none for "", else an
// error containing want, a usage error if usage.
func matches(err error, want string, usage bool) bool {
	if want == "" {
		return err == nil
	}
	var ue failure.UsageError
	return err != nil && strings.Contains(err.Error(), want) && errors.As(err, &ue) == usage
}
