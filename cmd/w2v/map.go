package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/render"
	"github.com/w2vtool/w2v/internal/report"
)

// mapOptions are the map command's settings.
type mapOptions struct {
	model      string
	output     string
	format     string
	json       bool
	top        int
	wordsFile  string
	method     string
	perplexity float64
	// perplexityGiven is whether --perplexity was set; if not, small
	// maps lower it to fit.
	perplexityGiven bool
	iterations      int
	classes         int
	seed            uint64
	threads         int
	quiet           bool
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
			o.perplexityGiven = cmd.Flags().Changed("perplexity")
			return runMap(cmd.Context(), s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.StringVarP(&o.output, "output", "o", "", `write the map to this file ("-" for standard output; required)`)
	f.StringVarP(&o.format, "format", "f", "", "svg, png, html, tsv or json (default: from the output's name)")
	f.BoolVar(&o.json, "json", false, "write the coordinates as JSON (--format json)")
	f.IntVar(&o.top, "top", 300, "with no words given, map the N most frequent words")
	f.StringVar(&o.wordsFile, "words", "", "map the words of this file, one a line")
	f.StringVar(&o.method, "method", "", "tsne or pca (default: tsne for --top maps, pca for chosen words)")
	f.Float64Var(&o.perplexity, "perplexity", explore.DefaultPerplexity, "t-SNE: the number of near neighbours each word keeps, in effect")
	f.IntVar(&o.iterations, "iterations", explore.DefaultTSNEIter, "t-SNE: gradient-descent iterations")
	f.IntVarP(&o.classes, "classes", "k", 0, "colour the words by this many k-means classes (0 = none)")
	f.Uint64Var(&o.seed, "seed", 1, "random seed of the k-means++ start of --classes")
	f.IntVar(&o.threads, "threads", 0, "worker threads (0 = number of CPUs)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
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
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(o.output)), ".")
	}
	method := strings.ToLower(o.method)
	switch {
	case o.output == "":
		return failure.Usagef("no output file; name it with -o FILE (.svg, .png, .html, .tsv or .json)")
	case !slices.Contains([]string{"svg", "png", "html", "tsv", "json"}, format):
		return failure.Usagef("--format must be svg, png, html, tsv or json (or the output named so), got %q", format)
	case o.top < 2 && len(words) == 0 && o.wordsFile == "":
		return failure.Usagef("--top must be at least 2 (a map needs two words), got %d", o.top)
	case len(words) == 1 && o.wordsFile == "":
		return failure.Usagef("a map needs at least two words, got %q", words[0])
	case method != "" && method != "pca" && method != "tsne":
		return failure.Usagef("--method must be pca or tsne, got %q", o.method)
	case !(o.perplexity >= 1) || o.perplexity > 1e6:
		return failure.Usagef("--perplexity must be at least 1, got %g", o.perplexity)
	case o.iterations < 1:
		return failure.Usagef("--iterations must be at least 1, got %d", o.iterations)
	case o.classes < 0:
		return failure.Usagef("--classes must be 0 (none) or more, got %d", o.classes)
	case o.threads < 0:
		return failure.Usagef("--threads must be 0 (all CPUs) or more, got %d", o.threads)
	case o.model == "":
		return failure.Usagef("no model given; name the vector file with -m FILE")
	}
	if o.wordsFile != "" {
		listed, err := readWordList(o.wordsFile)
		if err != nil {
			return err
		}
		words = append(words, listed...)
		if len(words) < 2 {
			return failure.Usagef("a map needs at least two words; %s and the command line give %d", o.wordsFile, len(words))
		}
	}
	if method == "" {
		method = "pca"
		if len(words) == 0 {
			method = "tsne"
		}
	}
	if err := job.CheckOutputs([]string{o.output}, []string{o.model}); err != nil {
		return err
	}
	out, err := job.CreateOutput(s.job(), o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	start := time.Now()
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	var rows []int
	if len(words) == 0 {
		for i := range min(o.top, v.Len()) {
			rows = append(rows, i)
			words = append(words, v.Word(i))
		}
	} else {
		var unknown []string
		seen := make(map[string]bool)
		kept := words[:0]
		for _, w := range words {
			if seen[w] {
				continue // a word is mapped once
			}
			seen[w] = true
			r, ok := v.Index(w)
			if !ok {
				unknown = append(unknown, w)
			}
			rows = append(rows, r)
			kept = append(kept, w)
		}
		words = kept
		if len(unknown) > 0 {
			return fmt.Errorf("not in the model: %s", strings.Join(unknown, ", "))
		}
	}
	n := len(rows)
	if n < 2 {
		return fmt.Errorf("a map needs two words; the model has %s", report.CountOf(n, "word", "words"))
	}
	if o.classes > n {
		return fmt.Errorf("cannot make %d classes of %s", o.classes, report.CountOf(n, "word", "words"))
	}
	vecs := make([]float32, 0, n*v.Dim())
	for _, r := range rows {
		vecs = append(vecs, v.Row(r)...)
	}
	var coords []float64
	var how string
	if method == "pca" {
		p, err := explore.PCA(vecs, v.Dim(), 2)
		if err != nil {
			return err
		}
		coords = p.Coords
		how = fmt.Sprintf("PCA, components 1 (%.1f %% of the variance) and 2 (%.1f %%)", 100*p.Variance[0], 100*p.Variance[1])
	} else {
		perp := o.perplexity
		most := float64(n-1) / 3 // each word needs 3 × perplexity neighbours
		switch {
		case perp > most && o.perplexityGiven:
			return failure.Usagef("--perplexity %g needs more than %d words (3 × perplexity); the map has %d: lower it, map more words, or use --method pca",
				perp, int(3*perp), n)
		case most < 1:
			return failure.Usagef("t-SNE needs at least 4 words, the map has %d: use --method pca", n)
		case perp > most:
			perp = most
		}
		coords, err = mapTSNE(ctx, s, vecs, v.Dim(), explore.TSNEOptions{Perplexity: perp, Iterations: o.iterations, Threads: o.threads}, o.quiet)
		if ctx.Err() != nil {
			return failure.Interruptedf(ctx, "interrupted; %s was not written", o.output)
		}
		if err != nil {
			return err
		}
		how = fmt.Sprintf("t-SNE, perplexity %.3g", perp)
	}
	var class []int32
	if o.classes > 0 {
		c, err := job.Classes(ctx, s.job(), vecs, v.Dim(),
			explore.KMeansOptions{K: o.classes, Seed: o.seed, Threads: o.threads}, o.quiet)
		if ctx.Err() != nil {
			return failure.Interruptedf(ctx, "interrupted; %s was not written", o.output)
		}
		if err != nil {
			return err
		}
		class = c.Class
		how += fmt.Sprintf(", coloured by %s", report.CountOf(o.classes, "k-means class", "k-means classes"))
	}
	caption := fmt.Sprintf("%s: %s by %s", filepath.Base(o.model), report.CountOf(n, "word", "words"), how)
	if err := writeMap(out, format, render.Map{Words: words, Coords: coords, Class: class, Caption: caption}, rows); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if !o.quiet && o.output != "-" {
		fmt.Fprintf(s.err, "map: %s by %s in %s\n", report.CountOf(n, "word", "words"), method, report.Since(start))
	}
	return nil
}

