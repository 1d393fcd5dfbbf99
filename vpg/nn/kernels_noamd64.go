//go:build !amd64 || purego

package nn

// The amd64 kernels (tanh, AVX-512) do not exist here; the Go forms run.
const useAVX2 = false

var useAVX512 = false

func addTanh8(y, b *float32, n, ld, rows int) { panic("nn: no amd64 kernels on this platform") }

func addTanh16(y, b *float32, n, ld, rows int) { panic("nn: no amd64 kernels on this platform") }

func tanhGrad8(d, y *float32, n int) { panic("nn: no amd64 kernels on this platform") }

func gemm4x64(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no amd64 kernels on this platform")
}

func gemm1x64(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no amd64 kernels on this platform")
}

func narrow16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no amd64 kernels on this platform")
}

func transpose16(dst, src *float32, lds int) { panic("nn: no amd64 kernels on this platform") }

func adam4(w, grad, m, v *float32, n int, k *adamStep) {
	panic("nn: no amd64 kernels on this platform")
}

func adam8(w, grad, m, v *float32, n int, k *adamStep) {
	panic("nn: no amd64 kernels on this platform")
}

func add8(dst, src *float32, n int) { panic("nn: no amd64 kernels on this platform") }

func narrow32(s, a *float32, aks int, b *float32, ldb, k int) {
	panic("nn: no amd64 kernels on this platform")
}

func transpose8(dst *float32, ldd int, src *float32, lds int) {
	panic("nn: no amd64 kernels on this platform")
}

func gemm6x16(c *float32, ldc int, a *float32, ars, aks int, b *float32, ldb, k int, acc bool, tiles int) {
	panic("nn: no amd64 kernels on this platform")
}

func gemm1x64AVX2(c *float32, a *float32, aks int, b *float32, ldb, k int, acc bool) {
	panic("nn: no amd64 kernels on this platform")
}
