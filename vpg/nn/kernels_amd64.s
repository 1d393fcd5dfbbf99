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

// func gemm4x64(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)
// gemm4x16 on 64 columns of 512-bit registers: each entry's sum runs over l
// in order with one fused multiply-add per term, so the bits are gemm4x16's.
TEXT ·gemm4x64(SB), NOSPLIT, $0-65
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
	JZ    g64zero
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	VMOVUPS (AX), Z4
	VMOVUPS 64(AX), Z5
	VMOVUPS 128(AX), Z6
	VMOVUPS 192(AX), Z7
	VMOVUPS (BX), Z8
	VMOVUPS 64(BX), Z9
	VMOVUPS 128(BX), Z10
	VMOVUPS 192(BX), Z11
	VMOVUPS (R8), Z12
	VMOVUPS 64(R8), Z13
	VMOVUPS 128(R8), Z14
	VMOVUPS 192(R8), Z15
	JMP g64start

g64zero:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15

g64start:
	XORQ  R9, R9
	TESTQ CX, CX
	JZ    g64store

g64loop:
	VMOVUPS      (DX), Z16
	VMOVUPS      64(DX), Z17
	VMOVUPS      128(DX), Z18
	VMOVUPS      192(DX), Z19
	VBROADCASTSS (SI)(R9*1), Z20
	VFMADD231PS  Z16, Z20, Z0
	VFMADD231PS  Z17, Z20, Z1
	VFMADD231PS  Z18, Z20, Z2
	VFMADD231PS  Z19, Z20, Z3
	VBROADCASTSS (R12)(R9*1), Z21
	VFMADD231PS  Z16, Z21, Z4
	VFMADD231PS  Z17, Z21, Z5
	VFMADD231PS  Z18, Z21, Z6
	VFMADD231PS  Z19, Z21, Z7
	VBROADCASTSS (R13)(R9*1), Z22
	VFMADD231PS  Z16, Z22, Z8
	VFMADD231PS  Z17, Z22, Z9
	VFMADD231PS  Z18, Z22, Z10
	VFMADD231PS  Z19, Z22, Z11
	VBROADCASTSS (R14)(R9*1), Z23
	VFMADD231PS  Z16, Z23, Z12
	VFMADD231PS  Z17, Z23, Z13
	VFMADD231PS  Z18, Z23, Z14
	VFMADD231PS  Z19, Z23, Z15
	ADDQ         R10, R9
	ADDQ         R11, DX
	DECQ         CX
	JNZ          g64loop

g64store:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, (AX)
	VMOVUPS Z5, 64(AX)
	VMOVUPS Z6, 128(AX)
	VMOVUPS Z7, 192(AX)
	VMOVUPS Z8, (BX)
	VMOVUPS Z9, 64(BX)
	VMOVUPS Z10, 128(BX)
	VMOVUPS Z11, 192(BX)
	VMOVUPS Z12, (R8)
	VMOVUPS Z13, 64(R8)
	VMOVUPS Z14, 128(R8)
	VMOVUPS Z15, 192(R8)
	VZEROUPPER
	RET

// func gemm1x64(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
// gemm4x64 for one row.
TEXT ·gemm1x64(SB), NOSPLIT, $0-49
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
	JZ    g1x64zero
	VMOVUPS (DI), Z0
	VMOVUPS 64(DI), Z1
	VMOVUPS 128(DI), Z2
	VMOVUPS 192(DI), Z3
	JMP g1x64start

g1x64zero:
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3

g1x64start:
	TESTQ CX, CX
	JZ    g1x64store

g1x64loop:
	VBROADCASTSS (SI), Z20
	VFMADD231PS  (DX), Z20, Z0
	VFMADD231PS  64(DX), Z20, Z1
	VFMADD231PS  128(DX), Z20, Z2
	VFMADD231PS  192(DX), Z20, Z3
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          g1x64loop

g1x64store:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VZEROUPPER
	RET

// func addTanh8(y, b *float32, n int)
// addTanh4 eight lanes at a time in AVX-512 registers: the same float64
// operations in the same order, so the same bits.
TEXT ·addTanh8(SB), NOSPLIT, $0-24
	MOVQ y+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   t8done
	VBROADCASTSD tanhNegSat<>(SB), Z20
	VBROADCASTSD tanhSat<>(SB), Z21
	VBROADCASTSD tanhP0<>(SB), Z22
	VBROADCASTSD tanhP1<>(SB), Z23
	VBROADCASTSD tanhP2<>(SB), Z24
	VBROADCASTSD tanhP3<>(SB), Z25
	VBROADCASTSD tanhP4<>(SB), Z26
	VBROADCASTSD tanhQ1<>(SB), Z27
	VBROADCASTSD tanhQ2<>(SB), Z28
	VBROADCASTSD tanhQ3<>(SB), Z29
	VBROADCASTSD tanhQ4<>(SB), Z30
	VBROADCASTSD tanhOne<>(SB), Z31

