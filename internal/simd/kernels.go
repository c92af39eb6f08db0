package simd

// Dot returns the dot product of x and y[:len(x)]:
//
//	for i := range x { s += x[i] * y[i] }
func Dot(x, y []float32) float32 {
	y = y[:len(x)]
	var s float32
	for i := range x {
		s += x[i] * y[i]
	}
	return s
}

// Axpy adds a·x to y[:len(x)]:
//
//	for i := range x { y[i] += a * x[i] }
func Axpy(a float32, x, y []float32) {
	y = y[:len(x)]
	for i := range x {
		y[i] += a * x[i]
	}
}

// Scale multiplies x by a in place:
//
//	for i := range x { x[i] *= a }
func Scale(a float32, x []float32) {
	for i := range x {
		x[i] *= a
	}
}

// DotRows scores x against the rows of the row-major matrix m (row length
// len(x)) named by rows:
//
//	for i, r := range rows { dst[i] = Dot(x, m[int(r)*len(x):][:len(x)]) }
func DotRows(dst, x, m []float32, rows []int32) {
	d := len(x)
	for i, r := range rows {
		dst[i] = Dot(x, m[int(r)*d:][:d])
	}
}

// AxpyRows adds a linear combination of the rows of m named by rows to y
// (row length len(y)):
//
//	for i, r := range rows { Axpy(a[i], m[int(r)*len(y):][:len(y)], y) }
func AxpyRows(y, a, m []float32, rows []int32) {
	d := len(y)
	for i, r := range rows {
		Axpy(a[i], m[int(r)*d:][:d], y)
	}
}

// ScatterAxpy adds a[i]·x to each row of m named by rows (row length len(x)):
//
//	for i, r := range rows { Axpy(a[i], x, m[int(r)*len(x):][:len(x)]) }
func ScatterAxpy(m, a, x []float32, rows []int32) {
	d := len(x)
	for i, r := range rows {
		Axpy(a[i], x, m[int(r)*d:][:d])
	}
}

// MatVec multiplies the row-major matrix m (len(dst) rows of length len(x))
// by x:
//
//	for i := range dst { dst[i] = Dot(x, m[i*len(x):][:len(x)]) }
func MatVec(dst, m, x []float32) {
	d := len(x)
	for i := range dst {
		dst[i] = Dot(x, m[i*d:][:d])
	}
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
	for i := 0; i < na; i++ {
		for j := 0; j < nb; j++ {
			dst[i*nb+j] = Dot(a[i*dim:][:dim], b[j*dim:][:dim])
		}
	}
}
