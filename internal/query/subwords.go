package query

import (
	"math"

	"github.com/w2vtool/w2v/internal/evaluate"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/simd"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// FromSubwords marks a word whose vector was built from its character
// n-grams because the vocabulary lacks it, in tables and titles.
const FromSubwords = " (from subwords)"

// UseSubwords makes Lookup give a word outside the vocabulary the vector of
// its character n-grams, as fastText does, when the model has them (a
// fastText .bin, or a native file converted from one); it reports whether
// the model has. Such a word gets a row past the vocabulary's, kept in
// sr.Extra (and its length in sr.Norms when the metric needs lengths), which
// queries can use and searches never return. sr may be nil when the rows
// are only read through Row. Making such rows writes to l and sr, so after
// UseSubwords they serve one goroutine at a time; goroutines that share a
// model each take their own Lexicon from WithSubwords instead.
func (l *Lexicon) UseSubwords(sr *search.Searcher) bool {
	if l.v.Subwords() == nil {
		return false
	}
	l.sr = sr
	l.subRows = make(map[string]int)
	return true
}

// WithSubwords returns a new Lexicon of l's words on which UseSubwords(sr)
// has been called, and true; or, when the model has no n-grams, l itself
// (which then never writes to itself on Lookup) and false. l is left as it
// is, so any number of goroutines (the server's requests) may each take
// one over their own Searcher: the rows an unseen word gets are the
// taker's alone, and only the read-only model and case index are shared.
func (l *Lexicon) WithSubwords(sr *search.Searcher) (*Lexicon, bool) {
	if l.v.Subwords() == nil {
		return l, false
	}
	c := &Lexicon{v: l.v, fold: l.fold}
	c.UseSubwords(sr)
	return c, true
}

// subwordRow returns the row of w's subword vector, making it at the first
// use, and whether w has one.
func (l *Lexicon) subwordRow(w string) (int, bool) {
	if l.subRows == nil {
		return 0, false
	}
	if r, ok := l.subRows[w]; ok {
		return r, true
	}
	dim, n := l.v.Dim(), l.v.Len()
	// Aligned, so that the length's rounding does not depend on where the
	// allocator put vec (see search.QueryVector): a word asked about by two
	// requests, or by the server and the command line, gets the same row.
	vec := search.QueryVector(dim)
	if !l.v.Subwords().Vector(vec, w) {
		return 0, false
	}
	norm := float32(math.Sqrt(float64(simd.Dot(vec, vec))))
	if !(norm > 0) || math.IsInf(float64(norm), 0) {
		return 0, false // no direction to compare: treat as unknown
	}
	simd.Scale(1/norm, vec)
	r := n + len(l.extra)/dim
	l.extra = append(l.extra, vec...)
	l.extraNorms = append(l.extraNorms, norm)
	if l.sr != nil {
		l.sr.Extra = l.extra
		if l.sr.Norms != nil {
			if k := len(l.extraNorms); k > 1 && len(l.sr.Norms) == n+k-1 {
				l.sr.Norms = append(l.sr.Norms, norm) // the copy made below
			} else {
				// The vocabulary's lengths are the Model's, shared by every
				// Searcher: copy them (the capacity cut forces it) rather
				// than append into an array another request may be reading.
				l.sr.Norms = append(l.sr.Norms[:n:n], l.extraNorms...)
			}
		}
	}
	l.subRows[w] = r
	return r, true
}

// Norm returns the length of row r's vector before normalisation: a
// vocabulary row's as the file holds it, or an unseen word's n-gram mean's.
func (l *Lexicon) Norm(r int) float32 {
	if n := l.v.Len(); r >= n {
		return l.extraNorms[r-n]
	}
	return l.v.Norm(r)
}

// Row returns the unit vector of row r: a vocabulary row, or one Lookup
// made from an unseen word's subwords.
func (l *Lexicon) Row(r int) []float32 {
	if n := l.v.Len(); r >= n {
		d := l.v.Dim()
		return l.extra[(r-n)*d : (r-n+1)*d]
	}
	return l.v.Row(r)
}

// IsSubword reports whether row r is an unseen word's subword vector.
func (l *Lexicon) IsSubword(r int) bool { return r >= l.v.Len() }

// Labels returns words as titles show them, those that got subword vectors
// marked so (see FromSubwords); rows are what Lookup returned for them.
func (l *Lexicon) Labels(words []string, rows []int) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w
		if i < len(rows) && l.IsSubword(rows[i]) {
			out[i] += FromSubwords
		}
	}
	return out
}

// SubwordWords returns the words that got subword vectors, for JSON output
// (nil if none).
func (l *Lexicon) SubwordWords(words []string, rows []int) []string {
	var out []string
	for i, w := range words {
		if i < len(rows) && l.IsSubword(rows[i]) {
			out = append(out, w)
		}
	}
	return out
}

// OOV returns, for test-set evaluation, the function that gives a word
// outside v's vocabulary its unit subword vector, or nil if v has no
// n-grams.
func OOV(v *vecfile.Vectors) evaluate.OOV {
	sub := v.Subwords()
	if sub == nil {
		return nil
	}
	return func(dst []float32, w string) bool {
		if !sub.Vector(dst, w) {
			return false
		}
		n := float32(math.Sqrt(float64(simd.Dot(dst, dst))))
		if !(n > 0) || math.IsInf(float64(n), 0) {
			return false
		}
		simd.Scale(1/n, dst)
		return true
	}
}
