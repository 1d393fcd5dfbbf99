package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govpg/govpg/vpg/pg"
)

// Corridor is the short corridor with switched actions (Sutton & Barto 2018,
// Example 13.1): three non-terminal states 0, 1, 2 and the terminal state 3,
// reward −1 per step, no discount. Action 1 (right) moves one state right and
// action 0 (left) one state left, except in state 1, where they are swapped;
// left in state 0 bumps into the wall and stays. The policy cannot tell the
// states apart, so it is one probability p = P(right) used everywhere.
//
// The book's softmax policy with features x(s, right) = [0, 1] and
// x(s, left) = [1, 0] gives p = σ(θ₂ − θ₁); Theta is that one effective
// parameter θ = θ₂ − θ₁, so p = σ(θ) = 1/(1 + e^−θ) and θ is unconstrained.
//
// Because J(θ) and its derivative have closed forms, the corridor is where a
// sampled policy gradient can be checked against the exact one.
//
// Methods panic on a θ that is not finite or whose p rounds to 0 or 1 (the
// episode would never end), like pg's math on slices.
type Corridor struct {
	Theta float64
}

// Corridor states and actions.
const (
	CorridorStates   = 4 // states 0, 1, 2 and the terminal state
	CorridorTerminal = 3
	Left             = 0
	Right            = 1
)

// maxCorridorSteps bounds an episode so that a θ with p near 0 or 1 (expected
// length in the millions) gives an error instead of a hang.
const maxCorridorSteps = 1_000_000

// PRight is p = σ(θ), the probability of choosing right in every state.
func (c Corridor) PRight() float64 {
	c.check()
	return sigmoid(c.Theta)
}

// Next is the state after action a in state s (deterministic dynamics).
func (c Corridor) Next(s, a int) int {
	if s < 0 || s >= CorridorTerminal {
		panic(fmt.Sprintf("tabular.Corridor.Next: state %d, want a non-terminal state 0, 1 or 2", s))
	}
	if a != Left && a != Right {
		panic(fmt.Sprintf("tabular.Corridor.Next: action %d, want 0 (left) or 1 (right)", a))
	}
	step := 2*a - 1 // right +1, left −1
	if s == 1 {
		step = -step // the switched state
	}
	return max(s+step, 0) // the wall on the left of state 0
}

// LogProb is log π_θ(a|s), the same in every state: log p for right,
// log(1 − p) for left.
func (c Corridor) LogProb(a int) float64 {
	p := c.PRight()
	if a == Right {
		return math.Log(p)
	}
	return math.Log1p(-p)
}

// GradLogProb is ∇θ log π_θ(a|s) = 1{a = right} − p: d/dθ log σ(θ) = 1 − σ(θ)
// and d/dθ log(1 − σ(θ)) = −σ(θ).
func (c Corridor) GradLogProb(a int) float64 {
	p := c.PRight()
	if a == Right {
		return 1 - p
	}
	return -p
}

// Values is the exact V^π(s) for s = 0 … 3 (the terminal state's is 0), the
// solution of the Bellman equations V(s) = −1 + p V(next right) + (1−p) V(next left):
//
//	V(0) = −2(2 − p)/(p(1 − p)),  V(1) = −(3 − p)/(p(1 − p)),  V(2) = −1 + (1 − p) V(1).
func (c Corridor) Values() []float64 {
	p := c.PRight()
	q := 1 - p
	v1 := -(2 + q) / (p * q)
	return []float64{-2 * (1 + q) / (p * q), v1, -1 + q*v1, 0}
}

// J is the objective J(θ) = v_π(start) = E_τ[R(τ)] = −2(2 − p)/(p(1 − p)),
// the book's curve, largest (≈ −11.66) at p = 2 − √2 ≈ 0.5858.
func (c Corridor) J() float64 {
	p := c.PRight()
	return -2 * (2 - p) / (p * (1 - p))
}

// Grad is the exact policy gradient dJ/dθ = dJ/dp · dp/dθ with dp/dθ = p(1 − p):
//
//	dJ/dθ = 2(p² − 4p + 2)/(p(1 − p)),
//
// zero at p = 2 − √2.
func (c Corridor) Grad() float64 {
	p := c.PRight()
	return 2 * (p*p - 4*p + 2) / (p * (1 - p))
}

