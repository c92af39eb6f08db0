package main

import (
	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/align"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

// alignFlags defines the flags align and drift share.
func alignFlags(cmd *cobra.Command, o *job.AlignOptions, restrict int) {
	f := cmd.Flags()
	f.StringVar(&o.Dict, "dict", "", "fit the map to the pairs of this file, \"source target\" a line (default: identical words)")
	f.IntVar(&o.Identical, "identical", 0, "without --dict, fit the map to the words among the N most frequent of both models (0 = all they share)")
	f.BoolVar(&o.Center, "center", false, "subtract each model's mean vector first")
	f.BoolVar(&o.Normalize, "normalize", false, "scale every vector to unit length first (after centring)")
	f.IntVar(&o.Restrict, "restrict", restrict, "search, score and compare only the N most frequent words of each model (0 = all)")
	f.BoolVar(&o.JSON, "json", false, "write one JSON object instead of tables")
}

func newAlignCmd(s streams) *cobra.Command {
	o := job.AlignOptions{}
	cmd := &cobra.Command{
		Use:   "align SOURCE TARGET -o ALIGNED",
		Short: "Map one model's vectors onto another's by an orthogonal map (Procrustes, CSLS)",
		Long: `Map the vectors of the SOURCE model into the space of the TARGET model: the
orthogonal matrix W that brings the source vectors of a dictionary's words
closest to their targets' (Procrustes: W = UVᵀ from the SVD of XᵀY), applied
to every source vector, which is written to ALIGNED in the format its name
asks for (.w2v native, .txt or .vec text, .bin binary, .gz compressed; else
text). Two models trained on different corpora, years or languages can then
be compared word by word.

The dictionary is --dict FILE, one "source target" pair a line, or the words
both models have, paired with themselves (--identical N: among the N most
frequent of each; by default all they share). --center and --normalize
prepare both models first, in that order, as MUSE's "center,renorm" does;
the prepared source vectors are the ones mapped and written.

--refine R runs R rounds that rebuild the dictionary from the mutual
nearest neighbours under CSLS (cross-domain similarity local scaling,
Conneau et al. 2018: 2cos(x, y) − r_T(x) − r_S(y), r the mean cosine of the
10 nearest words in the other model) among the --refine-words most
frequent words of each model, and fit the map again.

--eval PAIRS scores the map on a test dictionary (a source word may have
several lines, one per accepted target): precision@1, @5 and @10 of the
targets retrieved by plain cosine (NN) and by CSLS, after Procrustes and,
with --refine, after refinement. Retrieval searches the --restrict most
frequent words of each model (200,000 by default, as MUSE).`,
		Example: `  # Align two years' models on the words they share, and score it:
  w2v align vectors-1990.bin vectors-2020.bin -o aligned-1990.bin --eval test-pairs.txt

  # English onto French with a bilingual dictionary, refined twice:
  w2v align en.vec fr.vec --dict en-fr.train.txt --normalize --refine 2 --eval en-fr.test.txt -o en-in-fr.vec`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return failure.Usagef("align: want a source and a target model, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.IdenticalSet = cmd.Flags().Changed("identical")
			return job.Align(cmd.Context(), s.job(), o, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "", "write the mapped source vectors to this file (\"-\" for standard output, text; required)")
	alignFlags(cmd, &o, 200_000)
	f.IntVar(&o.Refine, "refine", 0, "rounds of refinement from mutual CSLS neighbours")
	f.IntVar(&o.RefineWords, "refine-words", align.DefaultRefineWords, "refinement pairs up words among the N most frequent of each model")
	f.StringVar(&o.Eval, "eval", "", "score the map on the test pairs of this file, \"source target\" a line")
	return cmd
}

// alignReport is the JSON object align prints.
type alignReport = job.AlignReport
