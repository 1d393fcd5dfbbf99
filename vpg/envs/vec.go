package envs

import (
	"fmt"
	"math/rand/v2"
)

// VecEnv steps n copies of one environment together, resetting each copy
// automatically when its episode ends, with observations laid out in one
// flat slice (copy i at [i·ObsDim, (i+1)·ObsDim)) ready to become a batch.
//
// Seeding: copy i draws the seed of each of its episodes from its own PCG
// stream seeded with (seed, i), so runs are reproducible and copies differ.
//
// Slices returned by Obs, Step and FinalObs belong to the VecEnv and are
// overwritten by the next Step or Reset; copy them to keep them. Step does
// not allocate. A VecEnv is not safe for concurrent use.
//
// Copies are stepped one after the other on the calling goroutine: a step
// of a classic-control copy costs well under a microsecond, less than
// handing work to another core, and the trainer's own work uses the cores
// better.
type VecEnv struct {
	envs       []stepper
	seeds      []rand.PCG
	obsDim     int
	actDim     int
	obs, final []float64
	rewards    []float64
	terminated []bool
	truncated  []bool
}

// MaxCopies is the most copies NewVecEnv makes: far more than a CPU steps
// usefully in one batch, and small enough that a mistyped count fails with
// an error instead of exhausting memory.
const MaxCopies = 1 << 16

// NewVecEnv makes n copies of environment id and resets them (see Reset).
// n must lie in [1, MaxCopies].
func NewVecEnv(id string, n int, seed uint64) (*VecEnv, error) {
	if n < 1 || n > MaxCopies {
		return nil, fmt.Errorf("envs: NewVecEnv: n = %d copies, want 1…%d", n, MaxCopies)
	}
	v := &VecEnv{envs: make([]stepper, n), seeds: make([]rand.PCG, n)}
	for i := range v.envs {
		e, err := makeStepper(id)
		if err != nil {
			return nil, err
		}
		v.envs[i] = e
	}
	v.obsDim = v.envs[0].ObservationSpace().Dim()
	v.actDim = v.envs[0].ActionSpace().Dim()
	v.obs = make([]float64, n*v.obsDim)
	v.final = make([]float64, n*v.obsDim)
	v.rewards = make([]float64, n)
	v.terminated = make([]bool, n)
	v.truncated = make([]bool, n)
	v.Reset(seed)
	return v, nil
}

// N is the number of copies.
func (v *VecEnv) N() int { return len(v.envs) }

// ObsDim is the length of one copy's observation.
func (v *VecEnv) ObsDim() int { return v.obsDim }

// ActDim is the length of one copy's action (1 for a discrete index).
func (v *VecEnv) ActDim() int { return v.actDim }

// Env returns copy i, for inspection and drawing (Render(v.Env(i))).
// Stepping or resetting it directly desynchronises the VecEnv's buffers
// (use ResetCopy to restart one copy). It panics if i is not a copy index.
func (v *VecEnv) Env(i int) Env {
	v.checkCopy("Env", i)
	return v.envs[i]
}

// Obs returns the current observations, n × ObsDim, flat.
func (v *VecEnv) Obs() []float64 { return v.obs }

// Reset reseeds every copy's episode-seed stream from seed, starts a new
// episode in every copy and returns the observations.
func (v *VecEnv) Reset(seed uint64) []float64 {
	for i, e := range v.envs {
		v.seeds[i].Seed(seed, uint64(i))
		e.resetInto(v.seeds[i].Uint64(), v.copyObs(v.obs, i))
		v.terminated[i], v.truncated[i] = false, false
	}
	return v.obs
}

// Step applies actions (n × ActDim, flat: copy i's action is
// actions[i·ActDim : (i+1)·ActDim]) to every copy. A copy whose episode ends
// (terminated or truncated) is reset at once: its slot in obs then holds the
// first observation of its next episode, and FinalObs(i) the last
// observation of the finished one, for bootstrapping truncated episodes.
//
// All actions are checked before any copy moves: a bad one returns an
// error wrapping the *ActionError (errors.As finds it) and naming the copy,
// and leaves every copy as it was.
func (v *VecEnv) Step(actions []float64) (obs, rewards []float64, terminated, truncated []bool, err error) {
	if len(actions) != len(v.envs)*v.actDim {
		return nil, nil, nil, nil, fmt.Errorf("envs: VecEnv.Step got %d action values, want %d (%d copies × %d)",
			len(actions), len(v.envs)*v.actDim, len(v.envs), v.actDim)
	}
	for i, e := range v.envs {
		if err := e.check(v.action(actions, i)); err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%w (VecEnv copy %d)", err, i)
		}
	}
	for i, e := range v.envs {
		o := v.copyObs(v.obs, i)
		r, term, trunc := e.stepInto(v.action(actions, i), o)
		v.rewards[i], v.terminated[i], v.truncated[i] = r, term, trunc
		if term || trunc {
			copy(v.copyObs(v.final, i), o)
			e.resetInto(v.seeds[i].Uint64(), o)
		}
	}
	return v.obs, v.rewards, v.terminated, v.truncated, nil
}

// ResetCopy starts a new episode in copy i alone, with the next seed of
// its own stream (as an automatic reset would), and returns its first
// observation: copy i's slot of Obs, owned by the VecEnv. Use it to end an
// episode early, e.g. at an episode cap below the environment's time limit;
// resetting v.Env(i) directly would leave Obs stale. Step's flags and
// FinalObs(i) keep describing the latest Step. It panics if i is not a
// copy index.
func (v *VecEnv) ResetCopy(i int) []float64 {
	v.checkCopy("ResetCopy", i)
	o := v.copyObs(v.obs, i)
	v.envs[i].resetInto(v.seeds[i].Uint64(), o)
	return o
}

// FinalObs returns the last observation of copy i's episode if that episode
// ended in the latest Step, and nil otherwise. It panics if i is not a
// copy index.
func (v *VecEnv) FinalObs(i int) []float64 {
	v.checkCopy("FinalObs", i)
	if !v.terminated[i] && !v.truncated[i] {
		return nil
	}
	return v.copyObs(v.final, i)
}

// checkCopy panics, naming method fn and the valid range, if i is not a copy index.
func (v *VecEnv) checkCopy(fn string, i int) {
	if i < 0 || i >= len(v.envs) {
		panic(fmt.Sprintf("envs: VecEnv.%s(%d), want a copy index in [0, %d)", fn, i, len(v.envs)))
	}
}

func (v *VecEnv) copyObs(buf []float64, i int) []float64 {
	return buf[i*v.obsDim : (i+1)*v.obsDim : (i+1)*v.obsDim]
}

func (v *VecEnv) action(actions []float64, i int) []float64 {
	return actions[i*v.actDim : (i+1)*v.actDim]
}
