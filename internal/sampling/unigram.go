package sampling

import "math"

// Unigram draws word ids with probability proportional to count^power
// (word2vec uses power 0.75), in O(1) per draw, by Walker's alias method.
// The table takes 8 bytes a word (1 MB for 125k words), small enough to stay
// in cache, where word2vec's table takes 400 MB and gensim's cumulative table
// needs a binary search per draw.
type Unigram struct {
	bins []aliasBin
}

// aliasBin is one column of the alias table: pick id with probability
// prob/2^32, else alias. Keeping both in one struct costs one cache line per
// draw.
type aliasBin struct {
	prob  uint32
	alias int32
}

// NewUnigram builds the distribution for the given counts. Words with count
// zero are never drawn. It panics if no count is positive.
func NewUnigram(counts []int64, power float64) *Unigram {
	n := len(counts)
	w := make([]float64, n)
	var sum float64
	for i, c := range counts {
		if c > 0 {
			w[i] = math.Pow(float64(c), power)
			sum += w[i]
		}
	}
	if sum == 0 {
		panic("sampling: NewUnigram needs a positive count")
	}
	// Vose's method: scale weights to mean 1, then pair each small column
	// with a large one that tops it up.
	scaled := make([]float64, n)
	var small, large []int32
	for i := range w {
		scaled[i] = w[i] * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	bins := make([]aliasBin, n)
	for len(small) > 0 && len(large) > 0 {
		s := small[len(small)-1]
		small = small[:len(small)-1]
		l := large[len(large)-1]
		bins[s] = aliasBin{prob: toProb(scaled[s]), alias: l}
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range append(small, large...) {
		if w[i] > 0 {
			bins[i] = aliasBin{prob: math.MaxUint32, alias: i}
		} else {
			bins[i] = aliasBin{prob: 0, alias: firstPositive(w)}
		}
	}
	return &Unigram{bins: bins}
}

func toProb(p float64) uint32 {
	if p >= 1 {
		return math.MaxUint32
	}
	return uint32(p * (1 << 32))
}

func firstPositive(w []float64) int32 {
	for i, x := range w {
		if x > 0 {
			return int32(i)
		}
	}
	return 0
}

// Len returns the number of words in the distribution.
func (u *Unigram) Len() int { return len(u.bins) }

// Sample draws one id: the high 32 bits of one random word pick the column,
// the low 32 bits choose between it and its alias.
func (u *Unigram) Sample(r *RNG) int32 {
	x := r.Uint64()
	i := (x >> 32) * uint64(len(u.bins)) >> 32
	if b := u.bins[i]; uint32(x) >= b.prob {
		return b.alias
	}
	return int32(i)
}
