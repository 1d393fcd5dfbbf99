package pg

import "fmt"

// DiscountedSum is the backward recursion that every return of the
// tutorial is made of,
//
//	S_t = x_t + f·S_{t+1},   S_T = last,
//
// so S_t = Σ_{k≥t} f^{k−t} x_k + f^{T−t}·last: the reward-to-go with x = r
// and f = γ, GAE's advantages with x = δ and f = γλ (Spinning Up's
// discount_cumsum). It writes every S_t into sums (which may be xs itself;
// nil keeps only the total) and returns S_0, or last when xs is empty.
// It panics if sums is neither nil nor as long as xs, or if f is outside
// [0, 1]; a NaN or ±Inf in xs or last carries into the sums.
func DiscountedSum(sums, xs []float64, last, f float64) float64 {
	mustUnit("DiscountedSum", "f", f)
	if sums != nil {
		mustSameLen("DiscountedSum", "sums", len(sums), "xs", len(xs))
	}
	s := last
	for t := len(xs) - 1; t >= 0; t-- {
		s = xs[t] + f*s
		if sums != nil {
			sums[t] = s
		}
	}
	return s
}

// Return is the discounted return of one trajectory,
// R(τ) = Σ_{t=0}^{T−1} γ^t r_{t+1}, where rewards[t] is r_{t+1}, the reward
// that followed action a_t (the tutorial's "Learning from rewards"; γ = 1
// gives the undiscounted sum of the rewards).
func Return(rewards []float64, gamma float64) float64 {
	mustUnit("Return", "gamma", gamma)
	mustFinite("Return", "rewards", rewards)
	return DiscountedSum(nil, rewards, 0, gamma)
}

// RewardToGo is the future return of every step, computed in one backward
// pass R_t = r_{t+1} + γ R_{t+1} with R_T = 0 and rewards[t] = r_{t+1}
// (the tutorial's "Future return").
func RewardToGo(rewards []float64, gamma float64) []float64 {
	mustUnit("RewardToGo", "gamma", gamma)
	mustFinite("RewardToGo", "rewards", rewards)
	out := make([]float64, len(rewards))
	DiscountedSum(out, rewards, 0, gamma)
	return out
}

// NStepReturns is the n-step bootstrapped return of every step,
//
//	G_{t:t+n} = Σ_{k<n} γ^k r_{t+k+1} + γ^n V(s_{t+n})
//
// (the tutorial's "N-step bootstrapping"), where values[t] = V(s_t) and the
// segment ends after len(rewards) steps: V(s_T) = lastValue (pass 0 when s_T
// is terminal), and a window reaching past T is cut there, so
// G_t = Σ_{k<T−t} γ^k r_{t+k+1} + γ^{T−t}·lastValue (rewards[t] is r_{t+1}).
func NStepReturns(rewards, values []float64, lastValue float64, n int, gamma float64) []float64 {
	const fn = "NStepReturns"
	mustUnit(fn, "gamma", gamma)
	if n < 1 {
		panic(fmt.Sprintf("pg.%s: n = %d, want n ≥ 1", fn, n))
	}
	mustSameLen(fn, "rewards", len(rewards), "values", len(values))
	mustFinite(fn, "rewards", rewards)
	mustFinite(fn, "values", values)
	mustFiniteScalar(fn, "lastValue", lastValue)
	T := len(rewards)
	// A window longer than the segment is cut at T anyway; capping n keeps
	// t+n from overflowing for a huge n.
	n = min(n, T)
	out := make([]float64, T)
	// Each G_t is the discounted sum of its window's rewards, ended by the
	// value where the window ends: O(T·min(n,T)).
	for t := range T {
		end := min(t+n, T)
		boot := lastValue
		if end < T {
			boot = values[end]
		}
		out[t] = DiscountedSum(nil, rewards[t:end], boot, gamma)
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
	mustUnit(fn, "gamma", gamma)
	mustUnit(fn, "lambda", lambda)
	mustSameLen(fn, "rewards", len(rewards), "values", len(values))
	mustFinite(fn, "rewards", rewards)
	mustFinite(fn, "values", values)
	mustFiniteScalar(fn, "lastValue", lastValue)
	advantages = make([]float64, len(rewards))
	returns = make([]float64, len(rewards))
	gae(advantages, rewards, values, lastValue, gamma, lambda)
	DiscountedSum(returns, rewards, lastValue, gamma)
	return advantages, returns
}

// gae writes the advantages Â_t into adv: the TD residuals δ_t, then their
// discounted sum with factor γλ.
func gae(adv, rewards, values []float64, lastValue, gamma, lambda float64) {
	next := lastValue
	for t := len(rewards) - 1; t >= 0; t-- {
		adv[t] = rewards[t] + gamma*next - values[t]
		next = values[t]
	}
	DiscountedSum(adv, adv, 0, gamma*lambda)
}
