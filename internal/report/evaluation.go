package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/w2vtool/w2v/internal/evaluate"
)

// Scoring says what a test set was scored against: the header of every
// evaluation report.
type Scoring struct {
	Words         int  // words in the model
	Restrict      int  // answers came from this many most frequent words; 0 or ≥ Words for all
	CaseSensitive bool // words were matched with their case
	// Subwords says that words outside the vocabulary were given the
	// vectors of their character n-grams, as fastText's evaluation does.
	Subwords bool
}

// String describes the vocabulary and the matching, e.g. "all 1,000 words,
// ignoring case".
func (s Scoring) String() string {
	vocab := "all " + CountOf(s.Words, "word", "words")
	if s.Restrict > 0 && s.Restrict < s.Words {
		vocab = fmt.Sprintf("the %s most frequent of %s", Thousands(s.Restrict), CountOf(s.Words, "word", "words"))
	}
	match := ", ignoring case"
	if s.CaseSensitive {
		match = ", case-sensitive"
	}
	if s.Subwords {
		match += ", unseen words from subwords"
	}
	return vocab + match
}

// WriteQuestions writes the report of an analogy test set (file, scored
// by method) as a table of sections, or as one JSON object.
func WriteQuestions(w io.Writer, file, method string, s Scoring, rep *evaluate.AnalogyReport, elapsed time.Duration, asJSON bool) error {
	if asJSON {
		return writeQuestionsJSON(w, file, method, s, rep, elapsed)
	}
	out := bufio.NewWriter(w)
	fmt.Fprintf(out, "%s: %s, %s\n\n", file, method, s)
	t := Table{Right: []bool{false, true, true, true, true}}
	t.Add("section", "accuracy", "correct", "answered", "questions")
	row := func(sc evaluate.Score) {
		t.Add(sc.Name, Percent(sc.Correct, sc.Answered), Thousands(sc.Correct), Thousands(sc.Answered), Thousands(sc.Total))
	}
	for _, sc := range rep.Sections {
		row(sc)
	}
	t.Add("", "", "", "", "")
	for _, sc := range []evaluate.Score{rep.Semantic, rep.Syntactic} {
		if sc.Total > 0 {
			row(sc)
		}
	}
	row(rep.Total)
	t.Write(out, "")
	if s.Subwords {
		fmt.Fprintf(out, "\nanswered %s of %s (%s), %s (%s) without subword vectors; the others have an answer outside the vocabulary or a word without n-grams; %s\n",
			Thousands(rep.Total.Answered), CountOf(rep.Total.Total, "question", "questions"), Percent(rep.Total.Answered, rep.Total.Total),
			Thousands(rep.InVocabulary), Percent(rep.InVocabulary, rep.Total.Total), elapsed.Round(time.Millisecond))
		return out.Flush()
	}
	fmt.Fprintf(out, "\nanswered %s of %s (%s); the others have a word outside the vocabulary; %s\n",
		Thousands(rep.Total.Answered), CountOf(rep.Total.Total, "question", "questions"), Percent(rep.Total.Answered, rep.Total.Total),
		elapsed.Round(time.Millisecond))
	return out.Flush()
}

// jsonScore is a section's score with its accuracy, in JSON reports.
type jsonScore struct {
	evaluate.Score
	Accuracy float64 `json:"accuracy"`
}

func withAccuracy(sc evaluate.Score) jsonScore { return jsonScore{sc, sc.Accuracy()} }

func writeQuestionsJSON(w io.Writer, file, method string, s Scoring, rep *evaluate.AnalogyReport, elapsed time.Duration) error {
	res := struct {
		Questions     string      `json:"questions"`
		Method        string      `json:"method"`
		Restrict      int         `json:"restrict"`
		Words         int         `json:"words"`
		CaseSensitive bool        `json:"case_sensitive"`
		Sections      []jsonScore `json:"sections"`
		Semantic      jsonScore   `json:"semantic"`
		Syntactic     jsonScore   `json:"syntactic"`
		Total         jsonScore   `json:"total"`
		Coverage      float64     `json:"coverage"`
		// With subword vectors: the coverage without them.
		Subwords        bool     `json:"subwords,omitempty"`
		CoverageInVocab *float64 `json:"coverage_in_vocabulary,omitempty"`
		Seconds         float64  `json:"seconds"`
	}{
		Questions: file, Method: method, Restrict: s.Restrict, Words: s.Words,
		CaseSensitive: s.CaseSensitive,
		Semantic:      withAccuracy(rep.Semantic), Syntactic: withAccuracy(rep.Syntactic), Total: withAccuracy(rep.Total),
		Coverage: float64(rep.Total.Answered) / float64(rep.Total.Total),
		Seconds:  elapsed.Seconds(),
	}
	if s.Subwords {
		c := float64(rep.InVocabulary) / float64(rep.Total.Total)
		res.Subwords, res.CoverageInVocab = true, &c
	}
	for _, sc := range rep.Sections {
		res.Sections = append(res.Sections, withAccuracy(sc))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// PairSet is one word-pair test set's result: Answered of its Total pairs
// had both words in the vocabulary.
type PairSet struct {
	File     string  `json:"file"`
	Spearman float64 `json:"spearman"`
	Pearson  float64 `json:"pearson"`
	Answered int     `json:"answered"`
	Total    int     `json:"total"`
	// InVocab counts the pairs with both words in the vocabulary, when
	// unseen words got subword vectors (Scoring.Subwords).
	InVocab *int `json:"in_vocabulary,omitempty"`
}

// WritePairSets writes the report of word-pair test sets as a table, or as
// one JSON object whose fields are named as WriteQuestions names them.
func WritePairSets(w io.Writer, s Scoring, sets []PairSet, asJSON bool) error {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Restrict      int       `json:"restrict"`
			Words         int       `json:"words"`
			CaseSensitive bool      `json:"case_sensitive"`
			Subwords      bool      `json:"subwords,omitempty"`
			Sets          []PairSet `json:"sets"`
		}{s.Restrict, s.Words, s.CaseSensitive, s.Subwords, sets})
	}
	out := bufio.NewWriter(w)
	fmt.Fprintf(out, "%s\n\n", s)
	t := Table{Right: []bool{false, true, true, true, true, true}}
	if s.Subwords {
		t.Add("pairs file", "spearman", "pearson", "answered", "in vocabulary", "pairs")
	} else {
		t.Add("pairs file", "spearman", "pearson", "answered", "pairs")
	}
	for _, r := range sets {
		cells := []string{filepath.Base(r.File), fmt.Sprintf("%.4f", r.Spearman), fmt.Sprintf("%.4f", r.Pearson), Thousands(r.Answered)}
		if s.Subwords && r.InVocab != nil {
			cells = append(cells, Thousands(*r.InVocab))
		}
		t.Add(append(cells, Thousands(r.Total))...)
	}
	t.Write(out, "")
	return out.Flush()
}