// Play samples one episode from state 0 with one rng.Float64() draw per
// step (right when the draw is below p). It fails when the episode runs past
// a million steps, which only a θ far from 0 makes likely.
func (c Corridor) Play(rng *rand.Rand) (Episode, error) {
	p := c.PRight()
	var ep Episode
	for s := 0; s != CorridorTerminal; {
		if len(ep.States) == maxCorridorSteps {
			return Episode{}, fmt.Errorf("tabular: corridor episode still running after %d steps at θ = %g (p = %g, expected length %.3g); use a θ nearer 0", maxCorridorSteps, c.Theta, p, -c.J())
		}
		a := Left
		if rng.Float64() < p {
			a = Right
		}
		ep.States = append(ep.States, s)
		ep.Actions = append(ep.Actions, a)
		ep.Rewards = append(ep.Rewards, -1)
		ep.GradLogProbs = append(ep.GradLogProbs, c.GradLogProb(a))
		s = c.Next(s, a)
	}
	return ep, nil
}

// Episode is one played episode: at step t the agent was in States[t], took
// Actions[t] and got Rewards[t] (the r_{t+1} of the tutorial's formulas);
// GradLogProbs[t] = ∇θ log π_θ(a_t|s_t).
type Episode struct {
	States, Actions       []int
	Rewards, GradLogProbs []float64
}

// Gradient is one episode's policy-gradient estimate ĝ = Σ_t Ψ_t ∇θ log π_θ(a_t|s_t)
// for the weights psi[t] = Ψ_t.
func (ep Episode) Gradient(psi []float64) float64 {
	if len(psi) != len(ep.GradLogProbs) {
		panic(fmt.Sprintf("tabular.Episode.Gradient: %d weights for an episode of %d steps, want one per step", len(psi), len(ep.GradLogProbs)))
	}
	g := 0.0
	for t, w := range psi {
		g += w * ep.GradLogProbs[t]
	}
	return g
}

// FullReturnWeights is Ψ_t = R(τ) for every step: the whole episode's return.
func (ep Episode) FullReturnWeights() []float64 {
	R := pg.Return(ep.Rewards, 1)
	psi := make([]float64, len(ep.Rewards))
	for t := range psi {
		psi[t] = R
	}
	return psi
}

// RewardToGoWeights is Ψ_t = R_t, the return from step t on (γ = 1).
func (ep Episode) RewardToGoWeights() []float64 {
	return pg.RewardToGo(ep.Rewards, 1)
}

// AdvantageWeights is Ψ_t = R_t − V^π(s_t) with the exact V^π as the baseline.
func (c Corridor) AdvantageWeights(ep Episode) []float64 {
	V := c.Values()
	psi := ep.RewardToGoWeights()
	for t, s := range ep.States {
		psi[t] -= V[s]
	}
	return psi
}

// GAEWeights is Ψ_t = GAE(γ = 1, λ)_t with the exact V^π. With the exact V,
// E[δ_t | s_t, a_t] is the advantage and every later residual averages to zero
// given (s_t, a_t), so the estimate is unbiased for every λ; λ only changes
// its variance.
func (c Corridor) GAEWeights(ep Episode, lambda float64) []float64 {
	V := c.Values()
	values := make([]float64, len(ep.States))
	for t, s := range ep.States {
		values[t] = V[s]
	}
	adv, _ := pg.GAE(ep.Rewards, values, 0, 1, lambda) // the episode ends in the terminal state: V = 0
	return adv
}

// check panics on a θ the corridor cannot use.
func (c Corridor) check() {
	if math.IsNaN(c.Theta) || math.IsInf(c.Theta, 0) {
		panic(fmt.Sprintf("tabular.Corridor: θ = %v, want a finite number", c.Theta))
	}
	if p := sigmoid(c.Theta); p == 0 || p == 1 {
		panic(fmt.Sprintf("tabular.Corridor: θ = %g rounds p = σ(θ) to %g, want p strictly between 0 and 1 (|θ| below about 36)", c.Theta, p))
	}
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }
