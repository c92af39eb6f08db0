// Command asm generates the amd64 assembly of package simd with avo.
//
// It lives in its own module so that the main module does not depend on
// avo. Regenerate from internal/simd with
//
//	go generate
//
// which runs, in this directory,
//
//	go run . -out ../kernels_avx_amd64.s -stubs ../kernels_avx_amd64.go -pkg simd
//
// Every kernel is emitted twice from the same Go code: once for AVX2+FMA
// (8 lanes, 16 YMM registers) and once for AVX-512 (16 lanes, 32 ZMM
// registers, opmasks). The isa type hides most of the differences.
//
// The generated functions take their arguments unchecked: the Go wrappers
// in package simd check lengths and row indices first.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

func main() {
	ConstraintExpr("!purego")
	for _, s := range []isa{avx2, avx512} {
		genDot(s)
		genAxpy(s)
		genScale(s)
		genDotRows(s)
		genMatVec(s)
		genAxpyRows(s)
		genAxpyRowsScatter(s)
		genMatMulT(s)
	}
	Generate()
}

// isa describes one vector instruction set.
type isa struct {
	name  string // suffix of the generated functions
	lanes int    // float32 lanes per vector
	vec   func() VecVirtual
}

var (
	avx2   = isa{name: "AVX2", lanes: 8, vec: YMM}
	avx512 = isa{name: "AVX512", lanes: 16, vec: ZMM}
)

func (s isa) is512() bool { return s.lanes == 16 }

// size is the width of a vector in bytes.
func (s isa) size() int { return 4 * s.lanes }

func (s isa) text(name, sig string, doc ...string) {
	TEXT(name+s.name, NOSPLIT, sig)
	Pragma("noescape")
	Doc(doc...)
}

// zero returns n zeroed vectors. VPXORD rather than VXORPS because the
// 512-bit form of the latter needs AVX512DQ.
func (s isa) zero(n int) []VecVirtual {
	v := make([]VecVirtual, n)
	for i := range v {
		v[i] = s.vec()
		if s.is512() {
			VPXORD(v[i], v[i], v[i])
		} else {
			VXORPS(v[i], v[i], v[i])
		}
	}
	return v
}

// broadcast loads the float32 parameter name into every lane of a vector.
func (s isa) broadcast(name string) VecVirtual {
	v := s.vec()
	VBROADCASTSS(NewParamAddr(name, 0), v)
	return v
}

// ret executes VZEROUPPER, which avoids SSE/AVX transition penalties in the
// caller on CPUs that have them, and returns.
func ret() {
	VZEROUPPER()
	RET()
}

var labelCount int

// label returns a fresh label name; Go assembler labels are per function
// but the helpers below may emit the same loop twice in one function.
func label(name string) LabelRef {
	labelCount++
	return LabelRef(fmt.Sprintf("%s_%d", name, labelCount))
}

func at(l LabelRef) { Label(string(l)) }

// elem returns the element at byte offset off (plus disp bytes) of the array
// at p.
func elem(p, off Register, disp int) Mem {
	return Mem{Base: p, Index: off, Scale: 1, Disp: disp}
}

// ---------------------------------------------------------------------------
// Alignment and tails.
//
// Loops run over whole vectors. On Zen 5 an access that straddles two
// cache lines is expensive, worst for stores and for loads of data that was
// just stored that way (as when Axpy updates the same vector repeatedly),
// so loops first align one stream to the vector size where that is cheap.
//
// Kernels that only load (the dot products) handle the head and the tail of
// fewer than lanes elements with masked loads, which suppress faults on the
// lanes they do not load: AVX-512 opmasks, AVX2 VMASKMOVPS. Kernels that
// store avoid masked stores, which are slow on AMD CPUs (VMASKMOVPS stores
// are microcoded, and AVX-512 masked stores measured slower here than
// narrow ones); they use 8-, 4- and 1-lane steps instead.

// mask is a mask for the first n elements: an opmask (AVX-512) or a vector
// of all-ones and zero lanes (AVX2).
type mask struct {
	k Register
	v VecVirtual
}

