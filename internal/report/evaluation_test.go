package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/w2vtool/w2v/internal/evaluate"
)

func TestScoring(t *testing.T) {
	for _, tc := range []struct {
		s    Scoring
		want string
	}{
		{Scoring{Words: 1}, "all 1 word, ignoring case"},
		{Scoring{Words: 20000, Restrict: 30000}, "all 20,000 words, ignoring case"},
		{Scoring{Words: 20000, Restrict: 5000, CaseSensitive: true}, "the 5,000 most frequent of 20,000 words, case-sensitive"},
	} {
		if got := tc.s.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestWriteQuestionsAndPairSets(t *testing.T) {
	rep := &evaluate.AnalogyReport{
		Sections: []evaluate.Score{{Name: "family", Correct: 1, Answered: 2, Total: 4}},
		Total:    evaluate.Score{Name: "total", Correct: 1, Answered: 2, Total: 4},
	}
	var table, js bytes.Buffer
	sc := Scoring{Words: 10}
	if err := WriteQuestions(&table, "q.txt", "3CosAdd", sc, rep, time.Second, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"q.txt: 3CosAdd, all 10 words, ignoring case", "family", "50.00%", "answered 2 of 4 questions (50.00%)"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if err := WriteQuestions(&js, "q.txt", "3CosAdd", sc, rep, time.Second, true); err != nil {
		t.Fatal(err)
	}
	var q map[string]any
	if err := json.Unmarshal(js.Bytes(), &q); err != nil || q["coverage"] != 0.5 || q["words"] != 10.0 {
		t.Errorf("questions JSON %s (%v)", js.String(), err)
	}
	js.Reset()
	sets := []PairSet{{File: "/x/ws.txt", Spearman: 0.5, Pearson: 0.25, Answered: 3, Total: 4}}
	if err := WritePairSets(&js, sc, sets, true); err != nil {
		t.Fatal(err)
	}
	var p struct {
		Sets []PairSet `json:"sets"`
	}
	if err := json.Unmarshal(js.Bytes(), &p); err != nil || len(p.Sets) != 1 || p.Sets[0] != sets[0] {
		t.Errorf("pair sets JSON %s (%v)", js.String(), err)
	}
	table.Reset()
	if err := WritePairSets(&table, sc, sets, false); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), "ws.txt") || !strings.Contains(table.String(), "0.5000") {
		t.Errorf("pair sets table:\n%s", table.String())
	}
}
