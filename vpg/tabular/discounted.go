package tabular

import (
	"fmt"
	"math"
)

// The discounted corridor: the same dynamics and policy, with the objective
// J_γ(θ) = E[Σ_t γ^t r_{t+1}] for a discount 0 < γ ≤ 1 (γ = 1 is the book's J).
// Its values solve (I − γP)V = r, a 3×3 system, where P is the policy's
// transition matrix among the non-terminal states and r = −1 in each; every
// quantity below is exact up to rounding, so sampled estimators with γ < 1 can
// be checked against the truth too.

// DiscountedValues is V^π_γ(s) for s = 0 … 3 (the terminal state's is 0).
func (c Corridor) DiscountedValues(gamma float64) []float64 {
	checkGamma("DiscountedValues", gamma)
	A := c.evaluationMatrix(gamma)
	return append(solve3(A, [3]float64{-1, -1, -1}), 0)
}

// DiscountedJ is J_γ(θ) = V^π_γ(start).
func (c Corridor) DiscountedJ(gamma float64) float64 {
	return c.DiscountedValues(gamma)[0]
}

// DiscountedGrad is dJ_γ/dθ, by differentiating (I − γP)V = r:
// (I − γP) dV/dθ = γ (dP/dθ) V, with dP/dθ = p(1 − p) on the entry of the
// state right leads to and −p(1 − p) on the one left leads to.
func (c Corridor) DiscountedGrad(gamma float64) float64 {
	checkGamma("DiscountedGrad", gamma)
	V := c.DiscountedValues(gamma)
	p := c.PRight()
	var rhs [3]float64
	for s := range 3 {
		rhs[s] = gamma * p * (1 - p) * (V[c.Next(s, Right)] - V[c.Next(s, Left)])
	}
	return solve3(c.evaluationMatrix(gamma), rhs)[0]
}

// Visits is the discounted state visitation d_γ(s) = Σ_t γ^t Pr(s_t = s)
// from the start, for s = 0 … 2: the expected number of visits to s when
// γ = 1. It solves d = e₀ + γPᵀd.
func (c Corridor) Visits(gamma float64) []float64 {
	checkGamma("Visits", gamma)
	A := c.evaluationMatrix(gamma)
	var At [3][3]float64
	for i := range 3 {
		for j := range 3 {
			At[i][j] = A[j][i]
		}
	}
	return solve3(At, [3]float64{1, 0, 0})
}

// ActionValues is Q^π_γ(s, a) = −1 + γ V^π_γ(next(s, a)) for s = 0 … 2,
// indexed [s][a].
func (c Corridor) ActionValues(gamma float64) [][2]float64 {
	V := c.DiscountedValues(gamma)
	Q := make([][2]float64, 3)
	for s := range Q {
		for a := range 2 {
			Q[s][a] = -1 + gamma*V[c.Next(s, a)]
		}
	}
	return Q
}

// TheoremGrad is the right side of the policy-gradient theorem in its
// state-distribution form (Sutton & Barto 2018, §13.2; Sutton et al. 2000):
//
//	∇J_γ = Σ_s d_γ(s) Σ_a ∇π(a|s) Q^π_γ(s, a),
//
// with ∇π(right|s) = p(1 − p) = −∇π(left|s). It equals DiscountedGrad, which
// shares no step with it beyond the values.
func (c Corridor) TheoremGrad(gamma float64) float64 {
	return c.weightedAdvantageSum(c.Visits(gamma), gamma)
}

// UndiscountedWeightGrad is what Σ_t ∇log π(a_t|s_t)·R_t averages to when R_t
// is the discounted return from t but the terms carry no γ^t: the theorem's
// sum over the undiscounted visits d₁ with the discounted Q_γ. For γ < 1 it
// is not the gradient of J_γ, nor of any objective (Nota & Thomas 2020).
func (c Corridor) UndiscountedWeightGrad(gamma float64) float64 {
	return c.weightedAdvantageSum(c.Visits(1), gamma)
}

// weightedAdvantageSum is Σ_s d(s) p(1 − p)(Q_γ(s, right) − Q_γ(s, left)).
func (c Corridor) weightedAdvantageSum(d []float64, gamma float64) float64 {
	Q := c.ActionValues(gamma)
	p := c.PRight()
	g := 0.0
	for s, ds := range d {
		g += ds * p * (1 - p) * (Q[s][Right] - Q[s][Left])
	}
	return g
}

// evaluationMatrix is I − γP over the non-terminal states 0 … 2.
func (c Corridor) evaluationMatrix(gamma float64) [3][3]float64 {
	p := c.PRight()
	var A [3][3]float64
	for s := range 3 {
		A[s][s] = 1
		for a, pa := range [2]float64{1 - p, p} {
			if next := c.Next(s, a); next != CorridorTerminal {
				A[s][next] -= gamma * pa
			}
		}
	}
	return A
}

// solve3 solves A x = b by Gaussian elimination with partial pivoting (A is
// I − γP of an absorbing chain, so it is invertible).
func solve3(A [3][3]float64, b [3]float64) []float64 {
	for col := range 3 {
		piv := col
		for r := col + 1; r < 3; r++ {
			if math.Abs(A[r][col]) > math.Abs(A[piv][col]) {
				piv = r
			}
		}
		A[col], A[piv] = A[piv], A[col]
		b[col], b[piv] = b[piv], b[col]
		for r := col + 1; r < 3; r++ {
			f := A[r][col] / A[col][col]
			for k := col; k < 3; k++ {
				A[r][k] -= f * A[col][k]
			}
			b[r] -= f * b[col]
		}
	}
	x := make([]float64, 3)
	for r := 2; r >= 0; r-- {
		s := b[r]
		for k := r + 1; k < 3; k++ {
			s -= A[r][k] * x[k]
		}
		x[r] = s / A[r][r]
	}
	return x
}

func checkGamma(fn string, gamma float64) {
	if !(gamma > 0 && gamma <= 1) {
		panic(fmt.Sprintf("tabular.Corridor.%s: γ = %v, want 0 < γ ≤ 1", fn, gamma))
	}
}
