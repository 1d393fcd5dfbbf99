//go:build !amd64 || purego

package nn

func peakKernels() []peakKernel { return []peakKernel{{"Go scalar", fmaGo, 24}} }
