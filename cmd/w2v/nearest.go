package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
)

// nearestOptions are the nearest command's settings.
type nearestOptions struct {
	model    string
	top      int
	restrict int
	json     bool
	exact    bool
	ef       int
	metric   string
	all      bool
	output   string
	quiet    bool
}

func newNearestCmd(s streams) *cobra.Command {
	o := nearestOptions{}
	cmd := &cobra.Command{
		Use:   "nearest -m MODEL [WORD...]",
		Short: "List the words nearest to a word, by cosine similarity or another metric",
		Long: `List the words whose vectors are nearest to a word's, by cosine similarity,
one table per word given.

With no words on the command line, queries are read from standard input, one
a line, as word2vec's distance tool does; a line of several words asks for
the words nearest to their sum. On a terminal a prompt is shown.

The search is exact, over the whole vocabulary or, with --restrict N, its N
most frequent words (the first N rows of the file, which word2vec, gensim
and fastText write most frequent first), unless the model holds a graph
index (see w2v index): then the graph answers, much faster, and each answer
is marked approximate, since a true neighbour may be missed. --ef widens
the graph's search (better recall, slower); its default is the breadth
that w2v index calibrated for the model (the smallest that found 0.95 of
the true 10 nearest of 500 sampled words, at least 100, 400 for dot), or
100 (400 for dot) for an index built before calibration. --exact, --restrict or a --metric other
than the index's search all rows instead.

--metric chooses what "near" means: cosine (the default, or the index's),
dot (inner product of the vectors at their lengths in the file) or
euclidean (distance between them; the scores are negated distances). Words
are matched exactly; an unknown word is reported, and makes the exit
status 1, unless the model has character n-grams (a fastText .bin, or a
native file converted from one): then it gets their mean, as in fastText,
and is marked "(from subwords)".

--all lists the -k nearest words of every word (or, with --restrict N, of
each of the N most frequent among themselves) to -o FILE (default: standard
output), on all CPUs with a progress report: the input of t-SNE maps,
alignment, clustering or duplicate detection. The table is tab-separated
with a header line "word rank neighbor score", one line per neighbour,
words in file order, neighbours best first, scores in full precision; with
--json, one JSON object per word instead, as for queries. The exact search
scores blocks of words by matrix products; a model with an index answers
approximately through it (marked on standard error) unless --exact.

--json writes each neighbour as {"word", "score"}, the score by the query's
metric ("metric" names it when it is not cosine); a cosine is also written
as "cosine", the field's name before --metric.`,
		Example: `  # The ten words nearest to "king" and to "paris":
  w2v nearest -m vectors.bin king paris

  # Twenty, among the 30,000 most frequent words only:
  w2v nearest -m vectors.bin -k 20 --restrict 30000 king

  # Many queries from a file, as JSON lines:
  w2v nearest -m vectors.bin --json < words.txt

  # Ask interactively:
  w2v nearest -m vectors.bin

  # Every word's 10 nearest, as TSV, and the top 10,000 words' among themselves:
  w2v nearest -m vectors.bin --all -k 10 -o knn.tsv
  w2v nearest -m vectors.bin --all --restrict 10000 -o knn10k.tsv`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNearest(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.IntVarP(&o.top, "top", "k", 10, "how many words to list for each query")
	f.IntVar(&o.restrict, "restrict", 0, "search only the N most frequent words, the first N of the file (0 = all)")
	f.BoolVar(&o.json, "json", false, "write one JSON object per query (JSON lines) instead of tables")
	f.BoolVar(&o.exact, "exact", false, "search all rows even if the model has a graph index")
	f.IntVar(&o.ef, "ef", 0, "breadth of a graph index's search (0 = the index's calibrated default)")
	f.StringVar(&o.metric, "metric", "", "cosine, dot or euclidean (default: the index's, else cosine)")
	f.BoolVar(&o.all, "all", false, "list the neighbours of every word (of the --restrict most frequent) to -o")
	f.StringVarP(&o.output, "output", "o", "-", "with --all, the file to write (- for standard output)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "with --all, print no progress or summary")
	return cmd
}

func checkTopRestrict(top, restrict int) error {
	if top < 1 {
		return failure.Usagef("--top must be at least 1, got %d", top)
	}
	if restrict < 0 {
		return failure.Usagef("--restrict must be 0 (all words) or more, got %d", restrict)
	}
	return nil
}

func runNearest(ctx context.Context, s streams, o nearestOptions, args []string) error {
	if err := checkTopRestrict(o.top, o.restrict); err != nil {
		return err
	}
	if o.ef < 0 {
		return failure.Usagef("--ef must be 0 (the default) or more, got %d", o.ef)
	}
	if o.metric != "" {
		if _, err := search.ParseMetric(o.metric); err != nil {
			return failure.Usagef("--metric: %w", err)
		}
	}
	if o.all {
		if len(args) > 0 {
			return failure.Usagef("--all lists the neighbours of every word; give no words with it")
		}
		qo := query.Options{Top: o.top, Restrict: o.restrict, Metric: o.metric, Exact: o.exact, Ef: o.ef}
		return job.NearestAll(ctx, s.job(), job.NearestAllOptions{Model: o.model, Output: o.output, Query: qo, JSON: o.json, Quiet: o.quiet})
	}
	if o.output != "-" {
		return failure.Usagef("-o is for --all; the answers to queries go to standard output")
	}
	qo := query.Options{Top: o.top, Restrict: o.restrict, Metric: o.metric, Exact: o.exact, Ef: o.ef, Subwords: true}
	return job.Nearest(ctx, s.job(), job.QueryOptions{Model: o.model, Query: qo, JSON: o.json}, args)
}
