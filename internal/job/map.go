package job

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

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/render"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// MapOptions are the settings of Map, checked by its command.
type MapOptions struct {
	Model, Output string
	// Format is svg, png, html, tsv or json.
	Format string
	// Top is how many of the most frequent words to map when no words are
	// given.
	Top int
	// WordsFile names a file of words to map, one a line, added to the
	// words given.
	WordsFile string
	// Method is "pca", "tsne", or empty: PCA for chosen words, t-SNE for
	// the most frequent.
	Method string
	// Perplexity and Iterations set t-SNE; PerplexityGiven says that the
	// user chose the perplexity, so that a small map refuses it rather than
	// lowering it to fit.
	Perplexity      float64
	PerplexityGiven bool
	Iterations      int
	// Classes colours the points by this many k-means classes (0 = none),
	// started from Seed.
	Classes int
	Seed    uint64
	Threads int
	// Quiet prints no progress or summary.
	Quiet bool
}

// Map projects the given words (or the o.Top most frequent) of o.Model on
// two dimensions by PCA or t-SNE, colours them by k-means classes if asked,
// and writes the map to o.Output in o.Format, with progress and a summary
// on s.Err.
func Map(ctx context.Context, s Streams, o MapOptions, words []string) error {
	if o.WordsFile != "" {
		listed, err := ReadWordList(o.WordsFile)
		if err != nil {
			return err
		}
		words = append(words, listed...)
		if len(words) < 2 {
			return failure.Usagef("a map needs at least two words; %s and the command line give %d", o.WordsFile, len(words))
		}
	}
	method := o.Method
	if method == "" {
		method = "pca"
		if len(words) == 0 {
			method = "tsne"
		}
	}
	if err := CheckOutputs([]string{o.Output}, []string{o.Model}); err != nil {
		return err
	}
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	start := time.Now()
	v, err := query.Load(s.Err, o.Model, vecfile.Options{})
	if err != nil {
		return err
	}
	defer v.Close()
	var rows []int
	if len(words) == 0 {
		for i := range min(o.Top, v.Len()) {
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
	if o.Classes > n {
		return fmt.Errorf("cannot make %d classes of %s", o.Classes, report.CountOf(n, "word", "words"))
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
		perp := o.Perplexity
		most := float64(n-1) / 3 // each word needs 3 × perplexity neighbours
		switch {
		case perp > most && o.PerplexityGiven:
			return failure.Usagef("--perplexity %g needs more than %d words (3 × perplexity); the map has %d: lower it, map more words, or use --method pca",
				perp, int(3*perp), n)
		case most < 1:
			return failure.Usagef("t-SNE needs at least 4 words, the map has %d: use --method pca", n)
		case perp > most:
			perp = most
		}
		coords, err = mapTSNE(ctx, s, vecs, v.Dim(), explore.TSNEOptions{Perplexity: perp, Iterations: o.Iterations, Threads: o.Threads}, o.Quiet)
		if ctx.Err() != nil {
			return failure.Interruptedf(ctx, "interrupted; %s was not written", o.Output)
		}
		if err != nil {
			return err
		}
		how = fmt.Sprintf("t-SNE, perplexity %.3g", perp)
	}
	var class []int32
	if o.Classes > 0 {
		c, err := Classes(ctx, s, vecs, v.Dim(),
			explore.KMeansOptions{K: o.Classes, Seed: o.Seed, Threads: o.Threads}, o.Quiet)
		if ctx.Err() != nil {
			return failure.Interruptedf(ctx, "interrupted; %s was not written", o.Output)
		}
		if err != nil {
			return err
		}
		class = c.Class
		how += fmt.Sprintf(", coloured by %s", report.CountOf(o.Classes, "k-means class", "k-means classes"))
	}
	caption := fmt.Sprintf("%s: %s by %s", filepath.Base(o.Model), report.CountOf(n, "word", "words"), how)
	if err := writeMap(out, o.Format, render.Map{Words: words, Coords: coords, Class: class, Caption: caption}, rows); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if !o.Quiet && o.Output != "-" {
		fmt.Fprintf(s.Err, "map: %s by %s in %s\n", report.CountOf(n, "word", "words"), method, report.Since(start))
	}
	return nil
}

// mapTSNE runs t-SNE with a progress bar.
func mapTSNE(ctx context.Context, s Streams, vecs []float32, dim int, o explore.TSNEOptions, quiet bool) ([]float64, error) {
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
	err := progress.Run(s.Err, progress.Options{Total: int64(o.Iterations), Unit: "iterations", Desc: "t-SNE", Quiet: quiet || n < 1000},
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

// ReadWordList returns the words of a file, one a line; blank lines are
// skipped and spaces around a word dropped.
func ReadWordList(path string) ([]string, error) {
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
