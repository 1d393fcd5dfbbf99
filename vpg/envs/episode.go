package envs

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// spec is the static description of one environment id.
type spec struct {
	id       string
	obs, act Space
	stateDim int
	// stateNames, stateLow and stateHigh bound what SetState accepts: the
	// states an episode can reach (see each environment's documentation).
	stateNames          []string
	stateLow, stateHigh []float64
	maxSteps            int
	threshold           float64 // NaN when Gymnasium registers none
}

// dynamics is what each environment supplies; episode wraps it into an Env.
// Actions reaching advance have passed CheckAction.
type dynamics interface {
	sample(rng *rand.Rand)                    // draw the initial physical state
	advance(action []float64) (float64, bool) // one transition: reward, terminated
	observe(obs []float64)                    // write the observation of the current state
	state(dst []float64)                      // write the physical state
	setState(s []float64) error               // overwrite the state; s has the right length and is finite
}

// rngStream is the second PCG seed word of every environment's
// initial-state RNG (the first is Reset's seed); any fixed value works, this
// one is ASCII "classic!".
const rngStream = 0x636c617373696321

// episode implements the Env bookkeeping shared by every environment: the
// seeded RNG, the elapsed-step counter behind truncation, and the
// terminated latch that defines stepping past the end of an episode.
type episode struct {
	spec  *spec
	dyn   dynamics
	src   rand.PCG
	rng   *rand.Rand
	steps int
	ended bool // a terminal state was reached and Reset has not been called since
}

func (e *episode) init(s *spec, d dynamics) {
	e.spec, e.dyn = s, d
	e.rng = rand.New(&e.src)
	e.Reset(0)
}

func (e *episode) ID() string               { return e.spec.id }
func (e *episode) ObservationSpace() Space  { return e.spec.obs.clone() }
func (e *episode) ActionSpace() Space       { return e.spec.act.clone() }
func (e *episode) MaxSteps() int            { return e.spec.maxSteps }
func (e *episode) RewardThreshold() float64 { return e.spec.threshold }

// Steps is the number of steps taken since the last Reset or SetState.
func (e *episode) Steps() int { return e.steps }

// Reset seeds the environment's RNG with seed, draws a fresh initial state
// and returns its observation (a new slice).
func (e *episode) Reset(seed uint64) []float64 {
	obs := make([]float64, e.spec.obs.Dim())
	e.resetInto(seed, obs)
	return obs
}

// Step applies action and returns a new observation slice, the reward, and
// the terminated and truncated flags. It panics with an *ActionError when
// the action is invalid (see CheckAction).
//
// Stepping on after terminated was reported (without Reset) is defined: the
// physics keeps running, but every further step returns reward 0 and
// terminated = true. This is the case Gymnasium warns about ("undefined
// behaviour"); CartPole there also returns reward 0. Stepping on after a
// truncation alone continues the episode normally with truncated = true, as
// Gymnasium's TimeLimit does.
func (e *episode) Step(action []float64) ([]float64, float64, bool, bool) {
	if err := e.check(action); err != nil {
		panic(err)
	}
	obs := make([]float64, e.spec.obs.Dim())
	r, term, trunc := e.stepInto(action, obs)
	return obs, r, term, trunc
}

// State returns a copy of the physical state in Gymnasium's order.
func (e *episode) State() []float64 {
	s := make([]float64, e.spec.stateDim)
	e.dyn.state(s)
	return s
}

// SetState overwrites the physical state and starts a new episode from it:
// the step counter restarts at 0 and the terminated latch is cleared. The
// RNG is left alone. It errors, naming the value and the allowed range, on
// a wrong length, a non-finite value or a value outside the range an
// episode can reach (each environment documents its ranges).
func (e *episode) SetState(s []float64) error {
	if len(s) != e.spec.stateDim {
		return fmt.Errorf("envs: %s: SetState got %d values, want %d", e.spec.id, len(s), e.spec.stateDim)
	}
	for i, x := range s {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("envs: %s: SetState value %d (%s) is %v, want a finite number", e.spec.id, i, e.spec.stateNames[i], x)
		}
		if lo, hi := e.spec.stateLow[i], e.spec.stateHigh[i]; x < lo || x > hi {
			return fmt.Errorf("envs: %s: SetState value %d (%s) is %v, allowed range [%v, %v]", e.spec.id, i, e.spec.stateNames[i], x, lo, hi)
		}
	}
	if err := e.dyn.setState(s); err != nil {
		return fmt.Errorf("envs: %s: SetState: %w", e.spec.id, err)
	}
	e.steps, e.ended = 0, false
	return nil
}

func (e *episode) resetInto(seed uint64, obs []float64) {
	e.src.Seed(seed, rngStream)
	e.steps, e.ended = 0, false
	e.dyn.sample(e.rng)
	e.dyn.observe(obs)
}

// stepInto is Step without the action check and with a caller-owned
// observation buffer, for VecEnv.
func (e *episode) stepInto(action, obs []float64) (float64, bool, bool) {
	r, term := e.dyn.advance(action)
	e.dyn.observe(obs)
	e.steps++
	switch {
	case e.ended:
		r, term = 0, true
	case term:
		e.ended = true
	}
	return r, term, e.steps >= e.spec.maxSteps
}

func (e *episode) check(action []float64) error { return checkAction(e.spec.id, e.spec.act, action) }

func (s Space) clone() Space {
	return Space{N: s.N, Low: append([]float64(nil), s.Low...), High: append([]float64(nil), s.High...)}
}

// uniform draws from [lo, hi) the way NumPy's Generator.uniform does.
func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }

// f32 rounds x to float32 precision: Gymnasium's observations are float32
// arrays, and some of its states are stored as float32.
func f32(x float64) float64 { return float64(float32(x)) }

// box32 is the symmetric box [−high, high] with float32 bounds, as Gymnasium
// declares its observation spaces.
func box32(high []float64) Space {
	s := Space{Low: make([]float64, len(high)), High: make([]float64, len(high))}
	for i, h := range high {
		s.Low[i], s.High[i] = f32(-h), f32(h)
	}
	return s
}

// clip limits x to [lo, hi] like numpy.clip (for the finite values it sees).
func clip(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
