package skipgram

import (
	"github.com/w2vtool/w2v/internal/hugepage"
	"github.com/w2vtool/w2v/internal/sampling"
)

// Model holds the weight matrices, row-major with Dim values a row. In holds
// the word vectors that training produces, one row per vocabulary word. Out
// holds the output vectors that negative sampling scores against (one row
// per word; nil without negative sampling); OutHS holds the hierarchical
// softmax's inner-node vectors (Words−1 rows; nil without it).
type Model struct {
	Dim   int
	Words int
	In    []float32
	Out   []float32
	OutHS []float32
	Sub   *Subwords // with subwords: In has a row per bucket after the words'
}

// NewModel returns a model of words words for cfg: input vectors uniform in
// [-1/dim, 1/dim) as in gensim, output vectors zero. word2vec draws from
// half that range; gensim's start took CBOW with negative sampling from
// 6.3% to 7.1% on the analogy test (first 3M words of the benchmark corpus,
// mean of 3 seeds; README, "CBOW and gensim").
func NewModel(words int, cfg Config) *Model {
	dim := cfg.Dim
	m := &Model{Dim: dim, Words: words, In: hugepage.Floats(inputRows(words, cfg) * dim)}
	if cfg.Negative > 0 {
		m.Out = hugepage.Floats(words * dim)
	}
	if cfg.HS && words > 1 {
		m.OutHS = hugepage.Floats((words - 1) * dim)
	}
	rng := sampling.NewRNG(cfg.Seed)
	scale := 2 / float32(dim)
	for i := range m.In[:words*dim] {
		m.In[i] = (rng.Float32() - 0.5) * scale
	}
	initBuckets(m.In[words*dim:], dim, cfg.Seed)
	return m
}

// Vector returns the input vector of word id, aliasing the model.
func (m *Model) Vector(id int32) []float32 {
	return m.In[int(id)*m.Dim : (int(id)+1)*m.Dim]
}

// Bytes returns the memory the matrices take.
func (m *Model) Bytes() int64 {
	b := int64(len(m.In)+len(m.Out)+len(m.OutHS)) * 4
	if m.Sub != nil {
		b += m.Sub.Bytes()
	}
	return b
}

// ModelBytes estimates the memory a model of words words takes under cfg,
// before allocating it.
func ModelBytes(words int, cfg Config) int64 {
	rows := int64(inputRows(words, cfg))
	if cfg.Negative > 0 {
		rows += int64(words)
	}
	if cfg.HS {
		rows += int64(words) - 1
	}
	return rows * int64(cfg.Dim) * 4
}