// makeMask builds the mask selecting the first n (< lanes) elements.
func (s isa) makeMask(n Register) mask {
	if s.is512() {
		t := GP32()
		MOVL(U32(0xffffffff), t)
		BZHIL(n.(GPVirtual).As32(), t, t) // t = 1<<n - 1
		k := K()
		KMOVW(t, k)
		return mask{k: k}
	}
	// Lane i is selected when n > i: compare a broadcast n with the lane
	// indices 0..7, built from an immediate to avoid a data section.
	iota, t := YMM(), GP64()
	MOVQ(U64(0x0706050403020100), t)
	VMOVQ(t, iota.AsX())
	VPMOVZXBD(iota.AsX(), iota)
	m := YMM()
	VMOVQ(n, m.AsX())
	VPBROADCASTD(m.AsX(), m)
	VPCMPGTD(iota, m, m)
	return mask{v: m}
}

// maskedLoad loads the elements selected by m from src, zeroing the rest.
func (s isa) maskedLoad(src Mem, m mask) VecVirtual {
	v := s.vec()
	if s.is512() {
		VMOVUPS_Z(src, m.k, v)
	} else {
		VMASKMOVPS(src, m.v, v)
	}
	return v
}

// maskedHead emits a masked first step that advances the byte offset off
// (initially 0) until p+off is aligned to the vector size or n is
// exhausted; body is called with the mask. For loads only.
func (s isa) maskedHead(p, n, off Register, body func(m mask)) {
	h := GP64()
	MOVQ(p, h)
	NEGQ(h)
	ANDQ(U32(s.size()-1), h)
	SHRQ(U8(2), h) // elements until p is aligned (p is 4-byte aligned)
	CMPQ(h, n)
	CMOVQGT(n, h)
	skip := label("aligned")
	TESTQ(h, h)
	JZ(skip)
	body(s.makeMask(h))
	LEAQ(Mem{Base: off, Index: h, Scale: 4}, off)
	SUBQ(h, n)
	at(skip)
}

// width is one step of an elementwise loop: a whole vector, or 8, 4 or 1
// lanes in heads and tails.
type width struct {
	lanes int
	view  func(VecVirtual) Register // the part of a vector register used
}

var (
	w8 = width{lanes: 8, view: func(v VecVirtual) Register { return v.AsY() }}
	w4 = width{lanes: 4, view: func(v VecVirtual) Register { return v.AsX() }}
	w1 = width{lanes: 1, view: func(v VecVirtual) Register { return v.AsX() }}
)

func (s isa) full() width {
	if s.is512() {
		return width{lanes: 16, view: func(v VecVirtual) Register { return v.AsZ() }}
	}
	return w8
}

func (w width) load(src Mem) Register {
	var v Register
	switch w.lanes {
	case 16:
		v = ZMM()
	case 8:
		v = YMM()
	default:
		v = XMM()
	}
	if w.lanes == 1 {
		VMOVSS(src, v)
	} else {
		VMOVUPS(src, v)
	}
	return v
}

func (w width) store(v Register, dst Mem) {
	if w.lanes == 1 {
		VMOVSS(v, dst)
	} else {
		VMOVUPS(v, dst)
	}
}

// fma computes acc += b·src.
func (w width) fma(src Op, b VecVirtual, acc Register) {
	if w.lanes == 1 {
		VFMADD231SS(src, w.view(b), acc)
	} else {
		VFMADD231PS(src, w.view(b), acc)
	}
}

// elementwise emits a loop that calls body for every step needed to cover
// n elements, advancing the byte offset off (initially 0). body must
// address memory relative to off. The main loop is unrolled unroll times;
// n and off are clobbered. If align is not nil, narrow steps first align
// align+off to the vector size.
func (s isa) elementwise(n, off Register, unroll int, align Register, body func(w width, disp int)) {
	full := s.full()
	step := func(w width) {
		body(w, 0)
		ADDQ(U32(4*w.lanes), off)
		SUBQ(U32(w.lanes), n)
	}
	if align != nil {
		t := GP64()
		head, head4, head8, main := label("head"), label("head4"), label("head8"), label("main")
		at(head)
		LEAQ(elem(align, off, 0), t)
		TESTQ(U32(15), t)
		JZ(head4)
		TESTQ(n, n)
		JZ(main)
		step(w1)
		JMP(head)
		at(head4)
		TESTQ(U32(16), t)
		JZ(head8)
		CMPQ(n, U32(4))
		JB(main)
		step(w4)
		if s.is512() {
			ADDQ(U32(16), t)
		}
		at(head8)
		if s.is512() {
			TESTQ(U32(32), t)
			JZ(main)
			CMPQ(n, U32(8))
			JB(main)
			step(w8)
		}
		at(main)
	}
	if unroll > 1 {
		loop, done := label("loop"), label("loopdone")
		at(loop)
		CMPQ(n, U32(unroll*s.lanes))
		JB(done)
		for u := 0; u < unroll; u++ {
			body(full, u*s.size())
		}
		ADDQ(U32(unroll*s.size()), off)
		SUBQ(U32(unroll*s.lanes), n)
		JMP(loop)
		at(done)
	}
	loop, tail := label("vec"), label("tail")
	at(loop)
	CMPQ(n, U32(s.lanes))
	JB(tail)
	step(full)
	JMP(loop)
	at(tail)
	tail4, tail1, done := label("tail4"), label("tail1"), label("done")
	if s.is512() {
		CMPQ(n, U32(8))
		JB(tail4)
		step(w8)
	}
	at(tail4)
	CMPQ(n, U32(4))
	JB(tail1)
	step(w4)
	at(tail1)
	TESTQ(n, n)
	JZ(done)
	step(w1)
	JMP(tail1)
	at(done)
}

