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

// softplusLen is the number of intervals of the softplus table: 256 over
// [-maxExp, maxExp] with cubic Hermite interpolation leaves an error below
// 1e-8 (the fourth derivative of softplus is at most 1/8, and the error
// bound is h⁴/384 times that), at 4 KB of table.
const softplusLen = 256

// softplusTable holds softplus(x) = log(1 + eˣ) and its derivative σ(x) at
// evenly spaced x in [-maxExp, maxExp], in float64: it measures the loss,
// which is summed over billions of terms.
type softplusTable [softplusLen + 1]struct{ v, d float64 }

func newSoftplusTable() *softplusTable {
	var t softplusTable
	for i := range t {
		x := (float64(i)/softplusLen*2 - 1) * maxExp
		t[i].v = math.Log1p(math.Exp(x))
		t[i].d = 1 / (1 + math.Exp(-x))
	}
	return &t
}

// at returns softplus(x) for x in [-maxExp, maxExp], interpolating between
// the table's nodes with the cubic that matches value and slope at both.
func (t *softplusTable) at(x float32) float64 {
	const h = 2.0 * maxExp / softplusLen
	s := (float64(x) + maxExp) / h
	i := min(int(s), softplusLen-1)
	u := s - float64(i)
	a, b := &t[i], &t[i+1]
	u2 := u * u
	u3 := u2 * u
	return (2*u3-3*u2+1)*a.v + (u3-2*u2+u)*h*a.d + (-2*u3+3*u2)*b.v + (u3-u2)*h*b.d
}

// unitLoss is the loss of one logistic output unit with the given label (1
// for the word to predict, 0 for a negative sample or the other branch of a
// tree node) and score f, the score clamped to [-maxExp, maxExp] as the
// updates clamp it: −log σ(f) for label 1, −log σ(−f) for label 0, both
// softplus(f) − label·f.
func (t *softplusTable) unitLoss(f, label float32) float64 {
	f = min(max(f, -maxExp), maxExp)
	return t.at(f) - float64(label)*float64(f)
}
