package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

// exportOptions are the export command's settings.
type exportOptions struct {
	model    string
	format   string
	output   string
	restrict int
	quiet    bool
}

func newExportCmd(s streams) *cobra.Command {
	o := exportOptions{}
	cmd := &cobra.Command{
		Use:   "export -m MODEL --format (projector|npy) -o DIR",
		Short: "Export vectors for TensorBoard's Embedding Projector or for numpy",
		Long: `Export a model's vectors, as they are in the file, into the directory
-o names, for other tools to explore:

  projector  vectors.tsv, metadata.tsv and projector_config.json, for
             TensorBoard's Embedding Projector: load the first two at
             https://projector.tensorflow.org, or point TensorBoard at
             the directory.
  npy        vectors.npy, a float32 matrix that numpy.load can
             memory-map (mmap_mode="r"), and words.txt, the word of
             each row.

Words are written one a line, tabs and newlines in them as \t and \n. The
directory appears only once complete; an existing one is replaced only if
it holds nothing but an earlier export's files. With --restrict N only the
N most frequent words (the first N of the file) are exported; the
projector shows at most 100,000 points at once.`,
		Example: `  # The 10,000 most frequent words, for the projector:
  w2v export -m vectors.bin --format projector --restrict 10000 -o projector

  # Everything, for numpy:
  w2v export -m vectors.bin --format npy -o npy
  python3 -c 'import numpy; m = numpy.load("npy/vectors.npy", mmap_mode="r"); print(m.shape)'`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(s, o)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.StringVarP(&o.format, "format", "f", "", "projector or npy (required)")
	f.StringVarP(&o.output, "output", "o", "", "write the export into this directory (required)")
	f.IntVar(&o.restrict, "restrict", 0, "export only the N most frequent words, the first N of the file (0 = all)")
	f.BoolVarP(&o.quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}

func runExport(s streams, o exportOptions) error {
	format := strings.ToLower(o.format)
	switch {
	case format != "projector" && format != "npy":
		return failure.Usagef("--format must be projector or npy, got %q", o.format)
	case o.output == "" || o.output == "-":
		return failure.Usagef("no output directory; name it with -o DIR")
	case o.restrict < 0:
		return failure.Usagef("--restrict must be 0 (all words) or more, got %d", o.restrict)
	case o.model == "":
		return failure.Usagef("no model given; name the vector file with -m FILE")
	}
	return job.Export(s.job(), job.ExportOptions{Model: o.model, Format: format, Output: o.output, Restrict: o.restrict, Quiet: o.quiet})
}
