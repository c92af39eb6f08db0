package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/analogy"
	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// analogyOptions are the analogy command's settings.
type analogyOptions struct {
	model         string
	top           int
	restrict      int
	method        string
	questions     string
	caseSensitive bool
	json          bool
}

// questionsRestrict is the default vocabulary for --questions, as in
// word2vec's compute-accuracy.
const questionsRestrict = 30000

func newAnalogyCmd(s streams) *cobra.Command {
	o := analogyOptions{}
	cmd := &cobra.Command{
		Use:   "analogy -m MODEL (A B C | WORD - WORD + WORD ... | --questions FILE)",
		Short: "Solve word analogies (king - man + woman), or score an analogy test set",
		Long: `Solve word analogies: "a b c" asks a is to b as c is to what, answered by the
words nearest to b - a + c, as word2vec's word-analogy does; an expression
such as "king - man + woman" adds and subtracts any number of words. The
query's own words are never answers. With no query on the command line,
queries are read from standard input, one a line.

--method add ranks candidates x by cos(x, b - a + c) (3CosAdd, as word2vec
and gensim's most_similar); --method mul by cos'(x,b)·cos'(x,c)/(cos'(x,a)+ε)
with cosines shifted to [0,1] and ε = 0.001 (3CosMul, Levy and Goldberg
2014), which is often more accurate.

--questions scores a test set in the format of word2vec's questions-words.txt
and prints the accuracy of each section, of the semantic (first five) and
syntactic sections, and overall, and how many questions were answered: as
gensim's evaluate_word_analogies, questions with a word outside the
vocabulary are skipped, case is ignored unless --case-sensitive, and the
vocabulary is the 30,000 most frequent words unless --restrict says
otherwise.`,
		Example: `  # man is to king as woman is to what?
  w2v analogy -m vectors.bin man king woman
  w2v analogy -m vectors.bin king - man + woman

  # Score the Google analogy test set:
  w2v analogy -m vectors.bin --questions questions-words.txt

  # The same with 3CosMul over the 100,000 most frequent words, as JSON:
  w2v analogy -m vectors.bin --questions questions-words.txt --method mul --restrict 100000 --json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.questions != "" && !cmd.Flags().Changed("restrict") && o.restrict == 0 {
				o.restrict = questionsRestrict
			}
			return runAnalogy(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model)
	f.IntVarP(&o.top, "top", "k", 10, "how many answers to list for each query")
	f.IntVar(&o.restrict, "restrict", 0, "search only the N most frequent words, the first N of the file (0 = all; default 30000 with --questions)")
	f.StringVar(&o.method, "method", "add", "how to combine the words: add (3CosAdd) or mul (3CosMul)")
	f.StringVar(&o.questions, "questions", "", "score the analogy test set in this file (questions-words.txt format)")
	f.BoolVar(&o.caseSensitive, "case-sensitive", false, "with --questions, match words exactly instead of ignoring case")
	f.BoolVar(&o.json, "json", false, "write JSON (one object per query) instead of tables")
	return cmd
}

func parseMethod(name string) (analogy.Method, error) {
	switch strings.ToLower(name) {
	case "add", "3cosadd":
		return analogy.Add, nil
	case "mul", "3cosmul":
		return analogy.Mul, nil
	}
	return 0, usagef("--method must be add or mul, got %q", name)
}

func runAnalogy(ctx context.Context, s streams, o analogyOptions, args []string) error {
	if err := checkTopRestrict(o.top, o.restrict); err != nil {
		return err
	}
	method, err := parseMethod(o.method)
	if err != nil {
		return err
	}
	if o.questions != "" {
		if len(args) > 0 {
			return usagef("give either a query or --questions, not both")
		}
		return runQuestions(ctx, s, o, method)
	}
	var first []string // a query from the command line, checked before loading
	if len(args) > 0 {
		first = args
		if _, _, err := parseAnalogy(args); err != nil {
			return usageError{err}
		}
	}
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	searcher := analogy.New(v.Matrix(), v.Dim(), o.restrict)
	searcher.Method = method
	lex := newLexicon(v)
	out := bufio.NewWriter(s.out)
	failed, total := 0, 0
	answer := func(queries [][]string) error {
		type parsed struct {
			pos, neg []string
			problem  string
		}
		ps := make([]parsed, len(queries))
		var qs []analogy.Query
		for i, tokens := range queries {
			p := &ps[i]
			var err error
			if p.pos, p.neg, err = parseAnalogy(tokens); err != nil {
				p.problem = err.Error()
				continue
			}
			pos, problem := lex.lookup(p.pos)
			if problem == "" {
				var neg []int
				neg, problem = lex.lookup(p.neg)
				if problem == "" {
					qs = append(qs, analogy.Query{Pos: pos, Neg: neg, Skip: append(append([]int(nil), pos...), neg...)})
				}
			}
			p.problem = problem
		}
		hits, err := searcher.Search(ctx, qs, o.top)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(out)
		for i, p := range ps {
			total++
			text := expression(p.pos, p.neg)
			if p.problem != "" {
				failed++
				if o.json {
					enc.Encode(jsonAnalogy{Query: strings.Join(queries[i], " "), Error: p.problem})
					continue
				}
				out.Flush()
				fmt.Fprintf(s.err, "w2v: %s\n", p.problem)
				continue
			}
			h := hits[0]
			hits = hits[1:]
			if o.json {
				res := jsonAnalogy{Query: text, Positive: p.pos, Negative: p.neg, Method: method.String(), Answers: []jsonAnswer{}}
				if res.Negative == nil {
					res.Negative = []string{}
				}
				for _, x := range h {
					res.Answers = append(res.Answers, jsonAnswer{v.Word(x.Row), x.Score})
				}
				enc.Encode(res)
				continue
			}
			if total > 1 {
				out.WriteByte('\n')
			}
			writeHits(out, text, v, h)
		}
		return out.Flush()
	}
	if first != nil {
		err = answer([][]string{first})
	} else {
		err = readQueries(s, `Enter "a b c" (a is to b as c is to ?) or an expression such as "king - man + woman" (Ctrl-D to quit).`,
			func(lines []string) error {
				queries := make([][]string, len(lines))
				for i, l := range lines {
					queries[i] = strings.Fields(l)
				}
				return answer(queries)
			})
	}
	if err != nil {
		return err
	}
	// A person at a terminal has seen each problem; scripts need the status.
	if failed > 0 && (first != nil || !isTerminal(s.in)) {
		return failedQueries{failed, total}
	}
	return nil
}

type jsonAnswer struct {
	Word  string  `json:"word"`
	Score float32 `json:"score"`
}

type jsonAnalogy struct {
	Query    string       `json:"query"`
	Positive []string     `json:"positive,omitempty"`
	Negative []string     `json:"negative,omitempty"`
	Method   string       `json:"method,omitempty"`
	Answers  []jsonAnswer `json:"answers,omitempty"`
	Error    string       `json:"error,omitempty"`
}

// parseAnalogy reads a query: three words "a b c", meaning a:b :: c:?,
// that is b - a + c; or an expression of words joined by + and -.
func parseAnalogy(tokens []string) (pos, neg []string, err error) {
	isOp := func(t string) bool { return t == "+" || t == "-" }
	hasOp := false
	for _, t := range tokens {
		hasOp = hasOp || isOp(t)
	}
	if !hasOp {
		if len(tokens) != 3 {
			return nil, nil, fmt.Errorf(`%q: want three words "a b c" (a is to b as c is to ?) or an expression such as "king - man + woman"`, strings.Join(tokens, " "))
		}
		return []string{tokens[1], tokens[2]}, []string{tokens[0]}, nil
	}
	sign := "+"
	expectWord := true
	for i, t := range tokens {
		switch {
		case isOp(t) && expectWord && i > 0:
			return nil, nil, fmt.Errorf("%q: two operators in a row", strings.Join(tokens, " "))
		case isOp(t):
			sign, expectWord = t, true
		case !expectWord:
			return nil, nil, fmt.Errorf("%q: missing + or - between %q and %q", strings.Join(tokens, " "), tokens[i-1], t)
		default:
			if sign == "+" {
				pos = append(pos, t)
			} else {
				neg = append(neg, t)
			}
			expectWord = false
		}
	}
	if expectWord {
		return nil, nil, fmt.Errorf("%q: expression ends with an operator", strings.Join(tokens, " "))
	}
	if len(pos) == 0 {
		return nil, nil, fmt.Errorf("%q: needs at least one word added", strings.Join(tokens, " "))
	}
	return pos, neg, nil
}

// expression writes a query as "king - man + woman".
func expression(pos, neg []string) string {
	if len(pos) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(pos[0])
	if len(pos) == 2 && len(neg) == 1 { // the classic b - a + c
		fmt.Fprintf(&b, " - %s + %s", neg[0], pos[1])
		return b.String()
	}
	for _, w := range pos[1:] {
		b.WriteString(" + " + w)
	}
	for _, w := range neg {
		b.WriteString(" - " + w)
	}
	return b.String()
}

// runQuestions scores an analogy test set.
func runQuestions(ctx context.Context, s streams, o analogyOptions, method analogy.Method) error {
	f, err := os.Open(o.questions)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("questions file %s does not exist", o.questions)
		}
		return err
	}
	secs, err := evaluate.ReadQuestions(f, o.questions)
	f.Close()
	if err != nil {
		return err
	}
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	start := time.Now()
	rep, err := evaluate.Analogies(ctx, v, secs, evaluate.AnalogyOptions{
		Restrict: o.restrict, CaseSensitive: o.caseSensitive, Method: method,
	})
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	if o.json {
		return writeQuestionsJSON(s, o, method, v, rep, elapsed)
	}
	return writeQuestionsTable(s, o, method, v, rep, elapsed)
}

func vocabDesc(v *vecfile.Vectors, restrict int) string {
	if restrict > 0 && restrict < v.Len() {
		return fmt.Sprintf("the %s most frequent of %s words", thousands(restrict), thousands(v.Len()))
	}
	return fmt.Sprintf("all %s words", thousands(v.Len()))
}

func caseDesc(caseSensitive bool) string {
	if caseSensitive {
		return "case-sensitive"
	}
	return "ignoring case"
}

func percent(num, den int) string {
	if den == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(num)/float64(den))
}

func writeQuestionsTable(s streams, o analogyOptions, method analogy.Method, v *vecfile.Vectors, rep *evaluate.AnalogyReport, elapsed time.Duration) error {
	out := bufio.NewWriter(s.out)
	fmt.Fprintf(out, "%s: %s, %s, %s\n\n", o.questions, method, vocabDesc(v, o.restrict), caseDesc(o.caseSensitive))
	t := table{right: []bool{false, true, true, true, true}}
	t.add("section", "accuracy", "correct", "answered", "questions")
	row := func(sc evaluate.Score) {
		t.add(sc.Name, percent(sc.Correct, sc.Answered), thousands(sc.Correct), thousands(sc.Answered), thousands(sc.Total))
	}
	for _, sc := range rep.Sections {
		row(sc)
	}
	t.add("", "", "", "", "")
	for _, sc := range []evaluate.Score{rep.Semantic, rep.Syntactic} {
		if sc.Total > 0 {
			row(sc)
		}
	}
	row(rep.Total)
	t.write(out, "")
	fmt.Fprintf(out, "\nanswered %s of %s questions (%s); the others have a word outside the vocabulary; %s\n",
		thousands(rep.Total.Answered), thousands(rep.Total.Total), percent(rep.Total.Answered, rep.Total.Total),
		elapsed.Round(time.Millisecond))
	return out.Flush()
}

type jsonScore struct {
	evaluate.Score
	Accuracy float64 `json:"accuracy"`
}

func withAccuracy(sc evaluate.Score) jsonScore { return jsonScore{sc, sc.Accuracy()} }

func writeQuestionsJSON(s streams, o analogyOptions, method analogy.Method, v *vecfile.Vectors, rep *evaluate.AnalogyReport, elapsed time.Duration) error {
	res := struct {
		Questions     string      `json:"questions"`
		Method        string      `json:"method"`
		Restrict      int         `json:"restrict"`
		Words         int         `json:"words"`
		CaseSensitive bool        `json:"case_sensitive"`
		Sections      []jsonScore `json:"sections"`
		Semantic      jsonScore   `json:"semantic"`
		Syntactic     jsonScore   `json:"syntactic"`
		Total         jsonScore   `json:"total"`
		Coverage      float64     `json:"coverage"`
		Seconds       float64     `json:"seconds"`
	}{
		Questions: o.questions, Method: method.String(), Restrict: o.restrict, Words: v.Len(),
		CaseSensitive: o.caseSensitive,
		Semantic:      withAccuracy(rep.Semantic), Syntactic: withAccuracy(rep.Syntactic), Total: withAccuracy(rep.Total),
		Coverage: float64(rep.Total.Answered) / float64(rep.Total.Total),
		Seconds:  elapsed.Seconds(),
	}
	for _, sc := range rep.Sections {
		res.Sections = append(res.Sections, withAccuracy(sc))
	}
	enc := json.NewEncoder(s.out)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
