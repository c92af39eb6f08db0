//go:build !purego

#include "textflag.h"

// Go's arm64 assembler has VFMLA but no vector FADD, FADDP or FMUL, so
// those are encoded by hand. d, n and m are V register numbers.
#define FADD4S(d, n, m) WORD $(0x4E20D400 | (m)<<16 | (n)<<5 | (d)) // FADD Vd.4S, Vn.4S, Vm.4S
#define FMUL4S(d, n, m) WORD $(0x6E20DC00 | (m)<<16 | (n)<<5 | (d)) // FMUL Vd.4S, Vn.4S, Vm.4S
#define FADDP4S(d, n, m) WORD $(0x6E20D400 | (m)<<16 | (n)<<5 | (d)) // FADDP Vd.4S, Vn.4S, Vm.4S
#define FADDP2S(d, n) WORD $(0x7E30D800 | (n)<<5 | (d)) // FADDP Sd, Vn.2S

// func dotNEON(x, y []float32) float32
// Four accumulators of 4 lanes hide the FMLA latency.
TEXT ·dotNEON(SB), NOSPLIT, $0-52
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R2
	MOVD y_base+24(FP), R1
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

loop16:
	CMP  $16, R2
	BLT  loop4
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1.P 64(R1), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA  V4.S4, V16.S4, V0.S4
	VFMLA  V5.S4, V17.S4, V1.S4
	VFMLA  V6.S4, V18.S4, V2.S4
	VFMLA  V7.S4, V19.S4, V3.S4
	SUB    $16, R2
	B      loop16

loop4:
	CMP  $4, R2
	BLT  reduce
	VLD1.P 16(R0), [V4.S4]
	VLD1.P 16(R1), [V16.S4]
	VFMLA  V4.S4, V16.S4, V1.S4
	SUB    $4, R2
	B      loop4

reduce:
	FADD4S(0, 0, 1)
	FADD4S(2, 2, 3)
	FADD4S(0, 0, 2)
	FADDP4S(0, 0, 0)
	FADDP2S(0, 0)

tail:
	CBZ    R2, done
	FMOVS.P 4(R0), F4
	FMOVS.P 4(R1), F5
	FMADDS F4, F0, F5, F0 // F0 += F5*F4
	SUB    $1, R2
	B      tail

done:
	FMOVS F0, ret+48(FP)
	RET

