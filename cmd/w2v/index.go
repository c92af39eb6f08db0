package main

import (
	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/search"
)

// indexOptions are the index command's settings.
type indexOptions struct {
	output string
	metric string
	search.GraphOptions
}

func newIndexCmd(s streams) *cobra.Command {
	o := indexOptions{}
	cmd := &cobra.Command{
		Use:   "index MODEL -o OUTPUT",
		Short: "Build a graph index for fast approximate nearest-word search",
		Long: `Build a hierarchical navigable small-world graph (Malkov and Yashunin) over a
model's vectors and write the model with it in w2v's native format. nearest
then answers from the graph, reading a few thousand vectors per query instead
of all of them, and says that its answers are approximate; --exact searches
all rows.

--metric chooses what "near" means: cosine (the default), dot (inner product
of the vectors at their lengths in the file) or euclidean (distance between
them). --m is the number of links per node (twice that on the bottom layer):
more links give better recall and a bigger, slower-to-build index.
--ef-construction is how widely each node's links are searched for. With
--threads 1 the index depends only on the model and --seed.

The index then calibrates its default search breadth, the --ef that nearest,
analogy and serve use unless told otherwise: it takes 500 words at random
(seeded by --seed), finds their true 10 nearest by exact search with the
index's metric, walks the graph for them at ef 10, 20, 40, ... up to 4096,
and keeps the smallest ef that finds at least 0.95 of them on average, but
never less than 100 (400 for dot), since analogies' vectors lie between
words and need a wider walk than words do. It says what it chose. An
explicit --ef always overrides it.`,
		Example: `  # Index a model for fast nearest-word queries:
  w2v index vectors.bin -o vectors.w2v
  w2v nearest -m vectors.w2v king

  # An index for inner-product search:
  w2v index vectors.bin --metric dot -o vectors-dot.w2v`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return failure.Usagef("index: want one model file, got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runIndex(cmd, s, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the model with its index to this file, in native format (required)")
	f.StringVar(&o.metric, "metric", "cosine", "cosine, dot or euclidean")
	f.IntVar(&o.M, "m", search.DefaultM, "links per node (2 to 1024)")
	f.IntVar(&o.EfConstruction, "ef-construction", search.DefaultEfConstruction, "breadth of the search for each node's links")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed; with --threads 1 the index is reproducible")
	f.IntVar(&o.Threads, "threads", 0, "worker threads (0 = number of CPUs)")
	return cmd
}

func runIndex(cmd *cobra.Command, s streams, o indexOptions, input string) error {
	metric, err := search.ParseMetric(o.metric)
	if err != nil {
		return failure.Usagef("--metric: %w", err)
	}
	o.Metric = metric
	switch {
	case o.output == "":
		return failure.Usagef("no output file; name it with -o FILE")
	case o.M < 2 || o.M > 1024:
		return failure.Usagef("--m must be 2 to 1024, got %d", o.M)
	case o.EfConstruction < 1:
		return failure.Usagef("--ef-construction must be at least 1, got %d", o.EfConstruction)
	case o.Threads < 0:
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.Threads)
	}
	return job.Index(cmd.Context(), s.job(), input, o.output, o.GraphOptions)
}
