package phrases

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/w2vtool/w2v/internal/corpus"
)

// handCorpus has 33 words on 14 lines:
//
//	new york     ×4   new 4, york 4, "new york" 4
//	ice cream    ×3   ice 3, cream 3, "ice cream" 3
//	big apple    ×2   big 2, apple 2, "big apple" 2
//	the dog ran  ×5   the 5, dog 5, ran 5, "the dog" 5, "dog ran" 5
//
// The lines are interleaved so that no pair crosses from one to the next
// (none would be counted anyway: pairs end at line breaks).
var handCorpus = strings.Repeat("new york\nthe dog ran\nice cream\nbig apple\n", 2) +
	"new york\nthe dog ran\nice cream\nnew york\nthe dog ran\nthe dog ran\n"

// phrase runs both passes over the texts, one shard per text.
func phrase(t *testing.T, minCount int64, threshold float64, texts ...string) (string, Stats, *Model) {
	t.Helper()
	ins := inputs(t, texts...)
	shards, err := corpus.Split(ins, len(texts))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Count(context.Background(), shards, CountOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model(minCount, threshold)
	var out bytes.Buffer
	st, err := m.Apply(context.Background(), &out, ins, ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), st, m
}

func TestScoresHandCorpus(t *testing.T) {
	// score = (count(a b) − minCount) / (count(a) · count(b)) · 33.
	// With minCount 3:
	//	new york   (4−3)·33/(4·4) = 33/16 = 2.0625
	//	the dog    (5−3)·33/(5·5) = 66/25 = 2.64, and dog ran the same
	//	ice cream  (3−3)·33/9 = 0: a pair seen only minCount times never joins
	//	big apple  not scored: big and apple occur 2 < 3 times
	_, _, m := phrase(t, 3, 1e-9, handCorpus)
	var got []string
	for _, p := range m.Phrases() {
		got = append(got, fmt.Sprintf("%s %s %d %g", p.A, p.B, p.Count, p.Score))
	}
	want := []string{"dog ran 5 2.64", "the dog 5 2.64", "new york 4 2.0625"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("phrases = %q, want %q", got, want)
	}
	if s := Score(4, 4, 4, 33, 3); s != 2.0625 {
		t.Errorf("Score(new york) = %v", s)
	}
}

func TestJoinHandCorpus(t *testing.T) {
	// The output's distinct lines, in order of first appearance.
	tests := []struct {
		minCount  int64
		threshold float64
		want      string
	}{
		// "the dog" joins and uses up dog, so "dog ran", scoring the same,
		// does not.
		{3, 2, "new_york|the_dog ran|ice cream|big apple"},
		// A score equal to the threshold is not above it.
		{3, 2.0625, "new york|the_dog ran|ice cream|big apple"},
		{3, 2.63, "new york|the_dog ran|ice cream|big apple"},
		{3, 2.64, "new york|the dog ran|ice cream|big apple"},
		// With minCount 1, big apple scores (2−1)·33/(2·2) = 8.25 and the
		// others less: new york 3·33/16 = 6.1875, ice cream 2·33/9 = 7.33,
		// the dog 4·33/25 = 5.28.
		{1, 8, "new york|the dog ran|ice cream|big_apple"},
		{1, 8.25, "new york|the dog ran|ice cream|big apple"},
		{1, 7, "new york|the dog ran|ice_cream|big_apple"},
		// With minCount 4: new york scores (4−4)·… = 0; ice cream is seen 3
		// times, fewer than 4; the dog scores (5−4)·33/25 = 1.32.
		{4, 1, "new york|the_dog ran|ice cream|big apple"},
		{4, 1e-9, "new york|the_dog ran|ice cream|big apple"},
		// With minCount 6 no pair is seen often enough.
		{6, 1e-9, "new york|the dog ran|ice cream|big apple"},
	}
	for _, tt := range tests {
		out, _, _ := phrase(t, tt.minCount, tt.threshold, handCorpus)
		var lines []string
		seen := map[string]bool{}
		for l := range strings.SplitSeq(strings.TrimSuffix(out, "\n"), "\n") {
			if !seen[l] {
				seen[l] = true
				lines = append(lines, l)
			}
		}
		if got := strings.Join(lines, "|"); got != tt.want {
			t.Errorf("minCount %d, threshold %g: got %q, want %q", tt.minCount, tt.threshold, got, tt.want)
		}
		if strings.Count(out, "\n") != 14 {
			t.Errorf("minCount %d, threshold %g: %d lines out, want 14", tt.minCount, tt.threshold, strings.Count(out, "\n"))
		}
	}
}

// modelOf returns a model joining the given "a b" pairs.
func modelOf(pairs ...string) *Model {
	m := &Model{ids: map[string]uint32{}, pairs: map[uint64]int32{}}
	for i, p := range pairs {
		a, b, _ := strings.Cut(p, " ")
		m.phrases = append(m.phrases, Phrase{A: a, B: b})
		m.pairs[uint64(m.intern(a))<<32|uint64(m.intern(b))] = int32(i)
	}
	return m
}

func TestApply(t *testing.T) {
	tests := []struct {
		name  string
		pairs []string
		in    []string
		want  string
	}{
		{"join", []string{"a b"}, []string{"x a b y"}, "x a_b y"},
		{"a joined pair uses up both words", []string{"a b", "b c"}, []string{"a b c"}, "a_b c"},
		{"left to right", []string{"a b", "b c"}, []string{"x b c a b"}, "x b_c a_b"},
		{"alternating", []string{"a b", "b a"}, []string{"a b a b a"}, "a_b a_b a"},
		{"order matters", []string{"a b"}, []string{"b a"}, "b a"},
		{"not across a line break", []string{"a b"}, []string{"a\nb a b\n"}, "a\nb a_b\n"},
		{"blank lines kept", []string{"a b"}, []string{"\n\na b\n\n\nb\n\n"}, "\n\na_b\n\n\nb\n\n"},
		{"no final newline added", []string{"a b"}, []string{"a b"}, "a_b"},
		{"whitespace becomes one space", []string{"a b"}, []string{"  x\t\ty \v a  b \r\n"}, "x y a_b\n"},
		{"only whitespace", nil, []string{" \t \n \n"}, "\n\n"},
		{"empty", nil, []string{""}, ""},
		{"inputs end their lines", []string{"a b"}, []string{"x a", "b y"}, "x a\nb y"},
		{"input ending its line", []string{"a b"}, []string{"x a\n", "b y\n"}, "x a\nb y\n"},
		{"empty input between", []string{"a b"}, []string{"x a", "", "b y"}, "x a\nb y"},
		{"empty last input", []string{"a b"}, []string{"a b", ""}, "a_b"},
		{"blank lines after unended input", nil, []string{"a", "\n\nb"}, "a\n\n\nb"},
		{"newlines only after unended input", nil, []string{"a", "\n"}, "a\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			m := modelOf(tt.pairs...)
			if _, err := m.Apply(context.Background(), &out, inputs(t, tt.in...), ApplyOptions{}); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got %q, want %q", out.String(), tt.want)
			}
		})
	}
}

