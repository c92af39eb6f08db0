package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/explore"
	"github.com/w2vtool/w2v/internal/export"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/report"
)

// mapOptions are the map command's settings.
type mapOptions struct {
	model  string
	output string
	format string
	top    int
}

func newMapCmd(s streams) *cobra.Command {
	o := mapOptions{}
	cmd := &cobra.Command{
		Use:   "map -m MODEL [WORD...] -o FILE",
		Short: "Draw words on a 2-D map by principal component analysis of their vectors",
		Long: `Draw words on a 2-D map: their unit-length vectors projected on the two
principal components of the words mapped (the directions in which those
vectors vary most). The words are the ones given, or else the --top most
frequent (the first of the file).

The output is an SVG scatter plot with a label per word, or, for other
tools, tab-separated coordinates ("word x y" with a header line): --format
svg or tsv, else what the output's name ends in (.svg, .tsv).`,
		Example: `  # The 300 most frequent words:
  w2v map -m vectors.bin -o map.svg

  # Chosen words, as coordinates:
  w2v map -m vectors.bin -o map.tsv king queen man woman paris berlin france germany`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runMap(s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.StringVarP(&o.output, "output", "o", "", "write the map to this file (\"-\" for standard output; required)")
	f.StringVarP(&o.format, "format", "f", "", "svg or tsv (default: from the output's name)")
	f.IntVar(&o.top, "top", 300, "with no words given, map the N most frequent words")
	return cmd
}

func runMap(s streams, o mapOptions, words []string) error {
	format := strings.ToLower(o.format)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(o.output)), ".")
	}
	switch {
	case o.output == "":
		return failure.Usagef("no output file; name it with -o FILE (.svg or .tsv)")
	case format != "svg" && format != "tsv":
		return failure.Usagef("--format must be svg or tsv (or the output named .svg or .tsv), got %q", format)
	case o.top < 2 && len(words) == 0:
		return failure.Usagef("--top must be at least 2 (a map needs two words), got %d", o.top)
	case len(words) == 1:
		return failure.Usagef("a map needs at least two words, got %q", words[0])
	case o.model == "":
		return failure.Usagef("no model given; name the vector file with -m FILE")
	}
	if err := job.CheckOutputs([]string{o.output}, []string{o.model}); err != nil {
		return err
	}
	out, err := job.CreateOutput(s.job(), o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
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
	}
	if rows == nil {
		var unknown []string
		for _, w := range words {
			r, ok := v.Index(w)
			if !ok {
				unknown = append(unknown, w)
			}
			rows = append(rows, r)
		}
		if len(unknown) > 0 {
			return fmt.Errorf("not in the model: %s", strings.Join(unknown, ", "))
		}
	}
	if len(rows) < 2 {
		return fmt.Errorf("a map needs two words; the model has %s", report.CountOf(len(rows), "word", "words"))
	}
	vecs := make([]float32, 0, len(rows)*v.Dim())
	for _, r := range rows {
		vecs = append(vecs, v.Row(r)...)
	}
	p, err := explore.PCA(vecs, v.Dim(), 2)
	if err != nil {
		return err
	}
	var write func(io.Writer) error
	if format == "svg" {
		caption := fmt.Sprintf("%s: %s by PCA, components 1 (%.1f %% of the variance) and 2 (%.1f %%)",
			filepath.Base(o.model), report.CountOf(len(rows), "word", "words"), 100*p.Variance[0], 100*p.Variance[1])
		write = func(w io.Writer) error { return export.WriteMapSVG(w, words, p.Coords, caption) }
	} else {
		write = func(w io.Writer) error { return export.WriteMapTSV(w, words, p.Coords) }
	}
	if err := write(out); err != nil {
		return err
	}
	return out.Commit()
}
