//go:build !(amd64 || arm64) || purego

package nn

// No product kernels here: gemmGo does every product.
const useGemmKernels = false

func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}

func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}
