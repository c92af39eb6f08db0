package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

// classesOptions are the classes command's settings.
type classesOptions struct {
	model    string
	k        int
	output   string
	restrict int
	iter     int
	seed     uint64
	threads  int
	quiet    bool
}

func newClassesCmd(s streams) *cobra.Command {
	o := classesOptions{}
	cmd := &cobra.Command{
		Use:   "classes -m MODEL -k K [-o FILE]",
		Short: "Group words into K classes by k-means clustering of their vectors",
		Long: `Group the words of a model into K classes by k-means clustering of their
vectors, as word2vec's -classes does: by cosine similarity, each class's
centroid the normalised sum of its words' vectors. The start is k-means++
(seeded by --seed); iterations run until no word changes class, the
objective stops improving, or --iter is reached.

The output is word2vec's: "word class" a line, sorted by class; classes are
numbered from 0 in the order of their most frequent word. With --restrict
N only the N most frequent words (the first N of the file) are grouped and
written.`,
		Example: `  # 500 classes of the whole vocabulary:
  w2v classes -m vectors.bin -k 500 -o classes.txt

  # 100 classes of the 30,000 most frequent words, to standard output:
  w2v classes -m vectors.bin -k 100 --restrict 30000`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runClasses(cmd.Context(), s, o)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.IntVarP(&o.k, "classes", "k", 0, "number of classes (required)")
	f.StringVarP(&o.output, "output", "o", "-", "write the classes to this file (\"-\" for standard output)")
	f.IntVar(&o.restrict, "restrict", 0, "group only the N most frequent words, the first N of the file (0 = all)")
	f.IntVar(&o.iter, "iter", explore.DefaultMaxIter, "k-means iterations at most")
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the k-means++ start")
	f.IntVar(&o.threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

func runClasses(ctx context.Context, s streams, o classesOptions) error {
	switch {
	case o.k < 1:
		return failure.Usagef("--classes (-k) must be at least 1, got %d", o.k)
	case o.restrict < 0:
		return failure.Usagef("--restrict must be 0 (all words) or more, got %d", o.restrict)
	case o.iter < 1:
		return failure.Usagef("--iter must be at least 1, got %d", o.iter)
	case o.threads < 0:
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.threads)
	case o.model == "":
		return failure.Usagef("no model given; name the vector file with -m FILE")
	}
	return job.WordClasses(ctx, s.job(), job.WordClassesOptions{Model: o.model, Output: o.output, Restrict: o.restrict, Quiet: o.quiet,
		KMeans: explore.KMeansOptions{K: o.k, MaxIter: o.iter, Seed: o.seed, Threads: o.threads}})
}
