package skipgram

// Continuing training on new text grows a trained model: the vocabulary
// gains the new text's words and is sorted again by the summed counts, so
// every row moves to its word's new id, and new words get fresh rows. A
// subword model's n-gram bucket rows stay as they are.

import (
	"fmt"
	"slices"

	"github.com/w2vtool/w2v/internal/hugepage"
	"github.com/w2vtool/w2v/internal/sampling"
	"github.com/w2vtool/w2v/internal/subword"
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
	if err := checkGrow(m, cfg, words, from); err != nil {
		return nil, err
	}
	dim, n := m.Dim, len(from)
	g := &Model{Dim: dim, Words: n, In: hugepage.Floats(inputRows(n, cfg) * dim)}
	copy(g.In[n*dim:], m.In[m.Words*dim:]) // the buckets, if any
	if err := growRest(g, m, cfg, words, from, m.In[:m.Words*dim]); err != nil {
		return nil, err
	}
	return g, nil
}

// GrowInPlace returns what Grow returns, value for value, but takes m's
// input matrix for the grown model's when its capacity holds the grown
// rows (checkpoint.ReadOptions.GrowTo reads a model so): a subword model's
// bucket block, usually most of the model, is then moved within the one
// array instead of copied to a second. Only the old word rows are copied
// aside, as their new order can overwrite any of them. Without the
// capacity it is Grow. Either way m must not be used afterwards: its
// fields are cleared so that its old matrices can be freed.
func GrowInPlace(m *Model, cfg Config, words []string, from []int32) (*Model, error) {
	if err := checkGrow(m, cfg, words, from); err != nil {
		return nil, err
	}
	dim, n := m.Dim, len(from)
	rows := inputRows(n, cfg) * dim
	if cap(m.In) < rows {
		g, err := Grow(m, cfg, words, from)
		*m = Model{}
		return g, err
	}
	oldWords := slices.Clone(m.In[:m.Words*dim])
	in := m.In[:rows]
	// Words are only added, so the buckets move up; copy handles the overlap.
	copy(in[n*dim:], in[m.Words*dim:len(m.In)])
	g := &Model{Dim: dim, Words: n, In: in}
	m.In, m.Sub = nil, nil // the old row lists can go before the new ones are built
	err := growRest(g, m, cfg, words, from, oldWords)
	*m = Model{}
	if err != nil {
		return nil, err
	}
	return g, nil
}

// GrowInPlaceBytes is the memory GrowInPlace holds at its peak beyond the
// grown model, when the input matrix has room: the old word rows copied
// aside and the old output matrices, i.e. a model of oldWords words
// without buckets, and the old row lists.
func GrowInPlaceBytes(oldWords int, cfg Config) int64 {
	sub := cfg.Subwords
	cfg.Subwords = subword.Config{}
	return ModelBytes(oldWords, cfg) + SubwordBytes(oldWords, sub)
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
	seen := make([]bool, m.Words)
	for i, old := range from {
		if old < 0 {
			continue
		}
		if int(old) >= m.Words || seen[old] {
			return fmt.Errorf("skipgram: grow: word %d takes row %d of a %d-word model, out of range or taken twice", i, old, m.Words)
		}
		seen[old] = true
	}
	return nil
}

// growRest fills g's word rows from oldIn, the old model's input word
// rows, and m's output rows, in from's order, and builds g's output
// matrices and row lists; g.In must already hold the buckets. New words'
// random rows are drawn in word order from one generator, so that Grow
// and GrowInPlace draw the same values.
func growRest(g, m *Model, cfg Config, words []string, from []int32, oldIn []float32) error {
	dim, n := g.Dim, g.Words
	if m.Out != nil {
		g.Out = hugepage.Floats(n * dim)
	}
	if cfg.HS && n > 1 {
		g.OutHS = hugepage.Floats((n - 1) * dim)
	}
	rng := sampling.NewRNG(cfg.Seed ^ uint64(m.Words)*0x9e3779b97f4a7c15)
	scale := 2 / float32(dim)
	for i, old := range from {
		row := g.In[i*dim : (i+1)*dim]
		if old < 0 {
			for k := range row {
				row[k] = (rng.Float32() - 0.5) * scale
			}
			continue
		}
		copy(row, oldIn[int(old)*dim:(int(old)+1)*dim])
		if m.Out != nil {
			copy(g.Out[i*dim:(i+1)*dim], m.Out[int(old)*dim:(int(old)+1)*dim])
		}
	}
	if cfg.Subwords.Enabled() {
		var err error
		if g.Sub, err = NewSubwords(words, cfg.Subwords); err != nil {
			return fmt.Errorf("skipgram: grow: %w", err)
		}
	}
	if g.OutHS != nil && m.OutHS != nil {
		// Both end at the root: align the ends.
		k := min(len(g.OutHS), len(m.OutHS))
		copy(g.OutHS[len(g.OutHS)-k:], m.OutHS[len(m.OutHS)-k:])
	}
	return nil
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
