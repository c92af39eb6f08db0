package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/testenv"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// evalDir holds the evaluation sets, copied into the repository with their
// origin and license (see its README.md).
var evalDir = filepath.Join("..", "..", "testdata", "eval")

// gensimRef is what testdata/gensim_query.py eval prints.
type gensimRef struct {
	Words    int
	Sections []struct {
		Section   string
		Correct   int
		Incorrect int
	}
	Answers []gensimAnswer
	Cosmul  []gensimAnswer
	Pairs   []struct {
		File       string
		Spearman   float64
		OOVPercent float64 `json:"oov_percent"`
	}
}

type gensimAnswer struct {
	Question []string
	Answer   string
	Gap      *float64 // between the best two scores; nil if there was one answer
}

// nearTie reports whether gensim's best two answers scored within 1e-5,
// where float rounding may order them either way.
func (g gensimAnswer) nearTie() bool { return g.Gap != nil && *g.Gap < 1e-5 }

func python(t *testing.T, py string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(py, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", py, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

// TestAgreesWithGensim trains a small model with gensim and checks that w2v
// answers the Google analogy set (3CosAdd and 3CosMul) and the WordSim-353
// sets as gensim 4 does.
func TestAgreesWithGensim(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model with gensim (about a minute)")
	}
	py := testenv.GensimPython(t)
	script := filepath.Join("testdata", "gensim_query.py")
	model := filepath.Join(t.TempDir(), "model.bin")
	python(t, py, script, "train", filepath.Join("..", "..", "testdata", "enwiki-2m.txt.gz"), model)

	questions := filepath.Join(evalDir, "questions-words.txt")
	pairFiles := []string{
		filepath.Join(evalDir, "EN-WS-353-ALL.txt"),
		filepath.Join(evalDir, "EN-WS-353-SIM.txt"),
		filepath.Join(evalDir, "EN-WS-353-REL.txt"),
	}
	var ref gensimRef
	if err := json.Unmarshal(python(t, py, append([]string{script, "eval", model, questions}, pairFiles...)...), &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Words <= 30000 {
		t.Fatalf("the model has %d words; the test needs more than 30,000 to exercise --restrict", ref.Words)
	}

	v, err := vecfile.Open(model, vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()

	t.Run("3CosAdd", func(t *testing.T) {
		f, err := os.Open(questions)
		if err != nil {
			t.Fatal(err)
		}
		secs, err := evaluate.ReadQuestions(f, questions)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := evaluate.Analogies(context.Background(), v, secs, evaluate.AnalogyOptions{Restrict: 30000})
		if err != nil {
			t.Fatal(err)
		}
		var answered []evaluate.Answer
		for _, a := range rep.Answers {
			if a.Answered {
				answered = append(answered, a)
			}
		}
		if len(answered) != len(ref.Answers) {
			t.Fatalf("answered %d questions, gensim %d", len(answered), len(ref.Answers))
		}
		same, ties := 0, make([]int, len(secs))
		for i, g := range ref.Answers {
			a := answered[i]
			if q := strings.ToUpper(strings.Join([]string{a.A, a.B, a.C}, " ")); q != strings.Join(g.Question, " ") {
				t.Fatalf("question %d: %s, gensim's %v", i, q, g.Question)
			}
			switch {
			case strings.ToUpper(a.Word) == g.Answer:
				same++
			case g.nearTie():
				ties[a.Section]++
			default:
				t.Errorf("line %d %s %s %s: answer %q, gensim %q (gap %v)", a.Line, a.A, a.B, a.C, a.Word, g.Answer, *g.Gap)
			}
		}
		t.Logf("3CosAdd: same answer as gensim for %d of %d questions; the rest are gensim near-ties (gap < 1e-5)", same, len(ref.Answers))

		// The command's own report, section by section.
		var out, stderr bytes.Buffer
		if code := run([]string{"analogy", "-m", model, "--questions", questions, "--json"}, nil, &out, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var got struct {
			Sections []struct {
				Section           string
				Correct, Answered int
				Accuracy          float64
			}
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if len(got.Sections) != len(ref.Sections)-1 { // gensim adds "Total accuracy"
			t.Fatalf("%d sections, gensim %d", len(got.Sections), len(ref.Sections)-1)
		}
		gotCorrect, gensimCorrect := 0, 0
		for i, s := range got.Sections {
			g := ref.Sections[i]
			gotCorrect += s.Correct
			gensimCorrect += g.Correct
			acc := float64(g.Correct) / float64(g.Correct+g.Incorrect)
			if s.Section != g.Section || s.Answered != g.Correct+g.Incorrect {
				t.Errorf("section %s: %d answered, gensim %s: %d", s.Section, s.Answered, g.Section, g.Correct+g.Incorrect)
			}
			if math.Abs(s.Accuracy-acc) >= 0.5e-4 && abs(s.Correct-g.Correct) > ties[i] {
				t.Errorf("section %s: accuracy %.4f (%d correct), gensim %.4f (%d)", s.Section, s.Accuracy, s.Correct, acc, g.Correct)
			}
		}
		t.Logf("w2v analogy --questions: %d sections, %d correct of %d answered; gensim %d correct",
			len(got.Sections), gotCorrect, len(answered), gensimCorrect)
	})

	t.Run("3CosMul", func(t *testing.T) {
		if len(ref.Cosmul) < 500 {
			t.Fatalf("gensim answered %d questions with 3CosMul; want at least 500", len(ref.Cosmul))
		}
		var qs []search.Query
		for _, g := range ref.Cosmul {
			var rows []int
			for _, w := range g.Question {
				r, ok := v.Index(w)
				if !ok {
					t.Fatalf("%q is not in the vocabulary", w)
				}
				rows = append(rows, r)
			}
			qs = append(qs, search.Query{Pos: []int{rows[1], rows[2]}, Neg: []int{rows[0]}, Skip: rows})
		}
		for _, eps := range []float32{1e-6, search.DefaultEpsilon} {
			s := search.New(v.Matrix(), v.Dim(), 0)
			s.Method = search.Mul
			s.Epsilon = eps
			hits, err := s.Search(context.Background(), qs, 1)
			if err != nil {
				t.Fatal(err)
			}
			same, ties, differ := 0, 0, 0
			for i, g := range ref.Cosmul {
				switch w := v.Word(hits[i][0].Row); {
				case w == g.Answer:
					same++
				case g.nearTie():
					ties++
				case eps == 1e-6: // gensim's ε: answers must agree
					t.Errorf("%v: answer %q, gensim %q (gap %v)", g.Question, w, g.Answer, *g.Gap)
				default:
					differ++
				}
			}
			t.Logf("3CosMul ε=%g: same answer as gensim (ε=1e-6) for %d of %d questions, %d near-ties, %d others differ",
				eps, same, len(ref.Cosmul), ties, differ)
		}
	})

	t.Run("WordSim-353", func(t *testing.T) {
		args := []string{"similarity", "-m", model, "--json"}
		for _, p := range pairFiles {
			args = append(args, "--pairs", p)
		}
		var out, stderr bytes.Buffer
		if code := run(args, nil, &out, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		var got struct {
			Sets []struct {
				File            string
				Answered, Total int
				Spearman        float64
			}
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		for i, g := range ref.Pairs {
			s := got.Sets[i]
			oov := 100 * float64(s.Total-s.Answered) / float64(s.Total)
			if math.Abs(s.Spearman-g.Spearman) >= 0.5e-3 || math.Abs(oov-g.OOVPercent) > 1e-9 {
				t.Errorf("%s: Spearman %.6f with %.2f%% skipped, gensim %.6f with %.2f%%", filepath.Base(g.File), s.Spearman, oov, g.Spearman, g.OOVPercent)
			}
			t.Logf("%s: Spearman %.6f, gensim %.6f", filepath.Base(g.File), s.Spearman, g.Spearman)
		}
	})
}

func abs(x int) int { return max(x, -x) }
