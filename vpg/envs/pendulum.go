package envs

import (
	"math"
	"math/rand/v2"
)

// Pendulum is Gymnasium's Pendulum-v1: swing a torque-limited pendulum up
// and hold it upright.
//
// State s = [θ, θ̇]: angle from upright (rad, counter-clockwise positive,
// not wrapped) and angular velocity (rad/s). Observation = [cos θ, sin θ, θ̇]
// (float32 precision), Box ±[1, 1, 8].
// Action: Box(1) torque u in [−2, 2] N·m; larger values are clipped.
//
// Constants: g = 10 m/s², mass m = 1 kg, length l = 1 m, dt = 0.05 s.
// Dynamics (semi-implicit Euler, the new velocity moves the angle):
//
//	θ̇ ← clip(θ̇ + (3g/(2l)·sin θ + 3/(m·l²)·u)·dt, −8, 8)
//	θ ← θ + θ̇·dt
//
// Reward −(norm(θ)² + 0.1·θ̇² + 0.001·u²) computed from the state before the
// step, where norm(θ) = ((θ + π) mod 2π) − π ∈ [−π, π] with a floored
// (Python) modulo; the reward lies in [−16.2736044, 0]. Never terminates;
// truncated after 200 steps; Gymnasium registers no reward threshold (NaN
// here).
// Initial state: θ uniform in [−π, π), θ̇ uniform in [−1, 1).
// SetState accepts |θ| ≤ 10⁶ and |θ̇| ≤ 8 (the velocity clip bound).
type Pendulum struct {
	episode
	s     [2]float64
	lastU float64 // the last clipped torque, for drawing; NaN after Reset
}

var (
	pdMaxSpeed  = 8.0
	pdMaxTorque = 2.0
	pdDt        = 0.05
	pdG         = 10.0
	// pdMaxAngle bounds θ in SetState. θ is not wrapped, but at 8 rad/s it
	// takes 2.5 million steps to get there, and float64 still resolves the
	// angle to 1e-10 rad.
	pdMaxAngle = 1e6
)

var pendulumSpec = spec{
	id:         "Pendulum-v1",
	obs:        box32([]float64{1, 1, pdMaxSpeed}),
	act:        Space{Low: []float64{-pdMaxTorque}, High: []float64{pdMaxTorque}},
	stateDim:   2,
	stateNames: []string{"θ", "θ̇"},
	stateLow:   []float64{-pdMaxAngle, -pdMaxSpeed},
	stateHigh:  []float64{pdMaxAngle, pdMaxSpeed},
	maxSteps:   200,
	threshold:  math.NaN(),
}

// NewPendulum returns Pendulum-v1, already Reset with seed 0.
func NewPendulum() *Pendulum {
	p := &Pendulum{}
	p.init(&pendulumSpec, p)
	return p
}

func (p *Pendulum) sample(rng *rand.Rand) {
	p.s = [2]float64{uniform(rng, -pi, pi), uniform(rng, -1, 1)}
	p.lastU = math.NaN()
}

func (p *Pendulum) advance(a []float64) (float64, bool) {
	const m, l = 1.0, 1.0
	theta, thetaDot := p.s[0], p.s[1]
	u := clip(a[0], -pdMaxTorque, pdMaxTorque)
	p.lastU = u
	norm := angleNormalize(theta)
	cost := norm*norm + 0.1*(thetaDot*thetaDot) + 0.001*(u*u)
	newThetaDot := thetaDot + (3*pdG/(2*l)*math.Sin(theta)+3.0/(m*l*l)*u)*pdDt
	newThetaDot = clip(newThetaDot, -pdMaxSpeed, pdMaxSpeed)
	p.s = [2]float64{theta + newThetaDot*pdDt, newThetaDot}
	return -cost, false
}

func (p *Pendulum) observe(obs []float64) {
	obs[0], obs[1], obs[2] = f32(math.Cos(p.s[0])), f32(math.Sin(p.s[0])), f32(p.s[1])
}

func (p *Pendulum) state(dst []float64) { copy(dst, p.s[:]) }

func (p *Pendulum) setState(s []float64) error {
	copy(p.s[:], s)
	p.lastU = math.NaN()
	return nil
}

// angleNormalize maps x to [−π, π) as ((x + π) mod 2π) − π with Python's
// floored modulo (the result of mod takes the sign of the divisor).
func angleNormalize(x float64) float64 {
	return floorMod(x+pi, 2*pi) - pi
}

// floorMod is Python's float %: like math.Mod, but the result has the sign
// of y (and is +0 for y > 0 when x is a multiple of y).
func floorMod(x, y float64) float64 {
	r := math.Mod(x, y)
	if r != 0 && (r < 0) != (y < 0) {
		r += y
	}
	if r == 0 {
		r = math.Copysign(0, y)
	}
	return r
}
