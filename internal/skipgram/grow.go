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
// reproducible. m is left as it was. words is the grown vocabulary, word i
// being words[i].
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
	if m.Dim != cfg.Dim || (cfg.Negative > 0) != (m.Out != nil) || (cfg.HS && m.Words > 1) != (m.OutHS != nil) {
		return nil, fmt.Errorf("skipgram: model (dim %d, negative sampling %t, hierarchical softmax %t) does not fit the settings (dim %d, negative %d, hs %t)",
			m.Dim, m.Out != nil, m.OutHS != nil, cfg.Dim, cfg.Negative, cfg.HS)
	}
	if (m.Sub != nil) != cfg.Subwords.Enabled() || m.Sub != nil && m.Sub.Config != cfg.Subwords || len(m.In) != inputRows(m.Words, cfg)*m.Dim {
		return nil, fmt.Errorf("skipgram: model (%d input rows for %d words, subwords %t) does not fit the settings (n-grams %+v)",
			len(m.In)/max(m.Dim, 1), m.Words, m.Sub != nil, cfg.Subwords)
	}
	if len(words) != len(from) {
		return nil, fmt.Errorf("skipgram: grow: %d words but %d rows to take", len(words), len(from))
	}
	dim, n := m.Dim, len(from)
	g := &Model{Dim: dim, Words: n, In: hugepage.Floats(inputRows(n, cfg) * dim)}
	if m.Out != nil {
		g.Out = hugepage.Floats(n * dim)
	}
	if cfg.HS && n > 1 {
		g.OutHS = hugepage.Floats((n - 1) * dim)
	}
	rng := sampling.NewRNG(cfg.Seed ^ uint64(m.Words)*0x9e3779b97f4a7c15)
	scale := 2 / float32(dim)
	seen := make([]bool, m.Words)
	for i, old := range from {
		row := g.In[i*dim : (i+1)*dim]
		if old < 0 {
			for k := range row {
				row[k] = (rng.Float32() - 0.5) * scale
			}
			continue
		}
		if int(old) >= m.Words || seen[old] {
			return nil, fmt.Errorf("skipgram: grow: word %d takes row %d of a %d-word model, out of range or taken twice", i, old, m.Words)
		}
		seen[old] = true
		copy(row, m.In[int(old)*dim:(int(old)+1)*dim])
		if m.Out != nil {
			copy(g.Out[i*dim:(i+1)*dim], m.Out[int(old)*dim:(int(old)+1)*dim])
		}
	}
	copy(g.In[n*dim:], m.In[m.Words*dim:]) // the buckets, if any
	if m.Sub != nil {
		var err error
		if g.Sub, err = NewSubwords(words, cfg.Subwords); err != nil {
			return nil, fmt.Errorf("skipgram: grow: %w", err)
		}
	}
	if g.OutHS != nil && m.OutHS != nil {
		// Both end at the root: align the ends.
		k := min(len(g.OutHS), len(m.OutHS))
		copy(g.OutHS[len(g.OutHS)-k:], m.OutHS[len(m.OutHS)-k:])
	}
	return g, nil
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
