package simd

// The exported kernels below check every length and row index up front,
// with the same slice expressions as the loops they document, so that they
// panic in the same cases as those loops (though before writing anything)
// and the implementations behind them (assembly or pure Go, chosen per
// architecture in kernels_*.go) can run without bounds checks. Because the
// checks use Go's slice expressions, a row may extend into m's capacity,
// just as in the documented loops.
//
// Results may differ from the documented loops in the last bits: sums are
// accumulated in a different order, and the assembly fuses multiplications
// and additions (one rounding instead of two).
//
// The vectorized implementations assume that an output does not partially
// overlap an input (for example Axpy(a, v[1:], v)); when it does, the result
// may differ from the documented loop, though memory outside the slices is
// never touched.

// Dot returns the dot product of x and y[:len(x)]:
//
//	for i := range x { s += x[i] * y[i] }
func Dot(x, y []float32) float32 {
	return dot(x, y[:len(x)])
}

// Axpy adds a·x to y[:len(x)]:
//
//	for i := range x { y[i] += a * x[i] }
func Axpy(a float32, x, y []float32) {
	axpy(a, x, y[:len(x)])
}

// Scale multiplies x by a in place:
//
//	for i := range x { x[i] *= a }
func Scale(a float32, x []float32) {
	scale(a, x)
}

// DotRows scores x against the rows of the row-major matrix m (row length
// len(x)) named by rows:
//
//	for i, r := range rows { dst[i] = Dot(x, m[int(r)*len(x):][:len(x)]) }
func DotRows(dst, x, m []float32, rows []int32) {
	if len(rows) == 0 {
		return
	}
	_ = dst[len(rows)-1]
	checkRows(m, rows, len(x))
	dotRows(dst, x, m, rows)
}

// AxpyRows adds a linear combination of the rows of m named by rows to y
// (row length len(y)):
//
//	for i, r := range rows { Axpy(a[i], m[int(r)*len(y):][:len(y)], y) }
func AxpyRows(y, a, m []float32, rows []int32) {
	if len(rows) == 0 {
		return
	}
	_ = a[len(rows)-1]
	checkRows(m, rows, len(y))
	axpyRows(y, a, m, rows)
}

// AxpyRowsScatter is AxpyRows and the opposite update in one pass over the
// rows: each row of m named by rows (row length len(y)) is added to y with
// weight a[i] and then moved by a[i]·x, in order, so a row named twice
// contributes its moved value the second time:
//
//	for i, r := range rows {
//		row := m[int(r)*len(y):][:len(y)]
//		Axpy(a[i], row, y)
//		Axpy(a[i], x[:len(y)], row)
//	}
//
// It is the update of a logistic unit's two vectors after scoring them
// against each other: y collects the input's gradient, each row takes its
// own step.
func AxpyRowsScatter(y, a, m, x []float32, rows []int32) {
	if len(rows) == 0 {
		return
	}
	_ = a[len(rows)-1]
	x = x[:len(y)]
	checkRows(m, rows, len(y))
	axpyRowsScatter(y, a, m, x, rows)
}

// MatVec multiplies the row-major matrix m (len(dst) rows of length len(x))
// by x:
//
//	for i := range dst { dst[i] = Dot(x, m[i*len(x):][:len(x)]) }
func MatVec(dst, m, x []float32) {
	n, d := len(dst), len(x)
	if n == 0 {
		return
	}
	// Rows are checked in order, so the last one is the only one that can
	// fail; the division guards the multiplication against overflow.
	if d != 0 && n-1 > len(m)/d {
		panic("simd: MatVec: m has fewer than len(dst) rows")
	}
	_ = m[(n-1)*d:][:d]
	matVec(dst, m, x)
}

// MatMulT computes dst = a·bᵀ for row-major a (len(a)/dim rows) and b
// (len(b)/dim rows), with dst row-major of shape rows(a) × rows(b):
//
//	for i := 0; i < len(a)/dim; i++ {
//		for j := 0; j < len(b)/dim; j++ {
//			dst[i*(len(b)/dim)+j] = Dot(a[i*dim:][:dim], b[j*dim:][:dim])
//		}
//	}
func MatMulT(dst, a, b []float32, dim int) {
	na, nb := len(a)/dim, len(b)/dim
	if na <= 0 || nb <= 0 {
		return
	}
	if na > len(dst)/nb {
		panic("simd: MatMulT: dst is shorter than rows(a)·rows(b)")
	}
	matMulT(dst[:na*nb], a[:na*dim], b[:nb*dim], dim)
}

// checkRows panics unless m[int(r)*d:][:d] is valid for every r in rows
// (at least one). The valid r form an interval, so checking the smallest
// and the largest suffices, and finding them costs less than checking
// each: for the trainer's short row lists the checks were a tenth of the
// training time.
func checkRows(m []float32, rows []int32, d int) {
	lo, hi := rows[0], rows[0]
	for _, r := range rows[1:] {
		lo, hi = min(lo, r), max(hi, r)
	}
	_ = m[int(lo)*d:][:d]
	_ = m[int(hi)*d:][:d]
}
