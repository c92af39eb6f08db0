package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
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
	metric        string
	exact         bool
	ef            int
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
such as "king - man + woman" adds and subtracts any number of words (after
--, signs may touch their words: "-- king -man +woman"). The
query's own words are never answers. With no query on the command line,
queries are read from standard input, one a line.

--method add ranks candidates x by cos(x, b - a + c) (3CosAdd, as word2vec
and gensim's most_similar); --method mul by cos'(x,b)·cos'(x,c)/(cos'(x,a)+ε)
with cosines shifted to [0,1] and ε = 0.001 (3CosMul, Levy and Goldberg
2014), which is often more accurate.

If the model holds a graph index (see w2v index), the index answers, much
faster, and each answer is marked approximate. 3CosAdd walks the graph to
the combined vector b - a + c; 3CosMul, which is no distance to one vector,
takes the index's --ef best candidates for 3CosAdd (at least 100) and ranks
them by 3CosMul. --ef defaults to the breadth w2v index calibrated for the
model (100, 400 for dot, for an index built before calibration). --exact,
--restrict or a --metric other than the index's search all rows instead;
--questions always does.

--metric chooses what "near" means for 3CosAdd: cosine (the default, or
the index's), dot (inner product with b - a + c of the vectors at their
lengths in the file) or euclidean (distance from it; the scores are negated
distances). 3CosMul combines cosines only.

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
  w2v analogy -m vectors.bin -- king -man +woman

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
	// "king -woman" reaches the flag parser as the flags -w, -o, ... and
	// "king -king" as -k ing: say how to write a word subtracted.
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		if msg := err.Error(); strings.Contains(msg, "unknown shorthand flag") || strings.Contains(msg, `for "-k, --top" flag`) {
			err = fmt.Errorf(`%w; to subtract a word write the minus on its own, "king - man + woman", or put -- before the query`, err)
		}
		return failure.UsageError{Err: err}
	})
	f := cmd.Flags()
	modelFlag(cmd, &o.model, true)
	f.IntVarP(&o.top, "top", "k", 10, "how many answers to list for each query")
	f.IntVar(&o.restrict, "restrict", 0, "search only the N most frequent words, the first N of the file (0 = all; default 30000 with --questions)")
	f.StringVar(&o.method, "method", "add", "how to combine the words: add (3CosAdd) or mul (3CosMul)")
	f.StringVar(&o.questions, "questions", "", "score the analogy test set in this file (questions-words.txt format)")
	f.BoolVar(&o.caseSensitive, "case-sensitive", false, "with --questions, match words exactly instead of ignoring case")
	f.BoolVar(&o.json, "json", false, "write JSON (one object per query) instead of tables")
	f.BoolVar(&o.exact, "exact", false, "search all rows even if the model has a graph index")
	f.IntVar(&o.ef, "ef", 0, "breadth of a graph index's search, and 3CosMul's candidates (0 = the index's calibrated default)")
	f.StringVar(&o.metric, "metric", "", "cosine, dot or euclidean (default: the index's, else cosine)")
	return cmd
}

func parseMethod(name string) (search.Method, error) {
	switch strings.ToLower(name) {
	case "add", "3cosadd":
		return search.Add, nil
	case "mul", "3cosmul":
		return search.Mul, nil
	}
	return 0, failure.Usagef("--method must be add or mul, got %q", name)
}

func runAnalogy(ctx context.Context, s streams, o analogyOptions, args []string) error {
	if err := checkTopRestrict(o.top, o.restrict); err != nil {
		return err
	}
	method, err := parseMethod(o.method)
	if err != nil {
		return err
	}
	if o.ef < 0 {
		return failure.Usagef("--ef must be 0 (the default) or more, got %d", o.ef)
	}
	if o.metric != "" {
		if _, err := search.ParseMetric(o.metric); err != nil {
			return failure.Usagef("--metric: %w", err)
		}
		if method == search.Mul && o.metric != "cosine" {
			return failure.Usagef("--method mul combines cosines; it cannot rank by --metric %s", o.metric)
		}
	}
	if o.questions != "" {
		if len(args) > 0 {
			return failure.Usagef("give either a query or --questions, not both")
		}
		if o.metric != "" && o.metric != "cosine" {
			return failure.Usagef("--questions scores by cosine similarity; --metric %s is for queries", o.metric)
		}
		return job.Questions(ctx, s.job(), job.QuestionsOptions{Model: o.model, Questions: o.questions, Restrict: o.restrict,
			CaseSensitive: o.caseSensitive, Method: method, JSON: o.json})
	}
	qo := query.Options{Top: o.top, Restrict: o.restrict, Metric: o.metric, Method: method, Exact: o.exact, Ef: o.ef, Subwords: true}
	return job.Analogy(ctx, s.job(), job.QueryOptions{Model: o.model, Query: qo, JSON: o.json}, args)
}
