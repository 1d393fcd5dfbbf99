package envs

import (
	"math"
	"math/rand/v2"
)

// CartPole is Gymnasium's CartPole-v1 (Barto, Sutton & Anderson 1983): a
// pole hinged on a cart that moves along a frictionless track; push the
// cart left or right to keep the pole upright.
//
// State s = [x, ẋ, θ, θ̇]: cart position (m), cart velocity (m/s), pole angle
// from vertical (rad, positive = leaning towards +x), angular velocity (rad/s).
// Observation = the state (float32 precision); Box low/high
// ±[4.8, +Inf, 0.41887902, +Inf] (twice the termination bounds, float32).
// Actions: Discrete(2); 0 pushes with F = −10 N, 1 with F = +10 N.
//
// Constants: g = 9.8 m/s², cart mass m_c = 1.0 kg, pole mass m_p = 0.1 kg,
// M = m_c + m_p, half pole length l = 0.5 m, τ = 0.02 s per step.
// Dynamics (Florian 2005, frictionless):
//
//	temp = (F + m_p·l·θ̇²·sin θ) / M
//	θ̈   = (g·sin θ − cos θ·temp) / (l·(4/3 − m_p·cos²θ / M))
//	ẍ   = temp − m_p·l·θ̈·cos θ / M
//
// integrated with explicit Euler, positions first from the old velocities:
// x += τ·ẋ; ẋ += τ·ẍ; θ += τ·θ̇; θ̇ += τ·θ̈.
//
// Reward +1 for every step, the terminating one included. Terminated when
// x < −2.4 or x > 2.4 or |θ| > 12·2π/360 rad (≈ 0.2095, 12°), strictly: the
// bounds themselves are still alive. Truncated after 500 steps; solved at a
// mean return of 475. Initial state: each component uniform in [−0.05, 0.05).
// SetState accepts x and θ inside the observation box (±4.8, ±0.41887902)
// and velocities within ±200.
type CartPole struct {
	episode
	s [4]float64
}

// CartPole constants, as float64 values evaluated left to right like the
// Python source so that thresholds agree to the last bit.
var (
	cpGravity        = 9.8
	cpMassCart       = 1.0
	cpMassPole       = 0.1
	cpTotalMass      = cpMassPole + cpMassCart
	cpHalfLength     = 0.5
	cpPoleMassLength = cpMassPole * cpHalfLength
	cpForce          = 10.0
	cpTau            = 0.02
	cpThetaLimit     = 12 * 2 * pi / 360
	cpXLimit         = 2.4
	// cpMaxSpeed bounds both velocities in SetState (m/s and rad/s). An
	// episode leaves the observation box long before: ẍ and θ̈ stay below
	// about 16 inside it, so 500 steps of τ = 0.02 add under 160.
	cpMaxSpeed = 200.0
)

// pi is math.Pi as a float64 variable, so that expressions using it round
// after every operation as NumPy does instead of being folded exactly.
var pi = math.Pi

var cartPoleSpec = spec{
	id:         "CartPole-v1",
	obs:        box32([]float64{2 * cpXLimit, math.Inf(1), 2 * cpThetaLimit, math.Inf(1)}),
	act:        Space{N: 2},
	stateDim:   4,
	stateNames: []string{"x", "ẋ", "θ", "θ̇"},
	stateLow:   []float64{-2 * cpXLimit, -cpMaxSpeed, -2 * cpThetaLimit, -cpMaxSpeed},
	stateHigh:  []float64{2 * cpXLimit, cpMaxSpeed, 2 * cpThetaLimit, cpMaxSpeed},
	maxSteps:   500,
	threshold:  475,
}

// NewCartPole returns CartPole-v1, already Reset with seed 0.
func NewCartPole() *CartPole {
	c := &CartPole{}
	c.init(&cartPoleSpec, c)
	return c
}

func (c *CartPole) sample(rng *rand.Rand) {
	for i := range c.s {
		c.s[i] = uniform(rng, -0.05, 0.05)
	}
}

func (c *CartPole) advance(a []float64) (float64, bool) {
	x, xDot, theta, thetaDot := c.s[0], c.s[1], c.s[2], c.s[3]
	force := -cpForce
	if a[0] == 1 {
		force = cpForce
	}
	cos, sin := math.Cos(theta), math.Sin(theta)
	temp := (force + cpPoleMassLength*(thetaDot*thetaDot)*sin) / cpTotalMass
	thetaAcc := (cpGravity*sin - cos*temp) / (cpHalfLength * (4.0/3.0 - cpMassPole*(cos*cos)/cpTotalMass))
	xAcc := temp - cpPoleMassLength*thetaAcc*cos/cpTotalMass
	c.s = [4]float64{x + cpTau*xDot, xDot + cpTau*xAcc, theta + cpTau*thetaDot, thetaDot + cpTau*thetaAcc}
	x, theta = c.s[0], c.s[2]
	terminated := x < -cpXLimit || x > cpXLimit || theta < -cpThetaLimit || theta > cpThetaLimit
	return 1, terminated
}

func (c *CartPole) observe(obs []float64) {
	for i, v := range c.s {
		obs[i] = f32(v)
	}
}

func (c *CartPole) state(dst []float64)        { copy(dst, c.s[:]) }
func (c *CartPole) setState(s []float64) error { copy(c.s[:], s); return nil }
