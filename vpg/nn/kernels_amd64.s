//go:build amd64 && !purego

#include "textflag.h"

// The coefficients of tanh32 (tanh.go), each four times for a 256-bit operand.
DATA tanhP0<>+0(SB)/8, $0x3feffffff3d241fe
DATA tanhP0<>+8(SB)/8, $0x3feffffff3d241fe
DATA tanhP0<>+16(SB)/8, $0x3feffffff3d241fe
DATA tanhP0<>+24(SB)/8, $0x3feffffff3d241fe
GLOBL tanhP0<>(SB), RODATA|NOPTR, $32
DATA tanhP1<>+0(SB)/8, $0x3fc11e8c6fa2db8e
DATA tanhP1<>+8(SB)/8, $0x3fc11e8c6fa2db8e
DATA tanhP1<>+16(SB)/8, $0x3fc11e8c6fa2db8e
DATA tanhP1<>+24(SB)/8, $0x3fc11e8c6fa2db8e
GLOBL tanhP1<>(SB), RODATA|NOPTR, $32
DATA tanhP2<>+0(SB)/8, $0x3f6c927814eb5c74
DATA tanhP2<>+8(SB)/8, $0x3f6c927814eb5c74
DATA tanhP2<>+16(SB)/8, $0x3f6c927814eb5c74
DATA tanhP2<>+24(SB)/8, $0x3f6c927814eb5c74
GLOBL tanhP2<>(SB), RODATA|NOPTR, $32
DATA tanhP3<>+0(SB)/8, $0x3ef579d9f10fc944
DATA tanhP3<>+8(SB)/8, $0x3ef579d9f10fc944
DATA tanhP3<>+16(SB)/8, $0x3ef579d9f10fc944
DATA tanhP3<>+24(SB)/8, $0x3ef579d9f10fc944
GLOBL tanhP3<>(SB), RODATA|NOPTR, $32
DATA tanhP4<>+0(SB)/8, $0x3e4c4c46507d13aa
DATA tanhP4<>+8(SB)/8, $0x3e4c4c46507d13aa
DATA tanhP4<>+16(SB)/8, $0x3e4c4c46507d13aa
DATA tanhP4<>+24(SB)/8, $0x3e4c4c46507d13aa
GLOBL tanhP4<>(SB), RODATA|NOPTR, $32
DATA tanhQ1<>+0(SB)/8, $0x3fdde49abc01e9ee
DATA tanhQ1<>+8(SB)/8, $0x3fdde49abc01e9ee
DATA tanhQ1<>+16(SB)/8, $0x3fdde49abc01e9ee
DATA tanhQ1<>+24(SB)/8, $0x3fdde49abc01e9ee
GLOBL tanhQ1<>(SB), RODATA|NOPTR, $32
DATA tanhQ2<>+0(SB)/8, $0x3f9a77bd3268bcf8
DATA tanhQ2<>+8(SB)/8, $0x3f9a77bd3268bcf8
DATA tanhQ2<>+16(SB)/8, $0x3f9a77bd3268bcf8
DATA tanhQ2<>+24(SB)/8, $0x3f9a77bd3268bcf8
GLOBL tanhQ2<>(SB), RODATA|NOPTR, $32
DATA tanhQ3<>+0(SB)/8, $0x3f35730a8890ffc7
DATA tanhQ3<>+8(SB)/8, $0x3f35730a8890ffc7
DATA tanhQ3<>+16(SB)/8, $0x3f35730a8890ffc7
DATA tanhQ3<>+24(SB)/8, $0x3f35730a8890ffc7
GLOBL tanhQ3<>(SB), RODATA|NOPTR, $32
DATA tanhQ4<>+0(SB)/8, $0x3ea9d9a7ab4869d2
DATA tanhQ4<>+8(SB)/8, $0x3ea9d9a7ab4869d2
DATA tanhQ4<>+16(SB)/8, $0x3ea9d9a7ab4869d2
DATA tanhQ4<>+24(SB)/8, $0x3ea9d9a7ab4869d2
GLOBL tanhQ4<>(SB), RODATA|NOPTR, $32
DATA tanhOne<>+0(SB)/8, $0x3ff0000000000000
DATA tanhOne<>+8(SB)/8, $0x3ff0000000000000
DATA tanhOne<>+16(SB)/8, $0x3ff0000000000000
DATA tanhOne<>+24(SB)/8, $0x3ff0000000000000
GLOBL tanhOne<>(SB), RODATA|NOPTR, $32
DATA tanhSat<>+0(SB)/8, $0x4022333333333333
DATA tanhSat<>+8(SB)/8, $0x4022333333333333
DATA tanhSat<>+16(SB)/8, $0x4022333333333333
DATA tanhSat<>+24(SB)/8, $0x4022333333333333
GLOBL tanhSat<>(SB), RODATA|NOPTR, $32
DATA tanhNegSat<>+0(SB)/8, $0xc022333333333333
DATA tanhNegSat<>+8(SB)/8, $0xc022333333333333
DATA tanhNegSat<>+16(SB)/8, $0xc022333333333333
DATA tanhNegSat<>+24(SB)/8, $0xc022333333333333
GLOBL tanhNegSat<>(SB), RODATA|NOPTR, $32

