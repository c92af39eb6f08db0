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
// [-maxExp, maxExp], each with the cubic that matches softplus's value and
// slope at both ends (Hermite interpolation), leaves an error below 1e-8
// (the fourth derivative of softplus is at most 1/8, and the error bound is
// h⁴/384 times that), at 8 KB of table.
const softplusLen = 256

// softplusTable holds, per interval of [-maxExp, maxExp], the coefficients
// of a cubic in the offset into the interval (0 to 1) that is softplus(x) =
// log(1 + eˣ) there, in float64: it measures the loss, which is summed over
// billions of terms. Evaluating it costs three multiply-adds, a fraction of
// exp and log.
type softplusTable struct {
	cubic    [softplusLen][4]float64
	max, min float64 // softplus(±maxExp)
}

func newSoftplusTable() *softplusTable {
	const h = 2.0 * maxExp / softplusLen
	node := func(i int) (v, d float64) {
		x := (float64(i)/softplusLen*2 - 1) * maxExp
		return math.Log1p(math.Exp(x)), h / (1 + math.Exp(-x)) // d: slope per unit of offset
	}
	var t softplusTable
	for i := range t.cubic {
		v0, d0 := node(i)
		v1, d1 := node(i + 1)
		// The Hermite cubic p(u) with p(0) = v0, p'(0) = d0, p(1) = v1,
		// p'(1) = d1, by powers of u.
		t.cubic[i] = [4]float64{v0, d0, 3*(v1-v0) - 2*d0 - d1, 2*(v0-v1) + d0 + d1}
	}
	t.max, _ = node(softplusLen)
	t.min, _ = node(0)
	return &t
}

// at returns softplus(x) for x in [-maxExp, maxExp) (the caller clamps:
// see unitLoss; gradients inlines unitLoss).
func (t *softplusTable) at(x float32) float64 {
	s := (float64(x) + maxExp) * (float64(softplusLen) / (2 * maxExp))
	i := int(s)
	u := s - float64(i)
	c := &t.cubic[i&(softplusLen-1)] // i < softplusLen already; the mask drops the bounds check
	return c[0] + u*(c[1]+u*(c[2]+u*c[3]))
}

// unitLoss is the loss of one logistic output unit with the given label (1
// for the word to predict, 0 for a negative sample or the other branch of a
// tree node) and finite score f, the score clamped to [-maxExp, maxExp] as
// the updates clamp it: −log σ(f) = softplus(−f) for label 1, −log σ(−f) =
// softplus(f) for label 0.
func (t *softplusTable) unitLoss(f, label float32) float64 {
	if label != 0 {
		f = -f
	}
	// Explicit comparisons: min and max would also handle NaN, at a cost
	// paid for every unit trained.
	switch {
	case f >= maxExp:
		return t.max
	case f <= -maxExp:
		return t.min
	}
	return t.at(f)
}
