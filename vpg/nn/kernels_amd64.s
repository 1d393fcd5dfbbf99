//go:build amd64 && !purego

#include "textflag.h"

// The float32 constants of tanh32 (tanh.go), broadcast into every lane; P0 is 1.
DATA tanhP1<>+0(SB)/4, $0x3e08f463
GLOBL tanhP1<>(SB), RODATA|NOPTR, $4
DATA tanhP2<>+0(SB)/4, $0x3b6493c1
GLOBL tanhP2<>(SB), RODATA|NOPTR, $4
DATA tanhP3<>+0(SB)/4, $0x37abcecf
GLOBL tanhP3<>(SB), RODATA|NOPTR, $4
DATA tanhP4<>+0(SB)/4, $0x32626232
GLOBL tanhP4<>(SB), RODATA|NOPTR, $4
DATA tanhQ1<>+0(SB)/4, $0x3eef24d6
GLOBL tanhQ1<>(SB), RODATA|NOPTR, $4
DATA tanhQ2<>+0(SB)/4, $0x3cd3bde9
GLOBL tanhQ2<>(SB), RODATA|NOPTR, $4
DATA tanhQ3<>+0(SB)/4, $0x39ab9854
GLOBL tanhQ3<>(SB), RODATA|NOPTR, $4
DATA tanhQ4<>+0(SB)/4, $0x354ecd3e
GLOBL tanhQ4<>(SB), RODATA|NOPTR, $4
DATA tanhOne<>+0(SB)/4, $0x3f800000
GLOBL tanhOne<>(SB), RODATA|NOPTR, $4
DATA tanhNegOne<>+0(SB)/4, $0xbf800000
GLOBL tanhNegOne<>(SB), RODATA|NOPTR, $4
DATA tanhSat<>+0(SB)/4, $0x4111999a
GLOBL tanhSat<>(SB), RODATA|NOPTR, $4
DATA tanhNegSat<>+0(SB)/4, $0xc111999a
GLOBL tanhNegSat<>(SB), RODATA|NOPTR, $4

