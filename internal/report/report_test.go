package report

import (
	"strings"
	"testing"
)

// TestTableWidth: columns line up on a terminal, where CJK characters and
// emoji take two columns and combining marks none.
func TestTableWidth(t *testing.T) {
	tb := Table{Right: []bool{false, true}}
	tb.Add("東京", "1")
	tb.Add("cafe\u0301", "22")
	tb.Add("🐈", "333")
	tb.Add("paris", "4")
	var b strings.Builder
	if err := tb.Write(&b, ""); err != nil {
		t.Fatal(err)
	}
	want := "東京     1\ncafe\u0301    22\n🐈     333\nparis    4\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestTableIndentAndTrailingSpace(t *testing.T) {
	tb := Table{}
	tb.Add("a", "bb")
	tb.Add("ccc", "")
	var b strings.Builder
	if err := tb.Write(&b, "  "); err != nil {
		t.Fatal(err)
	}
	if want := "  a    bb\n  ccc\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

func TestThousands(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0"},
		{999, "999"},
		{1000, "1,000"},
		{71290, "71,290"},
		{1234567, "1,234,567"},
		{-1234, "-1,234"},
		{-123456, "-123,456"},
	}
	for _, tt := range tests {
		if got := Thousands(tt.n); got != tt.want {
			t.Errorf("Thousands(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := Thousands(12345); got != "12,345" {
		t.Errorf("Thousands(int 12345) = %q", got)
	}
}

func TestCountOfAndPercent(t *testing.T) {
	tests := []struct{ got, want string }{
		{CountOf(1, "word", "words"), "1 word"},
		{CountOf(0, "word", "words"), "0 words"},
		{CountOf(4500, "question", "questions"), "4,500 questions"},
		{Percent(1, 3), "33.33%"},
		{Percent(0, 0), "-"},
		{Percent(5, 5), "100.00%"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
