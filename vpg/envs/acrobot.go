package envs

import (
	"math"
	"math/rand/v2"
)

// Acrobot is Gymnasium's Acrobot-v1 (Sutton 1996; Sutton & Barto's book):
// two links hanging from a fixed pivot, with a motor only at the joint
// between them; swing the tip above the target height.
//
// State s = [θ1, θ2, θ̇1, θ̇2]: angle of link 1 from straight down (rad),
// angle of link 2 relative to link 1 (rad), their angular velocities
// (rad/s). Observation = [cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2] (float32
// precision), Box ±[1, 1, 1, 1, 4π, 9π].
// Actions: Discrete(3), torque a ∈ {−1, 0, +1} N·m on the middle joint.
//
// Constants: link lengths l1 = l2 = 1 m, masses m1 = m2 = 1 kg, centres of
// mass lc1 = lc2 = 0.5 m, moments of inertia I1 = I2 = 1 kg·m², g = 9.8 m/s²,
// dt = 0.2 s per step. "Book" dynamics (the default in Gymnasium):
//
//	d1 = m1·lc1² + m2·(l1² + lc2² + 2·l1·lc2·cos θ2) + I1 + I2
//	d2 = m2·(lc2² + l1·lc2·cos θ2) + I2
//	φ2 = m2·lc2·g·cos(θ1 + θ2 − π/2)
//	φ1 = −m2·l1·lc2·θ̇2²·sin θ2 − 2·m2·l1·lc2·θ̇2·θ̇1·sin θ2
//	     + (m1·lc1 + m2·l1)·g·cos(θ1 − π/2) + φ2
//	θ̈2 = (a + d2/d1·φ1 − m2·l1·lc2·θ̇1²·sin θ2 − φ2) / (m2·lc2² + I2 − d2²/d1)
//	θ̈1 = −(d2·θ̈2 + φ1) / d1
//
// integrated over dt by one classical Runge–Kutta (RK4) step with the
// torque held constant. After the step θ1 and θ2 are wrapped into [−π, π]
// (by adding or subtracting 2π while outside) and θ̇1, θ̇2 are clipped to
// ±4π and ±9π rad/s.
//
// Reward −1 per step, 0 on the terminating step. Terminated when the tip is
// more than one link length above the pivot: −cos θ1 − cos(θ1 + θ2) > 1
// (strictly). Truncated after 500 steps; solved at a mean return of −100.
// Initial state: each component uniform in [−0.1, 0.1), rounded to float32
// as Gymnasium stores it. SetState accepts what a step can produce: angles
// in [−π, π], velocities within the clip bounds.
type Acrobot struct {
	episode
	s [4]float64
}

var (
	acDt      = 0.2
	acMaxVel1 = 4 * pi
	acMaxVel2 = 9 * pi
	acTorque  = [3]float64{-1, 0, 1}
	acG       = 9.8 // m/s²; a variable so that products with it round as in NumPy
)

// acLC is the distance from a joint to its link's centre of mass (m); the
// link lengths, masses and inertias are all 1.
const acLC = 0.5

var acrobotSpec = spec{
	id:         "Acrobot-v1",
	obs:        box32([]float64{1, 1, 1, 1, acMaxVel1, acMaxVel2}),
	act:        Space{N: 3},
	stateDim:   4,
	stateNames: []string{"θ1", "θ2", "θ̇1", "θ̇2"},
	stateLow:   []float64{-pi, -pi, -acMaxVel1, -acMaxVel2},
	stateHigh:  []float64{pi, pi, acMaxVel1, acMaxVel2},
	maxSteps:   500,
	threshold:  -100,
}

// NewAcrobot returns Acrobot-v1, already Reset with seed 0.
func NewAcrobot() *Acrobot {
	a := &Acrobot{}
	a.init(&acrobotSpec, a)
	return a
}

func (a *Acrobot) sample(rng *rand.Rand) {
	for i := range a.s {
		a.s[i] = f32(uniform(rng, -0.1, 0.1))
	}
}

