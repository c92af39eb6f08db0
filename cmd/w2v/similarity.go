package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
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
	if len(o.pairs) == 0 {
		return wordCosines(s, o, v, args)
	}
	var res []report.PairSet
	oov := query.OOV(v) // fastText models score pairs with unseen words too, as fastText does
	for i, pairs := range sets {
		rep, err := evaluate.Pairs(v, pairs, evaluate.PairsOptions{Restrict: o.restrict, CaseSensitive: o.caseSensitive, OOV: oov})
		if err != nil {
			return fmt.Errorf("%s: %w", o.pairs[i], err)
		}
		set := report.PairSet{File: o.pairs[i], Spearman: rep.Spearman, Pearson: rep.Pearson, Answered: rep.Found, Total: rep.Pairs}
		if oov != nil {
			set.InVocab = &rep.InVocab
		}
		res = append(res, set)
	}
	sc := report.Scoring{Words: v.Len(), Restrict: o.restrict, CaseSensitive: o.caseSensitive, Subwords: oov != nil}
	return report.WritePairSets(s.out, sc, res, o.json)
}

// jsonCosine is one pair of words and their cosine similarity, or why it
// has none.
type jsonCosine struct {
	A      string   `json:"word1"`
	B      string   `json:"word2"`
	Cosine *float32 `json:"cosine,omitempty"`
	// FromSubwords lists the words outside the vocabulary given the vector of their n-grams.
	FromSubwords []string `json:"from_subwords,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// wordCosines prints the cosine similarity of each pair of words, from the
// command line or, with none there, from standard input, a pair a line.
func wordCosines(s streams, o similarityOptions, v *vecfile.Vectors, words []string) error {
	m, err := query.NewModel(v)
	if err != nil {
		return err
	}
	m.Lex.UseSubwords(nil)
	failed, total := 0, 0
	answer := func(pairs [][]string) error {
		results := make([]jsonCosine, len(pairs))
		labels := make([][]string, len(pairs))
		for i, p := range pairs {
			r := &results[i]
			if len(p) != 2 {
				r.A = strings.Join(p, " ")
				r.Error = fmt.Sprintf("%q: want two words", r.A)
				continue
			}
			r.A, r.B = p[0], p[1]
			c, problem := m.Similarity(p[0], p[1])
			if problem != "" {
				r.Error = problem
				continue
			}
			r.Cosine = &c
			rows, _ := m.Lex.Lookup(p) // as in Similarity: a subword row is made once
			r.FromSubwords = m.Lex.SubwordWords(p, rows)
			labels[i] = m.Lex.Labels(p, rows)
		}
		out := bufio.NewWriter(s.out)
		enc := json.NewEncoder(out)
		t := report.Table{Right: []bool{false, false, true}}
		for i, r := range results {
			total++
			if r.Error != "" {
				failed++
			}
			switch {
			case o.json:
				enc.Encode(r)
			case r.Error != "":
				t.Add(r.A, r.B, "-")
			default:
				t.Add(labels[i][0], labels[i][1], fmt.Sprintf("%.4f", *r.Cosine))
			}
		}
		t.Write(out, "")
		if err := out.Flush(); err != nil {
			return err
		}
		if !o.json {
			for _, r := range results {
				if r.Error != "" {
					fmt.Fprintf(s.err, "w2v: %s\n", r.Error)
				}
			}
		}
		return nil
	}
	var pairs [][]string
	for i := 0; i+1 < len(words); i += 2 {
		pairs = append(pairs, words[i:i+2])
	}
	return query.AnswerAll(s.in, s.err, pairs, "Enter two words (Ctrl-D to quit).", answer, func() (int, int) { return failed, total })
}
