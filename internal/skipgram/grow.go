package skipgram

// Continuing training on new text grows a trained model: the vocabulary
// gains the new text's words and is sorted again by the summed counts, so
// every row moves to its word's new id, and new words get fresh rows. A
// subword model's n-gram bucket rows stay as they are.

import (
	"fmt"

	"github.com/w2vtool/w2v/internal/hugepage"
	"github.com/w2vtool/w2v/internal/sampling"
)

// Grow returns a model of len(from) words for cfg whose word id i takes
// m's rows of word from[i], or, where from[i] < 0, starts as NewModel
// starts a word: input uniform in [-1/dim, 1/dim), output zero. The new
// rows' random values come from cfg.Seed and m.Words, so growing is
// reproducible. m is left as it was. from takes each of m's words once:
// growing drops none. words is the grown vocabulary, word i being words[i].
//
// A subword model's bucket rows follow the word rows and are copied
// unchanged: an n-gram's bucket is a hash of the n-gram alone, so the
// vocabulary growing does not move it, and the rows keep what the n-grams
// learnt, as fastText's and gensim's continued training keep them. Only the
// row lists, which name each word's own row and its buckets by row number,
// are built again for words; that is why Grow takes them.
//
// The hierarchical softmax's inner nodes are not words, and the tree built
// on the new counts differs from the old one. Inner nodes are numbered in
// the order the tree merges them, the root last; words added by new text
// are mostly rare and enter at the bottom of the tree, while its top,
// where the frequent words split, changes little. So inner-node rows are
// kept by their distance from the root (the old root's row becomes the new
// root's, and so on down), and the extra nodes at the bottom start at zero
// as all inner nodes do: the rows that most words' paths cross keep what
// they learnt, and a node whose meaning did change is retrained by the new
// text.
func Grow(m *Model, cfg Config, words []string, from []int32) (*Model, error) {
	if err := checkGrow(m, cfg, words, from); err != nil {
		return nil, err
	}
	dim, n := m.Dim, len(from)
	g := &Model{Dim: dim, Words: n, In: hugepage.Floats(inputRows(n, cfg) * dim)}
	copy(g.In[n*dim:], m.In[m.Words*dim:]) // the buckets, if any
	if m.Out != nil {
		g.Out = hugepage.Floats(n * dim)
	}
	rng := newWordRNG(cfg, m.Words)
	scale := 2 / float32(dim)
	for i, old := range from {
		row := g.In[i*dim : (i+1)*dim]
		if old < 0 {
			for k := range row {
				row[k] = (rng.Float32() - 0.5) * scale
			}
			continue
		}
		copy(row, m.In[int(old)*dim:(int(old)+1)*dim])
		if m.Out != nil {
			copy(g.Out[i*dim:(i+1)*dim], m.Out[int(old)*dim:(int(old)+1)*dim])
		}
	}
	if cfg.HS && n > 1 {
		g.OutHS = hugepage.Floats((n - 1) * dim)
		// Both end at the root: align the ends.
		k := min(len(g.OutHS), len(m.OutHS))
		copy(g.OutHS[len(g.OutHS)-k:], m.OutHS[len(m.OutHS)-k:])
	}
	if cfg.Subwords.Enabled() {
		var err error
		if g.Sub, err = NewSubwords(words, cfg.Subwords); err != nil {
			return nil, fmt.Errorf("skipgram: grow: %w", err)
		}
	}
	return g, nil
}

// GrowInPlace returns what Grow returns, value for value, but grows m's
// matrices within their own arrays when their capacities hold the grown
// rows (checkpoint.ReadOptions.GrowTo reads a model so): continuing
// training then holds the grown model and O(words) bookkeeping, not two
// models, for a model with subwords or without. Without the capacity in
// any one matrix (a one-word model has no inner-node array to grow) it is
// Grow, which copies. Either way m must not be used afterwards: its fields
// are cleared so that its old matrices can be freed.
//
// The input matrix's bucket block, if any, moves up first (copy handles
// the overlap), then the word rows of the input and output matrices move
// to their new ids (permuteRows), and only then are new words' rows drawn,
// from Grow's generator and in Grow's word order, so the values are
// Grow's. The inner-node rows move up to stay aligned at the root.
func GrowInPlace(m *Model, cfg Config, words []string, from []int32) (*Model, error) {
	if err := checkGrow(m, cfg, words, from); err != nil {
		return nil, err
	}
	dim, n, old := m.Dim, len(from), m.Words
	inLen, outLen, hsLen := inputRows(n, cfg)*dim, 0, 0
	if m.Out != nil {
		outLen = n * dim
	}
	if cfg.HS && n > 1 {
		hsLen = (n - 1) * dim
	}
	if cap(m.In) < inLen || cap(m.Out) < outLen || cap(m.OutHS) < hsLen {
		g, err := Grow(m, cfg, words, from)
		*m = Model{}
		return g, err
	}
	g := &Model{Dim: dim, Words: n, In: m.In[:inLen]}
	copy(g.In[n*dim:], m.In[old*dim:len(m.In)]) // the buckets, if any: up, as words are only added
	mats := [][]float32{g.In[:n*dim]}
	if outLen > 0 {
		g.Out = m.Out[:outLen]
		mats = append(mats, g.Out)
	}
	permuteRows(mats, dim, old, from)
	rng := newWordRNG(cfg, old)
	scale := 2 / float32(dim)
	for i, o := range from {
		if o >= 0 {
			continue
		}
		row := g.In[i*dim : (i+1)*dim]
		for k := range row {
			row[k] = (rng.Float32() - 0.5) * scale
		}
		if g.Out != nil {
			clear(g.Out[i*dim : (i+1)*dim])
		}
	}
	if hsLen > 0 {
		g.OutHS = m.OutHS[:hsLen]
		k := len(m.OutHS) // n ≥ old words: every old inner node is kept
		copy(g.OutHS[hsLen-k:], g.OutHS[:k])
		clear(g.OutHS[:hsLen-k])
	}
	*m = Model{} // the old row lists can go before the new ones are built
	if cfg.Subwords.Enabled() {
		var err error
		if g.Sub, err = NewSubwords(words, cfg.Subwords); err != nil {
			return nil, fmt.Errorf("skipgram: grow: %w", err)
		}
	}
	return g, nil
}

