package envs

import (
	"math"
	"testing"
)

// acrobotAccel solves the acrobot's equations of motion, written from the
// Lagrangian in matrix form M(q)·q̈ + h(q, q̇) + G(q) = [0, τ] with
// sines for the gravity terms, by Cramer's rule: an independent form of the
// book dynamics the environment uses.
func acrobotAccel(s [4]float64, tau float64) (float64, float64) {
	const m1, m2, l1, lc1, lc2, i1, i2, g = 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 9.8
	q1, q2, w1, w2 := s[0], s[1], s[2], s[3]
	m11 := m1*lc1*lc1 + m2*(l1*l1+lc2*lc2+2*l1*lc2*math.Cos(q2)) + i1 + i2
	m12 := m2*(lc2*lc2+l1*lc2*math.Cos(q2)) + i2
	m22 := m2*lc2*lc2 + i2
	k := m2 * l1 * lc2 * math.Sin(q2)
	h1 := -k*w2*w2 - 2*k*w1*w2
	h2 := k * w1 * w1
	g2 := m2 * lc2 * g * math.Sin(q1+q2)
	g1 := (m1*lc1+m2*l1)*g*math.Sin(q1) + g2
	b1, b2 := -h1-g1, tau-h2-g2
	det := m11*m22 - m12*m12
	return (b1*m22 - m12*b2) / det, (m11*b2 - m12*b1) / det
}

func acrobotRef(s [4]float64, tau float64) [4]float64 {
	a1, a2 := acrobotAccel(s, tau)
	return [4]float64{s[2], s[3], a1, a2}
}

// rk4Ref integrates acrobotRef over dt in n classical RK4 sub-steps.
func rk4Ref(s [4]float64, tau, dt float64, n int) [4]float64 {
	h := dt / float64(n)
	add := func(a [4]float64, c float64, b [4]float64) [4]float64 {
		for i := range a {
			a[i] += c * b[i]
		}
		return a
	}
	for range n {
		k1 := acrobotRef(s, tau)
		k2 := acrobotRef(add(s, h/2, k1), tau)
		k3 := acrobotRef(add(s, h/2, k2), tau)
		k4 := acrobotRef(add(s, h, k3), tau)
		for i := range s {
			s[i] += h / 6 * (k1[i] + 2*k2[i] + 2*k3[i] + k4[i])
		}
	}
	return s
}

func TestAcrobotDynamics(t *testing.T) {
	states := [][4]float64{
		{0, 0, 0, 0},
		{0.05, -0.08, 0.02, 0.09},
		{1.2, -0.7, 2.5, -4},
		{-2.9, 2.1, -5, 8},
	}
	e := NewAcrobot()
	for _, s := range states {
		for a, tau := range []float64{-1, 0, 1} {
			// The derivative itself agrees with the matrix form to rounding.
			d := acrobotDeriv(s, tau)
			if want := acrobotRef(s, tau); !sameFloats(d[:], want[:], 1e-12) {
				t.Errorf("ds/dt(%v, %v) = %v, want %v", s, tau, d, want)
			}
			// One RK4 step of 0.2 s agrees with one reference RK4 step to
			// rounding, and with a 1000-sub-step solution to RK4's accuracy.
			got := rk4(s, tau, 0.2)
			if one := rk4Ref(s, tau, 0.2, 1); !sameFloats(got[:], one[:], 1e-12) {
				t.Errorf("rk4 from %v: %v, want %v", s, got, one)
			}
			if fine := rk4Ref(s, tau, 0.2, 1000); !sameFloats(got[:], fine[:], 2e-2) {
				t.Errorf("rk4 from %v: %v, fine solution %v", s, got, fine)
			}
			// Step applies that RK4 step, then wraps the angles (the
			// velocities here stay inside their bounds).
			got[0], got[1] = wrap(got[0], -math.Pi, math.Pi), wrap(got[1], -math.Pi, math.Pi)
			if err := e.SetState(s[:]); err != nil {
				t.Fatal(err)
			}
			obs, r, term, _ := e.Step(act(float64(a)))
			if !sameFloats(e.State(), got[:], 0) || term || r != -1 {
				t.Errorf("Step from %v: %v reward %v terminated %v; want %v", s, e.State(), r, term, got)
			}
			want := []float64{math.Cos(got[0]), math.Sin(got[0]), math.Cos(got[1]), math.Sin(got[1]), got[2], got[3]}
			if !sameFloats(obs, want, 1e-7) {
				t.Errorf("obs %v, want %v", obs, want)
			}
		}
	}
}

// TestAcrobotRK4Accuracy checks the single RK4 step against a fine
// reference over a short swing: the error shrinks like dt⁵ per step.
func TestAcrobotRK4Accuracy(t *testing.T) {
	s := [4]float64{1, -0.5, 0.5, 1}
	errAt := func(dt float64) float64 {
		got, ref := rk4(s, 1, dt), rk4Ref(s, 1, dt, 2000)
		e := 0.0
		for i := range got {
			e = max(e, math.Abs(got[i]-ref[i]))
		}
		return e
	}
	e1, e2 := errAt(0.2), errAt(0.1)
	if e1 > 5e-3 || e1/e2 < 16 { // ratio 32 for a clean fifth order
		t.Errorf("local errors %g (dt 0.2) and %g (dt 0.1): not fourth-order accurate", e1, e2)
	}
}

