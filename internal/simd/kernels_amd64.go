//go:build !purego

package simd

import "golang.org/x/sys/cpu"

// Decided once at init. The AVX2 kernels also use FMA; the AVX-512 kernels
// use AVX512F, its VL forms in their reductions, and BMI2 to build tail
// masks. cpu.X86 already accounts for the OS saving the wider registers.
var (
	hasAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	hasAVX512 = hasAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512VL && cpu.X86.HasBMI2
)

// The dispatching kernels are in dispatch_amd64.s.

//go:noescape
func dot(x, y []float32) float32

//go:noescape
func axpy(a float32, x, y []float32)

//go:noescape
func scale(a float32, x []float32)

//go:noescape
func dotRows(dst, x, m []float32, rows []int32)

//go:noescape
func axpyRows(y, a, m []float32, rows []int32)

//go:noescape
func axpyRowsScatter(y, a, m, x []float32, rows []int32)

//go:noescape
func matVec(dst, m, x []float32)

//go:noescape
func matMulT(dst, a, b []float32, dim int)

func matMulTAVX2(dst, a, b []float32, dim int)   { matMulTBlocked(dst, a, b, dim, false) }
func matMulTAVX512(dst, a, b []float32, dim int) { matMulTBlocked(dst, a, b, dim, true) }

// matMulTBlocked leaves the rows of a and b that fill whole 4×4 blocks to
// the assembly and scores the rest with dot and matVec, which is cheap: at
// most 3 rows of a against b, and 3 rows of b against a. (Direct calls
// rather than function values keep the slices from escaping.)
func matMulTBlocked(dst, a, b []float32, dim int, avx512 bool) {
	na, nb := len(a)/dim, len(b)/dim
	na4, nb4 := na&^3, nb&^3
	if na4 > 0 && nb4 > 0 {
		if avx512 {
			matMulT4x4AVX512(dst, a, b, dim, na4, nb4, nb)
		} else {
			matMulT4x4AVX2(dst, a, b, dim, na4, nb4, nb)
		}
	}
	for j := nb4; j < nb; j++ {
		bj := b[j*dim:][:dim]
		for i := range na4 {
			ai := a[i*dim:][:dim]
			if avx512 {
				dst[i*nb+j] = dotAVX512(ai, bj)
			} else {
				dst[i*nb+j] = dotAVX2(ai, bj)
			}
		}
	}
	for i := na4; i < na; i++ {
		d, ai := dst[i*nb:][:nb], a[i*dim:][:dim]
		if avx512 {
			matVecAVX512(d, b, ai)
		} else {
			matVecAVX2(d, b, ai)
		}
	}
}
