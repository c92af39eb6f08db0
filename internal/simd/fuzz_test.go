package simd

import (
	"math/rand/v2"
	"testing"
)

// The fuzz targets compare every variant with the float64 references of
// kernels_test.go. Values decoded from fuzz input are small multiples of
// 1/256 (at most 128 in magnitude) so that no sum overflows; the
// interesting inputs are the lengths, offsets and row lists.

// floats decodes pairs of bytes as int16/256.
func floats(data []byte) []float32 {
	v := make([]float32, len(data)/2)
	for i := range v {
		v[i] = float32(int16(uint16(data[2*i])|uint16(data[2*i+1])<<8)) / 256
	}
	return v
}

// at copies v into a fresh slice starting off elements into its
// allocation, with capacity equal to its length.
func at(v []float32, off int) []float32 {
	buf := make([]float32, off+len(v))
	copy(buf[off:], v)
	return buf[off : off+len(v) : off+len(v)]
}

func FuzzDot(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, uint8(0))
	f.Add(make([]byte, 2*2*37), uint8(0x31))
	f.Fuzz(func(t *testing.T, data []byte, off uint8) {
		v := floats(data)
		n := len(v) / 2
		for _, k := range allKernels(t) {
			x, y := at(v[:n], int(off%8)), at(v[n:2*n], int(off/8%8))
			got := k.dot(x, y)
			want, mag := refDot(x, y)
			if !near(got, want, mag, n) {
				t.Fatalf("%s: Dot(%v, %v) = %v, want %v", k.name, x, y, got, want)
			}
		}
	})
}

func FuzzAxpy(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, int16(300), uint8(0))
	f.Add(make([]byte, 2*2*37), int16(-1), uint8(0x31))
	f.Fuzz(func(t *testing.T, data []byte, a16 int16, off uint8) {
		v := floats(data)
		n := len(v) / 2
		a := float32(a16) / 256
		for _, k := range allKernels(t) {
			x, y := at(v[:n], int(off%8)), at(v[n:2*n], int(off/8%8))
			k.axpy(a, x, y)
			checkAxpy(t, k.name+": Axpy", y, v[n:2*n], a, x)
		}
	})
}

func FuzzScale(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8}, int16(300), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, a16 int16, off uint8) {
		v := floats(data)
		a := float32(a16) / 256
		for _, k := range allKernels(t) {
			x := at(v, int(off%8))
			k.scale(a, x)
			for i := range x {
				if want := v[i] * a; x[i] != want {
					t.Fatalf("%s: Scale: x[%d] = %v, want %v", k.name, i, x[i], want)
				}
			}
		}
	})
}

// rowsCase is a random matrix problem: nrows rows of length d, and a rows
// list decoded as signed bytes, so that it may name rows out of range.
type rowsCase struct {
	r     *rand.Rand
	d     int
	nrows int
	rows  []int32
	valid bool // whether the documented loop would not panic
}

func newRowsCase(seed uint64, d uint16, nrows uint8, rowBytes []byte) rowsCase {
	c := rowsCase{r: rand.New(rand.NewPCG(seed, 0)), d: int(d % 400), nrows: int(nrows % 8), valid: true}
	if len(rowBytes) > 32 {
		rowBytes = rowBytes[:32]
	}
	for _, b := range rowBytes {
		r := int32(int8(b))
		c.rows = append(c.rows, r)
		if c.d > 0 && (r < 0 || int(r) >= c.nrows) {
			c.valid = false
		}
	}
	return c
}

func (c rowsCase) vec(n int) []float32 { return at(randSlice(c.r, n), c.r.IntN(4)) }

// mustPanic runs f and fails unless it panics.
func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("%s did not panic", what)
		}
	}()
	f()
}

func FuzzDotRows(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(5), []byte{0, 1, 2, 3, 4, 4})
	f.Add(uint64(2), uint16(37), uint8(3), []byte{2, 255})
	f.Fuzz(func(t *testing.T, seed uint64, d16 uint16, nrows uint8, rowBytes []byte) {
		c := newRowsCase(seed, d16, nrows, rowBytes)
		x, m := c.vec(c.d), c.vec(c.nrows*c.d)
		if !c.valid {
			mustPanic(t, "DotRows", func() { DotRows(make([]float32, len(c.rows)), x, m, c.rows) })
			return
		}
		for _, k := range allKernels(t) {
			dst := c.vec(len(c.rows))
			k.dotRows(dst, x, m, c.rows)
			for i, r := range c.rows {
				want, mag := refDot(x, row(m, r, c.d))
				if !near(dst[i], want, mag, c.d) {
					t.Fatalf("%s: DotRows d=%d rows=%v: dst[%d] = %v, want %v", k.name, c.d, c.rows, i, dst[i], want)
				}
			}
		}
	})
}

