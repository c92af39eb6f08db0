package simd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// The references below compute in float64, which is exact enough to judge
// float32 kernels that sum in a different order. Each also returns a
// magnitude (the sum of the absolute values of the terms) from which the
// tolerance is derived: summing n float32 terms in any order errs by at most
// about n·2⁻²⁴ times that magnitude.

const eps32 = 1.0 / (1 << 24)

func refDot(x, y []float32) (sum, mag float64) {
	for i := range x {
		p := float64(x[i]) * float64(y[i])
		sum += p
		mag += math.Abs(p)
	}
	return sum, mag
}

// near reports whether got is within the rounding error of n float32
// operations on terms of total magnitude mag from want.
func near(got float32, want, mag float64, n int) bool {
	tol := 2*float64(n+1)*eps32*mag + 1e-30
	return math.Abs(float64(got)-want) <= tol
}

// guard is a NaN with a recognizable payload placed around every test
// slice: a kernel that reads it produces NaN, and one that writes it
// changes its bits.
var guard = math.Float32frombits(0x7fc0dead)

const pad = 32 // guard elements on each side, at least one ZMM register

// buffer holds a test slice surrounded by guards.
type buffer struct {
	all []float32
	lo  int
	n   int
}

// newBuffer returns n random values in ±[0.5, 1.5), starting off elements
// past a guard region. The values are bounded away from zero so that a
// skipped or repeated term always exceeds the tolerance.
func newBuffer(r *rand.Rand, n, off int) *buffer {
	b := &buffer{all: make([]float32, pad+off+n+pad), lo: pad + off, n: n}
	for i := range b.all {
		b.all[i] = guard
	}
	v := b.s()
	for i := range v {
		v[i] = randVal(r)
	}
	return b
}

func randVal(r *rand.Rand) float32 {
	v := 0.5 + r.Float32()
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// s returns the slice, with capacity equal to its length so that
// nothing past it is legally reachable.
func (b *buffer) s() []float32 { return b.all[b.lo : b.lo+b.n : b.lo+b.n] }

func (b *buffer) copy() []float32 { return append([]float32(nil), b.s()...) }

// checkGuards fails the test if anything outside the slice was modified.
func (b *buffer) checkGuards(t *testing.T, what string) {
	t.Helper()
	for i, v := range b.all {
		if (i < b.lo || i >= b.lo+b.n) && math.Float32bits(v) != math.Float32bits(guard) {
			t.Fatalf("%s: wrote element %d outside the slice", what, i-b.lo)
		}
	}
}

// offsets are the element offsets at which test slices start: aligned and
// misaligned for every vector width.
var offsets = []int{0, 1, 3}

func TestDot(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, k := range allKernels(t) {
		for n := 0; n <= 300; n++ {
			for _, ox := range offsets {
				for _, oy := range offsets {
					x, y := newBuffer(r, n, ox), newBuffer(r, n, oy)
					got := k.dot(x.s(), y.s())
					want, mag := refDot(x.s(), y.s())
					if !near(got, want, mag, n) {
						t.Fatalf("%s: Dot n=%d offsets %d,%d = %v, want %v", k.name, n, ox, oy, got, want)
					}
				}
			}
		}
	}
}

// checkAxpy compares y, the result of adding a·x to y0, with the
// reference, allowing for one fused or two separate roundings.
func checkAxpy(t *testing.T, what string, y, y0 []float32, a float32, x []float32) {
	t.Helper()
	for i := range y {
		ax := float64(a) * float64(x[i])
		want := float64(y0[i]) + ax
		if !near(y[i], want, math.Abs(float64(y0[i]))+math.Abs(ax), 1) {
			t.Fatalf("%s: y[%d] = %v, want %v", what, i, y[i], want)
		}
	}
}

func TestAxpy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, k := range allKernels(t) {
		for n := 0; n <= 300; n++ {
			for _, ox := range offsets {
				for _, oy := range offsets {
					x, y := newBuffer(r, n, ox), newBuffer(r, n, oy)
					y0 := y.copy()
					a := randVal(r)
					k.axpy(a, x.s(), y.s())
					what := fmt.Sprintf("%s: Axpy n=%d offsets %d,%d", k.name, n, ox, oy)
					y.checkGuards(t, what)
					checkAxpy(t, what, y.s(), y0, a, x.s())
				}
			}
		}
	}
}

func TestScale(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, k := range allKernels(t) {
		for n := 0; n <= 300; n++ {
			for _, ox := range offsets {
				x := newBuffer(r, n, ox)
				x0 := x.copy()
				a := randVal(r)
				k.scale(a, x.s())
				what := fmt.Sprintf("%s: Scale n=%d offset %d", k.name, n, ox)
				x.checkGuards(t, what)
				// A single rounding either way: results must be exact.
				for i, v := range x.s() {
					if want := x0[i] * a; v != want {
						t.Fatalf("%s: x[%d] = %v, want %v", what, i, v, want)
					}
				}
			}
		}
	}
}

