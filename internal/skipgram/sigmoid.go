package skipgram

import "math"

// maxExp bounds the scores the sigmoid table covers; beyond it the sigmoid
// is taken as exactly 0 or 1, as in word2vec, which also stops updates from
// pairs the model already gets right with full confidence.
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

// at returns σ(x), clamped to 0 and 1 outside ±maxExp.
func (t *sigmoidTable) at(x float32) float32 {
	if x >= maxExp {
		return 1
	}
	if x <= -maxExp {
		return 0
	}
	// Round to the nearest table entry; the float constant keeps the scale
	// from being integer-divided.
	return t[int((x+maxExp)*(float32(sigmoidLen)/(2*maxExp))+0.5)]
}
