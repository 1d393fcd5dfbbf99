package nb_test

import (
	"fmt"

	"github.com/govpg/govpg/kernel/nb"
)

// Sampled gradients summarised the way the notebooks quote them: mean ±
// standard error, and the spread of a single sample.
func Example() {
	g := []float64{2.1, 1.7, 2.4, 1.9, 2.0, 2.3}
	fmt.Printf("mean %.2f ± %.2f, one sample's std %.2f\n", nb.Mean(g), nb.StdErr(g), nb.Std(g))
	fmt.Println(nb.Range(4), nb.Grid(0, 1, 3), nb.Labels(nb.Grid(0, 1, 3), "λ=%.1f"))
	// Output:
	// mean 2.07 ± 0.11, one sample's std 0.26
	// [0 1 2 3] [0 0.5 1] [λ=0.0 λ=0.5 λ=1.0]
}
