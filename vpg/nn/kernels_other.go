//go:build !amd64 || purego

package nn

const useAVX2 = false

var useAVX512 = false

func addTanh4(y, b *float32, n int) { panic("nn: no assembly kernels on this platform") }

func addTanh8(y, b *float32, n int) { panic("nn: no assembly kernels on this platform") }

func gemm4x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}

func gemm1x16(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}

func gemm8x32(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}

func narrow16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no assembly kernels on this platform")
}

func tanhGrad8(d, y *float32, n int) { panic("nn: no assembly kernels on this platform") }
