package tabular_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govpg/govpg/vpg/tabular"
)

// The exact policy gradient of the short corridor next to the average of
// sampled estimates Σ_t R_t ∇θ log π(a_t|s_t), one per episode.
func ExampleCorridor() {
	c := tabular.Corridor{Theta: 0} // p = σ(0) = 1/2
	fmt.Printf("p = %.2f: J = %.2f, dJ/dθ = %.2f\n", c.PRight(), c.J(), c.Grad())

	rng := rand.New(rand.NewPCG(1, 2))
	const n = 10000
	sum, sumSq := 0.0, 0.0
	for range n {
		ep, err := c.Play(rng)
		if err != nil {
			panic(err)
		}
		g := ep.Gradient(ep.RewardToGoWeights())
		sum, sumSq = sum+g, sumSq+g*g
	}
	mean := sum / n
	se := math.Sqrt((sumSq/n - mean*mean) / n)
	fmt.Printf("mean of %d sampled ĝ: %.2f ± %.2f (standard error)\n", n, mean, se)

	best := tabular.Corridor{Theta: math.Log(math.Sqrt2)} // p = 2 − √2
	fmt.Printf("p = %.4f: J = %.2f, dJ/dθ = %.0f\n", best.PRight(), best.J(), math.Abs(best.Grad()))
	// Output:
	// p = 0.50: J = -12.00, dJ/dθ = 2.00
	// mean of 10000 sampled ĝ: 2.13 ± 0.27 (standard error)
	// p = 0.5858: J = -11.66, dJ/dθ = 0
}
