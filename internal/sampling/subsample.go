package sampling

import "math"

// Subsampler decides which occurrences of frequent words to drop. A word with
// corpus frequency f is kept with word2vec's probability sqrt(t/f) + t/f
// (capped at 1), where t is the sample threshold: with t = 1e-3, a word that
// makes up 1% of the corpus is kept about 42% of the time.
type Subsampler struct {
	keep []uint32 // keep an occurrence when a uniform uint32 < keep[id]; MaxUint32 = always
}

// NewSubsampler returns a subsampler for words with the given counts out of
// total corpus words. t ≤ 0 turns subsampling off.
func NewSubsampler(counts []int64, total int64, t float64) Subsampler {
	keep := make([]uint32, len(counts))
	for i, c := range counts {
		p := 1.0
		if t > 0 && c > 0 {
			f := float64(c) / float64(total)
			p = math.Sqrt(t/f) + t/f
		}
		if p >= 1 {
			keep[i] = math.MaxUint32
		} else {
			keep[i] = uint32(p * (1 << 32))
		}
	}
	return Subsampler{keep: keep}
}

// KeepProbability returns the probability that an occurrence of id is kept.
func (s Subsampler) KeepProbability(id int32) float64 {
	if s.keep[id] == math.MaxUint32 {
		return 1
	}
	return float64(s.keep[id]) / (1 << 32)
}

// Keep reports whether to keep this occurrence of id, drawing from r only
// for words that may be dropped.
func (s Subsampler) Keep(id int32, r *RNG) bool {
	k := s.keep[id]
	return k == math.MaxUint32 || r.Uint32() < k
}
