package vpg

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
)

// Path is one piece of an episode inside a batch, as a weight function
// sees it: the steps t = 0 … T−1 of the piece, their rewards and values, and
// how the piece ends. Rewards and values are in learning units (rewards ×
// Config.RewardScale).
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
	rest := p.LastValue
	for t := len(p.Rewards) - 1; t >= 0; t-- {
		rest = p.Rewards[t] + p.Gamma*rest
	}
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
	rewardToGoFrom(psi, p.Rewards, p.LastValue, p.Gamma)
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

// Psi returns the built-in weight function of estimator e (nil for an
// unknown one).
func (e Estimator) Psi() PsiFunc {
	switch e {
	case FullReturn:
		return FullReturnPsi
	case FutureReturn:
		return FutureReturnPsi
	case FutureReturnBaseline:
		return BaselinePsi
	case GAEAdvantage:
		return GAEPsi
	}
	return nil
}

// Normalize standardises w in place, w ← (w − mean)/(std + 1e-8), as
// Spinning Up does with its advantages, and returns it.
func Normalize(w []float64) []float64 {
	mean, std := meanStd(w)
	for i := range w {
		w[i] = (w[i] - mean) / (std + 1e-8)
	}
	return w
}

// applyPsi fills w with psi applied to every segment of b, whose rewards
// (learning units) are scaled.
func applyPsi(w []float64, b *Batch, scaled []float64, psi PsiFunc, gamma, lambda float64) error {
	for _, s := range b.Segments {
		got, err := callPsi(psi, s.path(b, scaled, gamma, lambda))
		if err != nil {
			return err
		}
		if len(got) != s.End-s.Start {
			return fmt.Errorf("vpg: the weight function returned %d numbers for a path of %d steps (env copy %d, steps %d–%d); want one per step",
				len(got), s.End-s.Start, s.Env, s.Start, s.End)
		}
		if k := nonFinite(got); k >= 0 {
			return fmt.Errorf("vpg: the weight function returned Ψ = %v at step %d of a path (batch step %d); want finite numbers", got[k], k, s.Start+k)
		}
		copy(w[s.Start:s.End], got)
	}
	return nil
}

// callPsi is psi(p), a panic in it turned into an error that names it.
func callPsi(psi PsiFunc, p Path) (got []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			name := runtime.FuncForPC(reflect.ValueOf(psi).Pointer()).Name()
			err = fmt.Errorf("vpg: the weight function %s panicked on a path of %d steps: %v", name, len(p.Rewards), r)
		}
	}()
	return psi(p), nil
}

// path is the Path of segment s, with copies of the batch's numbers: a
// weight function may write into them without changing the batch.
func (s Segment) path(b *Batch, scaled []float64, gamma, lambda float64) Path {
	return Path{
		Rewards: slices.Clone(scaled[s.Start:s.End]), Values: slices.Clone(b.Values[s.Start:s.End]),
		LastValue: s.LastValue, Terminal: s.Terminated,
		Gamma: gamma, Lambda: lambda,
		PastReturn: s.PastReturn, PastLen: s.PastLen,
	}
}