// rowCounts are the lengths of the rows lists tested: below, at and above
// the kernels' 4-row blocks, and the trainer's typical 6 (1+5 negatives).
var rowCounts = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 20}

// randRows returns n row indices below nrows; with few rows to pick from,
// rows repeat.
func randRows(r *rand.Rand, n, nrows int) []int32 {
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(r.IntN(nrows))
	}
	return rows
}

// row returns row i of the row-major matrix m with rows of length d.
func row(m []float32, i int32, d int) []float32 { return m[int(i)*d:][:d] }

func TestDotRows(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const nrows = 5
	for _, k := range allKernels(t) {
		for d := 0; d <= 300; d++ {
			for _, nr := range rowCounts {
				off := (d + nr) % 4
				x, m := newBuffer(r, d, off), newBuffer(r, nrows*d, 3-off)
				dst := newBuffer(r, nr, off)
				rows := randRows(r, nr, nrows)
				k.dotRows(dst.s(), x.s(), m.s(), rows)
				what := fmt.Sprintf("%s: DotRows d=%d rows=%v", k.name, d, rows)
				dst.checkGuards(t, what)
				for i, ri := range rows {
					want, mag := refDot(x.s(), row(m.s(), ri, d))
					if !near(dst.s()[i], want, mag, d) {
						t.Fatalf("%s: dst[%d] = %v, want %v", what, i, dst.s()[i], want)
					}
				}
			}
		}
	}
}

func TestAxpyRows(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	const nrows = 5
	for _, k := range allKernels(t) {
		for d := 0; d <= 300; d++ {
			for _, nr := range rowCounts {
				off := (d + nr) % 4
				y, m := newBuffer(r, d, off), newBuffer(r, nrows*d, 3-off)
				a := newBuffer(r, nr, 0).s()
				rows := randRows(r, nr, nrows)
				y0 := y.copy()
				k.axpyRows(y.s(), a, m.s(), rows)
				what := fmt.Sprintf("%s: AxpyRows d=%d rows=%v", k.name, d, rows)
				y.checkGuards(t, what)
				for j := range d {
					want, mag := float64(y0[j]), math.Abs(float64(y0[j]))
					for i, ri := range rows {
						p := float64(a[i]) * float64(row(m.s(), ri, d)[j])
						want += p
						mag += math.Abs(p)
					}
					if !near(y.s()[j], want, mag, nr) {
						t.Fatalf("%s: y[%d] = %v, want %v", what, j, y.s()[j], want)
					}
				}
			}
		}
	}
}

// refAxpyRowsScatter runs AxpyRowsScatter's documented loop in float64 on
// copies of y and m. With each result it returns the magnitude its rounding
// error scales with: the sum of the absolute values of its terms, where a
// row's term in y counts with the magnitude the row had reached.
func refAxpyRowsScatter(y, a, m, x []float32, rows []int32) (wantY, magY, wantM, magM []float64) {
	d := len(y)
	wantY, magY = make([]float64, d), make([]float64, d)
	wantM, magM = make([]float64, len(m)), make([]float64, len(m))
	for j, v := range y {
		wantY[j], magY[j] = float64(v), math.Abs(float64(v))
	}
	for i, v := range m {
		wantM[i], magM[i] = float64(v), math.Abs(float64(v))
	}
	for i, r := range rows {
		ai := float64(a[i])
		for j := range d {
			k := int(r)*d + j
			wantY[j] += ai * wantM[k]
			magY[j] += math.Abs(ai) * magM[k]
			p := ai * float64(x[j])
			wantM[k] += p
			magM[k] += math.Abs(p)
		}
	}
	return wantY, magY, wantM, magM
}

func TestAxpyRowsScatter(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const nrows = 5
	for _, k := range allKernels(t) {
		for d := 0; d <= 300; d++ {
			for _, nr := range rowCounts {
				off := (d + nr) % 4
				y, x, m := newBuffer(r, d, off), newBuffer(r, d, 3-off), newBuffer(r, nrows*d, (off+1)%4)
				a := newBuffer(r, nr, 0).s()
				rows := randRows(r, nr, nrows)
				wantY, magY, wantM, magM := refAxpyRowsScatter(y.s(), a, m.s(), x.s(), rows)
				k.axpyRowsScatter(y.s(), a, m.s(), x.s(), rows)
				what := fmt.Sprintf("%s: AxpyRowsScatter d=%d rows=%v", k.name, d, rows)
				y.checkGuards(t, what)
				m.checkGuards(t, what)
				for j, v := range y.s() {
					if !near(v, wantY[j], magY[j], 2*nr) {
						t.Fatalf("%s: y[%d] = %v, want %v", what, j, v, wantY[j])
					}
				}
				for i, v := range m.s() {
					if !near(v, wantM[i], magM[i], nr) {
						t.Fatalf("%s: m[%d] = %v, want %v", what, i, v, wantM[i])
					}
				}
			}
		}
	}
}