func (a *Acrobot) advance(act []float64) (float64, bool) {
	s := rk4(a.s, acTorque[int(act[0])], acDt)
	s[0] = wrap(s[0], -pi, pi)
	s[1] = wrap(s[1], -pi, pi)
	s[2] = clip(s[2], -acMaxVel1, acMaxVel1)
	s[3] = clip(s[3], -acMaxVel2, acMaxVel2)
	a.s = s
	if -math.Cos(s[0])-math.Cos(s[1]+s[0]) > 1.0 {
		return 0, true
	}
	return -1, false
}

func (a *Acrobot) observe(obs []float64) {
	obs[0], obs[1] = f32(math.Cos(a.s[0])), f32(math.Sin(a.s[0]))
	obs[2], obs[3] = f32(math.Cos(a.s[1])), f32(math.Sin(a.s[1]))
	obs[4], obs[5] = f32(a.s[2]), f32(a.s[3])
}

func (a *Acrobot) state(dst []float64)        { copy(dst, a.s[:]) }
func (a *Acrobot) setState(s []float64) error { copy(a.s[:], s); return nil }

// acrobotDeriv is ds/dt for the book dynamics under torque u (see Acrobot).
func acrobotDeriv(s [4]float64, u float64) [4]float64 {
	theta1, theta2, dTheta1, dTheta2 := s[0], s[1], s[2], s[3]
	const (
		m1, m2, l1, lc1, lc2, i1, i2 = 1.0, 1.0, 1.0, acLC, acLC, 1.0, 1.0
	)
	cos2, sin2 := math.Cos(theta2), math.Sin(theta2)
	d1 := m1*lc1*lc1 + m2*(l1*l1+lc2*lc2+2*l1*lc2*cos2) + i1 + i2
	d2 := m2*(lc2*lc2+l1*lc2*cos2) + i2
	phi2 := m2 * lc2 * acG * math.Cos(theta1+theta2-pi/2.0)
	phi1 := -m2*l1*lc2*(dTheta2*dTheta2)*sin2 -
		2*m2*l1*lc2*dTheta2*dTheta1*sin2 +
		(m1*lc1+m2*l1)*acG*math.Cos(theta1-pi/2) + phi2
	ddTheta2 := (u + d2/d1*phi1 - m2*l1*lc2*(dTheta1*dTheta1)*sin2 - phi2) / (m2*lc2*lc2 + i2 - d2*d2/d1)
	ddTheta1 := -(d2*ddTheta2 + phi1) / d1
	return [4]float64{dTheta1, dTheta2, ddTheta1, ddTheta2}
}

// rk4 advances s by one classical Runge–Kutta step of length dt.
func rk4(s [4]float64, u, dt float64) [4]float64 {
	half := dt / 2.0
	k1 := acrobotDeriv(s, u)
	k2 := acrobotDeriv(axpy(half, k1, s), u)
	k3 := acrobotDeriv(axpy(half, k2, s), u)
	k4 := acrobotDeriv(axpy(dt, k3, s), u)
	var out [4]float64
	for i := range out {
		out[i] = s[i] + dt/6.0*(k1[i]+2*k2[i]+2*k3[i]+k4[i])
	}
	return out
}

// axpy returns y + a·x.
func axpy(a float64, x, y [4]float64) [4]float64 {
	for i := range y {
		y[i] += a * x[i]
	}
	return y
}

// wrap moves x into [lo, hi] by whole periods hi − lo, leaving it unchanged
// when it is already inside (the ends included). Like Gymnasium it adds or
// subtracts one period at a time, which is exact for the single period a
// step can need; x more than a period outside is first brought near the
// range with math.Mod, since stepping a huge x by periods would never move it.
func wrap(x, lo, hi float64) float64 {
	period := hi - lo
	if x > hi+period || x < lo-period {
		x = lo + math.Mod(x-lo, period)
	}
	for x > hi {
		x -= period
	}
	for x < lo {
		x += period
	}
	return x
}
