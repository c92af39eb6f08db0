package vocab

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func count(words ...string) *Counter {
	c := NewCounter(0)
	for _, w := range words {
		c.Add([]byte(w))
	}
	return c
}

func TestBuildSortsAndFilters(t *testing.T) {
	c := count(strings.Fields("b a c a b a d d e e e")...)
	tests := []struct {
		minCount int64
		max      int
		want     string
	}{
		{1, 0, "a:3 e:3 b:2 d:2 c:1"},
		{2, 0, "a:3 e:3 b:2 d:2"},
		{3, 0, "a:3 e:3"},
		{1, 3, "a:3 e:3 b:2"},
		{4, 0, ""},
	}
	for _, tt := range tests {
		v := c.Build(tt.minCount, tt.max)
		var parts []string
		for i, w := range v.Words() {
			parts = append(parts, fmt.Sprintf("%s:%d", w, v.Count(int32(i))))
			if v.ID([]byte(w)) != int32(i) {
				t.Errorf("ID(%q) = %d, want %d", w, v.ID([]byte(w)), i)
			}
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("Build(%d, %d) = %q, want %q", tt.minCount, tt.max, got, tt.want)
		}
	}
	v := c.Build(2, 0)
	if v.Total() != 10 || v.ID([]byte("c")) != -1 {
		t.Errorf("Total = %d, ID(c) = %d", v.Total(), v.ID([]byte("c")))
	}
}

func TestPruneKeepsFrequentWords(t *testing.T) {
	c := NewCounter(100)
	for i := range 10000 {
		c.Add([]byte("the"))
		c.Add(fmt.Appendf(nil, "rare%d", i))
		if i%2 == 0 {
			c.Add([]byte("of"))
		}
	}
	if c.Distinct() > 100 {
		t.Fatalf("counter holds %d distinct words, limit 100", c.Distinct())
	}
	if c.Pruned() == 0 {
		t.Fatal("nothing was pruned")
	}
	v := c.Build(5, 0)
	if v.Len() != 2 || v.Word(0) != "the" || v.Word(1) != "of" {
		t.Fatalf("vocab = %v", v.Words())
	}
	// Frequent words are never pruned, so their counts stay exact.
	if v.Count(0) != 10000 || v.Count(1) != 5000 {
		t.Fatalf("counts = %v", v.Counts())
	}
	if c.Tokens() != 25000 {
		t.Fatalf("Tokens = %d", c.Tokens())
	}
}

func TestMerge(t *testing.T) {
	a := count("x", "y", "x")
	a.Merge(count("y", "z"))
	v := a.Build(1, 0)
	if strings.Join(v.Words(), " ") != "x y z" || v.Count(1) != 2 || a.Tokens() != 5 {
		t.Fatalf("merged: %v %v tokens %d", v.Words(), v.Counts(), a.Tokens())
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	v := count(strings.Fields("naïve x y x z z z")...).Build(1, 0)
	var buf bytes.Buffer
	if err := v.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "z 3\nx 2\nnaïve 1\ny 1\n" {
		t.Fatalf("written %q", buf.String())
	}
	r, err := Read(&buf, "v.txt", 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(r.Words(), " ") != "z x" || r.Total() != 5 {
		t.Fatalf("read back %v total %d", r.Words(), r.Total())
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a 1\nb\n", "v.txt line 2: want \"word count\", got 1 fields"},
		{"a x\n", "v.txt line 1: count \"x\" is not a non-negative integer"},
		{"a -3\n", "v.txt line 1: count \"-3\""},
		{"a 1\na 2\n", "v.txt line 2: word \"a\" listed twice"},
		{"\xff 1\n", "v.txt line 1: word is not valid UTF-8"},
	}
	for _, tt := range tests {
		_, err := Read(strings.NewReader(tt.in), "v.txt", 1, 0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Read(%q) err = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func Example() {
	c := NewCounter(0)
	for w := range strings.FieldsSeq("to be or not to be") {
		c.Add([]byte(w))
	}
	v := c.Build(2, 0)
	fmt.Println(v.Words(), v.ID([]byte("to")), v.ID([]byte("or")))
	// Output: [be to] 1 -1
}
