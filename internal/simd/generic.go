package simd

// The pure-Go kernels below serve three purposes: they are the
// implementation on architectures without assembly and under the purego
// build tag, the fallback on amd64 CPUs without AVX2 and FMA, and the
// baseline the assembly is benchmarked against. They are therefore written
// to be fast Go, not merely obvious Go: four independent accumulators hide
// the latency of floating-point addition, and re-slicing to fixed-length
// windows (x[i:i+4:i+4]) lets the compiler drop the bounds checks in the
// unrolled bodies.
//
// Callers (the exported wrappers in kernels.go) have already checked every
// length and row index, so these functions may assume valid arguments.

func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		s0 += xs[0] * ys[0]
		s1 += xs[1] * ys[1]
		s2 += xs[2] * ys[2]
		s3 += xs[3] * ys[3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGeneric(a float32, x, y []float32) {
	y = y[:len(x)]
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs, ys := x[i:i+4:i+4], y[i:i+4:i+4]
		ys[0] += a * xs[0]
		ys[1] += a * xs[1]
		ys[2] += a * xs[2]
		ys[3] += a * xs[3]
	}
	for ; i < len(x); i++ {
		y[i] += a * x[i]
	}
}

func scaleGeneric(a float32, x []float32) {
	i := 0
	for ; i+4 <= len(x); i += 4 {
		xs := x[i : i+4 : i+4]
		xs[0] *= a
		xs[1] *= a
		xs[2] *= a
		xs[3] *= a
	}
	for ; i < len(x); i++ {
		x[i] *= a
	}
}

func dotRowsGeneric(dst, x, m []float32, rows []int32) {
	d := len(x)
	for i, r := range rows {
		dst[i] = dotGeneric(x, m[int(r)*d:][:d])
	}
}

func axpyRowsGeneric(y, a, m []float32, rows []int32) {
	d := len(y)
	for i, r := range rows {
		axpyGeneric(a[i], m[int(r)*d:][:d], y)
	}
}

func axpyRowsScatterGeneric(y, a, m, x []float32, rows []int32) {
	d := len(y)
	for i, r := range rows {
		row := m[int(r)*d:][:d]
		axpyGeneric(a[i], row, y)
		axpyGeneric(a[i], x, row)
	}
}

func matVecGeneric(dst, m, x []float32) {
	d := len(x)
	for i := range dst {
		dst[i] = dotGeneric(x, m[i*d:][:d])
	}
}

// matMulTGeneric walks b in the outer loop so that each row of b, the large
// operand in query scoring, is brought into cache once and then scored
// against every (small, cache-resident) row of a.
func matMulTGeneric(dst, a, b []float32, dim int) {
	na, nb := len(a)/dim, len(b)/dim
	for j := range nb {
		bj := b[j*dim:][:dim]
		for i := range na {
			dst[i*nb+j] = dotGeneric(a[i*dim:][:dim], bj)
		}
	}
}
