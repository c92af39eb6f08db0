package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/vecfile"
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
		Use:   "similarity -m MODEL (--pairs FILE... | WORD1 WORD2 ...)",
		Short: "Score word-similarity test sets (Spearman's rho), or print cosines of word pairs",
		Long: `Score word-similarity test sets such as WordSim-353: for each --pairs file,
Spearman's rank correlation between the similarity scores people gave the
pairs and the cosine similarities of the words' vectors, as gensim's
evaluate_word_pairs computes it (tied scores share their average rank).
Pairs with a word outside the vocabulary are skipped and counted. Case is
ignored unless --case-sensitive: a word matches the most frequent word that
differs from it only in case.

Pair files hold one pair a line, "word1 word2 score", separated by tabs or
spaces; blank lines and lines starting with # are ignored.

With words instead of --pairs, print the cosine similarity of each pair of
words given (matched exactly).`,
		Example: `  # Score the three WordSim-353 sets:
  w2v similarity -m vectors.bin --pairs EN-WS-353-ALL.txt --pairs EN-WS-353-SIM.txt --pairs EN-WS-353-REL.txt

  # How similar are cat and dog, and car and bicycle?
  w2v similarity -m vectors.bin cat dog car bicycle`,
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
	f.BoolVar(&o.json, "json", false, "write JSON instead of a table")
	return cmd
}

func runSimilarity(s streams, o similarityOptions, args []string) error {
	if o.restrict < 0 {
		return usagef("--restrict must be 0 (all words) or more, got %d", o.restrict)
	}
	switch {
	case len(o.pairs) > 0 && len(args) > 0:
		return usagef("give either word pairs or --pairs files, not both")
	case len(o.pairs) == 0 && len(args) == 0:
		return usagef("give --pairs FILE, or words to compare in pairs")
	case len(args)%2 != 0:
		return usagef("words come in pairs; %d words given", len(args))
	}
	// Read the test sets first: a bad file should fail before a big model loads.
	sets := make([][]evaluate.Pair, len(o.pairs))
	for i, path := range o.pairs {
		f, err := os.Open(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("pairs file %s does not exist", path)
			}
			return err
		}
		sets[i], err = evaluate.ReadPairs(f, path)
		f.Close()
		if err != nil {
			return err
		}
	}
	v, err := loadModel(s, o.model)
	if err != nil {
		return err
	}
	defer v.Close()
	if len(args) > 0 {
		return wordCosines(s, o, v, args)
	}
	type result struct {
		File     string  `json:"file"`
		Pairs    int     `json:"pairs"`
		Found    int     `json:"found"`
		Skipped  int     `json:"skipped"`
		Spearman float64 `json:"spearman"`
		Pearson  float64 `json:"pearson"`
	}
	var results []result
	for i, pairs := range sets {
		rep, err := evaluate.Pairs(v, pairs, evaluate.PairsOptions{Restrict: o.restrict, CaseSensitive: o.caseSensitive})
		if err != nil {
			return fmt.Errorf("%s: %w", o.pairs[i], err)
		}
		results = append(results, result{o.pairs[i], rep.Pairs, rep.Found, rep.Pairs - rep.Found, rep.Spearman, rep.Pearson})
	}
	if o.json {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	out := bufio.NewWriter(s.out)
	fmt.Fprintf(out, "%s, %s\n\n", vocabDesc(v, o.restrict), caseDesc(o.caseSensitive))
	t := table{right: []bool{false, true, true, true, true, true}}
	t.add("pairs file", "spearman", "pearson", "pairs", "found", "skipped")
	for _, r := range results {
		t.add(filepath.Base(r.File), fmt.Sprintf("%.4f", r.Spearman), fmt.Sprintf("%.4f", r.Pearson),
			thousands(r.Pairs), thousands(r.Found), thousands(r.Skipped))
	}
	t.write(out, "")
	return out.Flush()
}

// wordCosines prints the cosine similarity of each pair of words.
func wordCosines(s streams, o similarityOptions, v *vecfile.Vectors, words []string) error {
	type result struct {
		A      string   `json:"word1"`
		B      string   `json:"word2"`
		Cosine *float32 `json:"cosine,omitempty"`
		Error  string   `json:"error,omitempty"`
	}
	var results []result
	failed := 0
	lex := newLexicon(v)
	for i := 0; i+1 < len(words); i += 2 {
		r := result{A: words[i], B: words[i+1]}
		rows, problem := lex.lookup(words[i : i+2])
		if problem != "" {
			r.Error = problem
			failed++
		} else {
			c := simd.Dot(v.Row(rows[0]), v.Row(rows[1]))
			r.Cosine = &c
		}
		results = append(results, r)
	}
	out := bufio.NewWriter(s.out)
	if o.json {
		enc := json.NewEncoder(out)
		for _, r := range results {
			enc.Encode(r)
		}
	} else {
		t := table{right: []bool{false, false, true}}
		for _, r := range results {
			if r.Error != "" {
				t.add(r.A, r.B, "-")
				continue
			}
			t.add(r.A, r.B, fmt.Sprintf("%.4f", *r.Cosine))
		}
		t.write(out, "")
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		if !o.json {
			for _, r := range results {
				if r.Error != "" {
					fmt.Fprintf(s.err, "w2v: %s\n", r.Error)
				}
			}
		}
		return failedQueries{failed, len(results)}
	}
	return nil
}