// TestRepeatedRowsExact checks that repeated rows are applied once per
// mention, in order, using small integers so that every result is exact
// whatever the rounding: an implementation that loaded a row twice before
// storing it would lose an update.
func TestRepeatedRowsExact(t *testing.T) {
	for _, k := range allKernels(t) {
		for _, d := range []int{1, 7, 16, 33, 100} {
			rows := []int32{2, 2, 0, 2, 2, 2, 1, 2}
			a := []float32{1, 2, 3, 4, 5, 6, 7, 8}
			x := make([]float32, d)
			for j := range x {
				x[j] = float32(j%5 + 1)
			}
			m := make([]float32, 3*d)
			y := make([]float32, d)
			k.axpyRowsScatter(y, a, m, x, rows)
			for j := range d {
				if got, want := m[2*d+j], (1+2+4+5+6+8)*x[j]; got != want {
					t.Fatalf("%s: AxpyRowsScatter d=%d: row 2 [%d] = %v, want %v", k.name, d, j, got, want)
				}
				// Each mention of row 2 adds the row as the earlier
				// mentions left it.
				var want, row2 float32
				for i, ri := range rows {
					if ri == 2 {
						want += a[i] * row2
						row2 += a[i] * x[j]
					}
				}
				if y[j] != want {
					t.Fatalf("%s: AxpyRowsScatter d=%d: y[%d] = %v, want %v", k.name, d, j, y[j], want)
				}
			}
			clear(y)
			for j := range m {
				m[j] = float32(j%3 + 1)
			}
			k.axpyRows(y, a, m, rows)
			for j := range d {
				want := float32(0)
				for i, ri := range rows {
					want += a[i] * m[int(ri)*d+j]
				}
				if y[j] != want {
					t.Fatalf("%s: AxpyRows d=%d: y[%d] = %v, want %v", k.name, d, j, y[j], want)
				}
			}
		}
	}
}

func TestMatVec(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, k := range allKernels(t) {
		for d := 0; d <= 300; d++ {
			for _, nr := range []int{0, 1, 3, 4, 6, 9} {
				off := (d + nr) % 4
				x, m := newBuffer(r, d, off), newBuffer(r, nr*d, 3-off)
				dst := newBuffer(r, nr, off)
				k.matVec(dst.s(), m.s(), x.s())
				what := fmt.Sprintf("%s: MatVec d=%d rows=%d", k.name, d, nr)
				dst.checkGuards(t, what)
				for i := range nr {
					want, mag := refDot(x.s(), row(m.s(), int32(i), d))
					if !near(dst.s()[i], want, mag, d) {
						t.Fatalf("%s: dst[%d] = %v, want %v", what, i, dst.s()[i], want)
					}
				}
			}
		}
	}
}

func TestMatMulT(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	shapes := [][2]int{{1, 1}, {1, 5}, {3, 4}, {4, 4}, {4, 7}, {5, 8}, {8, 9}, {9, 3}, {13, 12}}
	for _, k := range allKernels(t) {
		for dim := 1; dim <= 300; dim++ {
			for _, sh := range shapes {
				na, nb := sh[0], sh[1]
				off := (dim + na) % 4
				a, b := newBuffer(r, na*dim, off), newBuffer(r, nb*dim, 3-off)
				dst := newBuffer(r, na*nb, off)
				k.matMulT(dst.s(), a.s(), b.s(), dim)
				what := fmt.Sprintf("%s: MatMulT dim=%d %d×%d", k.name, dim, na, nb)
				dst.checkGuards(t, what)
				for i := range na {
					for j := range nb {
						want, mag := refDot(row(a.s(), int32(i), dim), row(b.s(), int32(j), dim))
						if got := dst.s()[i*nb+j]; !near(got, want, mag, dim) {
							t.Fatalf("%s: dst[%d,%d] = %v, want %v", what, i, j, got, want)
						}
					}
				}
			}
		}
	}
}

