package vpg

import (
	"fmt"
	"math"
)

// Return is the discounted return of one trajectory,
// R(τ) = Σ_{t=0}^{T−1} γ^t r_{t+1}, where rewards[t] is r_{t+1}, the reward
// that followed action a_t (the tutorial's "Learning from rewards"; γ = 1
// gives the undiscounted sum of the rewards).
func Return(rewards []float64, gamma float64) float64 {
	checkUnit("Return", "gamma", gamma)
	checkFinite("Return", "rewards", rewards)
	ret := 0.0
	for t := len(rewards) - 1; t >= 0; t-- {
		ret = rewards[t] + gamma*ret
	}
	return ret
}

// RewardToGo is the future return of every step, computed in one backward
// pass R_t = r_{t+1} + γ R_{t+1} with R_T = 0 and rewards[t] = r_{t+1} (the tutorial's "Future return";
// Spinning Up's discount_cumsum).
func RewardToGo(rewards []float64, gamma float64) []float64 {
	checkUnit("RewardToGo", "gamma", gamma)
	checkFinite("RewardToGo", "rewards", rewards)
	out := make([]float64, len(rewards))
	rewardToGoFrom(out, rewards, 0, gamma)
	return out
}

// NStepReturns is the n-step bootstrapped return of every step,
//
//	G_{t:t+n} = Σ_{k<n} γ^k r_{t+k} + γ^n V(s_{t+n})
//
// (the tutorial's "N-step bootstrapping"), where values[t] = V(s_t) and the
// segment ends after len(rewards) steps: V(s_T) = lastValue (pass 0 when s_T
// is terminal), and a window reaching past T is cut there, so
// G_t = Σ_{k<T−t} γ^k r_{t+k} + γ^{T−t}·lastValue.
func NStepReturns(rewards, values []float64, lastValue float64, n int, gamma float64) []float64 {
	const fn = "NStepReturns"
	checkUnit(fn, "gamma", gamma)
	if n < 1 {
		panic(fmt.Sprintf("vpg.%s: n = %d, want n ≥ 1", fn, n))
	}
	checkSameLen(fn, "rewards", len(rewards), "values", len(values))
	checkFinite(fn, "rewards", rewards)
	checkFinite(fn, "values", values)
	checkFiniteScalar(fn, "lastValue", lastValue)
	T := len(rewards)
	// A window longer than the segment is cut at T anyway; capping n keeps
	// t+n from overflowing for a huge n.
	n = min(n, T)
	out := make([]float64, T)
	// The definition, read literally: O(T·min(n,T)).
	for t := range T {
		end := min(t+n, T)
		g, disc := 0.0, 1.0
		for k := t; k < end; k++ {
			g += disc * rewards[k]
			disc *= gamma
		}
		boot := lastValue // disc is now γ^(end−t)
		if end < T {
			boot = values[end]
		}
		out[t] = g + disc*boot
	}
	return out
}

// GAE is generalized advantage estimation (the tutorial's "Generalized
// Advantage Estimation"; Schulman et al. 2015, eq. 16):
//
//	δ_t = r_{t+1} + γ V(s_{t+1}) − V(s_t),   Â_t = Σ_l (γλ)^l δ_{t+l},
//
// with values[t] = V(s_t) and V(s_T) = lastValue. The returned returns are
// the value-function targets R̂_t = RewardToGo(rewards ++ [lastValue], γ)
// without its last element, Spinning Up's finish_path: lastValue is V of the
// state where the trajectory was cut off, and 0 if it terminated.
func GAE(rewards, values []float64, lastValue, gamma, lambda float64) (advantages, returns []float64) {
	const fn = "GAE"
	checkUnit(fn, "gamma", gamma)
	checkUnit(fn, "lambda", lambda)
	checkSameLen(fn, "rewards", len(rewards), "values", len(values))
	checkFinite(fn, "rewards", rewards)
	checkFinite(fn, "values", values)
	checkFiniteScalar(fn, "lastValue", lastValue)
	advantages = make([]float64, len(rewards))
	returns = make([]float64, len(rewards))
	gae(advantages, rewards, values, lastValue, gamma, lambda)
	rewardToGoFrom(returns, rewards, lastValue, gamma)
	return advantages, returns
}

// gae writes the GAE advantages into adv (no checks, no allocation): the
// trainer's hot path.
func gae(adv, rewards, values []float64, lastValue, gamma, lambda float64) {
	a, next := 0.0, lastValue
	for t := len(rewards) - 1; t >= 0; t-- {
		delta := rewards[t] + gamma*next - values[t]
		a = delta + gamma*lambda*a
		adv[t] = a
		next = values[t]
	}
}

// rewardToGoFrom writes R_t = r_{t+1} + γR_{t+1} with R_T = last into ret: the
// value targets of a path cut off at a state worth last.
func rewardToGoFrom(ret, rewards []float64, last, gamma float64) {
	r := last
	for t := len(rewards) - 1; t >= 0; t-- {
		r = rewards[t] + gamma*r
		ret[t] = r
	}
}

func checkUnit(fn, name string, v float64) {
	if !(v >= 0 && v <= 1) { // also rejects NaN
		panic(fmt.Sprintf("vpg.%s: %s = %v, want a number in [0, 1]", fn, name, v))
	}
}

func checkSameLen(fn, a string, la int, b string, lb int) {
	if la != lb {
		panic(fmt.Sprintf("vpg.%s: len(%s) = %d but len(%s) = %d, want equal lengths", fn, a, la, b, lb))
	}
}

func checkFinite(fn, name string, xs []float64) {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			panic(fmt.Sprintf("vpg.%s: %s[%d] = %v, want a finite number", fn, name, i, x))
		}
	}
}

func checkFiniteScalar(fn, name string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		panic(fmt.Sprintf("vpg.%s: %s = %v, want a finite number", fn, name, x))
	}
}
