package simd

import "testing"

// kernels is one implementation of every kernel, so that tests and
// benchmarks can run each variant the CPU supports, not only the one the
// dispatch picks. Variants other than exported skip the argument checks and
// must be called with valid arguments.
type kernels struct {
	name            string
	dot             func(x, y []float32) float32
	axpy            func(a float32, x, y []float32)
	scale           func(a float32, x []float32)
	dotRows         func(dst, x, m []float32, rows []int32)
	axpyRows        func(y, a, m []float32, rows []int32)
	axpyRowsScatter func(y, a, m, x []float32, rows []int32)
	matVec          func(dst, m, x []float32)
	matMulT         func(dst, a, b []float32, dim int)
}

var genericKernels = kernels{
	name:            "generic",
	dot:             dotGeneric,
	axpy:            axpyGeneric,
	scale:           scaleGeneric,
	dotRows:         dotRowsGeneric,
	axpyRows:        axpyRowsGeneric,
	axpyRowsScatter: axpyRowsScatterGeneric,
	matVec:          matVecGeneric,
	matMulT:         matMulTGeneric,
}

// exportedKernels covers the argument checks and the dispatch.
var exportedKernels = kernels{
	name:            "exported",
	dot:             Dot,
	axpy:            Axpy,
	scale:           Scale,
	dotRows:         DotRows,
	axpyRows:        AxpyRows,
	axpyRowsScatter: AxpyRowsScatter,
	matVec:          MatVec,
	matMulT:         MatMulT,
}

// allKernels returns the generic kernels, the exported API, and every
// assembly variant this CPU supports, logging those it does not.
func allKernels(tb testing.TB) []kernels {
	ks := []kernels{genericKernels, exportedKernels}
	asm, missing := archKernels()
	for _, name := range missing {
		tb.Logf("CPU does not support %s; not tested", name)
	}
	return append(ks, asm...)
}