// func addTanh8(y, b *float32, n, ld, rows int)
// y[r·ld + i] = tanh32(y[r·ld + i] + b[i]) for i < n, n a multiple of 8, on
// rows rows ld apart: the same float32 operations as tanh32, in the same
// order and without fused multiply-adds, so the results are the same bits,
// eight at a time.
TEXT ·addTanh8(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ b+8(FP), R8
	MOVQ n+16(FP), R9
	SHRQ $3, R9
	JZ   tanhdone
	MOVQ ld+24(FP), R10
	SHLQ $2, R10
	MOVQ rows+32(FP), R11
	TESTQ R11, R11
	JZ    tanhdone
	VBROADCASTSS tanhNegSat<>(SB), Y4
	VBROADCASTSS tanhSat<>(SB), Y5
	VBROADCASTSS tanhP1<>(SB), Y6
	VBROADCASTSS tanhP2<>(SB), Y7
	VBROADCASTSS tanhP3<>(SB), Y8
	VBROADCASTSS tanhP4<>(SB), Y9
	VBROADCASTSS tanhQ1<>(SB), Y10
	VBROADCASTSS tanhQ2<>(SB), Y11
	VBROADCASTSS tanhQ3<>(SB), Y12
	VBROADCASTSS tanhQ4<>(SB), Y13
	VBROADCASTSS tanhOne<>(SB), Y14
	VBROADCASTSS tanhNegOne<>(SB), Y15

tanhrow:
	MOVQ DI, DX
	MOVQ R8, SI
	MOVQ R9, CX

tanhloop:
	VMOVUPS (DX), Y0
	VADDPS  (SI), Y0, Y0
	VMAXPS  Y0, Y4, Y0 // NaN stays NaN
	VMINPS  Y0, Y5, Y0
	VMULPS  Y0, Y0, Y1

	VMULPS Y9, Y1, Y2
	VADDPS Y8, Y2, Y2
	VMULPS Y1, Y2, Y2
	VADDPS Y7, Y2, Y2
	VMULPS Y1, Y2, Y2
	VADDPS Y6, Y2, Y2
	VMULPS Y1, Y2, Y2
	VADDPS Y14, Y2, Y2
	VMULPS Y0, Y2, Y2

	VMULPS Y13, Y1, Y3
	VADDPS Y12, Y3, Y3
	VMULPS Y1, Y3, Y3
	VADDPS Y11, Y3, Y3
	VMULPS Y1, Y3, Y3
	VADDPS Y10, Y3, Y3
	VMULPS Y1, Y3, Y3
	VADDPS Y14, Y3, Y3

	VDIVPS  Y3, Y2, Y2
	VMAXPS  Y2, Y15, Y2
	VMINPS  Y2, Y14, Y2
	VMOVUPS Y2, (DX)
	ADDQ    $32, DX
	ADDQ    $32, SI
	DECQ    CX
	JNZ     tanhloop

	ADDQ R10, DI
	DECQ R11
	JNZ  tanhrow

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

// func addTanh16(y, b *float32, n, ld, rows int)
// addTanh8 sixteen lanes at a time in AVX-512 registers: the same float32
// operations in the same order, so the same bits.
TEXT ·addTanh16(SB), NOSPLIT, $0-40
	MOVQ y+0(FP), DI
	MOVQ b+8(FP), R8
	MOVQ n+16(FP), R9
	SHRQ $4, R9
	JZ   t16done
	MOVQ ld+24(FP), R10
	SHLQ $2, R10
	MOVQ rows+32(FP), R11
	TESTQ R11, R11
	JZ    t16done
	VBROADCASTSS tanhNegSat<>(SB), Z4
	VBROADCASTSS tanhSat<>(SB), Z5
	VBROADCASTSS tanhP1<>(SB), Z6
	VBROADCASTSS tanhP2<>(SB), Z7
	VBROADCASTSS tanhP3<>(SB), Z8
	VBROADCASTSS tanhP4<>(SB), Z9
	VBROADCASTSS tanhQ1<>(SB), Z10
	VBROADCASTSS tanhQ2<>(SB), Z11
	VBROADCASTSS tanhQ3<>(SB), Z12
	VBROADCASTSS tanhQ4<>(SB), Z13
	VBROADCASTSS tanhOne<>(SB), Z14
	VBROADCASTSS tanhNegOne<>(SB), Z15

t16row:
	MOVQ DI, DX
	MOVQ R8, SI
	MOVQ R9, CX

t16loop:
	VMOVUPS (DX), Z0
	VADDPS  (SI), Z0, Z0
	VMAXPS  Z0, Z4, Z0 // NaN stays NaN
	VMINPS  Z0, Z5, Z0
	VMULPS  Z0, Z0, Z1

	VMULPS Z9, Z1, Z2
	VADDPS Z8, Z2, Z2
	VMULPS Z1, Z2, Z2
	VADDPS Z7, Z2, Z2
	VMULPS Z1, Z2, Z2
	VADDPS Z6, Z2, Z2
	VMULPS Z1, Z2, Z2
	VADDPS Z14, Z2, Z2
	VMULPS Z0, Z2, Z2

	VMULPS Z13, Z1, Z3
	VADDPS Z12, Z3, Z3
	VMULPS Z1, Z3, Z3
	VADDPS Z11, Z3, Z3
	VMULPS Z1, Z3, Z3
	VADDPS Z10, Z3, Z3
	VMULPS Z1, Z3, Z3
	VADDPS Z14, Z3, Z3

	VDIVPS  Z3, Z2, Z2
	VMAXPS  Z2, Z15, Z2
	VMINPS  Z2, Z14, Z2
	VMOVUPS Z2, (DX)
	ADDQ    $64, DX
	ADDQ    $64, SI
	DECQ    CX
	JNZ     t16loop

	ADDQ R10, DI
	DECQ R11
	JNZ  t16row

t16done:
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

// Adam's β₁, 1−β₁, β₂ and 1−β₂ (engine.go) as Go's exact constant arithmetic rounds them.
DATA adamB1<>+0(SB)/8, $0x3feccccccccccccd
GLOBL adamB1<>(SB), RODATA|NOPTR, $8
DATA adamC1<>+0(SB)/8, $0x3fb999999999999a
GLOBL adamC1<>(SB), RODATA|NOPTR, $8
DATA adamB2<>+0(SB)/8, $0x3feff7ced916872b
GLOBL adamB2<>(SB), RODATA|NOPTR, $8
DATA adamC2<>+0(SB)/8, $0x3f50624dd2f1a9fc
GLOBL adamC2<>(SB), RODATA|NOPTR, $8

// func adam4(w, grad, m, v *float32, n int, k *adamStep)
// adamGo on n float32 parameters, n a multiple of 4, 4 at a time in
// float64 lanes: the same operations in the same order, so the same bits.
TEXT ·adam4(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $2, CX
	JZ   adam4done
	VBROADCASTSD adamB1<>(SB), Y8
	VBROADCASTSD adamC1<>(SB), Y9
	VBROADCASTSD adamB2<>(SB), Y10
	VBROADCASTSD adamC2<>(SB), Y11
	VBROADCASTSD 0(AX), Y12  // α
	VBROADCASTSD 8(AX), Y13  // 1/(1−β₁ᵗ)
	VBROADCASTSD 16(AX), Y14 // 1/(1−β₂ᵗ)
	VBROADCASTSD 24(AX), Y15 // ε

adam4loop:
	VCVTPS2PD (SI), Y0
	VCVTPS2PD (R8), Y1
	VCVTPS2PD (R9), Y2
	VMULPD    Y8, Y1, Y1
	VMULPD    Y9, Y0, Y3
	VADDPD    Y3, Y1, Y1 // m
	VMULPD    Y10, Y2, Y2
	VMULPD    Y11, Y0, Y4
	VMULPD    Y0, Y4, Y4
	VADDPD    Y4, Y2, Y2 // v
	VCVTPD2PSY  Y1, X5
	VMOVUPS   X5, (R8)
	VCVTPD2PSY  Y2, X5
	VMOVUPS   X5, (R9)
	VMULPD    Y12, Y1, Y1
	VMULPD    Y13, Y1, Y1
	VMULPD    Y14, Y2, Y2
	VSQRTPD   Y2, Y2
	VADDPD    Y15, Y2, Y2
	VDIVPD    Y2, Y1, Y1
	VCVTPD2PSY  Y1, X1
	VMOVUPS   (DI), X5
	VSUBPS    X1, X5, X5
	VMOVUPS   X5, (DI)
	ADDQ      $16, DI
	ADDQ      $16, SI
	ADDQ      $16, R8
	ADDQ      $16, R9
	DECQ      CX
	JNZ       adam4loop

adam4done:
	VZEROUPPER
	RET

// func adam8(w, grad, m, v *float32, n int, k *adamStep)
// adamGo on n float32 parameters, n a multiple of 8, 8 at a time in
// float64 lanes: the same operations in the same order, so the same bits.
TEXT ·adam8(SB), NOSPLIT, $0-48
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	MOVQ k+40(FP), AX
	SHRQ $3, CX
	JZ   adam8done
	VBROADCASTSD adamB1<>(SB), Z20
	VBROADCASTSD adamC1<>(SB), Z21
	VBROADCASTSD adamB2<>(SB), Z22
	VBROADCASTSD adamC2<>(SB), Z23
	VBROADCASTSD 0(AX), Z24  // α
	VBROADCASTSD 8(AX), Z25  // 1/(1−β₁ᵗ)
	VBROADCASTSD 16(AX), Z26 // 1/(1−β₂ᵗ)
	VBROADCASTSD 24(AX), Z27 // ε

adam8loop:
	VCVTPS2PD (SI), Z0
	VCVTPS2PD (R8), Z1
	VCVTPS2PD (R9), Z2
	VMULPD    Z20, Z1, Z1
	VMULPD    Z21, Z0, Z3
	VADDPD    Z3, Z1, Z1 // m
	VMULPD    Z22, Z2, Z2
	VMULPD    Z23, Z0, Z4
	VMULPD    Z0, Z4, Z4
	VADDPD    Z4, Z2, Z2 // v
	VCVTPD2PS   Z1, Y5
	VMOVUPS   Y5, (R8)
	VCVTPD2PS   Z2, Y5
	VMOVUPS   Y5, (R9)
	VMULPD    Z24, Z1, Z1
	VMULPD    Z25, Z1, Z1
	VMULPD    Z26, Z2, Z2
	VSQRTPD   Z2, Z2
	VADDPD    Z27, Z2, Z2
	VDIVPD    Z2, Z1, Z1
	VCVTPD2PS   Z1, Y1
	VMOVUPS   (DI), Y5
	VSUBPS    Y1, Y5, Y5
	VMOVUPS   Y5, (DI)
	ADDQ      $32, DI
	ADDQ      $32, SI
	ADDQ      $32, R8
	ADDQ      $32, R9
	DECQ      CX
	JNZ       adam8loop

adam8done:
	VZEROUPPER
	RET

// func add8(dst, src *float32, n int)
// dst[i] += src[i] for i < n, n a multiple of 8: one rounded float32 sum
// each, as in Go.
TEXT ·add8(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $3, CX
	JZ   add8done

add8loop:
	VMOVUPS (DI), Y0
	VADDPS  (SI), Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JNZ     add8loop

add8done:
	VZEROUPPER
	RET

// func narrow32(s, a *float32, aks int, b *float32, ldb, k int)
// s[r] += a[r + l·aks]·b[l·ldb] for r < 32, l < k in order: a product then
// a sum per l, as gemmNarrow's Go rounds them, so the same bits; the 32
// rows of a are adjacent (a transposed operand, or a block transpose8 made).
TEXT ·narrow32(SB), NOSPLIT, $0-48
	MOVQ    s+0(FP), DI
	MOVQ    a+8(FP), SI
	MOVQ    aks+16(FP), R10
	SHLQ    $2, R10
	MOVQ    b+24(FP), DX
	MOVQ    ldb+32(FP), R11
	SHLQ    $2, R11
	MOVQ    k+40(FP), CX
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	TESTQ   CX, CX
	JZ      n32store

n32loop:
	VBROADCASTSS (DX), Y4
	VMULPS       (SI), Y4, Y5
	VADDPS       Y5, Y0, Y0
	VMULPS       32(SI), Y4, Y6
	VADDPS       Y6, Y1, Y1
	VMULPS       64(SI), Y4, Y7
	VADDPS       Y7, Y2, Y2
	VMULPS       96(SI), Y4, Y8
	VADDPS       Y8, Y3, Y3
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          n32loop

n32store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VZEROUPPER
	RET

// func transpose8(dst *float32, ldd int, src *float32, lds int)
// dst[c·ldd + r] = src[r·lds + c] for r, c < 8: an 8×8 block transposed in
// registers (unpack pairs, then pairs of pairs, then swap 128-bit lanes).
TEXT ·transpose8(SB), NOSPLIT, $0-32
	MOVQ    dst+0(FP), DI
	MOVQ    ldd+8(FP), R9
	SHLQ    $2, R9
	MOVQ    src+16(FP), SI
	MOVQ    lds+24(FP), R8
	SHLQ    $2, R8
	VMOVUPS (SI), Y0
	ADDQ    R8, SI
	VMOVUPS (SI), Y1
	ADDQ    R8, SI
	VMOVUPS (SI), Y2
	ADDQ    R8, SI
	VMOVUPS (SI), Y3
	ADDQ    R8, SI
	VMOVUPS (SI), Y4
	ADDQ    R8, SI
	VMOVUPS (SI), Y5
	ADDQ    R8, SI
	VMOVUPS (SI), Y6
	ADDQ    R8, SI
	VMOVUPS (SI), Y7

	// rows r, r+1 interleaved: (r0 r1 pairs of columns 0,1 | 4,5) and (2,3 | 6,7)
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15

	// four rows of one column per 128-bit lane: columns c | c+4
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xee, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xee, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xee, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xee, Y15, Y13, Y7

	// rows 0–3 and 4–7 of each column joined
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15

	VMOVUPS Y8, (DI)
	ADDQ    R9, DI
	VMOVUPS Y9, (DI)
	ADDQ    R9, DI
	VMOVUPS Y10, (DI)
	ADDQ    R9, DI
	VMOVUPS Y11, (DI)
	ADDQ    R9, DI
	VMOVUPS Y12, (DI)
	ADDQ    R9, DI
	VMOVUPS Y13, (DI)
	ADDQ    R9, DI
	VMOVUPS Y14, (DI)
	ADDQ    R9, DI
	VMOVUPS Y15, (DI)
	VZEROUPPER
	RET

// func gemm6x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool, tiles int)
// gemm4x16 for tiles tiles of 6 rows, one under the other: twelve sums in
// flight hide the fused multiply-adds' latency better than eight; each sum
// still runs over l in order with one fused multiply-add per term, so the
// bits are gemm4x16's. Going down the rows here, not in Go, saves a call
// per tile.
TEXT ·gemm6x16(SB), NOSPLIT, $0-80
	MOVQ c+0(FP), DI
	MOVQ ldc+8(FP), R8
	SHLQ $2, R8
	MOVQ a+16(FP), R14       // the tile's first row of a
	MOVQ ars+24(FP), R9
	SHLQ $2, R9
	MOVQ aks+32(FP), R10
	SHLQ $2, R10
	MOVQ ldb+48(FP), R11
	SHLQ $2, R11
	MOVQ tiles+72(FP), BX
	TESTQ BX, BX
	JZ    g6done

g6tile:
	MOVQ R14, SI
	MOVQ b+40(FP), DX
	MOVQ k+56(FP), CX
	LEAQ (SI)(R9*2), R12
	ADDQ R9, R12             // a's row 3
	LEAQ (DI)(R8*2), R13
	ADDQ R8, R13             // c's row 3
	MOVBLZX acc+64(FP), AX
	TESTQ AX, AX
	JZ    g6zero
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS (DI)(R8*1), Y2
	VMOVUPS 32(DI)(R8*1), Y3
	VMOVUPS (DI)(R8*2), Y4
	VMOVUPS 32(DI)(R8*2), Y5
	VMOVUPS (R13), Y6
	VMOVUPS 32(R13), Y7
	VMOVUPS (R13)(R8*1), Y8
	VMOVUPS 32(R13)(R8*1), Y9
	VMOVUPS (R13)(R8*2), Y10
	VMOVUPS 32(R13)(R8*2), Y11
	JMP g6start

g6zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

g6start:
	TESTQ CX, CX
	JZ    g6store

g6loop:
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VBROADCASTSS (SI), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS (SI)(R9*1), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (SI)(R9*2), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS (R12), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (R12)(R9*1), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS (R12)(R9*2), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         R10, SI
	ADDQ         R10, R12
	ADDQ         R11, DX
	DECQ         CX
	JNZ          g6loop

g6store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, (DI)(R8*1)
	VMOVUPS Y3, 32(DI)(R8*1)
	VMOVUPS Y4, (DI)(R8*2)
	VMOVUPS Y5, 32(DI)(R8*2)
	VMOVUPS Y6, (R13)
	VMOVUPS Y7, 32(R13)
	VMOVUPS Y8, (R13)(R8*1)
	VMOVUPS Y9, 32(R13)(R8*1)
	VMOVUPS Y10, (R13)(R8*2)
	VMOVUPS Y11, 32(R13)(R8*2)
	LEAQ (R13)(R8*2), DI
	ADDQ R8, DI              // c's next tile: row 6
	LEAQ (R14)(R9*4), R14
	LEAQ (R14)(R9*2), R14    // a's next tile: row 6
	DECQ BX
	JNZ  g6tile

g6done:
	VZEROUPPER
	RET

// func gemm1x64AVX2(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
// gemm1x16 on 64 columns: eight sums in flight where gemm1x16 has two, for
// a batch of one row (a rollout step); the same fused multiply-adds in the
// same order, so the same bits.
TEXT ·gemm1x64AVX2(SB), NOSPLIT, $0-49
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
	JZ    r64zero
	VMOVUPS (DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VMOVUPS 128(DI), Y4
	VMOVUPS 160(DI), Y5
	VMOVUPS 192(DI), Y6
	VMOVUPS 224(DI), Y7
	JMP r64start

r64zero:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7

r64start:
	TESTQ CX, CX
	JZ    r64store

r64loop:
	VBROADCASTSS (SI), Y8
	VFMADD231PS  (DX), Y8, Y0
	VFMADD231PS  32(DX), Y8, Y1
	VFMADD231PS  64(DX), Y8, Y2
	VFMADD231PS  96(DX), Y8, Y3
	VFMADD231PS  128(DX), Y8, Y4
	VFMADD231PS  160(DX), Y8, Y5
	VFMADD231PS  192(DX), Y8, Y6
	VFMADD231PS  224(DX), Y8, Y7
	ADDQ         R10, SI
	ADDQ         R11, DX
	DECQ         CX
	JNZ          r64loop

r64store:
	VMOVUPS Y0, (DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	VMOVUPS Y4, 128(DI)
	VMOVUPS Y5, 160(DI)
	VMOVUPS Y6, 192(DI)
	VMOVUPS Y7, 224(DI)
	VZEROUPPER
	RET
