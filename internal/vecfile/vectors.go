package vecfile

import (
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/w2vtool/w2v/internal/simd"
)

// Limits on what a vector file may declare. A file beyond them is rejected
// as malformed rather than trusted with memory: real models have at most a
// few thousand dimensions and words of at most a few hundred bytes.
const (
	MaxDim       = 1 << 16
	MaxWordBytes = 1024
	MaxWords     = math.MaxInt32 // rows are indexed by int32 in the search code
)

// Format is a vector file format.
type Format int

// The formats Open reads.
const (
	Text   Format = iota + 1 // word2vec's text format; fastText's .vec files are in it too
	Binary                   // word2vec's binary format
	Native                   // w2v's memory-mappable format (see WriteNative)
)

func (f Format) String() string {
	switch f {
	case Text:
		return "word2vec text"
	case Binary:
		return "word2vec binary"
	case Native:
		return "w2v native"
	case FastTextBin:
		return "fastText .bin"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Vectors is a vocabulary with one vector per word, the rows of a
// row-major matrix in file order (most frequent word first, by convention).
//
// Unless read with Options.Raw, every row has unit length (rows that were
// all zeros stay zero) and Norm reports the length it had in the file, so
// cosine similarities are plain dot products.
type Vectors struct {
	dim   int
	data  []float32 // Len()×dim
	norms []float32 // nil for raw vectors
	words []byte    // all words, concatenated
	offs  []uint32  // word i is words[offs[i]:offs[i+1]]
	table []uint32  // open-addressing hash index: 0 for empty, else row+1
	graph *Graph    // a native file's nearest-neighbour graph, or nil
	sub   *Subwords // n-gram rows for unseen words, or nil

	// Format is the format the vectors were read from.
	Format Format
	// Duplicates counts rows dropped because their word had occurred
	// before; as gensim does, the first occurrence wins.
	Duplicates int

	release func() error // frees memory outside the Go heap
}

// Len returns the number of words.
func (v *Vectors) Len() int { return len(v.offs) - 1 }

// Dim returns the number of dimensions.
func (v *Vectors) Dim() int { return v.dim }

// Matrix returns the Len()×Dim() row-major matrix of vectors. It may be
// memory-mapped read-only: callers must not modify it.
func (v *Vectors) Matrix() []float32 { return v.data }

// Row returns the vector of word i.
func (v *Vectors) Row(i int) []float32 { return v.data[i*v.dim : (i+1)*v.dim : (i+1)*v.dim] }

// Normalized reports whether rows have been scaled to unit length.
func (v *Vectors) Normalized() bool { return v.norms != nil }

// Norm returns the length row i had in the file.
func (v *Vectors) Norm(i int) float32 {
	if v.norms == nil {
		return norm(v.Row(i))
	}
	return v.norms[i]
}

// Word returns word i.
func (v *Vectors) Word(i int) string { return string(v.wordBytes(i)) }

func (v *Vectors) wordBytes(i int) []byte { return v.words[v.offs[i]:v.offs[i+1]] }

// Words returns all the words in row order.
func (v *Vectors) Words() []string {
	ws := make([]string, v.Len())
	for i := range ws {
		ws[i] = v.Word(i)
	}
	return ws
}

// Index returns the row of word, and whether it is in the vocabulary.
func (v *Vectors) Index(word string) (int, bool) { return index(v, word) }

func index[T string | []byte](v *Vectors, word T) (int, bool) {
	mask := uint64(len(v.table) - 1)
	// A hostile native file may hold a full table; give up after one lap.
	for h, n := hash(word)&mask, 0; n < len(v.table); h, n = (h+1)&mask, n+1 {
		e := v.table[h]
		if e == 0 {
			return 0, false
		}
		if r := int(e - 1); r < v.Len() && string(v.wordBytes(r)) == string(word) {
			return r, true
		}
	}
	return 0, false
}

// Close releases the memory of a mapped native file or of a large matrix,
// which live outside the Go heap; the Vectors must not be used after. It is
// a no-op for small matrices, which the garbage collector frees.
func (v *Vectors) Close() error {
	if v.release == nil {
		return nil
	}
	err := v.release()
	v.release = nil
	v.data, v.words, v.offs, v.table, v.norms, v.graph, v.sub = nil, nil, []uint32{0}, nil, nil, nil, nil
	return err
}

// hash is 64-bit FNV-1a. The native format stores tables built with it, so
// it must never change.
func hash[T string | []byte](s T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// tableSize returns the hash table length for n words: a power of two
// at least 2n, so probe sequences stay short.
func tableSize(n int) int {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return size
}

// checkWord reports why w cannot be a word, or "" if it can. Control
// characters are refused so that printing a hostile model's words cannot
// drive the user's terminal.
func checkWord(w []byte) string {
	if len(w) == 0 {
		return "empty word"
	}
	if len(w) > MaxWordBytes {
		return fmt.Sprintf("word of %d bytes (at most %d allowed)", len(w), MaxWordBytes)
	}
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return fmt.Sprintf("word %q contains control character %#02x", w, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(w[i:])
		if r >= 0x80 && r <= 0x9f { // C1 controls, e.g. U+009B (CSI)
			return fmt.Sprintf("word %q contains control character U+%04X", w, r)
		}
		i += size // invalid UTF-8 is kept: word2vec's C tool cuts words mid-character
	}
	return ""
}

// length returns the Euclidean length of x. Sums of squares that leave
// float32's comfortable range (vectors with values beyond about 1e15 or all
// below 1e-10) are recomputed in float64, where they cannot overflow or
// underflow.
func length(x []float32) float64 {
	if ss := simd.Dot(x, x); ss >= 1e-20 && ss <= 1e30 {
		return math.Sqrt(float64(ss))
	}
	var ss float64
	for _, f := range x {
		ss += float64(f) * float64(f)
	}
	return math.Sqrt(ss)
}

// norm returns the length of x as a float32 (+Inf if it overflows).
func norm(x []float32) float32 { return float32(length(x)) }

// normalize scales x to unit length, unless it is all zeros, and returns
// its length; ok is false if the length overflows float32.
func normalize(x []float32) (n float32, ok bool) {
	l := length(x)
	switch {
	case l == 0:
		return 0, true
	case l > math.MaxFloat32:
		return 0, false
	case l >= 1e-10:
		simd.Scale(float32(1/l), x)
	default: // 1/l may overflow float32
		for j, f := range x {
			x[j] = float32(float64(f) / l)
		}
	}
	return float32(l), true
}