// func addTanh4(y, b *float32, n int)
// y[i] = tanh32(y[i] + b[i]) for i < n, n a multiple of 4: the same float64
// operations as tanh32, in the same order and without fused multiply-adds,
// so the results are the same bits, four at a time.
TEXT ·addTanh4(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $2, CX
	JZ   tanhdone
	VMOVUPD tanhNegSat<>(SB), Y14
	VMOVUPD tanhSat<>(SB), Y15

tanhloop:
	VMOVUPS   (DI), X0
	VADDPS    (SI), X0, X0
	VCVTPS2PD X0, Y0
	VMAXPD    Y0, Y14, Y1 // NaN stays NaN
	VMINPD    Y1, Y15, Y1
	VMULPD    Y1, Y1, Y2

	VMULPD tanhP4<>(SB), Y2, Y3
	VADDPD tanhP3<>(SB), Y3, Y3
	VMULPD Y2, Y3, Y3
	VADDPD tanhP2<>(SB), Y3, Y3
	VMULPD Y2, Y3, Y3
	VADDPD tanhP1<>(SB), Y3, Y3
	VMULPD Y2, Y3, Y3
	VADDPD tanhP0<>(SB), Y3, Y3
	VMULPD Y1, Y3, Y3

	VMULPD tanhQ4<>(SB), Y2, Y4
	VADDPD tanhQ3<>(SB), Y4, Y4
	VMULPD Y2, Y4, Y4
	VADDPD tanhQ2<>(SB), Y4, Y4
	VMULPD Y2, Y4, Y4
	VADDPD tanhQ1<>(SB), Y4, Y4
	VMULPD Y2, Y4, Y4
	VADDPD tanhOne<>(SB), Y4, Y4

	VDIVPD     Y4, Y3, Y3
	VCVTPD2PSY Y3, X3
	VMOVUPS    X3, (DI)
	ADDQ       $16, DI
	ADDQ       $16, SI
	DECQ       CX
	JNZ        tanhloop

tanhdone:
	VZEROUPPER
	RET

// func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)
// c[r][0:16] (+)= Σ_l a(r, l)·b[l][0:16] for r < 4, with a(r, l) at
// a[r·ars + l·aks] and rows of b and c ldb and ldc apart; each sum runs over
// l in order, one fused multiply-add per term.
TEXT ·gemm4x16(SB), NOSPLIT, $0-65
	MOVQ c+0(FP), DI
	MOVQ ldc+8(FP), R8
	SHLQ $2, R8
	MOVQ a+16(FP), SI
	MOVQ ars+24(FP), R9
	SHLQ $2, R9
	MOVQ aks+32(FP), R10
	SHLQ $2, R10
	MOVQ b+40(FP), DX
	MOVQ ldb+48(FP), R11
	SHLQ $2, R11
	MOVQ k+56(FP), CX
	LEAQ (SI)(R9*1), R12
	LEAQ (R12)(R9*1), R13
	LEAQ (R13)(R9*1), R14
	LEAQ (DI)(R8*1), AX
	LEAQ (AX)(R8*1), BX
	LEAQ (BX)(R8*1), R8
	MOVBLZX acc+64(FP), R9
	TESTQ R9, R9
	JZ    g4zero
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS (AX), Y2
	VMOVUPS 32(AX), Y3
	VMOVUPS (BX), Y4
	VMOVUPS 32(BX), Y5
	VMOVUPS (R8), Y6
	VMOVUPS 32(R8), Y7
	JMP g4start

g4zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

g4start:
	XORQ  R9, R9
	TESTQ CX, CX
	JZ    g4store

g4loop:
	VMOVUPS      (DX), Y8
	VMOVUPS      32(DX), Y9
	VBROADCASTSS (SI)(R9*1), Y10
	VFMADD231PS  Y8, Y10, Y0
	VFMADD231PS  Y9, Y10, Y1
	VBROADCASTSS (R12)(R9*1), Y11
	VFMADD231PS  Y8, Y11, Y2
	VFMADD231PS  Y9, Y11, Y3
	VBROADCASTSS (R13)(R9*1), Y12
	VFMADD231PS  Y8, Y12, Y4
	VFMADD231PS  Y9, Y12, Y5
	VBROADCASTSS (R14)(R9*1), Y13
	VFMADD231PS  Y8, Y13, Y6
	VFMADD231PS  Y9, Y13, Y7
	ADDQ         R10, R9
	ADDQ         R11, DX
	DECQ         CX
	JNZ          g4loop

g4store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (AX)
	VMOVUPS Y3, 32(AX)
	VMOVUPS Y4, (BX)
	VMOVUPS Y5, 32(BX)
	VMOVUPS Y6, (R8)
	VMOVUPS Y7, 32(R8)
	VZEROUPPER
	RET

// func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
// gemm4x16 for one row.
TEXT ·gemm1x16(SB), NOSPLIT, $0-49
	MOVQ c+0(FP), DI
	MOVQ a+8(FP), SI
	MOVQ aks+16(FP), R10
	SHLQ $2, R10
	MOVQ b+24(FP), DX
	MOVQ ldb+32(FP), R11
	SHLQ $2, R11
	MOVQ k+40(FP), CX
	MOVBLZX acc+48(FP), R9
	TESTQ R9, R9
	JZ    g1zero
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	JMP g1start

g1zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1

g1start:
	TESTQ CX, CX
	JZ    g1store

g1loop:
	VBROADCASTSS (SI), Y10
	VFMADD231PS  (DX), Y10, Y0
	VFMADD231PS  32(DX), Y10, Y1
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          g1loop

g1store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VZEROUPPER
	RET

DATA onesF32<>+0(SB)/8, $0x3f8000003f800000
DATA onesF32<>+8(SB)/8, $0x3f8000003f800000
DATA onesF32<>+16(SB)/8, $0x3f8000003f800000
DATA onesF32<>+24(SB)/8, $0x3f8000003f800000
GLOBL onesF32<>(SB), RODATA|NOPTR, $32

// func tanhGrad8(d, y *float32, n int)
// d[i] *= 1 − y[i]·y[i] for i < n, n a multiple of 8, rounded as in Go.
TEXT ·tanhGrad8(SB), NOSPLIT, $0-24
	MOVQ d+0(FP), DI
	MOVQ y+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   tgdone
	VMOVUPS onesF32<>(SB), Y15

tgloop:
	VMOVUPS (SI), Y0
	VMULPS  Y0, Y0, Y0
	VSUBPS  Y0, Y15, Y0
	VMULPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     tgloop

tgdone:
	VZEROUPPER
	RET
