//go:build !purego

#include "textflag.h"

// func prefetch(x []float32)
// Issues PRFM PLDL1KEEP for every 64-byte cache line that x touches.
TEXT ·prefetch(SB), NOSPLIT, $0-24
	MOVD x_base+0(FP), R0
	MOVD x_len+8(FP), R1
	ADD  R1<<2, R0, R1      // one past the last byte
	AND  $~63, R0
loop:
	PRFM (R0), PLDL1KEEP
	ADD  $64, R0
	CMP  R1, R0
	BLO  loop
	RET
