package job

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/w2vtool/w2v/internal/align"
	"github.com/w2vtool/w2v/internal/failure"
	"github.com/w2vtool/w2v/internal/progress"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// AlignOptions are the settings of Align; Drift uses the model preparation,
// the dictionary and JSON ones.
type AlignOptions struct {
	align.Options
	// Output is the file the mapped source vectors are written to ("-" for
	// standard output).
	Output string
	// Dict names a file of "source target" pairs to fit the map to; empty
	// fits it to the words both models share.
	Dict string
	// Identical limits the shared words to the N most frequent of each
	// model (0 = all); IdenticalSet says that the user gave it, which
	// conflicts with Dict.
	Identical    int
	IdenticalSet bool
	// Refine is the number of refinement rounds, among the RefineWords
	// most frequent words of each model.
	Refine, RefineWords int
	// Eval names a file of test pairs to score the map on.
	Eval string
	// JSON writes one JSON object instead of tables.
	JSON bool
}

// AlignReport is what Align prints with JSON set.
type AlignReport struct {
	Source     string      `json:"source"`
	Target     string      `json:"target"`
	Output     string      `json:"output"`
	Pairs      int         `json:"pairs"`
	Unknown    int         `json:"unknown_pairs"`
	Refined    []int       `json:"refined_pairs,omitempty"`
	Eval       string      `json:"eval,omitempty"`
	EvalWords  int         `json:"eval_words,omitempty"`
	EvalMissed int         `json:"eval_unknown,omitempty"`
	Scores     []StageEval `json:"scores,omitempty"`
}

// StageEval is the map's score on the test pairs after one stage
// ("procrustes", "refined N").
type StageEval struct {
	Stage string `json:"stage"`
	align.Scores
}

// DriftReport is what Drift prints with JSON set.
type DriftReport struct {
	A     string       `json:"a"`
	B     string       `json:"b"`
	Words int          `json:"words"`
	Moves []align.Move `json:"moves"`
}

