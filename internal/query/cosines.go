package query

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/w2vtool/w2v/internal/report"
)

// CosinePair is one pair of words and their cosine similarity in JSON
// output, or why it has none.
type CosinePair struct {
	A      string   `json:"word1"`
	B      string   `json:"word2"`
	Cosine *float32 `json:"cosine,omitempty"`
	// FromSubwords lists the words outside the vocabulary given the vector of their n-grams.
	FromSubwords []string `json:"from_subwords,omitempty"`
	Error        string   `json:"error,omitempty"`
}

// Cosines prints to out the cosine similarity of each pair of words, taken
// two at a time, or with no words the pairs on the lines of in, as the
// similarity command does: a table, or with jsonLines a CosinePair a line.
// Unseen words get their subword vectors when the model has n-grams, so
// the Model's Lexicon is set up for that. Pairs that cannot be scored are
// reported on errw (in the JSON itself with jsonLines) and make the error
// a FailedError.
func (m *Model) Cosines(in io.Reader, out, errw io.Writer, words []string, jsonLines bool) error {
	m.Lex.UseSubwords(nil)
	failed, total := 0, 0
	answer := func(pairs [][]string) error {
		results, labels := m.cosines(pairs)
		bw := bufio.NewWriter(out)
		enc := json.NewEncoder(bw)
		t := report.Table{Right: []bool{false, false, true}}
		for i, r := range results {
			total++
			if r.Error != "" {
				failed++
			}
			switch {
			case jsonLines:
				enc.Encode(r)
			case r.Error != "":
				t.Add(r.A, r.B, "-")
			default:
				t.Add(labels[i][0], labels[i][1], fmt.Sprintf("%.4f", *r.Cosine))
			}
		}
		t.Write(bw, "")
		if err := bw.Flush(); err != nil {
			return err
		}
		if !jsonLines {
			// After the table, whose columns are aligned over the whole batch.
			for _, r := range results {
				if r.Error != "" {
					fmt.Fprintf(errw, "w2v: %s\n", r.Error)
				}
			}
		}
		return nil
	}
	var pairs [][]string
	for i := 0; i+1 < len(words); i += 2 {
		pairs = append(pairs, words[i:i+2])
	}
	return AnswerAll(in, errw, pairs, "Enter two words (Ctrl-D to quit).", answer, func() (int, int) { return failed, total })
}

// cosines scores a batch of pairs: each one's result, and for those
// answered the words as a table shows them (marking subword vectors).
func (m *Model) cosines(pairs [][]string) ([]CosinePair, [][]string) {
	results := make([]CosinePair, len(pairs))
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
	return results, labels
}
