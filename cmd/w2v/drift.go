package main

import (
	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
)

func newDriftCmd(s streams) *cobra.Command {
	o := job.AlignOptions{}
	var top int
	cmd := &cobra.Command{
		Use:   "drift A B",
		Short: "List the words whose vectors moved most between two models, once aligned",
		Long: `List the words whose meaning changed most between two models, such as
models of the same language trained on text of different years (Hamilton et
al. 2016): A is mapped onto B by the orthogonal map that fits the words they
share best (see w2v align), then each shared word's cosine distance
1 − cos(xW, y) between its mapped vector in A and its vector in B measures
how far it moved. Rare words have noisy vectors, so only the --restrict most
frequent words of each model (the first of each file) take part, both in
fitting the map and in the list.`,
		Example: `  # The 20 words that moved most among the 10,000 most frequent:
  w2v drift vectors-1990.bin vectors-2020.bin

  # The 50 that moved most among the 5,000 most frequent, as JSON:
  w2v drift vectors-1990.bin vectors-2020.bin --restrict 5000 -k 50 --json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 2 {
				return failure.Usagef("drift: want two models, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if top < 1 {
				return failure.Usagef("--top must be at least 1, got %d", top)
			}
			if !cmd.Flags().Changed("identical") {
				o.Identical = o.Restrict // fit on the words compared
			}
			o.IdenticalSet = cmd.Flags().Changed("identical")
			return job.Drift(s.job(), o, args[0], args[1], top)
		},
	}
	cmd.Flags().IntVarP(&top, "top", "k", 20, "how many words to list")
	alignFlags(cmd, &o, 10_000)
	return cmd
}
