//go:build !purego

package simd

func archKernels() (supported []kernels, missing []string) {
	neon := kernels{
		name:            "neon",
		dot:             dotNEON,
		axpy:            axpyNEON,
		scale:           scaleNEON,
		dotRows:         dotRowsNEON,
		axpyRows:        axpyRowsNEON,
		axpyRowsScatter: axpyRowsScatterNEON,
		matVec:          matVecNEON,
		matMulT:         matMulTNEON,
	}
	if !hasASIMD {
		return nil, []string{neon.name}
	}
	return []kernels{neon}, nil
}