// ---------------------------------------------------------------------------
// Reductions.

// fold128 adds the 128-bit lanes of v and returns the 4-lane sum.
func (s isa) fold128(v VecVirtual) VecVirtual {
	y := v.AsY()
	if s.is512() {
		t := YMM()
		VEXTRACTF64X4(U8(1), v, t)
		VADDPS(t, v.AsY(), t)
		y = t
		x := XMM()
		VEXTRACTF32X4(U8(1), y, x)
		VADDPS(x, y.(VecVirtual).AsX(), x)
		return x
	}
	x := XMM()
	VEXTRACTF128(U8(1), y, x)
	VADDPS(x, v.AsX(), x)
	return x
}

// hsum returns the sum of v's lanes in lane 0 of an XMM register.
func (s isa) hsum(v VecVirtual) VecVirtual {
	x := s.fold128(v)
	t := XMM()
	VMOVHLPS(x, x, t)
	VADDPS(t, x, x)
	VMOVSHDUP(x, t)
	VADDSS(t, x, x)
	return x
}

// hsum4 returns the lane sums of a, b, c, d in the four lanes of an XMM
// register. Transposing within 128-bit lanes before adding costs about a
// third of four separate hsums.
func (s isa) hsum4(a, b, c, d VecVirtual) VecVirtual {
	ab, t := s.vec(), s.vec()
	VUNPCKLPS(b, a, ab) // a0 b0 a1 b1
	VUNPCKHPS(b, a, t)  // a2 b2 a3 b3
	VADDPS(t, ab, ab)   // a02 b02 a13 b13
	cd := s.vec()
	VUNPCKLPS(d, c, cd)
	VUNPCKHPS(d, c, t)
	VADDPS(t, cd, cd) // c02 d02 c13 d13
	abcd := s.vec()
	VUNPCKLPD(cd, ab, abcd) // a02 b02 c02 d02
	VUNPCKHPD(cd, ab, t)    // a13 b13 c13 d13
	VADDPS(t, abcd, abcd)
	return s.fold128(abcd)
}

// ---------------------------------------------------------------------------
// Dot products.

