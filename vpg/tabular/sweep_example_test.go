package tabular_test

import (
	"fmt"

	"github.com/govpg/govpg/vpg/tabular"
)

// Figure 7.2 in miniature: at its best step size, 4-step TD beats both
// one-step TD and n = 512, which is Monte Carlo on these short walks.
func ExampleSweep() {
	alphas := []float64{0.2, 0.4, 0.6, 0.8, 1}
	errs, err := tabular.Sweep{Ns: []int{1, 4, 512}, Alphas: alphas, Runs: 20, Episodes: 10}.Run()
	if err != nil {
		panic(err)
	}
	for i, n := range []int{1, 4, 512} {
		best := 0
		for j := range alphas {
			if errs[i][j] < errs[i][best] {
				best = j
			}
		}
		fmt.Printf("n=%-3d best α=%.1f RMS=%.2f\n", n, alphas[best], errs[i][best])
	}
	// Output:
	// n=1   best α=0.8 RMS=0.34
	// n=4   best α=0.4 RMS=0.26
	// n=512 best α=0.2 RMS=0.65
}
