package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govpg/govpg/vpg/pg"
)

// PsiGradients plays n episodes and returns one policy-gradient estimate
// ĝ = Σ_t Ψ_t ∇θ log π(a_t|s_t) per episode, with the weights Ψ_t from psi.
// psi sees each whole episode as a pg.Path: rewards r_{t+1} = −1, the exact
// V^π_γ(s_t) as the values, γ and λ, and a terminal end (LastValue 0). The
// mean of the estimates is what psi's gradient averages to; compare it with
// DiscountedGrad(γ) (Grad when γ = 1) to see whether psi is biased.
func (c Corridor) PsiGradients(psi pg.PsiFunc, gamma, lambda float64, n int, rng *rand.Rand) ([]float64, error) {
	checkGamma("PsiGradients", gamma)
	if !(lambda >= 0 && lambda <= 1) {
		return nil, fmt.Errorf("tabular: λ = %v, want 0 ≤ λ ≤ 1", lambda)
	}
	if n < 2 {
		return nil, fmt.Errorf("tabular: %d episodes, want at least 2 (a standard error needs two)", n)
	}
	V := c.DiscountedValues(gamma)
	g := make([]float64, n)
	for i := range g {
		ep, err := c.Play(rng)
		if err != nil {
			return nil, err
		}
		values := make([]float64, len(ep.States))
		for t, s := range ep.States {
			values[t] = V[s]
		}
		w := psi(pg.Path{Rewards: ep.Rewards, Values: values, Terminal: true, Gamma: gamma, Lambda: lambda})
		if len(w) != len(ep.Rewards) {
			return nil, fmt.Errorf("tabular: the weight function returned %d numbers for an episode of %d steps; want one per step", len(w), len(ep.Rewards))
		}
		for t, x := range w {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("tabular: the weight function returned Ψ = %v at step %d of %d; want finite numbers", x, t, len(w))
			}
		}
		g[i] = ep.Gradient(w)
	}
	return g, nil
}
