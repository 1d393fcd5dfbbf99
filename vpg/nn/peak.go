package nn

import (
	"sync"
	"time"
)

// Peak is a measured float32 multiply-add peak.
type Peak struct {
	Kernel  string  // which instructions: "AVX2 FMA", "AVX-512 FMA" or "Go scalar"
	Threads int     // goroutines that ran it at once
	GFLOPS  float64 // 10⁹ floating-point operations per second, a multiply-add counting as 2
}

// MeasurePeaks runs each peak kernel this machine has on threads goroutines
// at once for about d each, in 5 trials of which it keeps the fastest (on a
// shared machine the others lost time to other programs). A kernel is a loop of multiply-adds into 12
// independent accumulators (vector registers, or scalar variables for Go):
// no multiply-add waits for another's result, so the loop runs at the rate
// the floating-point units issue them rather than at their latency, with
// no memory access — the ceiling no matrix product can pass.
func MeasurePeaks(threads int, d time.Duration) []Peak {
	var peaks []Peak
	for _, k := range peakKernels() {
		best := 0.0
		for range 5 {
			best = max(best, measurePeak(k, threads, d/5))
		}
		peaks = append(peaks, Peak{k.name, threads, best})
	}
	return peaks
}

// peakKernel runs n iterations of flopsPerIter floating-point operations.
type peakKernel struct {
	name         string
	run          func(n int) float32
	flopsPerIter int
}

func measurePeak(k peakKernel, threads int, d time.Duration) float64 {
	const chunk = 1 << 16 // iterations between clock reads
	var wg sync.WaitGroup
	iters := make([]int, threads)
	sink := make([]float32, threads) // keeps the compiler from dropping the Go loop
	start := time.Now()
	for t := range threads {
		wg.Go(func() {
			for time.Since(start) < d {
				sink[t] += k.run(chunk)
				iters[t] += chunk
			}
		})
	}
	wg.Wait()
	sec := time.Since(start).Seconds()
	total := 0
	for _, n := range iters {
		total += n
	}
	return float64(total) * float64(k.flopsPerIter) / sec / 1e9
}

// fmaGo is the portable kernel: 12 scalar accumulators, each updated as
// s = s·x + y (a multiply and an add: Go fuses them only where the target
// has a fused instruction and the build allows it).
func fmaGo(n int) float32 {
	x, y := float32(0.999999), float32(1e-7)
	var s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11 float32
	for range n {
		s0, s1, s2, s3 = s0*x+y, s1*x+y, s2*x+y, s3*x+y
		s4, s5, s6, s7 = s4*x+y, s5*x+y, s6*x+y, s7*x+y
		s8, s9, s10, s11 = s8*x+y, s9*x+y, s10*x+y, s11*x+y
	}
	return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11
}