// mapTSNE runs t-SNE with a progress bar.
func mapTSNE(ctx context.Context, s streams, vecs []float32, dim int, o explore.TSNEOptions, quiet bool) ([]float64, error) {
	var done atomic.Int64
	var kl atomic.Value
	kl.Store("neighbours")
	o.Progress = func(st explore.TSNEStatus) {
		done.Store(int64(st.Iter))
		if st.Iter > 0 {
			kl.Store(fmt.Sprintf("KL divergence %.3f", st.KL))
		}
	}
	n := len(vecs) / dim
	var y []float64
	err := progress.Run(s.err, progress.Options{Total: int64(o.Iterations), Unit: "iterations", Desc: "t-SNE", Quiet: quiet || n < 1000},
		func() (int64, string) { return done.Load(), kl.Load().(string) },
		func() error {
			var err error
			y, err = explore.TSNE(ctx, vecs, dim, o)
			return err
		})
	return y, err
}

// writeMap writes m in format. The pictures label the most frequent words
// first: their points are drawn in the order of their rows.
func writeMap(w io.Writer, format string, m render.Map, rows []int) error {
	switch format {
	case "tsv":
		return export.WriteMapTSV(w, m.Words, m.Coords, m.Class)
	case "json":
		return export.WriteMapJSON(w, m.Words, m.Coords, m.Class)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rows[a] - rows[b] })
	sorted := render.Map{Caption: m.Caption}
	for _, i := range order {
		sorted.Words = append(sorted.Words, m.Words[i])
		sorted.Coords = append(sorted.Coords, m.Coords[2*i], m.Coords[2*i+1])
		if m.Class != nil {
			sorted.Class = append(sorted.Class, m.Class[i])
		}
	}
	switch format {
	case "png":
		return render.WritePNG(w, sorted)
	case "html":
		return render.WriteHTML(w, sorted)
	}
	return render.WriteSVG(w, sorted)
}

// readWordList returns the words of a file, one a line; blank lines are
// skipped and spaces around a word dropped.
func readWordList(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, fmt.Errorf("word list %s does not exist", path)
		}
		return nil, err
	}
	defer f.Close()
	var words []string
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		w := strings.TrimSpace(sc.Text())
		if w == "" {
			continue
		}
		if strings.ContainsAny(w, " \t") {
			return nil, fmt.Errorf("%s line %d: %q is more than one word", path, line, w)
		}
		words = append(words, w)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return words, nil
}
