package tabular

import "fmt"

// BaselineGradients is one policy-gradient estimate per episode with a
// state-dependent baseline b: ĝ = Σ_t ∇θ log π(a_t|s_t)·(R_t − b[s_t]), with
// the undiscounted reward-to-go R_t. Any b leaves the mean at ∇J (b[s] does
// not depend on the action); it changes only the variance.
func BaselineGradients(eps []Episode, b []float64) []float64 {
	if len(b) < CorridorTerminal {
		panic(fmt.Sprintf("tabular.BaselineGradients: a baseline of %d values, want one per non-terminal state (%d)", len(b), CorridorTerminal))
	}
	g := make([]float64, len(eps))
	for i, ep := range eps {
		psi := ep.RewardToGoWeights()
		for t, s := range ep.States {
			psi[t] -= b[s]
		}
		g[i] = ep.Gradient(psi)
	}
	return g
}

// MinVarianceBaseline is the state-dependent baseline b* that gives the
// smallest sample variance of BaselineGradients over eps. With
// X_s = Σ_{t: s_t = s} ∇log π(a_t|s_t) and g₀ the estimate without baseline,
// ĝ(b) = g₀ − Σ_s b_s X_s; since E[X_s] = 0 the variance is
// E[(g₀ − X·b)²] − (∇J)², minimised by the least-squares solution
// E[XXᵀ] b* = E[X g₀] (the sample averages stand in for the expectations). It
// is not V^π: V^π is the baseline that is easy to learn, b* the one that is best.
func MinVarianceBaseline(eps []Episode) []float64 {
	var XX [3][3]float64
	var Xg [3]float64
	zero := make([]float64, CorridorTerminal)
	g0 := BaselineGradients(eps, zero)
	for i, ep := range eps {
		var X [3]float64
		for t, s := range ep.States {
			X[s] += ep.GradLogProbs[t]
		}
		for r := range 3 {
			Xg[r] += X[r] * g0[i]
			for c := range 3 {
				XX[r][c] += X[r] * X[c]
			}
		}
	}
	return solve3(XX, Xg)
}
