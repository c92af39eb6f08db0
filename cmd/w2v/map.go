package main

import (
	"context"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

// mapOptions are the map command's settings: the job's, and the flags
// that choose its format and method.
type mapOptions struct {
	job.MapOptions
	format string
	json   bool
	method string
}

func newMapCmd(s streams) *cobra.Command {
	o := mapOptions{}
	cmd := &cobra.Command{
		Use:   "map -m MODEL [WORD...] [--top N | --words FILE] -o FILE",
		Short: "Draw words on a 2-D map by t-SNE or principal component analysis of their vectors",
		Long: `Draw words on a 2-D map. The words are the ones given (on the command line
or a word a line in --words FILE), or else the --top most frequent (the
first of the file).

--method tsne (the default for --top maps) runs Barnes–Hut t-SNE: words
that are near neighbours stay near on the map, and groups of them come
apart, which is what a map of hundreds of unrelated words needs. --method
pca (the default for a chosen list) projects the unit-length vectors on
their two principal components: straight-line structure, such as the
offset from a country to its capital, stays straight, and distances far
apart keep their meaning. t-SNE needs more than 3 × --perplexity words;
with fewer, an unset --perplexity is lowered to fit.

--classes K colours the points by K k-means classes of the words mapped.
Labels never overlap: the most frequent words are labelled first, and a
label that would cover another is left out (its point stays).

The output is chosen by --format, else by the output's name:
  .svg   an SVG scatter plot
  .png   the same picture as a PNG image
  .html  a self-contained page: hover names a point, the wheel zooms (more
         labels appear), dragging pans, a box finds a word
  .tsv   the coordinates for other tools: "word x y" (and "class" with
         --classes) with a header line; --json writes them as JSON
The same words, options and --seed give the same map on any number of threads.`,
		Example: `  # The 300 most frequent words by t-SNE, coloured by 20 classes:
  w2v map -m vectors.bin --classes 20 -o map.png

  # Chosen words by PCA, as a page to explore:
  w2v map -m vectors.bin -o map.html king queen man woman paris berlin france germany

  # 5,000 words by t-SNE, as coordinates:
  w2v map -m vectors.bin --top 5000 -o map.tsv`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.PerplexityGiven = cmd.Flags().Changed("perplexity")
			return runMap(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.Model, false)
	f.StringVarP(&o.Output, "output", "o", "", `write the map to this file ("-" for standard output; required)`)
	f.StringVarP(&o.format, "format", "f", "", "svg, png, html, tsv or json (default: from the output's name)")
	f.BoolVar(&o.json, "json", false, "write the coordinates as JSON (--format json)")
	f.IntVar(&o.Top, "top", 300, "with no words given, map the N most frequent words")
	f.StringVar(&o.WordsFile, "words", "", "map the words of this file, one a line")
	f.StringVar(&o.method, "method", "", "tsne or pca (default: tsne for --top maps, pca for chosen words)")
	f.Float64Var(&o.Perplexity, "perplexity", explore.DefaultPerplexity, "t-SNE: the number of near neighbours each word keeps, in effect")
	f.IntVar(&o.Iterations, "iterations", explore.DefaultTSNEIter, "t-SNE: gradient-descent iterations")
	f.IntVarP(&o.Classes, "classes", "k", 0, "colour the words by this many k-means classes (0 = none)")
	f.Uint64Var(&o.Seed, "seed", 1, "random seed of the k-means++ start of --classes")
	f.IntVar(&o.Threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

func runMap(ctx context.Context, s streams, o mapOptions, words []string) error {
	format := strings.ToLower(o.format)
	if o.json {
		if format != "" && format != "json" {
			return failure.Usagef("--json and --format %s disagree", o.format)
		}
		format = "json"
	}
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(o.Output)), ".")
	}
	method := strings.ToLower(o.method)
	switch {
	case o.Output == "":
		return failure.Usagef("no output file; name it with -o FILE (.svg, .png, .html, .tsv or .json)")
	case !slices.Contains([]string{"svg", "png", "html", "tsv", "json"}, format):
		return failure.Usagef("--format must be svg, png, html, tsv or json (or the output named so), got %q", format)
	case o.Top < 2 && len(words) == 0 && o.WordsFile == "":
		return failure.Usagef("--top must be at least 2 (a map needs two words), got %d", o.Top)
	case len(words) == 1 && o.WordsFile == "":
		return failure.Usagef("a map needs at least two words, got %q", words[0])
	case method != "" && method != "pca" && method != "tsne":
		return failure.Usagef("--method must be pca or tsne, got %q", o.method)
	case !(o.Perplexity >= 1) || o.Perplexity > 1e6:
		return failure.Usagef("--perplexity must be at least 1, got %g", o.Perplexity)
	case o.Iterations < 1:
		return failure.Usagef("--iterations must be at least 1, got %d", o.Iterations)
	case o.Classes < 0:
		return failure.Usagef("--classes must be 0 (none) or more, got %d", o.Classes)
	case o.Threads < 0:
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.Threads)
	case o.Model == "":
		return failure.Usagef("no model given; name the vector file with -m FILE")
	}
	o.Format, o.Method = format, method
	return job.Map(ctx, s.job(), o.MapOptions, words)
}
