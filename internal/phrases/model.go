package phrases

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"sync/atomic"

	"github.com/w2vtool/w2v/internal/corpus"
)

// Score returns word2phrase's score of a pair seen pab times whose words are
// seen pa and pb times in a corpus of total words:
//
//	(pab − minCount) / (pa · pb) · total
//
// Subtracting minCount discounts pairs seen only a few times, whose ratio is
// mostly chance. Scores are computed in float64 with one rounding, so a pair
// scoring exactly the threshold is recognized as such (and not joined).
func Score(pab, pa, pb, total, minCount int64) float64 {
	if pa <= 0 || pb <= 0 {
		return 0
	}
	return float64(pab-minCount) * float64(total) / (float64(pa) * float64(pb))
}

// A Phrase is a pair of words that Model joins.
type Phrase struct {
	A, B  string
	Count int64   // times the pair occurs
	Score float64 // its score; see Score
}

// Model is the set of pairs to join. It is small — the pairs scoring above
// the threshold and their words — so the counts can be dropped once it is
// built.
type Model struct {
	ids     map[string]uint32 // words of some phrase → 1-based id
	pairs   map[uint64]int32  // id pair → index in phrases
	phrases []Phrase
}

// Model returns the pairs a b to join: those with count(a), count(b) and
// count(a b) all at least minCount and a score above threshold.
func (c *Counts) Model(minCount int64, threshold float64) *Model {
	t := c.t
	m := &Model{ids: make(map[string]uint32), pairs: make(map[uint64]int32)}
	for _, s := range t.slots {
		if s.a == 0 {
			continue
		}
		a, b := s.a, s.b
		pab, pa, pb := int64(s.n), t.counts[a], t.counts[b]
		if pab < minCount || pa < minCount || pb < minCount {
			continue
		}
		if s := Score(pab, pa, pb, t.tokens, minCount); s > threshold {
			m.phrases = append(m.phrases, Phrase{A: t.words[a], B: t.words[b], Count: pab, Score: s})
		}
	}
	// Best first; the order makes listings and indexes reproducible.
	slices.SortFunc(m.phrases, func(x, y Phrase) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	for i, p := range m.phrases {
		m.pairs[uint64(m.intern(p.A))<<32|uint64(m.intern(p.B))] = int32(i)
	}
	return m
}

func (m *Model) intern(w string) uint32 {
	id, ok := m.ids[w]
	if !ok {
		id = uint32(len(m.ids) + 1)
		m.ids[w] = id
	}
	return id
}

// Len returns the number of pairs the model joins.
func (m *Model) Len() int { return len(m.phrases) }

// Phrases returns the pairs the model joins, highest score first. The caller
// must not modify the slice.
func (m *Model) Phrases() []Phrase { return m.phrases }

// ApplyOptions configure Model.Apply.
type ApplyOptions struct {
	// MaxWordBytes is the longest word kept; use the value given to Count.
	MaxWordBytes int
	// Read, if not nil, has the number of bytes read added to it.
	Read *atomic.Int64
}

// Stats describe what Apply did.
type Stats struct {
	WordsIn, WordsOut int64 // words read and written; a phrase is one word
	Joined            int64 // pairs joined
	Distinct          int   // distinct pairs joined at least once
}

// Apply writes the inputs to w, in order, with the model's pairs joined by
// "_". Within a line, words are separated by single spaces; every newline of
// the input is kept, so output line n is input line n. The inputs are read
// as if each ended its last line: between two inputs a newline is added if
// the first does not end with one.
func (m *Model) Apply(ctx context.Context, w io.Writer, inputs []*corpus.Input, opts ApplyOptions) (Stats, error) {
	var st Stats
	used := make([]bool, len(m.phrases))
	bw := bufio.NewWriterSize(w, 1<<20)
	sc := newScanner(opts.MaxWordBytes)
	open := false // the output's last line has words but no newline yet
	for _, in := range inputs {
		// The newline that ends the previous input's last line, if it did
		// not end it itself; written with the next newlines.
		carry := 0
		if open {
			carry = 1
		}
		var r io.Reader = io.NewSectionReader(in.R, 0, in.Size)
		if opts.Read != nil {
			r = countingReader{r, opts.Read}
		}
		sc.reset(r)
		var prev uint32 // id of the previous word if it may start a phrase
		for sc.scan() {
			word := sc.word
			id := m.ids[string(word)] // no allocation
			switch nl := sc.newlines + carry; {
			case nl > 0:
				writeNewlines(bw, nl)
				carry = 0
			case !open:
				// The first word of the output, or of an input after one
				// that ended its last line.
			case prev != 0 && id != 0 && m.join(prev, id, used, &st):
				bw.WriteByte('_')
				id = 0 // a joined word starts no other phrase
			default:
				bw.WriteByte(' ')
			}
			if _, err := bw.Write(word); err != nil {
				return st, err // errors are sticky in bw: stop at the first
			}
			open = true
			prev = id
			st.WordsIn++
			if st.WordsIn&0xffff == 0 && ctx.Err() != nil {
				return st, ctx.Err()
			}
		}
		if sc.err != nil {
			return st, fmt.Errorf("read %s: %w", in.Name, sc.err)
		}
		if sc.newlines > 0 {
			writeNewlines(bw, sc.newlines+carry)
			open = false
		}
	}
	for _, u := range used {
		if u {
			st.Distinct++
		}
	}
	st.WordsOut = st.WordsIn - st.Joined
	return st, bw.Flush()
}

// join reports whether the pair of model ids a, b is a phrase, noting its use.
func (m *Model) join(a, b uint32, used []bool, st *Stats) bool {
	i, ok := m.pairs[uint64(a)<<32|uint64(b)]
	if ok {
		used[i] = true
		st.Joined++
	}
	return ok
}

func writeNewlines(w *bufio.Writer, n int) {
	for range n {
		w.WriteByte('\n')
	}
}
