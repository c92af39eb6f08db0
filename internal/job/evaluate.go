package job

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/search"
)

// QuestionsOptions say how Questions scores an analogy test set.
type QuestionsOptions struct {
	Model         string // the vector file
	Questions     string // the test set, in questions-words.txt's format
	Restrict      int    // the vocabulary: the first Restrict words (0: all)
	CaseSensitive bool
	Method        search.Method
	JSON          bool
}

// Questions scores the analogy test set o.Questions on the model o.Model
// and writes the report to s.Out, as analogy --questions does.
func Questions(ctx context.Context, s Streams, o QuestionsOptions) error {
	var secs []evaluate.Section
	// The test set first: a bad file should fail before a big model loads.
	err := readTestSet(o.Questions, "questions", func(r io.Reader) (err error) {
		secs, err = evaluate.ReadQuestions(r, o.Questions)
		return err
	})
	if err != nil {
		return err
	}
	v, err := query.LoadModel(s.Err, o.Model)
	if err != nil {
		return err
	}
	defer v.Close()
	start := time.Now()
	rep, err := evaluate.Analogies(ctx, v, secs, evaluate.AnalogyOptions{
		Restrict: o.Restrict, CaseSensitive: o.CaseSensitive, Method: o.Method, OOV: query.OOV(v),
	})
	if err != nil {
		return err
	}
	sc := report.Scoring{Words: v.Len(), Restrict: o.Restrict, CaseSensitive: o.CaseSensitive, Subwords: v.Subwords() != nil}
	return report.WriteQuestions(s.Out, o.Questions, o.Method.String(), sc, rep, time.Since(start), o.JSON)
}

// PairsOptions say how Pairs scores word-similarity test sets.
type PairsOptions struct {
	Model         string   // the vector file
	Pairs         []string // the test sets, "word1 word2 score" a line
	Restrict      int      // the vocabulary: the first Restrict words (0: all)
	CaseSensitive bool
	JSON          bool
}

// Pairs scores each word-similarity test set of o.Pairs on the model
// o.Model and writes the report to s.Out, as similarity --pairs does.
func Pairs(s Streams, o PairsOptions) error {
	sets := make([][]evaluate.Pair, len(o.Pairs))
	// The test sets first: a bad file should fail before a big model loads.
	for i, path := range o.Pairs {
		err := readTestSet(path, "pairs", func(r io.Reader) (err error) {
			sets[i], err = evaluate.ReadPairs(r, path)
			return err
		})
		if err != nil {
			return err
		}
	}
	v, err := query.LoadModel(s.Err, o.Model)
	if err != nil {
		return err
	}
	defer v.Close()
	var res []report.PairSet
	oov := query.OOV(v) // fastText models score pairs with unseen words too, as fastText does
	for i, pairs := range sets {
		rep, err := evaluate.Pairs(v, pairs, evaluate.PairsOptions{Restrict: o.Restrict, CaseSensitive: o.CaseSensitive, OOV: oov})
		if err != nil {
			return fmt.Errorf("%s: %w", o.Pairs[i], err)
		}
		set := report.PairSet{File: o.Pairs[i], Spearman: rep.Spearman, Pearson: rep.Pearson, Answered: rep.Found, Total: rep.Pairs}
		if oov != nil {
			set.InVocab = &rep.InVocab
		}
		res = append(res, set)
	}
	sc := report.Scoring{Words: v.Len(), Restrict: o.Restrict, CaseSensitive: o.CaseSensitive, Subwords: oov != nil}
	return report.WritePairSets(s.Out, sc, res, o.JSON)
}

// readTestSet opens the test-set file path and hands it to read; kind
// names the file in the error when it does not exist.
func readTestSet(path, kind string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s file %s does not exist", kind, path)
		}
		return err
	}
	defer f.Close()
	return read(f)
}
