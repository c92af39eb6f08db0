package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/w2vtool/w2v/internal/align"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/job"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// alignOptions are the align command's settings; drift uses some.
type alignOptions struct {
	align.Options
	output      string
	dict        string
	identical   int
	refine      int
	refineWords int
	eval        string
	json        bool
}

// alignFlags defines the flags align and drift share.
func alignFlags(cmd *cobra.Command, o *alignOptions, restrict int) {
	f := cmd.Flags()
	f.StringVar(&o.dict, "dict", "", "fit the map to the pairs of this file, \"source target\" a line (default: identical words)")
	f.IntVar(&o.identical, "identical", 0, "without --dict, fit the map to the words among the N most frequent of both models (0 = all they share)")
	f.BoolVar(&o.Center, "center", false, "subtract each model's mean vector first")
	f.BoolVar(&o.Normalize, "normalize", false, "scale every vector to unit length first (after centring)")
	f.IntVar(&o.Restrict, "restrict", restrict, "search, score and compare only the N most frequent words of each model (0 = all)")
	f.BoolVar(&o.json, "json", false, "write one JSON object instead of tables")
}

func newAlignCmd(s streams) *cobra.Command {
	o := alignOptions{}
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
			return runAlign(cmd.Context(), s, o, args[0], args[1], cmd.Flags().Changed("identical"))
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write the mapped source vectors to this file (\"-\" for standard output, text; required)")
	alignFlags(cmd, &o, 200_000)
	f.IntVar(&o.refine, "refine", 0, "rounds of refinement from mutual CSLS neighbours")
	f.IntVar(&o.refineWords, "refine-words", align.DefaultRefineWords, "refinement pairs up words among the N most frequent of each model")
	f.StringVar(&o.eval, "eval", "", "score the map on the test pairs of this file, \"source target\" a line")
	return cmd
}

