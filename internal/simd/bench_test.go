package simd

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks run each variant through a function value, which costs the
// same small indirect call for all of them; the "exported" variant shows
// what callers of the package API see (run it with and without -tags
// purego to compare the shipped code paths).

var benchDims = []int{100, 300}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = randVal(r)
	}
	return s
}

// benchEach runs f as a sub-benchmark per variant and dimension and
// reports GFLOP/s given the floating-point operations of one call.
func benchEach(b *testing.B, dims []int, f func(b *testing.B, k kernels, d int) (flops int)) {
	for _, k := range allKernels(b) {
		for _, d := range dims {
			b.Run(fmt.Sprintf("%s/%d", k.name, d), func(b *testing.B) {
				flops := f(b, k, d)
				b.ReportMetric(float64(flops)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

var sink float32

func BenchmarkDot(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		x, y := randSlice(r, d), randSlice(r, d)
		var s float32
		for b.Loop() {
			s += k.dot(x, y)
		}
		sink = s
		return 2 * d
	})
}

func BenchmarkAxpy(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		x, y := randSlice(r, d), randSlice(r, d)
		for b.Loop() {
			k.axpy(1e-9, x, y)
		}
		return 2 * d
	})
}

func BenchmarkScale(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 3))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		x := randSlice(r, d)
		for b.Loop() {
			k.scale(1, x)
		}
		return d
	})
}

// The row kernels are benchmarked as the trainer calls them: one context
// or output row set of 1+5 rows out of a cache-resident matrix.
const (
	benchRows   = 6
	benchMatrix = 256
)

func BenchmarkDotRows(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 4))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		x, m := randSlice(r, d), randSlice(r, benchMatrix*d)
		dst, rows := make([]float32, benchRows), randRows(r, benchRows, benchMatrix)
		for b.Loop() {
			k.dotRows(dst, x, m, rows)
		}
		return 2 * d * benchRows
	})
}

func BenchmarkAxpyRows(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 5))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		y, m := randSlice(r, d), randSlice(r, benchMatrix*d)
		a, rows := randSlice(r, benchRows), randRows(r, benchRows, benchMatrix)
		for i := range a {
			a[i] *= 1e-9
		}
		for b.Loop() {
			k.axpyRows(y, a, m, rows)
		}
		return 2 * d * benchRows
	})
}

func BenchmarkAxpyRowsScatter(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 6))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		y, x, m := randSlice(r, d), randSlice(r, d), randSlice(r, benchMatrix*d)
		a, rows := randSlice(r, benchRows), randRows(r, benchRows, benchMatrix)
		for i := range a {
			a[i] *= 1e-9
		}
		for b.Loop() {
			k.axpyRowsScatter(y, a, m, x, rows)
		}
		return 4 * d * benchRows
	})
}

// The query engine scores against a vocabulary-sized matrix.
const benchVocab = 30000

func BenchmarkMatVec(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 7))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		x, m := randSlice(r, d), randSlice(r, benchVocab*d)
		dst := make([]float32, benchVocab)
		for b.Loop() {
			k.matVec(dst, m, x)
		}
		return 2 * d * benchVocab
	})
}

func BenchmarkMatMulT(b *testing.B) {
	const queries = 16
	r := rand.New(rand.NewPCG(1, 8))
	benchEach(b, benchDims, func(b *testing.B, k kernels, d int) int {
		a, m := randSlice(r, queries*d), randSlice(r, benchVocab*d)
		dst := make([]float32, queries*benchVocab)
		for b.Loop() {
			k.matMulT(dst, a, m, d)
		}
		return 2 * d * queries * benchVocab
	})
}
