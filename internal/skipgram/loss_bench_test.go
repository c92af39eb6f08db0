package skipgram

import "testing"

// BenchmarkUnitLoss measures the loss tally's cost per output unit, which
// the trainer pays K+1 times per pair.
func BenchmarkUnitLoss(b *testing.B) {
	sp := newSoftplusTable()
	var scores [64]float32
	for i := range scores {
		scores[i] = float32(i-32) / 4
	}
	var s float64
	for i := 0; b.Loop(); i++ {
		s += sp.unitLoss(scores[i&63], float32(i&1))
	}
	_ = s
}

// BenchmarkSigmoid is the sigmoid lookup every unit's update makes, for
// scale.
func BenchmarkSigmoid(b *testing.B) {
	sig := newSigmoidTable()
	var scores [64]float32
	for i := range scores {
		scores[i] = float32(i-32) / 6
	}
	var s float32
	for i := 0; b.Loop(); i++ {
		s += sig.at(scores[i&63])
	}
	_ = s
}
