package skipgram

import "github.com/w2vtool/w2v/internal/sampling"

// Model holds the two weight matrices, row-major, one row of Dim values per
// vocabulary word. In holds the word vectors that training produces; Out
// holds the output vectors that negative sampling scores against.
type Model struct {
	Dim   int
	Words int
	In    []float32
	Out   []float32
}

// NewModel returns a model for words words: input vectors uniform in
// [-0.5/dim, 0.5/dim) as in word2vec, output vectors zero.
func NewModel(words, dim int, seed uint64) *Model {
	m := &Model{Dim: dim, Words: words, In: make([]float32, words*dim), Out: make([]float32, words*dim)}
	rng := sampling.NewRNG(seed)
	scale := 1 / float32(dim)
	for i := range m.In {
		m.In[i] = (rng.Float32() - 0.5) * scale
	}
	return m
}

// Vector returns the input vector of word id, aliasing the model.
func (m *Model) Vector(id int32) []float32 {
	return m.In[int(id)*m.Dim : (int(id)+1)*m.Dim]
}

// Bytes returns the memory the matrices take.
func (m *Model) Bytes() int64 { return int64(len(m.In)+len(m.Out)) * 4 }
