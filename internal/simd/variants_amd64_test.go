//go:build !purego

package simd

func archKernels() (supported []kernels, missing []string) {
	avx2 := kernels{
		name:            "avx2",
		dot:             dotAVX2,
		axpy:            axpyAVX2,
		scale:           scaleAVX2,
		dotRows:         dotRowsAVX2,
		axpyRows:        axpyRowsAVX2,
		axpyRowsScatter: axpyRowsScatterAVX2,
		matVec:          matVecAVX2,
		matMulT:         matMulTAVX2,
	}
	avx512 := kernels{
		name:            "avx512",
		dot:             dotAVX512,
		axpy:            axpyAVX512,
		scale:           scaleAVX512,
		dotRows:         dotRowsAVX512,
		axpyRows:        axpyRowsAVX512,
		axpyRowsScatter: axpyRowsScatterAVX512,
		matVec:          matVecAVX512,
		matMulT:         matMulTAVX512,
	}
	if hasAVX2 {
		supported = append(supported, avx2)
	} else {
		missing = append(missing, avx2.name)
	}
	if hasAVX512 {
		supported = append(supported, avx512)
	} else {
		missing = append(missing, avx512.name)
	}
	return supported, missing
}
