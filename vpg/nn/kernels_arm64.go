//go:build arm64 && !purego

package nn

// Every arm64 CPU has NEON (Advanced SIMD), so its product kernels always run.
const useGemmKernels = true

//go:noescape
func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool)

//go:noescape
func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool)