func genDot(s isa) {
	s.text("dot", "func(x, y []float32) float32",
		"dot"+s.name+" returns the dot product of x and y[:len(x)].")
	x := Load(Param("x").Base(), GP64())
	y := Load(Param("y").Base(), GP64())
	n := Load(Param("x").Len(), GP64())
	acc := s.zero(4)
	// Four accumulators in the main loop hide FMA latency; the remaining
	// whole vectors and the tail also go to different accumulators so
	// that short vectors (the common case) have short dependency chains.
	off := GP64()
	XORQ(off, off)
	s.maskedHead(x, n, off, func(h mask) {
		VFMADD231PS(s.maskedLoad(elem(x, off, 0), h), s.maskedLoad(elem(y, off, 0), h), acc[3])
	})
	loop, two, one, tail, reduce := label("loop"), label("two"), label("one"), label("tail"), label("reduce")
	at(loop)
	CMPQ(n, U32(4*s.lanes))
	JB(two)
	for k := 0; k < 4; k++ {
		t := s.vec()
		VMOVUPS(elem(x, off, k*s.size()), t)
		VFMADD231PS(elem(y, off, k*s.size()), t, acc[k])
	}
	ADDQ(U32(4*s.size()), off)
	SUBQ(U32(4*s.lanes), n)
	JMP(loop)
	at(two)
	CMPQ(n, U32(2*s.lanes))
	JB(one)
	for k := 0; k < 2; k++ {
		t := s.vec()
		VMOVUPS(elem(x, off, k*s.size()), t)
		VFMADD231PS(elem(y, off, k*s.size()), t, acc[k])
	}
	ADDQ(U32(2*s.size()), off)
	SUBQ(U32(2*s.lanes), n)
	at(one)
	CMPQ(n, U32(s.lanes))
	JB(tail)
	t := s.vec()
	VMOVUPS(elem(x, off, 0), t)
	VFMADD231PS(elem(y, off, 0), t, acc[2])
	ADDQ(U32(s.size()), off)
	SUBQ(U32(s.lanes), n)
	at(tail)
	TESTQ(n, n)
	JZ(reduce)
	m := s.makeMask(n)
	u, v := s.maskedLoad(elem(x, off, 0), m), s.maskedLoad(elem(y, off, 0), m)
	VFMADD231PS(u, v, acc[3])
	at(reduce)
	VADDPS(acc[1], acc[0], acc[0])
	VADDPS(acc[3], acc[2], acc[2])
	VADDPS(acc[2], acc[0], acc[0])
	r := s.hsum(acc[0])
	VZEROUPPER()
	Store(r, ReturnIndex(0))
	RET()
}

// dotK computes the dot products of x with the len(p) rows p (1 or 4) of
// length n, with the tail mask m for n%lanes, and returns them in the
// lanes of an XMM register. n is clobbered. Each row gets two accumulators
// so that dependency chains are half as long as the rows.
func (s isa) dotK(x Register, p []Register, n Register, m mask) VecVirtual {
	acc, acc2 := s.zero(len(p)), s.zero(len(p))
	off := GP64()
	XORQ(off, off)
	loop, one, tail, reduce := label("loop"), label("one"), label("tail"), label("reduce")
	at(loop)
	CMPQ(n, U32(2*s.lanes))
	JB(one)
	t0, t1 := s.vec(), s.vec()
	VMOVUPS(elem(x, off, 0), t0)
	VMOVUPS(elem(x, off, s.size()), t1)
	for k := range p {
		VFMADD231PS(elem(p[k], off, 0), t0, acc[k])
		VFMADD231PS(elem(p[k], off, s.size()), t1, acc2[k])
	}
	ADDQ(U32(2*s.size()), off)
	SUBQ(U32(2*s.lanes), n)
	JMP(loop)
	at(one)
	CMPQ(n, U32(s.lanes))
	JB(tail)
	t := s.vec()
	VMOVUPS(elem(x, off, 0), t)
	for k := range p {
		VFMADD231PS(elem(p[k], off, 0), t, acc2[k])
	}
	ADDQ(U32(s.size()), off)
	SUBQ(U32(s.lanes), n)
	at(tail)
	TESTQ(n, n)
	JZ(reduce)
	t = s.maskedLoad(elem(x, off, 0), m)
	for k := range p {
		VFMADD231PS(s.maskedLoad(elem(p[k], off, 0), m), t, acc[k])
	}
	at(reduce)
	for k := range p {
		VADDPS(acc2[k], acc[k], acc[k])
	}
	if len(p) == 1 {
		return s.hsum(acc[0])
	}
	return s.hsum4(acc[0], acc[1], acc[2], acc[3])
}

// rowPtr returns &m[rows[i]*rb/4] for the int32 at *(rows+disp).
func rowPtr(m, rows Register, disp int, rb Register) Register {
	p := GP64()
	MOVLQSX(Mem{Base: rows, Disp: disp}, p)
	IMULQ(rb, p)
	ADDQ(m, p)
	return p
}