t8loop:
	VMOVUPS   (DI), Y0
	VADDPS    (SI), Y0, Y0
	VCVTPS2PD Y0, Z0
	VMAXPD    Z0, Z20, Z1 // NaN stays NaN
	VMINPD    Z1, Z21, Z1
	VMULPD    Z1, Z1, Z2

	VMULPD Z26, Z2, Z3
	VADDPD Z25, Z3, Z3
	VMULPD Z2, Z3, Z3
	VADDPD Z24, Z3, Z3
	VMULPD Z2, Z3, Z3
	VADDPD Z23, Z3, Z3
	VMULPD Z2, Z3, Z3
	VADDPD Z22, Z3, Z3
	VMULPD Z1, Z3, Z3

	VMULPD Z30, Z2, Z4
	VADDPD Z29, Z4, Z4
	VMULPD Z2, Z4, Z4
	VADDPD Z28, Z4, Z4
	VMULPD Z2, Z4, Z4
	VADDPD Z27, Z4, Z4
	VMULPD Z2, Z4, Z4
	VADDPD Z31, Z4, Z4

	VDIVPD    Z4, Z3, Z3
	VCVTPD2PS Z3, Y3
	VMOVUPS   Y3, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	DECQ      CX
	JNZ       t8loop

t8done:
	VZEROUPPER
	RET

DATA iota16<>+0(SB)/8, $0x0000000100000000
DATA iota16<>+8(SB)/8, $0x0000000300000002
DATA iota16<>+16(SB)/8, $0x0000000500000004
DATA iota16<>+24(SB)/8, $0x0000000700000006
DATA iota16<>+32(SB)/8, $0x0000000900000008
DATA iota16<>+40(SB)/8, $0x0000000b0000000a
DATA iota16<>+48(SB)/8, $0x0000000d0000000c
DATA iota16<>+56(SB)/8, $0x0000000f0000000e
GLOBL iota16<>(SB), RODATA|NOPTR, $64

// func narrow16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)
// One column of c for 16 rows: c[r·ldc] (+)= Σ_l a[r·ars + l·aks]·b[l·ldb],
// a product then a sum per l in order, as gemmNarrow's Go rounds them, so the
// same bits; the rows are gathered and scattered with 32-bit offsets
// (16·ars and 16·ldc must fit).
TEXT ·narrow16(SB), NOSPLIT, $0-65
	MOVQ         c+0(FP), DI
	VMOVDQU32    iota16<>(SB), Z29
	MOVQ         ars+24(FP), R9
	VPBROADCASTD R9, Z28
	VPMULLD      Z28, Z29, Z30
	MOVQ         ldc+8(FP), R8
	VPBROADCASTD R8, Z28
	VPMULLD      Z28, Z29, Z31
	MOVBLZX      acc+64(FP), R9
	TESTQ        R9, R9
	JZ           n16zero
	KXNORW       K1, K1, K1
	VGATHERDPS   (DI)(Z31*4), K1, Z0
	JMP          n16start

n16zero:
	VPXORD Z0, Z0, Z0

n16start:
	MOVQ  a+16(FP), SI
	MOVQ  aks+32(FP), R10
	SHLQ  $2, R10
	MOVQ  b+40(FP), DX
	MOVQ  ldb+48(FP), R11
	SHLQ  $2, R11
	MOVQ  k+56(FP), CX
	TESTQ CX, CX
	JZ    n16store
	CMPQ  ars+24(FP), $1
	JNE   n16loop

n16contig: // the 16 rows are adjacent (a transposed operand): one load each l
	VMOVUPS      (SI), Z1
	VBROADCASTSS (DX), Z2
	VMULPS       Z2, Z1, Z1
	VADDPS       Z1, Z0, Z0
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          n16contig
	JMP          n16store

n16loop:
	KXNORW       K1, K1, K1
	VGATHERDPS   (SI)(Z30*4), K1, Z1
	VBROADCASTSS (DX), Z2
	VMULPS       Z2, Z1, Z1
	VADDPS       Z1, Z0, Z0
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          n16loop

n16store:
	KXNORW      K1, K1, K1
	VSCATTERDPS Z0, K1, (DI)(Z31*4)
	VZEROUPPER
	RET