func TestApplyStats(t *testing.T) {
	var out bytes.Buffer
	m := modelOf("a b", "c d", "e f")
	st, err := m.Apply(context.Background(), &out, inputs(t, "a b c d a b x\n"), ApplyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Stats{WordsIn: 7, WordsOut: 4, Joined: 3, Distinct: 2}); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}

func TestTwoPassesMakeLongerPhrases(t *testing.T) {
	// 10 lines "new york times" and 100 lines of words seen once: 330 words.
	// Pass 1, minCount 5: new york and york times both score
	// (10−5)·330/(10·10) = 16.5 > 10; new york, met first, is joined.
	// Pass 2 has 320 words and new_york times scores (10−5)·320/100 = 16.
	var b strings.Builder
	for i := range 110 {
		if i%11 == 0 {
			b.WriteString("new york times\n")
		} else {
			fmt.Fprintf(&b, "filler%d word%d other%d\n", i, i, i)
		}
	}
	pass1, st1, _ := phrase(t, 5, 10, b.String())
	if !strings.HasPrefix(pass1, "new_york times\n") || st1.Joined != 10 || st1.Distinct != 1 {
		t.Fatalf("pass 1: %+v\n%.60q", st1, pass1)
	}
	pass2, st2, _ := phrase(t, 5, 10, pass1)
	if !strings.HasPrefix(pass2, "new_york_times\nfiller1 word1 other1\n") || st2.Joined != 10 {
		t.Fatalf("pass 2: %+v\n%.60q", st2, pass2)
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	text := strings.Repeat("a b c d\n", 100000)
	shards, _ := corpus.Split(inputs(t, text), 2)
	if _, err := Count(ctx, shards, CountOptions{}); err != context.Canceled {
		t.Errorf("Count: err %v", err)
	}
	var out bytes.Buffer
	if _, err := modelOf().Apply(ctx, &out, inputs(t, text), ApplyOptions{}); err != context.Canceled {
		t.Errorf("Apply: err %v", err)
	}
}
