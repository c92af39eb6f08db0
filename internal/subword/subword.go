// Package subword splits a word into the character n-grams of fastText's
// subword model (Bojanowski et al. 2017) and hashes them into buckets
// exactly as fastText 0.9 does, so that a model trained here and a model
// trained by fastText give the same rows to the same n-grams.
//
// The trainer and the query side both call AppendBuckets, so the vector a
// word is trained with and the vector an unseen word is given can never
// be computed two ways.
package subword

import "fmt"

// Defaults are fastText's: n-grams of 3 to 6 characters hashed into 2,000,000 buckets.
const (
	DefaultMinN    = 3
	DefaultMaxN    = 6
	DefaultBuckets = 2000000
)

// Begin and End wrap a word before its n-grams are taken, as fastText's
// BOW and EOW do, so that "her" inside "where" and the word "her" differ.
const (
	Begin = "<"
	End   = ">"
)

// Config says which n-grams a word has and how many buckets they share.
// MaxN 0 (or Buckets 0) means no n-grams: a word is its own row only.
type Config struct {
	MinN, MaxN int
	Buckets    int
}

// Default returns fastText's settings.
func Default() Config {
	return Config{MinN: DefaultMinN, MaxN: DefaultMaxN, Buckets: DefaultBuckets}
}

// Enabled reports whether words have n-grams under c.
func (c Config) Enabled() bool { return c.MaxN > 0 && c.Buckets > 0 }

// Validate reports settings fastText would reject or that give no n-grams by mistake.
func (c Config) Validate() error {
	switch {
	case c.MaxN == 0 && c.MinN == 0:
		return nil
	case c.MinN < 1:
		return fmt.Errorf("minn %d: must be at least 1 (or maxn 0 for no n-grams)", c.MinN)
	case c.MaxN < c.MinN:
		return fmt.Errorf("maxn %d is smaller than minn %d", c.MaxN, c.MinN)
	case c.Buckets < 0:
		return fmt.Errorf("buckets %d: must not be negative", c.Buckets)
	case c.Buckets > 1<<31-1:
		return fmt.Errorf("buckets %d: at most %d (bucket ids are 32-bit)", c.Buckets, 1<<31-1)
	}
	return nil
}

// FNV-1a's 32-bit offset basis and prime.
const (
	offset32 = 2166136261
	prime32  = 16777619
)

// Hash returns fastText's hash of s: 32-bit FNV-1a in which each byte is
// first sign-extended (fastText casts it through int8_t), so bytes of
// 0x80 and above hash differently from textbook FNV-1a.
func Hash(s string) uint32 {
	h := uint32(offset32)
	for i := 0; i < len(s); i++ {
		h = step(h, s[i])
	}
	return h
}

func step(h uint32, b byte) uint32 {
	return (h ^ uint32(int32(int8(b)))) * prime32
}

// continuation reports whether b is a UTF-8 continuation byte, which
// belongs to the character before it: n-grams count characters, not bytes.
func continuation(b byte) bool { return b&0xC0 == 0x80 }

// AppendBuckets appends to dst the bucket (0 ≤ bucket < c.Buckets) of each
// n-gram of "<word>", in fastText's order: by start character, then by
// length. Like fastText it leaves out the 1-grams "<" and ">", and it
// allocates nothing beyond growing dst: the hash of a longer n-gram
// continues from the hash of the shorter one with the same start.
func (c Config) AppendBuckets(dst []int32, word string) []int32 {
	c.walk(word, func(h uint32, _, _ int) {
		dst = append(dst, int32(h%uint32(c.Buckets)))
	})
	return dst
}

// NGrams returns the n-grams of "<word>" in the order AppendBuckets hashes them.
func (c Config) NGrams(word string) []string {
	var out []string
	w := Begin + word + End
	c.walk(word, func(_ uint32, i, j int) { out = append(out, w[i:j]) })
	return out
}

// walk calls f with the hash and byte range (within "<word>") of each
// n-gram, without building "<word>".
func (c Config) walk(word string, f func(h uint32, i, j int)) {
	if !c.Enabled() {
		return
	}
	size := len(word) + 2
	at := func(k int) byte {
		switch {
		case k == 0:
			return Begin[0]
		case k == size-1:
			return End[0]
		}
		return word[k-1]
	}
	for i := range size {
		if continuation(at(i)) {
			continue
		}
		h := uint32(offset32)
		j := i
		for n := 1; j < size && n <= c.MaxN; n++ {
			h = step(h, at(j))
			j++
			for j < size && continuation(at(j)) {
				h = step(h, at(j))
				j++
			}
			if n >= c.MinN && !(n == 1 && (i == 0 || j == size)) {
				f(h, i, j)
			}
		}
	}
}

// Mean sets dst to the mean of the given rows of the row-major matrix m
// (rows of len(dst) values), as fastText averages a word's own row and its
// n-gram rows into the word's vector. With no rows dst is all zeros, as
// fastText gives a word without n-grams.
func Mean(dst, m []float32, rows []int32) {
	clear(dst)
	dim := len(dst)
	for _, r := range rows {
		row := m[int(r)*dim : int(r)*dim+dim]
		for j, x := range row {
			dst[j] += x
		}
	}
	if len(rows) > 0 {
		// As fastText: 1/n in double precision, then a float multiply.
		inv := float32(1 / float64(len(rows)))
		for j := range dst {
			dst[j] *= inv
		}
	}
}
