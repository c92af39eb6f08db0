package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
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
the graph's search (better recall, slower); --exact, --restrict or a
--metric other than the index's search all rows instead.

--metric chooses what "near" means: cosine (the default, or the index's),
dot (inner product of the vectors at their lengths in the file) or
euclidean (distance between them; the scores are negated distances). Words
are matched exactly; an unknown word is reported, and makes the exit
status 1.

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
  w2v nearest -m vectors.bin`,
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
	f.IntVar(&o.ef, "ef", 0, "breadth of a graph index's search (0 = its default, 100; 400 for dot)")
	f.StringVar(&o.metric, "metric", "", "cosine, dot or euclidean (default: the index's, else cosine)")
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

// jsonNeighbor is a word and its score by the query's metric, in JSON
// output. A cosine is also given under its old name "cosine", which
// readers written before --metric expect; dot and euclidean scores are not,
// so that such a reader fails instead of taking them for cosines.
type jsonNeighbor struct {
	Word   string   `json:"word"`
	Score  float32  `json:"score"`
	Cosine *float32 `json:"cosine,omitempty"`
}

// jsonNearest is an answered query in JSON output.
type jsonNearest struct {
	Query       string         `json:"query"`
	Metric      string         `json:"metric,omitempty"` // when not cosine
	Approximate bool           `json:"approximate,omitempty"`
	Neighbors   []jsonNeighbor `json:"neighbors,omitempty"`
}

func runNearest(ctx context.Context, s streams, o nearestOptions, args []string) error {
	if err := checkTopRestrict(o.top, o.restrict); err != nil {
		return err
	}
	if o.ef < 0 {
		return failure.Usagef("--ef must be 0 (the default) or more, got %d", o.ef)
	}
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	graph, err := query.OpenIndex(v)
	if err != nil {
		return err
	}
	metric := search.Cosine
	if graph != nil {
		metric = graph.Metric
	}
	if o.metric != "" {
		if metric, err = search.ParseMetric(o.metric); err != nil {
			return failure.Usagef("--metric: %w", err)
		}
	}
	if graph != nil && (o.exact || o.restrict > 0 || metric != graph.Metric) {
		graph = nil
	}
	sr := search.New(v.Matrix(), v.Dim(), o.restrict)
	sr.Metric = metric
	if metric != search.Cosine {
		sr.Norms = query.Norms(v)
	}
	lex := query.NewLexicon(v)
	r := query.Runner{
		In: s.in, Out: s.out, Err: s.err, V: v, Searcher: sr, Graph: graph, Ef: o.ef, Top: o.top, JSON: o.json,
		Prepare: func(words []string) (search.Query, string, string) {
			rows, problem := lex.Lookup(words)
			return search.Query{Pos: rows, Skip: rows}, "Nearest to " + strings.Join(words, " + "), problem
		},
		Result: func(words []string, _ string, hits []search.Hit) any {
			res := jsonNearest{Query: strings.Join(words, " "), Approximate: graph != nil, Neighbors: []jsonNeighbor{}}
			if metric != search.Cosine {
				res.Metric = metric.String()
			}
			for _, x := range hits {
				n := jsonNeighbor{Word: v.Word(x.Row), Score: x.Score}
				if metric == search.Cosine {
					n.Cosine = &n.Score
				}
				res.Neighbors = append(res.Neighbors, n)
			}
			return res
		},
	}
	var queries [][]string
	for _, a := range args {
		queries = append(queries, []string{a})
	}
	return r.Run(ctx, queries, "Enter a word, or several to add them up (Ctrl-D to quit).")
}
