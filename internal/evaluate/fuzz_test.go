package evaluate

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"unicode"
)

func FuzzReadQuestions(f *testing.F) {
	f.Add([]byte(": capital-common-countries\nAthens Greece Baghdad Iraq\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		secs, err := ReadQuestions(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		n := 0
		for _, s := range secs {
			if s.Name == "" || strings.TrimSpace(s.Name) != s.Name {
				t.Fatalf("section name %q", s.Name)
			}
			for _, q := range s.Questions {
				for _, w := range []string{q.A, q.B, q.C, q.D} {
					if w == "" || strings.IndexFunc(w, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
						t.Fatalf("line %d: word %q", q.Line, w)
					}
				}
				n++
			}
		}
		if n == 0 {
			t.Fatal("no questions but no error")
		}
	})
}

func FuzzReadPairs(f *testing.F) {
	f.Add([]byte("love\tsex\t6.77\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pairs, err := ReadPairs(bytes.NewReader(data), "fuzz")
		if err != nil {
			return
		}
		if len(pairs) == 0 {
			t.Fatal("no pairs but no error")
		}
		for _, p := range pairs {
			if p.A == "" || p.B == "" || math.IsNaN(p.Score) || math.IsInf(p.Score, 0) {
				t.Fatalf("line %d: %+v", p.Line, p)
			}
		}
		if len(pairs) >= 2 {
			x := make([]float64, len(pairs))
			for i, p := range pairs {
				x[i] = p.Score
			}
			if r := Spearman(x, x); !math.IsNaN(r) && math.Abs(r-1) > 1e-9 {
				t.Fatalf("Spearman of scores with themselves = %v", r)
			}
		}
	})
}