// alignedModels loads the two models and fits the map to the dictionary
// that o names. release frees the models once the aligner is done with.
func alignedModels(s Streams, o AlignOptions, source, target string) (a *align.Aligner, d *align.Dictionary, release func(), err error) {
	switch {
	case o.Dict != "" && o.IdenticalSet:
		return nil, nil, nil, failure.Usagef("give either --dict or --identical, not both")
	case o.Identical < 0 || o.Restrict < 0 || o.Refine < 0 || o.RefineWords < 0:
		return nil, nil, nil, failure.Usagef("--identical, --restrict, --refine and --refine-words must be 0 or more")
	}
	var dict *os.File
	if o.Dict != "" { // a bad dictionary should fail before big models load
		if dict, err = os.Open(o.Dict); err != nil {
			return nil, nil, nil, fmt.Errorf("dictionary: %w", err)
		}
		defer dict.Close()
	}
	src, err := query.Load(s.Err, source, vecfile.Options{Raw: true})
	if err != nil {
		return nil, nil, nil, err
	}
	tgt, err := query.Load(s.Err, target, vecfile.Options{Raw: true})
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
		d, err = a.ReadDictionary(dict, o.Dict)
	} else {
		d.Pairs, err = a.Identical(o.Identical)
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
func searching(s Streams, a *align.Aligner, desc string, work int64, step func() error) error {
	base := a.Searched.Load()
	return progress.Run(s.Err, progress.Options{Total: work, Unit: "words", Desc: desc, Quiet: work < 50_000},
		func() (int64, string) { return a.Searched.Load() - base, "" }, step)
}

// Align maps the source model onto the target by the orthogonal map fitted
// to o's dictionary, refines and scores it as o asks, writes the mapped
// source vectors to o.Output, and prints a summary on s.Err and the scores
// (a table, or an AlignReport with JSON) on s.Out.
func Align(ctx context.Context, s Streams, o AlignOptions, source, target string) (err error) {
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = failure.Interruptedf(ctx, "interrupted; %s was not written", o.Output)
		}
	}()
	if o.Output == "" {
		return failure.Usagef("no output file; name it with -o FILE")
	}
	warn := func(format string, args ...any) { fmt.Fprintf(s.Err, "w2v: warning: "+format+"\n", args...) }
	format, err := vecfile.ChooseFormat(o.Output, 0, vecfile.Text, warn)
	if err != nil {
		return failure.Usagef("%w", err)
	}
	if err := CheckOutputs([]string{o.Output}, []string{source, target, o.Dict, o.Eval}); err != nil {
		return err
	}
	out, err := CreateOutput(s, o.Output)
	if err != nil {
		return err
	}
	defer out.Abort()
	if o.Eval != "" { // a missing test file should fail before big models load
		if _, err := os.Stat(o.Eval); err != nil {
			return fmt.Errorf("test pairs: %w", err)
		}
	}
	a, d, closeModels, err := alignedModels(s, o, source, target)
	if err != nil {
		return err
	}
	defer closeModels()
	r := AlignReport{Source: source, Target: target, Output: o.Output, Pairs: len(d.Pairs), Unknown: d.Unknown, Eval: o.Eval}
	var tests *align.Tests
	if o.Eval != "" {
		if tests, err = readTests(a, o.Eval); err != nil {
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
		r.Scores = append(r.Scores, StageEval{stage, *sc})
		return nil
	}
	if err := evaluate("procrustes"); err != nil {
		return err
	}
	if o.Refine > 0 {
		err := searching(s, a, "refine", int64(o.Refine)*a.InduceWork(o.RefineWords), func() (err error) {
			r.Refined, err = a.Refine(ctx, o.Refine, o.RefineWords)
			return err
		})
		if err != nil {
			return err
		}
		if err := evaluate(fmt.Sprintf("refined %d", o.Refine)); err != nil {
			return err
		}
	}
	if err := a.Write(out, format); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if o.JSON {
		return json.NewEncoder(s.Out).Encode(r)
	}
	refined := ""
	if len(r.Refined) > 0 {
		refined = fmt.Sprintf("; refined %s, dictionaries of %v pairs", report.CountOf(len(r.Refined), "time", "times"), r.Refined)
	}
	fmt.Fprintf(s.Err, "align: mapped %s onto %s with %s (%s unknown)%s; wrote %s (%s)\n", source, target,
		report.CountOf(len(d.Pairs), "pair", "pairs"), report.Thousands(d.Unknown), refined, o.Output, format)
	if tests == nil {
		return nil
	}
	fmt.Fprintf(s.Out, "%s: %s of %s scored (%s not in both models)\n", o.Eval, report.CountOf(len(tests.Tests), "word", "words"),
		report.Thousands(tests.Words), report.Thousands(tests.Unknown))
	t := report.Table{Right: []bool{false, false, true, true, true}}
	t.Add("stage", "retrieval", "p@1", "p@5", "p@10")
	pct := func(x float64) string { return fmt.Sprintf("%.2f", 100*x) }
	for _, e := range r.Scores {
		t.Add(e.Stage, "NN", pct(e.NN.At1), pct(e.NN.At5), pct(e.NN.At10))
		t.Add("", "CSLS", pct(e.CSLS.At1), pct(e.CSLS.At5), pct(e.CSLS.At10))
	}
	return t.Write(s.Out, "")
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

// Drift maps model a onto model b as Align does (without Refine or Eval)
// and lists the top words whose vectors moved most: a table on s.Out and a
// summary on s.Err, or a DriftReport with JSON. With a dictionary, the
// words compared are still those the models share among o.Restrict.
func Drift(s Streams, o AlignOptions, a, b string, top int) error {
	al, d, release, err := alignedModels(s, o, a, b)
	if err != nil {
		return err
	}
	defer release()
	pairs := d.Pairs
	if o.Dict != "" { // compare the shared words, whatever the fit used
		if pairs, err = al.Identical(o.Restrict); err != nil {
			return err
		}
	}
	moves := al.Drift(pairs)
	moves = moves[:min(top, len(moves))]
	if o.JSON {
		return json.NewEncoder(s.Out).Encode(DriftReport{a, b, len(pairs), moves})
	}
	fmt.Fprintf(s.Err, "drift: %s compared after mapping %s onto %s\n", report.CountOf(len(pairs), "shared word", "shared words"), a, b)
	t := report.Table{Right: []bool{true, false, true}}
	t.Add("rank", "word", "distance")
	for i, m := range moves {
		t.Add(fmt.Sprint(i+1), m.Word, fmt.Sprintf("%.4f", m.Distance))
	}
	return t.Write(s.Out, "")
}
