package phrases

import (
	"cmp"
	"slices"
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
		m.pairs[pairKey(m.intern(p.A), m.intern(p.B))] = int32(i)
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

// pairKey packs the model ids of a pair into a map key.
func pairKey(a, b uint32) uint64 { return uint64(a)<<32 | uint64(b) }