// alignedModels loads the two models and fits the map to the dictionary
// that o names. release frees the models once the aligner is done with.
func alignedModels(s streams, o alignOptions, source, target string, identicalSet bool) (a *align.Aligner, d *align.Dictionary, release func(), err error) {
	switch {
	case o.dict != "" && identicalSet:
		return nil, nil, nil, failure.Usagef("give either --dict or --identical, not both")
	case o.identical < 0 || o.Restrict < 0 || o.refine < 0 || o.refineWords < 0:
		return nil, nil, nil, failure.Usagef("--identical, --restrict, --refine and --refine-words must be 0 or more")
	}
	var dict *os.File
	if o.dict != "" { // a bad dictionary should fail before big models load
		if dict, err = os.Open(o.dict); err != nil {
			return nil, nil, nil, fmt.Errorf("dictionary: %w", err)
		}
		defer dict.Close()
	}
	src, err := query.Load(s.err, source, vecfile.Options{Raw: true})
	if err != nil {
		return nil, nil, nil, err
	}
	tgt, err := query.Load(s.err, target, vecfile.Options{Raw: true})
	if err != nil {
		src.Close()
		return nil, nil, nil, err
	}
	free := func() { src.Close(); tgt.Close() }
	defer func() {
		if err != nil {
			free()
		}
	}()
	if a, err = align.New(src, tgt, o.Options); err != nil {
		return nil, nil, nil, fmt.Errorf("%s onto %s: %w", source, target, err)
	}
	d = &align.Dictionary{}
	if dict != nil {
		d, err = a.ReadDictionary(dict, o.dict)
	} else {
		d.Pairs, err = a.Identical(o.identical)
		d.Lines = len(d.Pairs)
	}
	if err == nil {
		err = a.Fit(d.Pairs)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return a, d, free, nil
}

// searching runs a step of the aligner's searches with a progress report.
func searching(s streams, a *align.Aligner, desc string, work int64, step func() error) error {
	base := a.Searched.Load()
	return progress.Run(s.err, progress.Options{Total: work, Unit: "words", Desc: desc, Quiet: work < 50_000},
		func() (int64, string) { return a.Searched.Load() - base, "" }, step)
}

// alignReport is what align prints.
type alignReport struct {
	Source     string      `json:"source"`
	Target     string      `json:"target"`
	Output     string      `json:"output"`
	Pairs      int         `json:"pairs"`
	Unknown    int         `json:"unknown_pairs"`
	Refined    []int       `json:"refined_pairs,omitempty"`
	Eval       string      `json:"eval,omitempty"`
	EvalWords  int         `json:"eval_words,omitempty"`
	EvalMissed int         `json:"eval_unknown,omitempty"`
	Scores     []stageEval `json:"scores,omitempty"`
}

type stageEval struct {
	Stage string `json:"stage"`
	align.Scores
}

func runAlign(ctx context.Context, s streams, o alignOptions, source, target string, identicalSet bool) (err error) {
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = failure.Interruptedf(ctx, "interrupted; %s was not written", o.output)
		}
	}()
	if o.output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	warn := func(format string, args ...any) { fmt.Fprintf(s.err, "w2v: warning: "+format+"\n", args...) }
	format, err := vecfile.ChooseFormat(o.output, 0, vecfile.Text, warn)
	if err != nil {
		return failure.Usagef("%w", err)
	}
	if err := job.CheckOutputs([]string{o.output}, []string{source, target, o.dict, o.eval}); err != nil {
		return err
	}
	out, err := job.CreateOutput(s.job(), o.output)
	if err != nil {
		return err
	}
	defer out.Abort()
	if o.eval != "" { // a missing test file should fail before big models load
		if _, err := os.Stat(o.eval); err != nil {
			return fmt.Errorf("test pairs: %w", err)
		}
	}
	a, d, closeModels, err := alignedModels(s, o, source, target, identicalSet)
	if err != nil {
		return err
	}
	defer closeModels()
	r := alignReport{Source: source, Target: target, Output: o.output, Pairs: len(d.Pairs), Unknown: d.Unknown, Eval: o.eval}
	var tests *align.Tests
	if o.eval != "" {
		if tests, err = readTests(a, o.eval); err != nil {
			return err
		}
		r.EvalWords, r.EvalMissed = tests.Words, tests.Unknown
	}
	evaluate := func(stage string) error {
		if tests == nil {
			return nil
		}
		var sc *align.Scores
		err := searching(s, a, "eval", a.EvaluateWork(tests), func() (err error) { sc, err = a.Evaluate(ctx, tests); return err })
		if err != nil {
			return err
		}
		r.Scores = append(r.Scores, stageEval{stage, *sc})
		return nil
	}
	if err := evaluate("procrustes"); err != nil {
		return err
	}
	if o.refine > 0 {
		err := searching(s, a, "refine", int64(o.refine)*a.InduceWork(o.refineWords), func() (err error) {
			r.Refined, err = a.Refine(ctx, o.refine, o.refineWords)
			return err
		})
		if err != nil {
			return err
		}
		if err := evaluate(fmt.Sprintf("refined %d", o.refine)); err != nil {
			return err
		}
	}
	if err := a.Write(out, format); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if o.json {
		return json.NewEncoder(s.out).Encode(r)
	}
	refined := ""
	if len(r.Refined) > 0 {
		refined = fmt.Sprintf("; refined %s, dictionaries of %v pairs", report.CountOf(len(r.Refined), "time", "times"), r.Refined)
	}
	fmt.Fprintf(s.err, "align: mapped %s onto %s with %s (%s unknown)%s; wrote %s (%s)\n", source, target,
		report.CountOf(len(d.Pairs), "pair", "pairs"), report.Thousands(d.Unknown), refined, o.output, format)
	if tests == nil {
		return nil
	}
	fmt.Fprintf(s.out, "%s: %s of %s scored (%s not in both models)\n", o.eval, report.CountOf(len(tests.Tests), "word", "words"),
		report.Thousands(tests.Words), report.Thousands(tests.Unknown))
	t := report.Table{Right: []bool{false, false, true, true, true}}
	t.Add("stage", "retrieval", "p@1", "p@5", "p@10")
	pct := func(x float64) string { return fmt.Sprintf("%.2f", 100*x) }
	for _, e := range r.Scores {
		t.Add(e.Stage, "NN", pct(e.NN.At1), pct(e.NN.At5), pct(e.NN.At10))
		t.Add("", "CSLS", pct(e.CSLS.At1), pct(e.CSLS.At5), pct(e.CSLS.At10))
	}
	return t.Write(s.out, "")
}

// readTests reads the test pairs file path.
func readTests(a *align.Aligner, path string) (*align.Tests, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("test pairs: %w", err)
	}
	defer f.Close()
	return a.ReadTests(f, path)
}