func genDotRows(s isa) {
	s.text("dotRows", "func(dst, x, m []float32, rows []int32)",
		"dotRows"+s.name+" sets dst[i] to the dot product of x and row rows[i] of m.")
	dst := Load(Param("dst").Base(), GP64())
	x := Load(Param("x").Base(), GP64())
	mp := Load(Param("m").Base(), GP64())
	rows := Load(Param("rows").Base(), GP64())
	nr := Load(Param("rows").Len(), GP64())
	rb := Load(Param("x").Len(), GP64())
	tn := GP64()
	MOVQ(rb, tn)
	ANDQ(U32(s.lanes-1), tn)
	m := s.makeMask(tn)
	SHLQ(U8(2), rb)

	group, single, done := label("group"), label("single"), label("done")
	at(group)
	CMPQ(nr, U32(4))
	JB(single)
	p := make([]Register, 4)
	for k := range p {
		p[k] = rowPtr(mp, rows, 4*k, rb)
	}
	n := Load(Param("x").Len(), GP64())
	VMOVUPS(s.dotK(x, p, n, m), Mem{Base: dst})
	ADDQ(U32(16), rows)
	ADDQ(U32(16), dst)
	SUBQ(U32(4), nr)
	JMP(group)

	at(single)
	TESTQ(nr, nr)
	JZ(done)
	p1 := rowPtr(mp, rows, 0, rb)
	n = Load(Param("x").Len(), GP64())
	VMOVSS(s.dotK(x, []Register{p1}, n, m), Mem{Base: dst})
	ADDQ(U32(4), rows)
	ADDQ(U32(4), dst)
	DECQ(nr)
	JMP(single)
	at(done)
	ret()
}

func genMatVec(s isa) {
	s.text("matVec", "func(dst, m, x []float32)",
		"matVec"+s.name+" sets dst[i] to the dot product of x and row i of m.")
	dst := Load(Param("dst").Base(), GP64())
	row := Load(Param("m").Base(), GP64())
	x := Load(Param("x").Base(), GP64())
	nr := Load(Param("dst").Len(), GP64())
	rb := Load(Param("x").Len(), GP64())
	tn := GP64()
	MOVQ(rb, tn)
	ANDQ(U32(s.lanes-1), tn)
	m := s.makeMask(tn)
	SHLQ(U8(2), rb)

	group, single, done := label("group"), label("single"), label("done")
	at(group)
	CMPQ(nr, U32(4))
	JB(single)
	p := []Register{row, GP64(), GP64(), GP64()}
	for k := 1; k < 4; k++ {
		LEAQ(Mem{Base: p[k-1], Index: rb, Scale: 1}, p[k])
	}
	n := Load(Param("x").Len(), GP64())
	VMOVUPS(s.dotK(x, p, n, m), Mem{Base: dst})
	LEAQ(Mem{Base: p[3], Index: rb, Scale: 1}, row)
	ADDQ(U32(16), dst)
	SUBQ(U32(4), nr)
	JMP(group)

	at(single)
	TESTQ(nr, nr)
	JZ(done)
	n = Load(Param("x").Len(), GP64())
	VMOVSS(s.dotK(x, []Register{row}, n, m), Mem{Base: dst})
	ADDQ(rb, row)
	ADDQ(U32(4), dst)
	DECQ(nr)
	JMP(single)
	at(done)
	ret()
}

