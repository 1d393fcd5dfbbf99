package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/govpg/govpg/vpg/envs"
)

// NStepTD is n-step TD prediction of the value of the uniformly random
// policy (Sutton & Barto 2018, §7.1). After each step it updates the state
// visited n steps earlier towards the n-step return
//
//	G_{τ:τ+n} = R_{τ+1} + γ R_{τ+2} + … + γ^{n−1} R_{τ+n} + γ^n V(S_{τ+n}),
//
// with the bootstrap term dropped once the episode has ended before τ+n:
//
//	V(S_τ) ← V(S_τ) + α [G_{τ:τ+n} − V(S_τ)].
type NStepTD struct {
	N     int     // steps of real reward before bootstrapping, ≥ 1
	Alpha float64 // step size, in [0, 1]
	Gamma float64 // discount, in [0, 1]
}

// Validate reports the first parameter outside its allowed range.
func (td NStepTD) Validate() error {
	switch {
	case td.N < 1:
		return fmt.Errorf("tabular: n = %d, want n ≥ 1", td.N)
	case !(td.Alpha >= 0 && td.Alpha <= 1):
		return fmt.Errorf("tabular: α = %v, want α in [0, 1]", td.Alpha)
	case !(td.Gamma >= 0 && td.Gamma <= 1):
		return fmt.Errorf("tabular: γ = %v, want γ in [0, 1]", td.Gamma)
	}
	return nil
}

// Episode plays one episode of env from Reset(seed), choosing each of its
// discrete actions uniformly with one rng.IntN(nActions) draw per step (so a
// walk can be replayed from the same rng), and updates V in place. V must have
// one entry per integer state of env.
func (td NStepTD) Episode(env envs.Env, V []float64, rng *rand.Rand, seed uint64) error {
	if err := td.Validate(); err != nil {
		return err
	}
	nActions := env.ActionSpace().N
	if nActions == 0 {
		return fmt.Errorf("tabular: %s has a continuous action space; n-step TD here needs discrete actions", env.ID())
	}
	env.Reset(seed)
	// states[i] and rewards[i] are S_i and R_i of this episode (rewards[0] unused).
	states := []int{stateIndex(env, len(V))}
	rewards := []float64{0}
	if states[0] < 0 {
		return fmt.Errorf("tabular: %s state %v is not an index into a table of %d values", env.ID(), env.State(), len(V))
	}
	T := math.MaxInt
	action := []float64{0}
	for t := 0; ; t++ {
		if t < T {
			action[0] = float64(rng.IntN(nActions))
			_, r, terminated, truncated := env.Step(action)
			s := stateIndex(env, len(V))
			if s < 0 {
				return fmt.Errorf("tabular: %s state %v is not an index into a table of %d values", env.ID(), env.State(), len(V))
			}
			states, rewards = append(states, s), append(rewards, r)
			if terminated || truncated {
				T = t + 1
			}
		}
		tau := t - td.N + 1
		if tau >= 0 {
			G := 0.0
			for i := min(tau+td.N, T); i > tau; i-- { // backwards: G = R_i + γ G
				G = rewards[i] + td.Gamma*G
			}
			if tau+td.N < T {
				G += math.Pow(td.Gamma, float64(td.N)) * V[states[tau+td.N]]
			}
			V[states[tau]] += td.Alpha * (G - V[states[tau]])
		}
		if tau == T-1 {
			return nil
		}
	}
}

func stateIndex(env envs.Env, size int) int {
	x := env.State()[0]
	if x != math.Trunc(x) || x < 0 || int(x) >= size {
		return -1
	}
	return int(x)
}

// RMSError is √(mean_i (V[i] − truth[i])²) over the states truth lists:
// truth[i] is the true value of state first+i.
func RMSError(V []float64, first int, truth []float64) float64 {
	sum := 0.0
	for i, v := range truth {
		d := V[first+i] - v
		sum += d * d
	}
	return math.Sqrt(sum / float64(len(truth)))
}
