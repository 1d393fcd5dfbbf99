package envs

import (
	"math"
	"math/rand/v2"
)

// MountainCar is Gymnasium's MountainCar-v0 (Moore 1990; Sutton & Barto):
// an underpowered car in a valley must rock back and forth to reach the
// flag on the right hill.
//
// State s = [p, v]: position along the track and velocity (Gymnasium's units
// are "m" and "m per step"; there is no separate time step). The ground's
// height is 0.45·sin(3p) + 0.55. Observation = the state (float32
// precision), Box [−1.2, −0.07] … [0.6, 0.07].
// Actions: Discrete(3): 0 accelerates left, 1 not at all, 2 right.
//
// Dynamics, with force = 0.001 and gravity = 0.0025:
//
//	v ← clip(v + (a − 1)·force + cos(3p)·(−gravity), −0.07, 0.07)
//	p ← clip(p + v, −1.2, 0.6)
//	v ← 0 if p = −1.2 and v < 0  (inelastic left wall)
//
// Reward −1 per step. Terminated when p ≥ 0.5 and v ≥ 0. Truncated after 200
// steps; solved at a mean return of −110. Initial state: p uniform in
// [−0.6, −0.4), v = 0. SetState accepts the observation box, i.e. the clip
// bounds rounded out to float32, as MountainCarContinuous stores them.
type MountainCar struct {
	episode
	mcCar
}

// MountainCarContinuous is Gymnasium's MountainCarContinuous-v0: the
// mountain car of MountainCar with a continuous throttle.
//
// State, observation and initial state as MountainCar. Action: Box(1) in
// [−1, 1]; the applied force is the action clipped to it.
// Dynamics, with power = 0.0015:
//
//	v ← clip(v + force·power − 0.0025·cos(3p), −0.07, 0.07)
//	p ← clip(p + v, −1.2, 0.6)
//	v ← 0 if p = −1.2 and v < 0
//
// after which the state is rounded to float32, as Gymnasium stores it (the
// arithmetic itself is float64).
//
// Reward −0.1·a² per step using the unclipped action a, as Gymnasium does,
// plus 100 on the terminating step. Terminated when p ≥ 0.45 and v ≥ 0.
// Truncated after 999 steps; solved at a mean return of 90.
type MountainCarContinuous struct {
	episode
	mcCar
}

// mcCar is the state both mountain cars share: s = [position, velocity].
type mcCar struct{ s [2]float64 }

const (
	mcMinPos   = -1.2
	mcMaxPos   = 0.6
	mcMaxSpeed = 0.07
)

var (
	mcForce   = 0.001
	mcGravity = 0.0025
	mcPower   = 0.0015
)

var mountainCarSpec = spec{
	id:         "MountainCar-v0",
	obs:        mcObsSpace(),
	act:        Space{N: 3},
	stateDim:   2,
	stateNames: mcStateNames,
	stateLow:   mcObsSpace().Low,
	stateHigh:  mcObsSpace().High,
	maxSteps:   200,
	threshold:  -110,
}

var mountainCarContinuousSpec = spec{
	id:         "MountainCarContinuous-v0",
	obs:        mcObsSpace(),
	act:        Space{Low: []float64{-1}, High: []float64{1}},
	stateDim:   2,
	stateNames: mcStateNames,
	stateLow:   mcObsSpace().Low,
	stateHigh:  mcObsSpace().High,
	maxSteps:   999,
	threshold:  90,
}

var mcStateNames = []string{"position", "velocity"}

func mcObsSpace() Space {
	return Space{Low: []float64{f32(mcMinPos), f32(-mcMaxSpeed)}, High: []float64{f32(mcMaxPos), f32(mcMaxSpeed)}}
}

// NewMountainCar returns MountainCar-v0, already Reset with seed 0.
func NewMountainCar() *MountainCar {
	m := &MountainCar{}
	m.init(&mountainCarSpec, m)
	return m
}

// NewMountainCarContinuous returns MountainCarContinuous-v0, already Reset
// with seed 0.
func NewMountainCarContinuous() *MountainCarContinuous {
	m := &MountainCarContinuous{}
	m.init(&mountainCarContinuousSpec, m)
	return m
}

func (m *MountainCar) advance(a []float64) (float64, bool) {
	p, v := m.s[0], m.s[1]
	v += (a[0]-1)*mcForce + math.Cos(3*p)*(-mcGravity)
	m.s = mcMove(p, clip(v, -mcMaxSpeed, mcMaxSpeed))
	return -1, m.s[0] >= 0.5 && m.s[1] >= 0
}

func (m *MountainCarContinuous) advance(a []float64) (float64, bool) {
	p, v := m.s[0], m.s[1]
	v += clip(a[0], -1, 1)*mcPower - mcGravity*math.Cos(3*p)
	s := mcMove(p, clip(v, -mcMaxSpeed, mcMaxSpeed))
	m.s = [2]float64{f32(s[0]), f32(s[1])}
	terminated := m.s[0] >= 0.45 && m.s[1] >= 0
	reward := 0.0
	if terminated {
		reward = 100
	}
	return reward - a[0]*a[0]*0.1, terminated
}

// mcMove applies the already clipped velocity v to position p, stopping
// the car dead against the left wall.
func mcMove(p, v float64) [2]float64 {
	p = clip(p+v, mcMinPos, mcMaxPos)
	if p == mcMinPos && v < 0 {
		v = 0
	}
	return [2]float64{p, v}
}

func (m *mcCar) sample(rng *rand.Rand)      { m.s = [2]float64{uniform(rng, -0.6, -0.4), 0} }
func (m *mcCar) observe(obs []float64)      { obs[0], obs[1] = f32(m.s[0]), f32(m.s[1]) }
func (m *mcCar) state(dst []float64)        { copy(dst, m.s[:]) }
func (m *mcCar) setState(s []float64) error { copy(m.s[:], s); return nil }

// mcHeight is the height of the mountain track at position p.
func mcHeight(p float64) float64 { return math.Sin(3*p)*0.45 + 0.55 }
