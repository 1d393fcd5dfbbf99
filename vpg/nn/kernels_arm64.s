//go:build arm64 && !purego

#include "textflag.h"

// func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)
// The NEON form of the amd64 kernel: c[r][0:16] (+)= Σ_l a(r, l)·b[l][0:16]
// for r < 4, sixteen 4-lane sums in V0–V15, one fused multiply-add (FMLA)
// per term with l in order, so the same bits as the AVX2 kernel.
TEXT ·gemm4x16(SB), NOSPLIT, $0-65
	MOVD  c+0(FP), R0
	MOVD  ldc+8(FP), R1
	LSL   $2, R1
	MOVD  a+16(FP), R2
	MOVD  ars+24(FP), R3
	LSL   $2, R3
	MOVD  aks+32(FP), R4
	LSL   $2, R4
	MOVD  b+40(FP), R5
	MOVD  ldb+48(FP), R6
	LSL   $2, R6
	MOVD  k+56(FP), R7
	MOVBU acc+64(FP), R8
	ADD   R3, R2, R9
	ADD   R3, R9, R10
	ADD   R3, R10, R11
	ADD   R1, R0, R19
	ADD   R1, R19, R20
	ADD   R1, R20, R21
	CBZ   R8, g4zero
	VLD1  (R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	VLD1  (R19), [V4.S4, V5.S4, V6.S4, V7.S4]
	VLD1  (R20), [V8.S4, V9.S4, V10.S4, V11.S4]
	VLD1  (R21), [V12.S4, V13.S4, V14.S4, V15.S4]
	B     g4start

g4zero:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16
	VEOR V4.B16, V4.B16, V4.B16
	VEOR V5.B16, V5.B16, V5.B16
	VEOR V6.B16, V6.B16, V6.B16
	VEOR V7.B16, V7.B16, V7.B16
	VEOR V8.B16, V8.B16, V8.B16
	VEOR V9.B16, V9.B16, V9.B16
	VEOR V10.B16, V10.B16, V10.B16
	VEOR V11.B16, V11.B16, V11.B16
	VEOR V12.B16, V12.B16, V12.B16
	VEOR V13.B16, V13.B16, V13.B16
	VEOR V14.B16, V14.B16, V14.B16
	VEOR V15.B16, V15.B16, V15.B16

g4start:
	CBZ R7, g4store

g4loop:
	VLD1  (R5), [V16.S4, V17.S4, V18.S4, V19.S4]
	ADD   R6, R5
	VLD1R (R2), [V20.S4]
	VLD1R (R9), [V21.S4]
	VLD1R (R10), [V22.S4]
	VLD1R (R11), [V23.S4]
	ADD   R4, R2
	ADD   R4, R9
	ADD   R4, R10
	ADD   R4, R11
	VFMLA V16.S4, V20.S4, V0.S4
	VFMLA V17.S4, V20.S4, V1.S4
	VFMLA V18.S4, V20.S4, V2.S4
	VFMLA V19.S4, V20.S4, V3.S4
	VFMLA V16.S4, V21.S4, V4.S4
	VFMLA V17.S4, V21.S4, V5.S4
	VFMLA V18.S4, V21.S4, V6.S4
	VFMLA V19.S4, V21.S4, V7.S4
	VFMLA V16.S4, V22.S4, V8.S4
	VFMLA V17.S4, V22.S4, V9.S4
	VFMLA V18.S4, V22.S4, V10.S4
	VFMLA V19.S4, V22.S4, V11.S4
	VFMLA V16.S4, V23.S4, V12.S4
	VFMLA V17.S4, V23.S4, V13.S4
	VFMLA V18.S4, V23.S4, V14.S4
	VFMLA V19.S4, V23.S4, V15.S4
	SUBS  $1, R7, R7
	BNE   g4loop

g4store:
	VST1 [V0.S4, V1.S4, V2.S4, V3.S4], (R0)
	VST1 [V4.S4, V5.S4, V6.S4, V7.S4], (R19)
	VST1 [V8.S4, V9.S4, V10.S4, V11.S4], (R20)
	VST1 [V12.S4, V13.S4, V14.S4, V15.S4], (R21)
	RET

// func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
// gemm4x16 for one row.
TEXT ·gemm1x16(SB), NOSPLIT, $0-49
	MOVD  c+0(FP), R0
	MOVD  a+8(FP), R2
	MOVD  aks+16(FP), R4
	LSL   $2, R4
	MOVD  b+24(FP), R5
	MOVD  ldb+32(FP), R6
	LSL   $2, R6
	MOVD  k+40(FP), R7
	MOVBU acc+48(FP), R8
	CBZ   R8, g1zero
	VLD1  (R0), [V0.S4, V1.S4, V2.S4, V3.S4]
	B     g1start

g1zero:
	VEOR V0.B16, V0.B16, V0.B16
	VEOR V1.B16, V1.B16, V1.B16
	VEOR V2.B16, V2.B16, V2.B16
	VEOR V3.B16, V3.B16, V3.B16

g1start:
	CBZ R7, g1store

g1loop:
	VLD1  (R5), [V16.S4, V17.S4, V18.S4, V19.S4]
	ADD   R6, R5
	VLD1R (R2), [V20.S4]
	ADD   R4, R2
	VFMLA V16.S4, V20.S4, V0.S4
	VFMLA V17.S4, V20.S4, V1.S4
	VFMLA V18.S4, V20.S4, V2.S4
	VFMLA V19.S4, V20.S4, V3.S4
	SUBS  $1, R7, R7
	BNE   g1loop

g1store:
	VST1 [V0.S4, V1.S4, V2.S4, V3.S4], (R0)
	RET
