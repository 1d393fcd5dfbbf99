//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// useAVX2 says whether the assembly kernels (AVX2 and FMA) can run here, and
// so the product kernels gemm4x16 and gemm1x16 (useGemmKernels); useAVX512
// whether the AVX-512 kernels can too. They give the AVX2 kernels' bits (see
// gemm4x64), so a test may switch them off to compare.
var (
	useAVX2        = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useGemmKernels = useAVX2
	useAVX512      = useAVX2 && cpu.X86.HasAVX512F
)

//go:noescape
func addTanh8(y, b *float32, n, ld, rows int)

//go:noescape
func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func tanhGrad8(d, y *float32, n int)

//go:noescape
func gemm4x64(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func gemm1x64(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func addTanh16(y, b *float32, n, ld, rows int)

//go:noescape
func narrow16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func transpose16(dst, src *float32, lds int)

//go:noescape
func adam4(w, grad, m, v *float32, n int, k *adamStep)

//go:noescape
func adam8(w, grad, m, v *float32, n int, k *adamStep)

//go:noescape
func add8(dst, src *float32, n int)

//go:noescape
func narrow32(s, a *float32, aks int, b *float32, ldb, k int)

//go:noescape
func transpose8(dst *float32, ldd int, src *float32, lds int)

//go:noescape
func gemm6x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool, tiles int)

//go:noescape
func gemm1x64AVX2(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