// func transpose16(dst, src *float32, lds int)
// dst[c·16 + r] = src[r·lds + c] for r, c < 16: a 16×16 block transposed in
// registers (unpack pairs, then pairs of pairs, then 128-bit lanes twice).
TEXT ·transpose16(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	VMOVUPS (SI), Z0
	ADDQ    R8, SI
	VMOVUPS (SI), Z1
	ADDQ    R8, SI
	VMOVUPS (SI), Z2
	ADDQ    R8, SI
	VMOVUPS (SI), Z3
	ADDQ    R8, SI
	VMOVUPS (SI), Z4
	ADDQ    R8, SI
	VMOVUPS (SI), Z5
	ADDQ    R8, SI
	VMOVUPS (SI), Z6
	ADDQ    R8, SI
	VMOVUPS (SI), Z7
	ADDQ    R8, SI
	VMOVUPS (SI), Z8
	ADDQ    R8, SI
	VMOVUPS (SI), Z9
	ADDQ    R8, SI
	VMOVUPS (SI), Z10
	ADDQ    R8, SI
	VMOVUPS (SI), Z11
	ADDQ    R8, SI
	VMOVUPS (SI), Z12
	ADDQ    R8, SI
	VMOVUPS (SI), Z13
	ADDQ    R8, SI
	VMOVUPS (SI), Z14
	ADDQ    R8, SI
	VMOVUPS (SI), Z15
	VUNPCKLPS Z1, Z0, Z16
	VUNPCKHPS Z1, Z0, Z17
	VUNPCKLPS Z3, Z2, Z18
	VUNPCKHPS Z3, Z2, Z19
	VUNPCKLPS Z5, Z4, Z20
	VUNPCKHPS Z5, Z4, Z21
	VUNPCKLPS Z7, Z6, Z22
	VUNPCKHPS Z7, Z6, Z23
	VUNPCKLPS Z9, Z8, Z24
	VUNPCKHPS Z9, Z8, Z25
	VUNPCKLPS Z11, Z10, Z26
	VUNPCKHPS Z11, Z10, Z27
	VUNPCKLPS Z13, Z12, Z28
	VUNPCKHPS Z13, Z12, Z29
	VUNPCKLPS Z15, Z14, Z30
	VUNPCKHPS Z15, Z14, Z31
	VUNPCKLPD Z18, Z16, Z0
	VUNPCKHPD Z18, Z16, Z1
	VUNPCKLPD Z19, Z17, Z2
	VUNPCKHPD Z19, Z17, Z3
	VUNPCKLPD Z22, Z20, Z4
	VUNPCKHPD Z22, Z20, Z5
	VUNPCKLPD Z23, Z21, Z6
	VUNPCKHPD Z23, Z21, Z7
	VUNPCKLPD Z26, Z24, Z8
	VUNPCKHPD Z26, Z24, Z9
	VUNPCKLPD Z27, Z25, Z10
	VUNPCKHPD Z27, Z25, Z11
	VUNPCKLPD Z30, Z28, Z12
	VUNPCKHPD Z30, Z28, Z13
	VUNPCKLPD Z31, Z29, Z14
	VUNPCKHPD Z31, Z29, Z15
	VSHUFF32X4 $0x88, Z4, Z0, Z16
	VSHUFF32X4 $0xdd, Z4, Z0, Z20
	VSHUFF32X4 $0x88, Z5, Z1, Z17
	VSHUFF32X4 $0xdd, Z5, Z1, Z21
	VSHUFF32X4 $0x88, Z6, Z2, Z18
	VSHUFF32X4 $0xdd, Z6, Z2, Z22
	VSHUFF32X4 $0x88, Z7, Z3, Z19
	VSHUFF32X4 $0xdd, Z7, Z3, Z23
	VSHUFF32X4 $0x88, Z12, Z8, Z24
	VSHUFF32X4 $0xdd, Z12, Z8, Z28
	VSHUFF32X4 $0x88, Z13, Z9, Z25
	VSHUFF32X4 $0xdd, Z13, Z9, Z29
	VSHUFF32X4 $0x88, Z14, Z10, Z26
	VSHUFF32X4 $0xdd, Z14, Z10, Z30
	VSHUFF32X4 $0x88, Z15, Z11, Z27
	VSHUFF32X4 $0xdd, Z15, Z11, Z31
	VSHUFF32X4 $0x88, Z24, Z16, Z0
	VSHUFF32X4 $0xdd, Z24, Z16, Z8
	VSHUFF32X4 $0x88, Z25, Z17, Z1
	VSHUFF32X4 $0xdd, Z25, Z17, Z9
	VSHUFF32X4 $0x88, Z26, Z18, Z2
	VSHUFF32X4 $0xdd, Z26, Z18, Z10
	VSHUFF32X4 $0x88, Z27, Z19, Z3
	VSHUFF32X4 $0xdd, Z27, Z19, Z11
	VSHUFF32X4 $0x88, Z28, Z20, Z4
	VSHUFF32X4 $0xdd, Z28, Z20, Z12
	VSHUFF32X4 $0x88, Z29, Z21, Z5
	VSHUFF32X4 $0xdd, Z29, Z21, Z13
	VSHUFF32X4 $0x88, Z30, Z22, Z6
	VSHUFF32X4 $0xdd, Z30, Z22, Z14
	VSHUFF32X4 $0x88, Z31, Z23, Z7
	VSHUFF32X4 $0xdd, Z31, Z23, Z15
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	VMOVUPS Z6, 384(DI)
	VMOVUPS Z7, 448(DI)
	VMOVUPS Z8, 512(DI)
	VMOVUPS Z9, 576(DI)
	VMOVUPS Z10, 640(DI)
	VMOVUPS Z11, 704(DI)
	VMOVUPS Z12, 768(DI)
	VMOVUPS Z13, 832(DI)
	VMOVUPS Z14, 896(DI)
	VMOVUPS Z15, 960(DI)
	VZEROUPPER
	RET
