package envs

// Space describes an observation or action space.
// A discrete space has N > 0 and no bounds; a box space has N == 0 and
// Low/High of equal length (its dimension).
type Space struct {
	N         int       // number of discrete actions; 0 for a box
	Low, High []float64 // box bounds, one per dimension
}

// Discrete reports whether the space is a finite set {0, …, N-1}.
func (s Space) Discrete() bool { return s.N > 0 }

// Dim is the length of a vector drawn from the space: 1 for a discrete
// space (the index travels in a one-element slice), len(Low) for a box.
func (s Space) Dim() int {
	if s.Discrete() {
		return 1
	}
	return len(s.Low)
}

// Env is one classic-control environment, stepped one transition at a time.
// The environments of this package come from Make (or their constructors)
// already Reset with seed 0, and also implement Renderer.
//
// Bad actions (wrong length, NaN, a discrete index out of range) make Step
// panic with an *ActionError; VecEnv and the trainer recover it and return it
// as an ordinary error.
type Env interface {
	ID() string
	ObservationSpace() Space
	ActionSpace() Space
	// MaxSteps is the time limit after which Step reports truncated.
	MaxSteps() int
	// RewardThreshold is the mean return at which the task counts as solved
	// (NaN when Gymnasium defines none).
	RewardThreshold() float64

	// Reset starts a new episode from a seeded initial state and returns its observation.
	Reset(seed uint64) []float64
	// Step applies one action and returns the next observation, the reward,
	// and whether the episode terminated (a terminal state) or was truncated
	// (the time limit). Stepping on after terminated, without Reset, keeps
	// the physics running but returns reward 0 and terminated = true.
	Step(action []float64) (obs []float64, reward float64, terminated, truncated bool)

	// State is the full physical state in Gymnasium's order.
	State() []float64
	// SetState overwrites the physical state; it errors, naming the value,
	// on a wrong length, a non-finite value, or a value outside the range
	// an episode can reach (each environment documents its ranges).
	SetState(state []float64) error
}
