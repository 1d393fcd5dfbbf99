package pg

import "math"

// Path is one piece of an episode inside a batch, as a weight function
// sees it: the steps t = 0 … T−1 of the piece, their rewards and values, and
// how the piece ends. Rewards and values are in learning units (the
// trainer's rewards times its reward scale).
type Path struct {
	Rewards   []float64 // r_{t+1}, the reward that followed the action a_t
	Values    []float64 // V(s_t), the critic at collection time
	LastValue float64   // V(s_T) where the piece was cut off; 0 if the episode terminated
	Terminal  bool      // the episode terminated at the piece's end (LastValue is then 0)

	Gamma, Lambda float64 // the trainer's γ and λ

	// The same episode's steps before this piece, collected in earlier
	// batches: their discounted return Σ_{k<PastLen} γ^k r_{k+1} and their
	// number. Zero for a piece that starts its episode.
	PastReturn float64
	PastLen    int
}

// PsiFunc computes the weight Ψ_t of every step of one path: the factor
// that multiplies ∇θ log π(a_t|s_t) in the policy gradient
// ĝ = 1/N Σ_t ∇θ log π(a_t|s_t)·Ψ_t. It returns one number per step.
// A learner's own Ψ_t is a PsiFunc; the built-in ones follow.
type PsiFunc func(p Path) []float64

// FullReturnPsi weighs every step with the return of the whole episode,
// Ψ_t = R(τ) = Σ_k γ^k r_{k+1} from the episode's first step ("Learning
// from rewards"). An episode still running when the batch ends is completed
// by γ^len·V(s) of the state it reached.
func FullReturnPsi(p Path) []float64 {
	rest := DiscountedSum(nil, p.Rewards, p.LastValue, p.Gamma)
	episode := p.PastReturn + math.Pow(p.Gamma, float64(p.PastLen))*rest
	psi := make([]float64, len(p.Rewards))
	for t := range psi {
		psi[t] = episode
	}
	return psi
}

// FutureReturnPsi is the reward-to-go Ψ_t = R_t = r_{t+1} + γ R_{t+1}, with
// R_T = V(s_T) ("Future return"): only rewards after the action count.
func FutureReturnPsi(p Path) []float64 {
	psi := make([]float64, len(p.Rewards))
	DiscountedSum(psi, p.Rewards, p.LastValue, p.Gamma)
	return psi
}

// BaselinePsi is the reward-to-go minus the value baseline,
// Ψ_t = R_t − V(s_t) ("The value function", as a baseline).
func BaselinePsi(p Path) []float64 {
	psi := FutureReturnPsi(p)
	for t := range psi {
		psi[t] -= p.Values[t]
	}
	return psi
}

// GAEPsi is the generalized advantage estimate (Schulman et al. 2015,
// eq. 16): Ψ_t = Σ_l (γλ)^l δ_{t+l} with δ_t = r_{t+1} + γV(s_{t+1}) − V(s_t)
// ("Generalized Advantage Estimation").
func GAEPsi(p Path) []float64 {
	psi := make([]float64, len(p.Rewards))
	gae(psi, p.Rewards, p.Values, p.LastValue, p.Gamma, p.Lambda)
	return psi
}

// Normalize standardises w in place, w ← (w − mean)/(std + 1e-8), as
// Spinning Up does with its advantages, and returns it.
func Normalize(w []float64) []float64 {
	mean, std := MeanStd(w)
	for i := range w {
		w[i] = (w[i] - mean) / (std + 1e-8)
	}
	return w
}

// MeanStd is the mean and the population standard deviation of x
// (NaN for an empty x).
func MeanStd(x []float64) (mean, std float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		std += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(std / float64(len(x)))
}