func TestAcrobotWrapAndClip(t *testing.T) {
	wraps := []struct{ x, want float64 }{
		{0, 0}, {math.Pi, math.Pi}, {-math.Pi, -math.Pi}, // the ends stay
		{math.Pi + 0.5, math.Pi + 0.5 - 2*math.Pi},
		{-math.Pi - 0.5, -math.Pi - 0.5 + 2*math.Pi},
		{7 * math.Pi, math.Pi},
		{-7.5 * math.Pi, 0.5 * math.Pi},
		// Huge angles: Gymnasium's loop never moves them; ours returns at once.
		{1e300, math.Mod(1e300+math.Pi, 2*math.Pi) - math.Pi},
		{-math.MaxFloat64, math.Mod(-math.MaxFloat64+math.Pi, 2*math.Pi) + math.Pi},
	}
	for _, w := range wraps {
		// Equal as angles: −π and π are the same direction.
		got := wrap(w.x, -math.Pi, math.Pi)
		if math.Abs(math.Cos(got)-math.Cos(w.want)) > 1e-9 || math.Abs(math.Sin(got)-math.Sin(w.want)) > 1e-9 ||
			got < -math.Pi || got > math.Pi {
			t.Errorf("wrap(%v) = %v, want %v", w.x, got, w.want)
		}
	}
	e := NewAcrobot()
	// Past the top with speed: θ1 crosses π and is wrapped; velocities
	// beyond the limits are clipped to exactly ±4π and ±9π.
	setOrForceState(t, e, []float64{math.Pi - 0.01, -(math.Pi - 0.01), 30, -60})
	e.Step(act(1))
	s := e.State()
	if s[0] < -math.Pi || s[0] > math.Pi || s[1] < -math.Pi || s[1] > math.Pi {
		t.Errorf("angles not wrapped: %v", s)
	}
	if s[2] != 4*math.Pi || s[3] != -9*math.Pi {
		t.Errorf("velocities %v, %v; want 4π and −9π", s[2], s[3])
	}
}

func TestAcrobotTermination(t *testing.T) {
	tests := []struct {
		state []float64
		want  bool
	}{
		{[]float64{0, 0, 0, 0}, false},           // hanging
		{[]float64{math.Pi, 0, 0, 0}, true},      // straight up: tip 2 m above the pivot
		{[]float64{math.Pi / 2, 0, 0, 0}, false}, // horizontal: tip at pivot height (after the step, below)
		{[]float64{math.Pi, math.Pi / 2, 0, 0}, false},
	}
	e := NewAcrobot()
	for _, tt := range tests {
		if err := e.SetState(tt.state); err != nil {
			t.Fatal(err)
		}
		_, r, term, _ := e.Step(act(1))
		s := e.State()
		height := -math.Cos(s[0]) - math.Cos(s[0]+s[1])
		if term != tt.want || term != (height > 1) || r != map[bool]float64{true: 0, false: -1}[term] {
			t.Errorf("from %v: tip height %v, terminated %v reward %v; want terminated %v", tt.state, height, term, r, tt.want)
		}
	}
}

// acrobotEnergy is the total mechanical energy (J) of state s.
func acrobotEnergy(s [4]float64) float64 {
	const m2, l1, lc1, lc2, i1, i2, g = 1.0, 1.0, 0.5, 0.5, 1.0, 1.0, 9.8
	q1, q2, w1, w2 := s[0], s[1], s[2], s[3]
	m11 := lc1*lc1 + m2*(l1*l1+lc2*lc2+2*l1*lc2*math.Cos(q2)) + i1 + i2
	m12 := m2*(lc2*lc2+l1*lc2*math.Cos(q2)) + i2
	m22 := m2*lc2*lc2 + i2
	kinetic := 0.5 * (m11*w1*w1 + 2*m12*w1*w2 + m22*w2*w2)
	potential := -(lc1+m2*l1)*g*math.Cos(q1) - m2*lc2*g*math.Cos(q1+q2)
	return kinetic + potential
}

// TestAcrobotConservesEnergy lets the acrobot swing without torque: the
// RK4 integration must keep the total energy nearly constant (no clipping
// or wrapping happens in this swing).
func TestAcrobotConservesEnergy(t *testing.T) {
	e := NewAcrobot()
	start := [4]float64{1, 0.5, 0, 0}
	if err := e.SetState(start[:]); err != nil {
		t.Fatal(err)
	}
	e0 := acrobotEnergy(start)
	worst := 0.0
	for range 100 { // 20 s
		e.Step(act(1))
		worst = max(worst, math.Abs(acrobotEnergy([4]float64(e.State()))-e0))
	}
	if worst > 0.03*math.Abs(e0) { // RK4 at dt = 0.2 s loses about 1.5% here
		t.Errorf("energy drifted by %g J from %g J", worst, e0)
	}
	t.Logf("max energy drift over 100 steps: %.2e J of %.2f J", worst, e0)
}
