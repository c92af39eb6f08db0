package sampling

import "math/bits"

// RNG is a wyrand generator: one 64-bit word of state, a full period of 2^64,
// and output whose low bits are as good as its high bits (unlike word2vec's
// linear congruential generator). Each training worker owns one, so it needs
// no locking; its state can be saved and restored exactly.
type RNG struct {
	State uint64
}

// NewRNG returns a generator seeded with seed.
func NewRNG(seed uint64) RNG { return RNG{State: seed} }

// Uint64 returns a uniformly distributed 64-bit value.
func (r *RNG) Uint64() uint64 {
	r.State += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.State, r.State^0xe7037ed1a0b428db)
	return hi ^ lo
}

// Uint32 returns a uniformly distributed 32-bit value.
func (r *RNG) Uint32() uint32 { return uint32(r.Uint64() >> 32) }

// Intn returns a value in [0, n) for n > 0, by Lemire's multiply-shift. The
// bias is below n/2^32, far under anything training can notice.
func (r *RNG) Intn(n int) int {
	return int((uint64(r.Uint32()) * uint64(n)) >> 32)
}

// Float32 returns a value uniformly distributed in [0, 1).
func (r *RNG) Float32() float32 {
	return float32(r.Uint64()>>40) / (1 << 24)
}
