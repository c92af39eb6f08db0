//go:build purego || !(amd64 || arm64)

package simd

// Without assembly the kernels are the pure-Go ones in generic.go.

func dot(x, y []float32) float32                         { return dotGeneric(x, y) }
func axpy(a float32, x, y []float32)                     { axpyGeneric(a, x, y) }
func scale(a float32, x []float32)                       { scaleGeneric(a, x) }
func dotRows(dst, x, m []float32, rows []int32)          { dotRowsGeneric(dst, x, m, rows) }
func axpyRows(y, a, m []float32, rows []int32)           { axpyRowsGeneric(y, a, m, rows) }
func axpyRowsScatter(y, a, m, x []float32, rows []int32) { axpyRowsScatterGeneric(y, a, m, x, rows) }
func matVec(dst, m, x []float32)                         { matVecGeneric(dst, m, x) }
func matMulT(dst, a, b []float32, dim int)               { matMulTGeneric(dst, a, b, dim) }
