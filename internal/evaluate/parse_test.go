package evaluate

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestReadQuestions(t *testing.T) {
	in := ": capital-common-countries\r\nAthens Greece Baghdad Iraq\r\n\n: family\nboy girl brother sister"
	secs, err := ReadQuestions(strings.NewReader(in), "q.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Section{
		{"capital-common-countries", []Question{{"Athens", "Greece", "Baghdad", "Iraq", 2}}},
		{"family", []Question{{"boy", "girl", "brother", "sister", 5}}},
	}
	if !reflect.DeepEqual(secs, want) {
		t.Fatalf("got %+v\nwant %+v", secs, want)
	}
}

func TestReadQuestionsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{": s\na b c\n", `q.txt:2: 3 words; want 4, "a b c d" for a:b :: c:d`},
		{": s\na b c d e\n", "q.txt:2: 5 words; want 4"},
		{"a b c d\n", `q.txt:1: question before the first ": section" line`},
		{":\na b c d\n", `q.txt:1: section line ":" has no name`},
		{": s\na b \xff d\n", "q.txt:2: invalid UTF-8"},
		{": s\na b\x00 c d\n", "q.txt:2: control character U+0000; is this a text file?"},
		{": s\n" + strings.Repeat("x", 70000) + "\n", "q.txt:2: line longer than 65536 bytes"},
		{": s\n\n", "q.txt: no questions"},
		{"", "q.txt: no questions"},
	} {
		_, err := ReadQuestions(strings.NewReader(tc.in), "q.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadQuestions(%.30q): error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestReadPairs(t *testing.T) {
	// WS-353's tabs and CRLF, spaces, a comment, no final newline.
	in := "# w1 w2 score\r\nlove\tsex\t6.77\r\ntiger  cat 7.35\n\nJerusalem\tIsrael\t8.46"
	pairs, err := ReadPairs(strings.NewReader(in), "p.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{{"love", "sex", 6.77, 2}, {"tiger", "cat", 7.35, 3}, {"Jerusalem", "Israel", 8.46, 5}}
	if !reflect.DeepEqual(pairs, want) {
		t.Fatalf("got %+v\nwant %+v", pairs, want)
	}
}

func TestReadPairsErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a b\n", `p.txt:1: want "word1 word2 score", got 2 fields`},
		{"a\tb\t1\t2\n", "p.txt:1: want \"word1 word2 score\", got 4 fields"},
		{"a\t\t1\n", "p.txt:1: want \"word1 word2 score\", got 3 fields"},
		{"x y 1\na b high\n", `p.txt:2: score "high" is not a finite number`},
		{"a b NaN\n", `p.txt:1: score "NaN" is not a finite number`},
		{"a b 1e999\n", `p.txt:1: score "1e999" is not a finite number`},
		{"a \xc3 1\n", "p.txt:1: invalid UTF-8"},
		{"a\x1bb c 1\n", "p.txt:1: control character U+001B"},
		{"# only a comment\n", "p.txt: no word pairs"},
	} {
		_, err := ReadPairs(strings.NewReader(tc.in), "p.txt")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadPairs(%q): error %v, want %q", tc.in, err, tc.want)
		}
	}
}

func TestSpearman(t *testing.T) {
	for _, tc := range []struct {
		x, y []float64
		want float64 // from scipy.stats.spearmanr
	}{
		{[]float64{1, 2, 2, 3, 5, 5, 5}, []float64{1, 3, 2, 4, 0.5, 7, 7}, 0.43427157442838255},
		{[]float64{10, 20, 30}, []float64{3, 2, 1}, -1},
	} {
		if got := Spearman(tc.x, tc.y); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("Spearman(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestRanksAverageTies(t *testing.T) {
	got := ranks([]float64{5, 1, 5, 3, 5})
	want := []float64{4, 1, 4, 2, 4}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ranks = %v, want %v", got, want)
	}
}
