package skipgram

import "math"

// maxExp bounds the scores the sigmoid table covers. Beyond it, as in
// word2vec and gensim, a hierarchical-softmax node gets no update: its
// decision is already taken with full confidence, or so wrong that a full
// step would be noise. Negative sampling keeps word2vec's rule there, σ taken
// as exactly 0 or 1, so a confidently wrong pair still gets a full step
// (gensim skips those too; on the benchmark corpus that made no difference,
// see the README's "What an update does with a score").
const (
	maxExp     = 6
	sigmoidLen = 1024
)

// sigmoidTable caches σ(x) for x in [-maxExp, maxExp]; a lookup is several
// times cheaper than exp, and the table's error is below what SGD notices.
type sigmoidTable [sigmoidLen + 1]float32

func newSigmoidTable() *sigmoidTable {
	var t sigmoidTable
	for i := range t {
		x := (float64(i)/sigmoidLen*2 - 1) * maxExp
		t[i] = float32(1 / (1 + math.Exp(-x)))
	}
	return &t
}

// at returns σ(x) for x in [-maxExp, maxExp]; the caller decides what
// happens outside (a NaN would index out of range).
func (t *sigmoidTable) at(x float32) float32 {
	// Round to the nearest table entry; the float constant keeps the scale
	// from being integer-divided.
	return t[int((x+maxExp)*(float32(sigmoidLen)/(2*maxExp))+0.5)]
}
