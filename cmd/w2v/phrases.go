package main

import (
	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/corpus"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/phrases"
)

func newPhrasesCmd(s streams) *cobra.Command {
	o := job.PhrasesOptions{}
	cmd := &cobra.Command{
		Use:   "phrases [flags] CORPUS...",
		Short: "Join frequent word pairs into phrases (new york → new_york)",
		Long: `Find pairs of adjacent words that occur together far more often than
chance, and write the corpus back with each such pair joined by "_" into one
token, as word2vec's word2phrase does. Training on the result gives vectors
for phrases such as new_york or air_canada.

A pair "a b" is joined when a, b and the pair each occur at least
--min-count times and its score

    (count(a b) − min-count) / (count(a) · count(b)) · words in the corpus

is above --threshold. Pairs are joined left to right, and a joined pair uses
up both its words: "a b c" with both pairs above the threshold becomes
"a_b c". Run the command again on its output to find longer phrases
(new_york times → new_york_times); word2vec's demo uses a threshold of 200 for
the first pass and 100 for the second.

The corpus is read twice: once to count words and pairs, in parallel, then
once to write. Pairs are never joined across a line break or between files.
The output keeps the input's lines (line n of the output is line n of the
input, blank lines included), with the words of a line separated by single
spaces. Words are cleaned as train cleans them: invalid UTF-8 is replaced and
words longer than --max-word-bytes are truncated.

Memory is bounded by --max-entries, the most distinct words and pairs held at
once: past it the rarest are dropped (word2vec's ReduceVocab) and counts of
rare pairs become approximate; the summary says when that happened. Below
it, the counts are exact and the output is the same whatever --threads. A
pair takes some 20 bytes and a word some 100; each counting thread also
keeps a table of its own, of up to its share of the limit, so --threads 1
needs the least memory, at some cost in time. CORPUS may be "-" for standard input, and
files ending in .gz are decompressed. The output appears only once complete.`,
		Example: `  # Join phrases, then join again to get phrases of three or four words:
  w2v phrases corpus.txt -o phrased1.txt --threshold 200
  w2v phrases phrased1.txt -o phrased2.txt --threshold 100
  w2v train phrased2.txt -o vectors.txt

  # From a compressed corpus to standard output:
  w2v phrases wiki.txt.gz -o - | head

  # Fewer, surer phrases:
  w2v phrases --min-count 20 --threshold 500 corpus.txt -o phrased.txt`,
		Args: minArgs(1, "CORPUS file to find phrases in"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := o.Check(); err != nil {
				return err
			}
			return job.Phrases(cmd.Context(), s.job(), o, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.Output, "output", "o", "phrased.txt", "write the phrased corpus to this file (- for standard output)")
	f.Float64Var(&o.Threshold, "threshold", 100, "join pairs scoring above this; higher means fewer phrases")
	f.Int64Var(&o.MinCount, "min-count", 5, "never join words or pairs occurring fewer times than this")
	f.IntVar(&o.Threads, "threads", 0, "threads counting and joining phrases (0 = number of CPUs)")
	f.IntVar(&o.MaxEntries, "max-entries", phrases.DefaultMaxEntries, "most distinct words and pairs counted at once; past it the rarest are pruned")
	f.IntVar(&o.MaxWordBytes, "max-word-bytes", corpus.DefaultMaxWordBytes, "truncate longer words to this many bytes (at a UTF-8 boundary)")
	f.BoolVarP(&o.Quiet, "quiet", "q", false, "print no progress or summary")
	return cmd
}
