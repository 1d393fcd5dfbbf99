package envs

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// RandomWalkStates is the number of non-terminal states of RandomWalk-19.
const RandomWalkStates = 19

// RandomWalk is the 19-state random walk of Sutton & Barto (2018, §7.1,
// Figure 7.2; the 5-state version is Example 6.2), written as a two-action
// environment so that any agent can drive it.
//
// States 0 … 20 in a row; 0 and 20 are terminal, 1 … 19 are not, and every
// episode starts in the middle, state 10. State = [s] (a whole number).
// Actions: Discrete(2): 0 moves one state left, 1 one state right,
// deterministically. The uniformly random policy (each action with
// probability ½, e.g. Record with a nil policy) is the book's random walk.
// Reward −1 on entering state 0, +1 on entering state 20, 0 otherwise;
// terminated on entering either. Observation: one-hot over the 19
// non-terminal states (index s − 1), all zeros in a terminal state; Box
// [0, 1]^19. With γ = 1 the true values under the random policy are
// v(s) = (s − 10)/10, i.e. −0.9, −0.8, …, 0.9 (RandomWalkTrueValues).
//
// Not a Gymnasium environment. The book has no time limit; ours truncates
// after 1000 steps (a random walk from the middle lasts 100 steps on
// average and exceeds 1000 with probability about 5·10⁻⁶). No reward
// threshold (NaN). Reset draws nothing: the start is always state 10.
type RandomWalk struct {
	episode
	s int
}

var randomWalkSpec = spec{
	id:         "RandomWalk-19",
	obs:        Space{Low: make([]float64, RandomWalkStates), High: ones(RandomWalkStates)},
	act:        Space{N: 2},
	stateDim:   1,
	stateNames: []string{"s"},
	stateLow:   []float64{0},
	stateHigh:  []float64{RandomWalkStates + 1},
	maxSteps:   1000,
	threshold:  math.NaN(),
}

// NewRandomWalk returns RandomWalk-19, already Reset.
func NewRandomWalk() *RandomWalk {
	w := &RandomWalk{}
	w.init(&randomWalkSpec, w)
	return w
}

// RandomWalkTrueValues returns v(1) … v(19) of RandomWalk-19 under the
// uniformly random policy with γ = 1: −0.9, −0.8, …, 0.9.
func RandomWalkTrueValues() []float64 {
	v := make([]float64, RandomWalkStates)
	for i := range v {
		v[i] = float64(i-9) / 10
	}
	return v
}

func (w *RandomWalk) sample(*rand.Rand) { w.s = (RandomWalkStates + 1) / 2 }

func (w *RandomWalk) advance(a []float64) (float64, bool) {
	if w.terminal() {
		return 0, true
	}
	w.s += 2*int(a[0]) - 1
	switch w.s {
	case 0:
		return -1, true
	case RandomWalkStates + 1:
		return 1, true
	}
	return 0, false
}

func (w *RandomWalk) terminal() bool { return w.s == 0 || w.s == RandomWalkStates+1 }

func (w *RandomWalk) observe(obs []float64) {
	clear(obs)
	if !w.terminal() {
		obs[w.s-1] = 1
	}
}

func (w *RandomWalk) state(dst []float64) { dst[0] = float64(w.s) }

func (w *RandomWalk) setState(s []float64) error {
	x := s[0]
	if x != math.Trunc(x) || x < 0 || x > RandomWalkStates+1 {
		return fmt.Errorf("state %v is not a whole number in 0…%d", x, RandomWalkStates+1)
	}
	w.s = int(x)
	return nil
}

func ones(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = 1
	}
	return v
}