// genMatMulT emits the register-blocked core of MatMulT: a block of ra rows
// of a times 4 rows of b per step, so that every row chunk loaded feeds
// several FMAs. AVX-512 has the registers for 4×4 accumulators, AVX2 for
// 2×4. The caller handles rows beyond a multiple of 4.
func genMatMulT(s isa) {
	ra := 2
	if s.is512() {
		ra = 4
	}
	s.text("matMulT4x4", "func(dst, a, b []float32, dim, na, nb, ldd int)",
		"matMulT4x4"+s.name+" sets dst[i*ldd+j] to the dot product of rows i of a and j of b",
		"(rows of length dim), for i < na and j < nb, both multiples of 4.")
	rb := Load(Param("dim"), GP64())
	tn := GP64()
	MOVQ(rb, tn)
	ANDQ(U32(s.lanes-1), tn)
	m := s.makeMask(tn)
	SHLQ(U8(2), rb)
	rb3 := GP64()
	LEAQ(Mem{Base: rb, Index: rb, Scale: 2}, rb3)
	// Row r of a block starting at p is at p + idx[r].
	idx := func(p Register, r int, disp int) Mem {
		switch r {
		case 0:
			return Mem{Base: p, Disp: disp}
		case 1:
			return Mem{Base: p, Index: rb, Scale: 1, Disp: disp}
		case 2:
			return Mem{Base: p, Index: rb, Scale: 2, Disp: disp}
		}
		return Mem{Base: p, Index: rb3, Scale: 1, Disp: disp}
	}

	// The loop over b is outermost: a (a few queries) stays in cache while
	// b (the vocabulary) is streamed from memory once.
	bj := Load(Param("b").Base(), GP64())
	dj := Load(Param("dst").Base(), GP64())
	nj := Load(Param("nb"), GP64())
	jloop, done := label("jloop"), label("done")
	at(jloop)
	TESTQ(nj, nj)
	JZ(done)
	ai := Load(Param("a").Base(), GP64())
	dij := GP64()
	MOVQ(dj, dij)
	ni := Load(Param("na"), GP64())
	iloop := label("iloop")
	at(iloop)

	acc := make([][]VecVirtual, ra)
	for r := range acc {
		acc[r] = s.zero(4)
	}
	q, p := GP64(), GP64()
	MOVQ(ai, q)
	MOVQ(bj, p)
	n := Load(Param("dim"), GP64())
	loop, tail, reduce := label("loop"), label("tail"), label("reduce")
	at(loop)
	CMPQ(n, U32(s.lanes))
	JB(tail)
	av := make([]VecVirtual, ra)
	for r := range av {
		av[r] = s.vec()
		VMOVUPS(idx(q, r, 0), av[r])
	}
	if s.is512() {
		// Enough registers to load the b chunks once too.
		for c := 0; c < 4; c++ {
			bv := s.vec()
			VMOVUPS(idx(p, c, 0), bv)
			for r := range av {
				VFMADD231PS(bv, av[r], acc[r][c])
			}
		}
	} else {
		for c := 0; c < 4; c++ {
			for r := range av {
				VFMADD231PS(idx(p, c, 0), av[r], acc[r][c])
			}
		}
	}
	ADDQ(U32(s.size()), q)
	ADDQ(U32(s.size()), p)
	SUBQ(U32(s.lanes), n)
	JMP(loop)
	at(tail)
	TESTQ(n, n)
	JZ(reduce)
	for r := range av {
		av[r] = s.maskedLoad(idx(q, r, 0), m)
	}
	for c := 0; c < 4; c++ {
		bv := s.maskedLoad(idx(p, c, 0), m)
		for r := range av {
			VFMADD231PS(bv, av[r], acc[r][c])
		}
	}
	at(reduce)
	ld := Load(Param("ldd"), GP64())
	SHLQ(U8(2), ld)
	for r := range acc {
		res := s.hsum4(acc[r][0], acc[r][1], acc[r][2], acc[r][3])
		switch r {
		case 0:
			VMOVUPS(res, Mem{Base: dij})
		case 1:
			VMOVUPS(res, Mem{Base: dij, Index: ld, Scale: 1})
		case 2:
			VMOVUPS(res, Mem{Base: dij, Index: ld, Scale: 2})
		case 3:
			ld3 := GP64()
			LEAQ(Mem{Base: ld, Index: ld, Scale: 2}, ld3)
			VMOVUPS(res, Mem{Base: dij, Index: ld3, Scale: 1})
		}
	}
	// Next block of a rows and of dst rows.
	for r := 0; r < ra; r++ {
		ADDQ(rb, ai)
		ADDQ(ld, dij)
	}
	SUBQ(U32(ra), ni)
	JNZ(iloop)

	LEAQ(Mem{Base: bj, Index: rb, Scale: 4}, bj)
	ADDQ(U32(16), dj)
	SUBQ(U32(4), nj)
	JMP(jloop)
	at(done)
	ret()
}

// ---------------------------------------------------------------------------
// Elementwise updates.

func genAxpy(s isa) {
	s.text("axpy", "func(a float32, x, y []float32)",
		"axpy"+s.name+" adds a·x to y[:len(x)].")
	av := s.broadcast("a")
	x := Load(Param("x").Base(), GP64())
	y := Load(Param("y").Base(), GP64())
	n := Load(Param("x").Len(), GP64())
	off := GP64()
	XORQ(off, off)
	s.elementwise(n, off, 4, y, func(w width, disp int) {
		t := w.load(elem(y, off, disp))
		w.fma(elem(x, off, disp), av, t)
		w.store(t, elem(y, off, disp))
	})
	ret()
}

func genScale(s isa) {
	s.text("scale", "func(a float32, x []float32)",
		"scale"+s.name+" multiplies x by a.")
	av := s.broadcast("a")
	x := Load(Param("x").Base(), GP64())
	n := Load(Param("x").Len(), GP64())
	off := GP64()
	XORQ(off, off)
	s.elementwise(n, off, 4, x, func(w width, disp int) {
		t := w.load(elem(x, off, disp))
		if w.lanes == 1 {
			VMULSS(t, w.view(av), t)
		} else {
			VMULPS(t, w.view(av), t)
		}
		w.store(t, elem(x, off, disp))
	})
	ret()
}

