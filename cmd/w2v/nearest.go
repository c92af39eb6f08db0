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
}

func newNearestCmd(s streams) *cobra.Command {
	o := nearestOptions{}
	cmd := &cobra.Command{
		Use:   "nearest -m MODEL [WORD...]",
		Short: "List the words nearest to a word, by cosine similarity",
		Long: `List the words whose vectors are nearest to a word's, by cosine similarity,
one table per word given.

With no words on the command line, queries are read from standard input, one
a line, as word2vec's distance tool does; a line of several words asks for
the words nearest to their sum. On a terminal a prompt is shown.

The search is exact, over the whole vocabulary or, with --restrict N, its N
most frequent words (the first N rows of the file, which word2vec, gensim
and fastText write most frequent first). Words are matched exactly; an
unknown word is reported, and makes the exit status 1.`,
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

// jsonNeighbor is a word and its cosine similarity, in JSON output.
type jsonNeighbor struct {
	Word   string  `json:"word"`
	Cosine float32 `json:"cosine"`
}

// jsonNearest is an answered query in JSON output.
type jsonNearest struct {
	Query     string         `json:"query"`
	Neighbors []jsonNeighbor `json:"neighbors,omitempty"`
}

func runNearest(ctx context.Context, s streams, o nearestOptions, args []string) error {
	if err := checkTopRestrict(o.top, o.restrict); err != nil {
		return err
	}
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	lex := query.NewLexicon(v)
	r := query.Runner{
		In: s.in, Out: s.out, Err: s.err, V: v, Searcher: search.New(v.Matrix(), v.Dim(), o.restrict), Top: o.top, JSON: o.json,
		Prepare: func(words []string) (search.Query, string, string) {
			rows, problem := lex.Lookup(words)
			return search.Query{Pos: rows, Skip: rows}, "Nearest to " + strings.Join(words, " + "), problem
		},
		Result: func(words []string, _ string, hits []search.Hit) any {
			res := jsonNearest{Query: strings.Join(words, " "), Neighbors: []jsonNeighbor{}}
			for _, x := range hits {
				res.Neighbors = append(res.Neighbors, jsonNeighbor{v.Word(x.Row), x.Score})
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