// func axpyNEON(a float32, x, y []float32)
TEXT ·axpyNEON(SB), NOSPLIT, $0-56
	FMOVS a+0(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2
	MOVD  y_base+32(FP), R1

loop16:
	CMP  $16, R2
	BLT  loop4
	VLD1.P 64(R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1   (R1), [V16.S4, V17.S4, V18.S4, V19.S4]
	VFMLA  V0.S4, V4.S4, V16.S4
	VFMLA  V0.S4, V5.S4, V17.S4
	VFMLA  V0.S4, V6.S4, V18.S4
	VFMLA  V0.S4, V7.S4, V19.S4
	VST1.P [V16.S4, V17.S4, V18.S4, V19.S4], 64(R1)
	SUB    $16, R2
	B      loop16

loop4:
	CMP  $4, R2
	BLT  tail
	VLD1.P 16(R0), [V4.S4]
	VLD1   (R1), [V16.S4]
	VFMLA  V0.S4, V4.S4, V16.S4
	VST1.P [V16.S4], 16(R1)
	SUB    $4, R2
	B      loop4

tail:
	CBZ    R2, done
	FMOVS.P 4(R0), F4
	FMOVS  (R1), F5
	FMADDS F4, F5, F0, F5 // F5 += F0*F4
	FMOVS.P F5, 4(R1)
	SUB    $1, R2
	B      tail

done:
	RET

// func scaleNEON(a float32, x []float32)
TEXT ·scaleNEON(SB), NOSPLIT, $0-32
	FMOVS a+0(FP), F0
	VDUP  V0.S[0], V0.S4
	MOVD  x_base+8(FP), R0
	MOVD  x_len+16(FP), R2

loop16:
	CMP  $16, R2
	BLT  loop4
	VLD1   (R0), [V4.S4, V5.S4, V6.S4, V7.S4]
	FMUL4S(4, 4, 0)
	FMUL4S(5, 5, 0)
	FMUL4S(6, 6, 0)
	FMUL4S(7, 7, 0)
	VST1.P [V4.S4, V5.S4, V6.S4, V7.S4], 64(R0)
	SUB    $16, R2
	B      loop16

loop4:
	CMP  $4, R2
	BLT  tail
	VLD1   (R0), [V4.S4]
	FMUL4S(4, 4, 0)
	VST1.P [V4.S4], 16(R0)
	SUB    $4, R2
	B      loop4

tail:
	CBZ    R2, done
	FMOVS  (R0), F4
	FMULS  F0, F4, F4
	FMOVS.P F4, 4(R0)
	SUB    $1, R2
	B      tail

done:
	RET

// DOT4 sets V0 to the dot products of the R12 float32s at R11 with those at
// R7, R8, R9 and R10 (one per lane), advancing all five pointers. It uses
// V0-V3 and V16-V25 as scratch and clobbers R12.
#define DOT4 \
	VEOR V0.B16, V0.B16, V0.B16 \
	VEOR V1.B16, V1.B16, V1.B16 \
	VEOR V2.B16, V2.B16, V2.B16 \
	VEOR V3.B16, V3.B16, V3.B16 \
	VEOR V21.B16, V21.B16, V21.B16 \
	VEOR V22.B16, V22.B16, V22.B16 \
	VEOR V23.B16, V23.B16, V23.B16 \
	VEOR V24.B16, V24.B16, V24.B16 \
dot4loop: \
	CMP    $4, R12 \
	BLT    dot4tail \
	VLD1.P 16(R11), [V16.S4] \
	VLD1.P 16(R7), [V17.S4] \
	VLD1.P 16(R8), [V18.S4] \
	VLD1.P 16(R9), [V19.S4] \
	VLD1.P 16(R10), [V20.S4] \
	VFMLA  V16.S4, V17.S4, V0.S4 \
	VFMLA  V16.S4, V18.S4, V1.S4 \
	VFMLA  V16.S4, V19.S4, V2.S4 \
	VFMLA  V16.S4, V20.S4, V3.S4 \
	SUB    $4, R12 \
	B      dot4loop \
dot4tail: \
	CBZ     R12, dot4reduce \
	FMOVS.P 4(R11), F16 \
	FMOVS.P 4(R7), F17 \
	FMOVS.P 4(R8), F18 \
	FMOVS.P 4(R9), F19 \
	FMOVS.P 4(R10), F20 \
	FMADDS  F16, F21, F17, F21 \
	FMADDS  F16, F22, F18, F22 \
	FMADDS  F16, F23, F19, F23 \
	FMADDS  F16, F24, F20, F24 \
	SUB     $1, R12 \
	B       dot4tail \
dot4reduce: \
	FADDP4S(0, 0, 1) \
	FADDP4S(2, 2, 3) \
	FADDP4S(0, 0, 2) \
	VMOV    V22.S[0], V21.S[1] \
	VMOV    V23.S[0], V21.S[2] \
	VMOV    V24.S[0], V21.S[3] \
	FADD4S(0, 0, 21)

// DOT1 sets F0 to the dot product of the R12 float32s at R11 and R7,
// advancing both pointers. It uses V0, V1 and V16-V19 as scratch and
// clobbers R12.
#define DOT1 \
	VEOR V0.B16, V0.B16, V0.B16 \
	VEOR V1.B16, V1.B16, V1.B16 \
dot1loop: \
	CMP    $8, R12 \
	BLT    dot1four \
	VLD1.P 32(R11), [V16.S4, V17.S4] \
	VLD1.P 32(R7), [V18.S4, V19.S4] \
	VFMLA  V16.S4, V18.S4, V0.S4 \
	VFMLA  V17.S4, V19.S4, V1.S4 \
	SUB    $8, R12 \
	B      dot1loop \
dot1four: \
	CMP    $4, R12 \
	BLT    dot1reduce \
	VLD1.P 16(R11), [V16.S4] \
	VLD1.P 16(R7), [V18.S4] \
	VFMLA  V16.S4, V18.S4, V1.S4 \
	SUB    $4, R12 \
dot1reduce: \
	FADD4S(0, 0, 1) \
	FADDP4S(0, 0, 0) \
	FADDP2S(0, 0) \
dot1tail: \
	CBZ     R12, dot1done \
	FMOVS.P 4(R11), F16 \
	FMOVS.P 4(R7), F17 \
	FMADDS  F16, F0, F17, F0 \
	SUB     $1, R12 \
	B       dot1tail \
dot1done:

// func dotRowsNEON(dst, x, m []float32, rows []int32)
// Rows are scored four at a time so that each chunk of x is loaded once
// for four rows.
TEXT ·dotRowsNEON(SB), NOSPLIT, $0-96
	MOVD dst_base+0(FP), R0
	MOVD x_base+24(FP), R1
	MOVD x_len+32(FP), R5
	MOVD m_base+48(FP), R2
	MOVD rows_base+72(FP), R3
	MOVD rows_len+80(FP), R4
	LSL  $2, R5, R6 // row size in bytes

group:
	CMP  $4, R4
	BLT  single
	MOVW (R3), R7
	MOVW 4(R3), R8
	MOVW 8(R3), R9
	MOVW 12(R3), R10
	MADD R6, R2, R7, R7 // R7 = m + rows[0]*rowsize
	MADD R6, R2, R8, R8
	MADD R6, R2, R9, R9
	MADD R6, R2, R10, R10
	MOVD R1, R11
	MOVD R5, R12
	DOT4
	VST1.P [V0.S4], 16(R0)
	ADD  $16, R3
	SUB  $4, R4
	B    group

single:
	CBZ    R4, done
	MOVW.P 4(R3), R7
	MADD   R6, R2, R7, R7
	MOVD   R1, R11
	MOVD   R5, R12
	DOT1
	FMOVS.P F0, 4(R0)
	SUB    $1, R4
	B      single

done:
	RET

// func matVecNEON(dst, m, x []float32)
TEXT ·matVecNEON(SB), NOSPLIT, $0-72
	MOVD dst_base+0(FP), R0
	MOVD dst_len+8(FP), R4
	MOVD m_base+24(FP), R2
	MOVD x_base+48(FP), R1
	MOVD x_len+56(FP), R5
	LSL  $2, R5, R6 // row size in bytes

group:
	CMP  $4, R4
	BLT  single
	MOVD R2, R7
	ADD  R6, R7, R8
	ADD  R6, R8, R9
	ADD  R6, R9, R10
	ADD  R6, R10, R2 // the next group
	MOVD R1, R11
	MOVD R5, R12
	DOT4
	VST1.P [V0.S4], 16(R0)
	SUB  $4, R4
	B    group

single:
	CBZ    R4, done
	MOVD   R2, R7
	ADD    R6, R2
	MOVD   R1, R11
	MOVD   R5, R12
	DOT1
	FMOVS.P F0, 4(R0)
	SUB    $1, R4
	B      single

done:
	RET

// func axpyRowsNEON(y, a, m []float32, rows []int32)
// Rows are added four at a time so that y is loaded and stored once per
// four rows.
TEXT ·axpyRowsNEON(SB), NOSPLIT, $0-96
	MOVD y_base+0(FP), R0
	MOVD y_len+8(FP), R5
	MOVD a_base+24(FP), R1
	MOVD m_base+48(FP), R2
	MOVD rows_base+72(FP), R3
	MOVD rows_len+80(FP), R4
	LSL  $2, R5, R6 // row size in bytes

group:
	CMP    $4, R4
	BLT    single
	MOVW   (R3), R7
	MOVW   4(R3), R8
	MOVW   8(R3), R9
	MOVW   12(R3), R10
	MADD   R6, R2, R7, R7
	MADD   R6, R2, R8, R8
	MADD   R6, R2, R9, R9
	MADD   R6, R2, R10, R10
	VLD1.P 16(R1), [V0.S4]
	VDUP   V0.S[0], V4.S4
	VDUP   V0.S[1], V5.S4
	VDUP   V0.S[2], V6.S4
	VDUP   V0.S[3], V7.S4
	MOVD   R0, R11
	MOVD   R5, R12

loop:
	CMP    $4, R12
	BLT    tail
	VLD1   (R11), [V16.S4]
	VLD1.P 16(R7), [V17.S4]
	VLD1.P 16(R8), [V18.S4]
	VLD1.P 16(R9), [V19.S4]
	VLD1.P 16(R10), [V20.S4]
	VFMLA  V4.S4, V17.S4, V16.S4
	VFMLA  V5.S4, V18.S4, V16.S4
	VFMLA  V6.S4, V19.S4, V16.S4
	VFMLA  V7.S4, V20.S4, V16.S4
	VST1.P [V16.S4], 16(R11)
	SUB    $4, R12
	B      loop

tail:
	CBZ     R12, next
	FMOVS   (R11), F16
	FMOVS.P 4(R7), F17
	FMOVS.P 4(R8), F18
	FMOVS.P 4(R9), F19
	FMOVS.P 4(R10), F20
	FMADDS  F17, F16, F4, F16 // F16 += F4*F17
	FMADDS  F18, F16, F5, F16
	FMADDS  F19, F16, F6, F16
	FMADDS  F20, F16, F7, F16
	FMOVS.P F16, 4(R11)
	SUB     $1, R12
	B       tail

next:
	ADD $16, R3
	SUB $4, R4
	B   group

single:
	CBZ     R4, done
	MOVW.P  4(R3), R7
	MADD    R6, R2, R7, R7
	FMOVS.P 4(R1), F4
	VDUP    V4.S[0], V4.S4
	MOVD    R0, R11
	MOVD    R5, R12

loop1:
	CMP    $4, R12
	BLT    tail1
	VLD1   (R11), [V16.S4]
	VLD1.P 16(R7), [V17.S4]
	VFMLA  V4.S4, V17.S4, V16.S4
	VST1.P [V16.S4], 16(R11)
	SUB    $4, R12
	B      loop1

tail1:
	CBZ     R12, next1
	FMOVS   (R11), F16
	FMOVS.P 4(R7), F17
	FMADDS  F17, F16, F4, F16
	FMOVS.P F16, 4(R11)
	SUB     $1, R12
	B       tail1

next1:
	SUB $1, R4
	B   single

done:
	RET

// func axpyRowsScatterNEON(y, a, m, x []float32, rows []int32)
// Rows are handled four at a time so that y and x are loaded once per four
// rows. Each row's chunk is loaded once, added to y, moved along x and
// stored before the next row's, so a row named twice contributes its moved
// value the second time.
TEXT ·axpyRowsScatterNEON(SB), NOSPLIT, $0-120
	MOVD y_base+0(FP), R13
	MOVD y_len+8(FP), R5
	MOVD a_base+24(FP), R1
	MOVD m_base+48(FP), R2
	MOVD x_base+72(FP), R0
	MOVD rows_base+96(FP), R3
	MOVD rows_len+104(FP), R4
	LSL  $2, R5, R6 // row size in bytes

group:
	CMP    $4, R4
	BLT    single
	MOVW   (R3), R7
	MOVW   4(R3), R8
	MOVW   8(R3), R9
	MOVW   12(R3), R10
	MADD   R6, R2, R7, R7
	MADD   R6, R2, R8, R8
	MADD   R6, R2, R9, R9
	MADD   R6, R2, R10, R10
	VLD1.P 16(R1), [V0.S4]
	VDUP   V0.S[0], V4.S4
	VDUP   V0.S[1], V5.S4
	VDUP   V0.S[2], V6.S4
	VDUP   V0.S[3], V7.S4
	MOVD   R0, R11
	MOVD   R13, R14
	MOVD   R5, R12

loop:
	CMP    $4, R12
	BLT    tail
	VLD1.P 16(R11), [V16.S4]
	VLD1   (R14), [V21.S4]
	VLD1   (R7), [V17.S4]
	VFMLA  V4.S4, V17.S4, V21.S4
	VFMLA  V4.S4, V16.S4, V17.S4
	VST1.P [V17.S4], 16(R7)
	VLD1   (R8), [V18.S4]
	VFMLA  V5.S4, V18.S4, V21.S4
	VFMLA  V5.S4, V16.S4, V18.S4
	VST1.P [V18.S4], 16(R8)
	VLD1   (R9), [V19.S4]
	VFMLA  V6.S4, V19.S4, V21.S4
	VFMLA  V6.S4, V16.S4, V19.S4
	VST1.P [V19.S4], 16(R9)
	VLD1   (R10), [V20.S4]
	VFMLA  V7.S4, V20.S4, V21.S4
	VFMLA  V7.S4, V16.S4, V20.S4
	VST1.P [V20.S4], 16(R10)
	VST1.P [V21.S4], 16(R14)
	SUB    $4, R12
	B      loop

tail:
	CBZ     R12, next
	FMOVS.P 4(R11), F16
	FMOVS   (R14), F21
	FMOVS   (R7), F17
	FMADDS  F17, F21, F4, F21 // F21 += F4*F17
	FMADDS  F16, F17, F4, F17 // F17 += F4*F16
	FMOVS.P F17, 4(R7)
	FMOVS   (R8), F18
	FMADDS  F18, F21, F5, F21
	FMADDS  F16, F18, F5, F18
	FMOVS.P F18, 4(R8)
	FMOVS   (R9), F19
	FMADDS  F19, F21, F6, F21
	FMADDS  F16, F19, F6, F19
	FMOVS.P F19, 4(R9)
	FMOVS   (R10), F20
	FMADDS  F20, F21, F7, F21
	FMADDS  F16, F20, F7, F20
	FMOVS.P F20, 4(R10)
	FMOVS.P F21, 4(R14)
	SUB     $1, R12
	B       tail

next:
	ADD $16, R3
	SUB $4, R4
	B   group

single:
	CBZ     R4, done
	MOVW.P  4(R3), R7
	MADD    R6, R2, R7, R7
	FMOVS.P 4(R1), F4
	VDUP    V4.S[0], V4.S4
	MOVD    R0, R11
	MOVD    R13, R14
	MOVD    R5, R12

loop1:
	CMP    $4, R12
	BLT    tail1
	VLD1.P 16(R11), [V16.S4]
	VLD1   (R14), [V21.S4]
	VLD1   (R7), [V17.S4]
	VFMLA  V4.S4, V17.S4, V21.S4
	VFMLA  V4.S4, V16.S4, V17.S4
	VST1.P [V17.S4], 16(R7)
	VST1.P [V21.S4], 16(R14)
	SUB    $4, R12
	B      loop1

tail1:
	CBZ     R12, next1
	FMOVS.P 4(R11), F16
	FMOVS   (R14), F21
	FMOVS   (R7), F17
	FMADDS  F17, F21, F4, F21
	FMADDS  F16, F17, F4, F17
	FMOVS.P F17, 4(R7)
	FMOVS.P F21, 4(R14)
	SUB     $1, R12
	B       tail1

next1:
	SUB $1, R4
	B   single

done:
	RET
