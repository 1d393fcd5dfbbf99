//go:build amd64 && !purego

package nn

import "golang.org/x/sys/cpu"

// fmaAVX2 runs n iterations of 12 VFMADD231PS on 8-lane registers: 192 flops.
//
//go:noescape
func fmaAVX2(n int) float32

// fmaAVX512 runs n iterations of 12 VFMADD231PS on 16-lane registers: 384 flops.
//
//go:noescape
func fmaAVX512(n int) float32

func peakKernels() []peakKernel {
	ks := []peakKernel{{"Go scalar", fmaGo, 24}}
	if useAVX2 {
		ks = append(ks, peakKernel{"AVX2 FMA", fmaAVX2, 192})
	}
	if cpu.X86.HasAVX512F {
		ks = append(ks, peakKernel{"AVX-512 FMA", fmaAVX512, 384})
	}
	return ks
}