func FuzzAxpyRows(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(5), []byte{0, 1, 2, 3, 4, 4})
	f.Add(uint64(2), uint16(37), uint8(3), []byte{2, 255})
	f.Fuzz(func(t *testing.T, seed uint64, d16 uint16, nrows uint8, rowBytes []byte) {
		c := newRowsCase(seed, d16, nrows, rowBytes)
		m, a := c.vec(c.nrows*c.d), c.vec(len(c.rows))
		y0 := c.vec(c.d)
		if !c.valid {
			mustPanic(t, "AxpyRows", func() { AxpyRows(y0, a, m, c.rows) })
			return
		}
		for _, k := range allKernels(t) {
			y := at(y0, int(seed%4))
			k.axpyRows(y, a, m, c.rows)
			for j := range y {
				want, mag := float64(y0[j]), abs64(y0[j])
				for i, r := range c.rows {
					p := float64(a[i]) * float64(row(m, r, c.d)[j])
					want += p
					mag += abs64(float32(p))
				}
				if !near(y[j], want, mag, len(c.rows)) {
					t.Fatalf("%s: AxpyRows d=%d rows=%v: y[%d] = %v, want %v", k.name, c.d, c.rows, j, y[j], want)
				}
			}
		}
	})
}

func FuzzAxpyRowsScatter(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(5), []byte{0, 1, 2, 3, 4, 4})
	f.Add(uint64(2), uint16(37), uint8(3), []byte{2, 255})
	f.Fuzz(func(t *testing.T, seed uint64, d16 uint16, nrows uint8, rowBytes []byte) {
		c := newRowsCase(seed, d16, nrows, rowBytes)
		m0, a, x, y0 := c.vec(c.nrows*c.d), c.vec(len(c.rows)), c.vec(c.d), c.vec(c.d)
		if !c.valid {
			mustPanic(t, "AxpyRowsScatter", func() { AxpyRowsScatter(y0, a, m0, x, c.rows) })
			return
		}
		wantY, magY, wantM, magM := refAxpyRowsScatter(y0, a, m0, x, c.rows)
		for _, k := range allKernels(t) {
			y, m := at(y0, int(seed%4)), at(m0, int(seed/4%4))
			k.axpyRowsScatter(y, a, m, x, c.rows)
			for j, v := range y {
				if !near(v, wantY[j], magY[j], 2*len(c.rows)) {
					t.Fatalf("%s: AxpyRowsScatter d=%d rows=%v: y[%d] = %v, want %v", k.name, c.d, c.rows, j, v, wantY[j])
				}
			}
			for i, v := range m {
				if !near(v, wantM[i], magM[i], len(c.rows)) {
					t.Fatalf("%s: AxpyRowsScatter d=%d rows=%v: m[%d] = %v, want %v", k.name, c.d, c.rows, i, v, wantM[i])
				}
			}
		}
	})
}

func FuzzMatVec(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, d16 uint16, nrows uint8) {
		c := newRowsCase(seed, d16, 0, nil)
		n := int(nrows % 32)
		x, m := c.vec(c.d), c.vec(n*c.d)
		for _, k := range allKernels(t) {
			dst := c.vec(n)
			k.matVec(dst, m, x)
			for i := range dst {
				want, mag := refDot(x, row(m, int32(i), c.d))
				if !near(dst[i], want, mag, c.d) {
					t.Fatalf("%s: MatVec d=%d: dst[%d] = %v, want %v", k.name, c.d, i, dst[i], want)
				}
			}
		}
	})
}

func FuzzMatMulT(f *testing.F) {
	f.Add(uint64(1), uint16(100), uint8(5), uint8(9))
	f.Fuzz(func(t *testing.T, seed uint64, d16 uint16, na8, nb8 uint8) {
		c := newRowsCase(seed, d16, 0, nil)
		dim, na, nb := 1+c.d, int(na8%20), int(nb8%20)
		a, b := c.vec(na*dim), c.vec(nb*dim)
		for _, k := range allKernels(t) {
			dst := c.vec(na * nb)
			k.matMulT(dst, a, b, dim)
			for i := range na {
				for j := range nb {
					want, mag := refDot(row(a, int32(i), dim), row(b, int32(j), dim))
					if got := dst[i*nb+j]; !near(got, want, mag, dim) {
						t.Fatalf("%s: MatMulT dim=%d %d×%d: [%d,%d] = %v, want %v", k.name, dim, na, nb, i, j, got, want)
					}
				}
			}
		}
	})
}

func abs64(v float32) float64 {
	if v < 0 {
		return -float64(v)
	}
	return float64(v)
}