// permuteRows moves the rows of dim values of each matrix in mats so that
// row i holds what row from[i] held, for every i with from[i] >= 0, using
// one row per matrix of scratch: copying the old rows aside instead would
// hold a second copy of them, for a model without subwords the whole
// model. Rows 0..oldRows-1 hold the old words, each of which from takes
// exactly once; rows from oldRows on hold none. Rows with from[i] < 0 are
// left holding anything.
//
// Each row's content goes to at most one row and each row takes at most
// one, so the moves form disjoint chains and cycles. A chain ends at a row
// past the old words, which held nothing, and is walked backwards from
// there; a cycle is old words trading places, and one of its rows is saved
// to scratch first. The invariant of both walks: dst, the row written
// next, holds nothing still needed, as it held no word (a chain's end), or
// was saved (a cycle's start), or was itself just copied to where it goes.
func permuteRows(mats [][]float32, dim, oldRows int, from []int32) {
	move := func(dst, src int) {
		for _, x := range mats {
			copy(x[dst*dim:(dst+1)*dim], x[src*dim:(src+1)*dim])
		}
	}
	placed := make([]bool, oldRows) // an old row that now holds its new word
	for end := oldRows; end < len(from); end++ {
		for dst := end; from[dst] >= 0; {
			src := int(from[dst])
			move(dst, src)
			if dst < oldRows {
				placed[dst] = true
			}
			dst = src
		}
	}
	// What is left unplaced and taken lies on cycles among the old rows.
	scratch := make([]float32, len(mats)*dim)
	for start := range oldRows {
		if placed[start] || from[start] < 0 || int(from[start]) == start {
			continue
		}
		for k, x := range mats {
			copy(scratch[k*dim:(k+1)*dim], x[start*dim:(start+1)*dim])
		}
		dst := start
		for src := int(from[dst]); src != start; src = int(from[dst]) {
			move(dst, src)
			placed[dst] = true
			dst = src
		}
		for k, x := range mats {
			copy(x[dst*dim:(dst+1)*dim], scratch[k*dim:(k+1)*dim])
		}
		placed[dst] = true
	}
}

// GrowInPlaceBytes is the memory GrowInPlace holds at its peak beyond the
// grown model, when the matrices have room: permuteRows' bookkeeping (a
// flag per old word and a row of scratch per matrix) and the old row lists
// of a subword model, which the collector may not have freed yet when the
// new ones are built.
func GrowInPlaceBytes(oldWords int, cfg Config) int64 {
	return int64(oldWords) + 2*4*int64(cfg.Dim) + SubwordBytes(oldWords, cfg.Subwords)
}

// checkGrow refuses a model that does not fit cfg and a from that does not
// take each of m's words once, before anything is moved.
func checkGrow(m *Model, cfg Config, words []string, from []int32) error {
	if m.Dim != cfg.Dim || (cfg.Negative > 0) != (m.Out != nil) || (cfg.HS && m.Words > 1) != (m.OutHS != nil) {
		return fmt.Errorf("skipgram: model (dim %d, negative sampling %t, hierarchical softmax %t) does not fit the settings (dim %d, negative %d, hs %t)",
			m.Dim, m.Out != nil, m.OutHS != nil, cfg.Dim, cfg.Negative, cfg.HS)
	}
	if (m.Sub != nil) != cfg.Subwords.Enabled() || m.Sub != nil && m.Sub.Config != cfg.Subwords || len(m.In) != inputRows(m.Words, cfg)*m.Dim {
		return fmt.Errorf("skipgram: model (%d input rows for %d words, subwords %t) does not fit the settings (n-grams %+v)",
			len(m.In)/max(m.Dim, 1), m.Words, m.Sub != nil, cfg.Subwords)
	}
	if len(words) != len(from) {
		return fmt.Errorf("skipgram: grow: %d words but %d rows to take", len(words), len(from))
	}
	seen, kept := make([]bool, m.Words), 0
	for i, old := range from {
		if old < 0 {
			continue
		}
		if int(old) >= m.Words || seen[old] {
			return fmt.Errorf("skipgram: grow: word %d takes row %d of a %d-word model, out of range or taken twice", i, old, m.Words)
		}
		seen[old] = true
		kept++
	}
	if kept != m.Words {
		return fmt.Errorf("skipgram: grow: %d of the model's %d words kept; growing keeps every word", kept, m.Words)
	}
	return nil
}

// newWordRNG is the generator of a grown model's new word rows, drawn in
// word order, seeded from cfg.Seed and the old model's size so that
// growing is reproducible and Grow and GrowInPlace draw the same values.
func newWordRNG(cfg Config, oldWords int) sampling.RNG {
	return sampling.NewRNG(cfg.Seed ^ uint64(oldWords)*0x9e3779b97f4a7c15)
}

// SetEpochWords plans the run for n words an epoch instead of the sum of
// the counts NewTrainer was given: when training continues on new text,
// the counts are summed over the old and new text, for negative sampling
// and subsampling, but an epoch reads only the new text, and the learning
// rate must decay over that. Call it before Restore and Train.
func (t *Trainer) SetEpochWords(n int64) {
	if n > 0 {
		t.planned = int64(t.cfg.Epochs) * n
	}
}