// TestPanics checks that the exported kernels reject out-of-range
// arguments before touching memory, as the documented loops would panic.
func TestPanics(t *testing.T) {
	const d = 8
	// m has 4 rows and no spare capacity, followed by guards.
	buf := make([]float32, 5*d)
	for i := range buf {
		buf[i] = guard
	}
	m := buf[: 4*d : 4*d]
	for i := range m {
		m[i] = 1
	}
	x, y := make([]float32, d), make([]float32, d)
	a, dst := make([]float32, 3), make([]float32, 3)
	tests := []struct {
		name string
		f    func()
	}{
		{"Dot short y", func() { Dot(x, y[:d-1:d-1]) }},
		{"Axpy short y", func() { Axpy(1, x, y[:d-1:d-1]) }},
		{"DotRows row too big", func() { DotRows(dst, x, m, []int32{0, 4}) }},
		{"DotRows negative row", func() { DotRows(dst, x, m, []int32{-1}) }},
		{"DotRows short dst", func() { DotRows(dst[:1], x, m, []int32{0, 1}) }},
		{"AxpyRows row too big", func() { AxpyRows(y, a, m, []int32{1, 2, 4}) }},
		{"AxpyRows negative row", func() { AxpyRows(y, a, m, []int32{-1}) }},
		{"AxpyRows short a", func() { AxpyRows(y, a[:1], m, []int32{0, 1}) }},
		{"AxpyRowsScatter row too big", func() { AxpyRowsScatter(y, a, m, x, []int32{0, 1, 4}) }},
		{"AxpyRowsScatter huge row", func() { AxpyRowsScatter(y, a, m, x, []int32{math.MaxInt32}) }},
		{"AxpyRowsScatter negative row", func() { AxpyRowsScatter(y, a, m, x, []int32{-2}) }},
		{"AxpyRowsScatter short a", func() { AxpyRowsScatter(y, a[:2], m, x, []int32{0, 1, 2}) }},
		{"AxpyRowsScatter short x", func() { AxpyRowsScatter(y, a, m, x[:d-1:d-1], []int32{0}) }},
		{"MatVec short m", func() { MatVec(make([]float32, 5), m, x) }},
		{"MatVec partial row", func() { MatVec(make([]float32, 4), m[:4*d-1:4*d-1], x) }},
		{"MatMulT short dst", func() { MatMulT(make([]float32, 15), m, m, d) }},
		{"MatMulT zero dim", func() { MatMulT(dst, m, m, 0) }},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: did not panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
	for i, v := range m {
		if v != 1 {
			t.Fatalf("m[%d] modified to %v", i, v)
		}
	}
	for i, v := range buf[4*d:] {
		if math.Float32bits(v) != math.Float32bits(guard) {
			t.Fatalf("guard %d past m modified", i)
		}
	}
}

// TestEmpty checks that empty arguments are accepted where the documented
// loops accept them.
func TestEmpty(t *testing.T) {
	Dot(nil, nil)
	Axpy(1, nil, nil)
	Scale(1, nil)
	DotRows(nil, nil, nil, nil)
	DotRows(make([]float32, 2), nil, nil, []int32{5, 7}) // zero-length rows
	AxpyRows(nil, nil, nil, nil)
	AxpyRowsScatter(nil, []float32{1}, nil, nil, []int32{3})
	MatVec(nil, nil, nil)
	MatVec(make([]float32, 3), nil, nil)
	MatMulT(nil, nil, nil, 4)
	MatMulT(nil, make([]float32, 3), make([]float32, 8), 4) // no whole row of a
}

// TestNoAllocs checks that the kernels do not allocate, including through
// escaping arguments.
func TestNoAllocs(t *testing.T) {
	x, y, m := make([]float32, 100), make([]float32, 100), make([]float32, 800)
	dst := make([]float32, 64)
	rows := []int32{1, 2, 3, 4, 5, 6}
	a := make([]float32, 6)
	n := testing.AllocsPerRun(10, func() {
		Dot(x, y)
		Axpy(2, x, y)
		Scale(2, x)
		DotRows(dst, x, m, rows)
		AxpyRows(y, a, m, rows)
		AxpyRowsScatter(y, a, m, x, rows)
		MatVec(dst[:8], m, x)
		MatMulT(dst, m[:200], m[:800], 50)
	})
	if n != 0 {
		t.Errorf("kernels allocate %v times per run", n)
	}
}

// TestAxpyInPlace checks that y += a·y, where x and y are the same slice,
// works as in the documented loop.
func TestAxpyInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, k := range allKernels(t) {
		for n := 0; n <= 300; n++ {
			v := newBuffer(r, n, n%4)
			v0 := v.copy()
			k.axpy(2, v.s(), v.s())
			v.checkGuards(t, k.name+": Axpy in place")
			for i, got := range v.s() {
				// 2·v is exact, so one rounding or two give the same.
				if want := v0[i] + 2*v0[i]; got != want {
					t.Fatalf("%s: Axpy in place n=%d: v[%d] = %v, want %v", k.name, n, i, got, want)
				}
			}
		}
	}
}
