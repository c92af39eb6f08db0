package sampling

import (
	"math"
	"testing"
)

// chiSquare returns Pearson's statistic for observed counts against expected
// probabilities over n draws.
func chiSquare(observed []int, p []float64, n int) float64 {
	var x2 float64
	for i := range observed {
		e := p[i] * float64(n)
		if e == 0 {
			if observed[i] != 0 {
				return math.Inf(1)
			}
			continue
		}
		d := float64(observed[i]) - e
		x2 += d * d / e
	}
	return x2
}

// unigramChiSquare draws n ids from u and returns Pearson's statistic for
// the draws against probabilities proportional to count^power, and how many
// draws were of words with count zero.
func unigramChiSquare(u *Unigram, counts []int64, power float64, n int) (x2 float64, zeroDrawn int) {
	p := make([]float64, len(counts))
	var sum float64
	for i, c := range counts {
		if c > 0 {
			p[i] = math.Pow(float64(c), power)
			sum += p[i]
		}
	}
	for i := range p {
		p[i] /= sum
	}
	rng := NewRNG(42)
	obs := make([]int, len(counts))
	for range n {
		obs[u.Sample(&rng)]++
	}
	for i, c := range counts {
		if c == 0 {
			zeroDrawn += obs[i]
		}
	}
	return chiSquare(obs, p, n), zeroDrawn
}

// TestUnigram checks the alias table's draws against count^power with a
// chi-square test, and that the test rejects samplers of the wrong
// distribution: one built with another power, and a table whose columns
// never take their alias.
func TestUnigram(t *testing.T) {
	counts := []int64{1000, 500, 100, 50, 10, 0, 1, 7, 3000, 2}
	noAlias := func(u *Unigram) {
		for i := range u.bins {
			u.bins[i].prob = math.MaxUint32
		}
	}
	tests := []struct {
		name         string
		power, built float64 // the distribution tested for, the one the table was built for
		break_       func(*Unigram)
		good         bool
	}{
		{"power 0.75", 0.75, 0.75, nil, true},
		{"power 1", 1, 1, nil, true},
		{"power 0", 0, 0, nil, true},
		{"broken: uniform table tested as power 0.75", 0.75, 0, nil, false},
		{"broken: power 1 table tested as power 0.75", 0.75, 1, nil, false},
		{"broken: columns never take their alias", 0.75, 0.75, noAlias, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := NewUnigram(counts, tt.built)
			if tt.break_ != nil {
				tt.break_(u)
			}
			x2, zero := unigramChiSquare(u, counts, tt.power, 2_000_000)
			// 8 degrees of freedom (9 non-zero cells): the 99.9% quantile is 26.1.
			if pass := x2 <= 26.1 && zero == 0; pass != tt.good {
				t.Errorf("chi-square %.1f, %d draws of a count-0 word: passed = %v, want %v", x2, zero, pass, tt.good)
			}
		})
	}
}

func TestSubsamplerProbability(t *testing.T) {
	counts := []int64{10000, 1000, 100, 1}
	const total = 100000
	s := NewSubsampler(counts, total, 1e-3)
	for id, c := range counts {
		f := float64(c) / total
		want := math.Min(1, math.Sqrt(1e-3/f)+1e-3/f)
		if got := s.KeepProbability(int32(id)); math.Abs(got-want) > 1e-6 {
			t.Errorf("KeepProbability(%d) = %v, want %v", id, got, want)
		}
		rng := NewRNG(uint64(id) + 7)
		const n = 400000
		kept := 0
		for range n {
			if s.Keep(int32(id), &rng) {
				kept++
			}
		}
		if got := float64(kept) / n; math.Abs(got-want) > 4*math.Sqrt(want*(1-want)/n)+1e-9 {
			t.Errorf("word %d kept %.4f of the time, want %.4f", id, got, want)
		}
	}
	off := NewSubsampler(counts, total, 0)
	if off.KeepProbability(0) != 1 {
		t.Error("sample 0 must keep everything")
	}
}

func TestRNGLowBitsAndRange(t *testing.T) {
	rng := NewRNG(0)
	const n = 1 << 20
	var ones [8]int
	for range n {
		x := rng.Uint64()
		for b := range ones {
			ones[b] += int(x >> b & 1)
		}
		f := rng.Float32()
		if f < 0 || f >= 1 {
			t.Fatalf("Float32 = %v", f)
		}
		if k := rng.Intn(7); k < 0 || k >= 7 {
			t.Fatalf("Intn(7) = %d", k)
		}
	}
	for b, c := range ones {
		if d := math.Abs(float64(c)/n - 0.5); d > 0.003 {
			t.Errorf("bit %d set %.4f of the time", b, float64(c)/n)
		}
	}
	a, b := NewRNG(5), NewRNG(5)
	for range 10 {
		if a.Uint64() != b.Uint64() {
			t.Fatal("same seed, different streams")
		}
	}
}

func BenchmarkUnigramSample(b *testing.B) {
	counts := make([]int64, 100000)
	for i := range counts {
		counts[i] = int64(1e6 / (i + 1))
	}
	u := NewUnigram(counts, 0.75)
	rng := NewRNG(1)
	var s int32
	for b.Loop() {
		s += u.Sample(&rng)
	}
	_ = s
}
