package envs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// VecEnvState is everything a VecEnv needs to continue exactly: each copy's
// physical state, its step count within the episode, whether it has
// terminated, the last observations, and each copy's episode-seed stream.
// It holds only finite numbers, so encoding/json round-trips it bit for bit.
type VecEnvState struct {
	ID     string      `json:"id"`
	Copies []CopyState `json:"copies"`
}

// CopyState is one copy of a VecEnvState.
type CopyState struct {
	State      []float64 `json:"state"`       // physical state, as Env.State
	Steps      int       `json:"steps"`       // steps since the episode began, below MaxSteps
	Ended      bool      `json:"ended"`       // the episode reached a terminal state
	Obs        []float64 `json:"obs"`         // current observation; must match State
	SeedStream []byte    `json:"seed_stream"` // the copy's episode-seed PCG (MarshalBinary)
	// LastTerminated, LastTruncated and FinalObs describe the latest Step,
	// so that FinalObs answers the same after Restore.
	LastTerminated bool      `json:"last_terminated"`
	LastTruncated  bool      `json:"last_truncated"`
	FinalObs       []float64 `json:"final_obs,omitempty"` // set when the latest Step ended the episode
}

// Snapshot returns the VecEnv's state; Restore on any VecEnv of the same id
// and copy count continues from it exactly. The error is reserved for
// states that cannot be encoded (it does not occur with this package's
// environments).
func (v *VecEnv) Snapshot() (VecEnvState, error) {
	s := VecEnvState{ID: v.envs[0].ID(), Copies: make([]CopyState, len(v.envs))}
	for i, e := range v.envs {
		seeds, err := v.seeds[i].MarshalBinary()
		if err != nil {
			return VecEnvState{}, fmt.Errorf("envs: VecEnv.Snapshot: copy %d seed stream: %w", i, err)
		}
		steps, ended := e.progress()
		c := CopyState{
			State:          e.State(),
			Steps:          steps,
			Ended:          ended,
			Obs:            slices.Clone(v.copyObs(v.obs, i)),
			SeedStream:     seeds,
			LastTerminated: v.terminated[i],
			LastTruncated:  v.truncated[i],
		}
		if c.LastTerminated || c.LastTruncated {
			c.FinalObs = slices.Clone(v.copyObs(v.final, i))
		}
		s.Copies[i] = c
	}
	return s, nil
}

// Restore replaces the VecEnv's state with s, as taken by Snapshot. It
// checks everything before changing anything: the id and copy count must
// match, every slice must have its environment's length and finite values,
// each physical state must pass the environment's SetState, step counts
// must lie in [0, MaxSteps), and each observation must be the one its state
// gives. On error the VecEnv is unchanged.
func (v *VecEnv) Restore(s VecEnvState) error {
	id := v.envs[0].ID()
	if s.ID != id {
		return fmt.Errorf("envs: VecEnv.Restore: state is for %q, this VecEnv runs %q", s.ID, id)
	}
	if len(s.Copies) != len(v.envs) {
		return fmt.Errorf("envs: VecEnv.Restore: state has %d copies, this VecEnv has %d", len(s.Copies), len(v.envs))
	}
	scratch, err := makeStepper(id)
	if err != nil {
		return err
	}
	seeds := make([]rand.PCG, len(v.envs))
	for i, c := range s.Copies {
		if err := v.checkCopyState(scratch, c); err != nil {
			return fmt.Errorf("envs: VecEnv.Restore: copy %d: %w", i, err)
		}
		if err := seeds[i].UnmarshalBinary(c.SeedStream); err != nil {
			return fmt.Errorf("envs: VecEnv.Restore: copy %d: seed stream: %w", i, err)
		}
	}
	for i, c := range s.Copies {
		e := v.envs[i]
		if err := e.SetState(c.State); err != nil { // checked above; cannot fail
			panic(err)
		}
		e.setProgress(c.Steps, c.Ended)
		v.seeds[i] = seeds[i]
		copy(v.copyObs(v.obs, i), c.Obs)
		copy(v.copyObs(v.final, i), c.FinalObs)
		v.terminated[i], v.truncated[i], v.rewards[i] = c.LastTerminated, c.LastTruncated, 0
	}
	return nil
}

// checkCopyState checks copy state c, using scratch (an environment of the same
// id) to run SetState and to compute the observation of c.State.
func (v *VecEnv) checkCopyState(scratch stepper, c CopyState) error {
	if err := scratch.SetState(c.State); err != nil {
		return err
	}
	if c.Steps < 0 || c.Steps >= scratch.MaxSteps() {
		return fmt.Errorf("steps = %d, want 0…%d", c.Steps, scratch.MaxSteps()-1)
	}
	if err := finiteOfLen("obs", c.Obs, v.obsDim); err != nil {
		return err
	}
	want := make([]float64, v.obsDim)
	scratch.observeInto(want)
	if !slices.Equal(want, c.Obs) {
		return fmt.Errorf("obs %v does not match state %v (which gives %v)", c.Obs, c.State, want)
	}
	if c.LastTerminated || c.LastTruncated {
		return finiteOfLen("final_obs", c.FinalObs, v.obsDim)
	}
	if c.FinalObs != nil {
		return fmt.Errorf("final_obs is set but the latest step ended no episode")
	}
	return nil
}

func finiteOfLen(name string, x []float64, n int) error {
	if len(x) != n {
		return fmt.Errorf("%s has %d values, want %d", name, len(x), n)
	}
	for j, y := range x {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			return fmt.Errorf("%s value %d is %v, want a finite number", name, j, y)
		}
	}
	return nil
}

// progress is the episode bookkeeping a snapshot needs.
func (e *episode) progress() (steps int, ended bool) { return e.steps, e.ended }

// setProgress restores what progress reported.
func (e *episode) setProgress(steps int, ended bool) { e.steps, e.ended = steps, ended }

// observeInto writes the observation of the current state.
func (e *episode) observeInto(obs []float64) { e.dyn.observe(obs) }
