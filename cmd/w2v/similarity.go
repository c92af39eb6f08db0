package main

import (
	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/report"
)

// similarityOptions are the similarity command's settings.
type similarityOptions struct {
	model         string
	pairs         []string
	restrict      int
	caseSensitive bool
	json          bool
}

func newSimilarityCmd(s streams) *cobra.Command {
	o := similarityOptions{}
	cmd := &cobra.Command{
		Use:   "similarity -m MODEL (--pairs FILE... | [WORD1 WORD2 ...])",
		Short: "Score word-similarity test sets (Spearman's rho), or print cosines of word pairs",
		Long: `Score word-similarity test sets such as WordSim-353: for each --pairs file,
Spearman's rank correlation between the similarity scores people gave the
pairs and the cosine similarities of the words' vectors, as gensim's
evaluate_word_pairs computes it (tied scores share their average rank).
Pairs with a word outside the vocabulary are skipped and counted, except
with a model that has character n-grams (a fastText .bin, or a native file
converted from one): there, as in fastText's evaluation, an unseen word gets
the vector of its n-grams, and the pairs within the vocabulary are counted
too. Case is ignored unless --case-sensitive: a word matches the most
frequent word that differs from it only in case.

Pair files hold one pair a line, "word1 word2 score", separated by tabs or
spaces; blank lines and lines starting with # are ignored.

With words instead of --pairs, print the cosine similarity of each pair of
words given (matched exactly; an unseen word gets its subword vector if the
model has n-grams, and is marked "from subwords"). With neither, pairs are read from standard
input, two words a line, as nearest and analogy read their queries; on a
terminal a prompt is shown.`,
		Example: `  # Score the three WordSim-353 sets:
  w2v similarity -m vectors.bin --pairs EN-WS-353-ALL.txt --pairs EN-WS-353-SIM.txt --pairs EN-WS-353-REL.txt

  # How similar are cat and dog, and car and bicycle?
  w2v similarity -m vectors.bin cat dog car bicycle

  # Many pairs from a file, as JSON lines:
  w2v similarity -m vectors.bin --json < pairs.txt`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSimilarity(s, o, args)
		},
	}
	f := cmd.Flags()
	modelFlag(cmd, &o.model, false)
	f.StringSliceVar(&o.pairs, "pairs", nil, "score the word-similarity test set in this file (repeat for several)")
	f.IntVar(&o.restrict, "restrict", 0, "use only the N most frequent words, the first N of the file (0 = all)")
	f.BoolVar(&o.caseSensitive, "case-sensitive", false, "with --pairs, match words exactly instead of ignoring case")
	f.BoolVar(&o.json, "json", false, "write JSON instead of tables: a line per pair of words, one object for --pairs")
	return cmd
}

func runSimilarity(s streams, o similarityOptions, args []string) error {
	if o.restrict < 0 {
		return failure.Usagef("--restrict must be 0 (all words) or more, got %d", o.restrict)
	}
	switch {
	case len(o.pairs) > 0 && len(args) > 0:
		return failure.Usagef("give either word pairs or --pairs files, not both")
	case len(args)%2 != 0:
		return failure.Usagef("words come in pairs; %s given", report.CountOf(len(args), "word", "words"))
	}
	if len(o.pairs) > 0 {
		return job.Pairs(s.job(), job.PairsOptions{Model: o.model, Pairs: o.pairs, Restrict: o.restrict, CaseSensitive: o.caseSensitive, JSON: o.json})
	}
	return job.Similarity(s.job(), o.model, args, o.json)
}