// inPasses emits pass(4) while at least 4 of the nr rows remain, then
// pass(1) for each remaining row. pass must decrement nr.
func inPasses(nr Register, pass func(k int)) {
	group, single, done := label("group"), label("single"), label("done")
	at(group)
	CMPQ(nr, U32(4))
	JB(single)
	pass(4)
	JMP(group)
	at(single)
	TESTQ(nr, nr)
	JZ(done)
	pass(1)
	JMP(single)
	at(done)
}

// genAxpyRows adds up to 4 rows per pass over y, so that y is loaded and
// stored once per 4 rows rather than once per row.
func genAxpyRows(s isa) {
	s.text("axpyRows", "func(y, a, m []float32, rows []int32)",
		"axpyRows"+s.name+" adds a[i] times row rows[i] of m to y, for each i.")
	y := Load(Param("y").Base(), GP64())
	ap := Load(Param("a").Base(), GP64())
	mp := Load(Param("m").Base(), GP64())
	rows := Load(Param("rows").Base(), GP64())
	nr := Load(Param("rows").Len(), GP64())
	rb := Load(Param("y").Len(), GP64())
	SHLQ(U8(2), rb)
	pass := func(k int) {
		p := make([]Register, k)
		cv := make([]VecVirtual, k)
		for i := range p {
			p[i] = rowPtr(mp, rows, 4*i, rb)
			cv[i] = s.vec()
			VBROADCASTSS(Mem{Base: ap, Disp: 4 * i}, cv[i])
		}
		n := Load(Param("y").Len(), GP64())
		off := GP64()
		XORQ(off, off)
		s.elementwise(n, off, 1, y, func(w width, disp int) {
			t := w.load(elem(y, off, disp))
			for i := range p {
				w.fma(elem(p[i], off, disp), cv[i], t)
			}
			w.store(t, elem(y, off, disp))
		})
		ADDQ(U32(4*k), rows)
		ADDQ(U32(4*k), ap)
		SUBQ(U32(k), nr)
	}
	inPasses(nr, pass)
	ret()
}

// genAxpyRowsScatter updates up to 4 rows per pass over y and x, so that
// y and x are loaded once per 4 rows, and each chunk of a row is loaded
// once: added to y, moved along x and stored. Rows are
// handled in order within a chunk, so a row named twice contributes its
// updated value the second time, as in the sequential loop.
func genAxpyRowsScatter(s isa) {
	s.text("axpyRowsScatter", "func(y, a, m, x []float32, rows []int32)",
		"axpyRowsScatter"+s.name+" adds a[i] times row rows[i] of m to y and a[i]·x to that row,",
		"for each i in order.")
	y := Load(Param("y").Base(), GP64())
	ap := Load(Param("a").Base(), GP64())
	mp := Load(Param("m").Base(), GP64())
	x := Load(Param("x").Base(), GP64())
	rows := Load(Param("rows").Base(), GP64())
	nr := Load(Param("rows").Len(), GP64())
	rb := Load(Param("y").Len(), GP64())
	SHLQ(U8(2), rb)
	pass := func(k int) {
		p := make([]Register, k)
		cv := make([]VecVirtual, k)
		for i := range p {
			p[i] = rowPtr(mp, rows, 4*i, rb)
			cv[i] = s.vec()
			VBROADCASTSS(Mem{Base: ap, Disp: 4 * i}, cv[i])
		}
		n := Load(Param("y").Len(), GP64())
		off := GP64()
		XORQ(off, off)
		s.elementwise(n, off, 1, y, func(w width, disp int) {
			t := w.load(elem(y, off, disp))
			xv := w.load(elem(x, off, disp))
			for i := range p {
				r := w.load(elem(p[i], off, disp))
				w.fma(r, cv[i], t)
				w.fma(xv, cv[i], r)
				w.store(r, elem(p[i], off, disp))
			}
			w.store(t, elem(y, off, disp))
		})
		ADDQ(U32(4*k), rows)
		ADDQ(U32(4*k), ap)
		SUBQ(U32(k), nr)
	}
	inPasses(nr, pass)
	ret()
}
