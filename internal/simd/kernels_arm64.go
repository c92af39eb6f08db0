//go:build !purego

package simd

import "golang.org/x/sys/cpu"

// ASIMD (NEON) is part of the arm64 baseline, so this is true on every CPU
// Go runs on; the check keeps the generic fallback honest should that ever
// change.
var hasASIMD = cpu.ARM64.HasASIMD

//go:noescape
func dotNEON(x, y []float32) float32

//go:noescape
func axpyNEON(a float32, x, y []float32)

//go:noescape
func scaleNEON(a float32, x []float32)

//go:noescape
func dotRowsNEON(dst, x, m []float32, rows []int32)

//go:noescape
func matVecNEON(dst, m, x []float32)

//go:noescape
func axpyRowsNEON(y, a, m []float32, rows []int32)

//go:noescape
func axpyRowsScatterNEON(y, a, m, x []float32, rows []int32)

func dot(x, y []float32) float32 {
	if hasASIMD {
		return dotNEON(x, y)
	}
	return dotGeneric(x, y)
}

func axpy(a float32, x, y []float32) {
	if hasASIMD {
		axpyNEON(a, x, y)
	} else {
		axpyGeneric(a, x, y)
	}
}

func scale(a float32, x []float32) {
	if hasASIMD {
		scaleNEON(a, x)
	} else {
		scaleGeneric(a, x)
	}
}

func dotRows(dst, x, m []float32, rows []int32) {
	if hasASIMD {
		dotRowsNEON(dst, x, m, rows)
	} else {
		dotRowsGeneric(dst, x, m, rows)
	}
}

func axpyRows(y, a, m []float32, rows []int32) {
	if hasASIMD {
		axpyRowsNEON(y, a, m, rows)
	} else {
		axpyRowsGeneric(y, a, m, rows)
	}
}

func axpyRowsScatter(y, a, m, x []float32, rows []int32) {
	if hasASIMD {
		axpyRowsScatterNEON(y, a, m, x, rows)
	} else {
		axpyRowsScatterGeneric(y, a, m, x, rows)
	}
}

func matVec(dst, m, x []float32) {
	if hasASIMD {
		matVecNEON(dst, m, x)
	} else {
		matVecGeneric(dst, m, x)
	}
}

func matMulT(dst, a, b []float32, dim int) {
	if hasASIMD {
		matMulTNEON(dst, a, b, dim)
	} else {
		matMulTGeneric(dst, a, b, dim)
	}
}

// matMulTNEON scores blocks of rows of b, small enough to stay in cache,
// against every row of a, so that b (the large operand in query scoring)
// is read from memory once.
func matMulTNEON(dst, a, b []float32, dim int) {
	na, nb := len(a)/dim, len(b)/dim
	block := max(4, 16<<10/(4*dim)) // rows of b in 16 KiB
	for j0 := 0; j0 < nb; j0 += block {
		j1 := min(j0+block, nb)
		bj := b[j0*dim : j1*dim]
		for i := 0; i < na; i++ {
			matVecNEON(dst[i*nb+j0:i*nb+j1], bj, a[i*dim:][:dim])
		}
	}
}
