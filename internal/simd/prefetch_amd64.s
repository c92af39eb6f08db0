//go:build !purego

#include "textflag.h"

// func prefetch(x []float32)
// Issues PREFETCHT0 for every 64-byte cache line that x touches.
TEXT ·prefetch(SB), NOSPLIT, $0-24
	MOVQ x_base+0(FP), AX
	MOVQ x_len+8(FP), CX
	LEAQ (AX)(CX*4), CX     // one past the last byte
	ANDQ $~63, AX           // the first cache line
loop:
	PREFETCHT0 (AX)
	ADDQ $64, AX
	CMPQ AX, CX
	JB   loop
	RET
