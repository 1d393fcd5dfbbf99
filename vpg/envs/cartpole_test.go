package envs

import (
	"math"
	"testing"
)

// cartPoleReference is one Euler step of the cart-pole written from the
// coupled equations of motion of a cart (mass mc) carrying a uniform rod
// (mass mp, half-length l), solved as a 2×2 linear system by Cramer's rule
// instead of Gymnasium's elimination:
//
//	(mc + mp)·ẍ + mp·l·cos θ·θ̈ = F + mp·l·θ̇²·sin θ
//	cos θ·ẍ + (4/3)·l·θ̈        = g·sin θ
func cartPoleReference(s [4]float64, force float64) [4]float64 {
	const g, mc, mp, l, tau = 9.8, 1.0, 0.1, 0.5, 0.02
	x, xd, th, thd := s[0], s[1], s[2], s[3]
	a11, a12, b1 := mc+mp, mp*l*math.Cos(th), force+mp*l*thd*thd*math.Sin(th)
	a21, a22, b2 := math.Cos(th), 4.0/3.0*l, g*math.Sin(th)
	det := a11*a22 - a12*a21
	xAcc := (b1*a22 - a12*b2) / det
	thAcc := (a11*b2 - a21*b1) / det
	return [4]float64{x + tau*xd, xd + tau*xAcc, th + tau*thd, thd + tau*thAcc}
}

func TestCartPoleStepMatchesTextbook(t *testing.T) {
	tests := []struct {
		state  [4]float64
		action float64
	}{
		{[4]float64{0, 0, 0, 0}, 1},
		{[4]float64{0, 0, 0, 0}, 0},
		{[4]float64{0.3, -0.7, 0.1, 1.2}, 1},
		{[4]float64{-1.9, 2.5, -0.2, -2.8}, 0},
		{[4]float64{1, 0, 0.05, 0}, 1},
	}
	e := NewCartPole()
	for _, tt := range tests {
		if err := e.SetState(tt.state[:]); err != nil {
			t.Fatal(err)
		}
		obs, r, _, _ := e.Step(act(tt.action))
		want := cartPoleReference(tt.state, 20*tt.action-10)
		if !sameFloats(e.State(), want[:], 1e-13) {
			t.Errorf("from %v action %v: state %v, want %v", tt.state, tt.action, e.State(), want)
		}
		if !sameFloats(obs, want[:], 1e-7) || r != 1 {
			t.Errorf("obs %v reward %v", obs, r)
		}
	}
	// From rest, pushing right accelerates the cart right and tips the pole left.
	if err := e.SetState([]float64{0, 0, 0, 0}); err != nil {
		t.Fatal(err)
	}
	e.Step(act(1))
	if s := e.State(); s[1] <= 0 || s[3] >= 0 || s[0] != 0 || s[2] != 0 {
		t.Errorf("one push right from rest: %v", s)
	}
}

func TestCartPoleTerminationBounds(t *testing.T) {
	up := func(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
	down := func(x float64) float64 { return math.Nextafter(x, math.Inf(-1)) }
	const theta = 0.20943951023931953 // 12·2π/360 as Python computes it
	if cpThetaLimit != theta {
		t.Fatalf("threshold %v, want %v", cpThetaLimit, theta)
	}
	// With zero velocities an Euler step leaves x and θ exactly in place.
	tests := []struct {
		x, theta float64
		want     bool
	}{
		{2.4, 0, false},
		{up(2.4), 0, true},
		{-2.4, 0, false},
		{down(-2.4), 0, true},
		{0, theta, false},
		{0, up(theta), true},
		{0, -theta, false},
		{0, down(-theta), true},
		{2.4, theta, false},
	}
	e := NewCartPole()
	for _, tt := range tests {
		if err := e.SetState([]float64{tt.x, 0, tt.theta, 0}); err != nil {
			t.Fatal(err)
		}
		_, r, term, _ := e.Step(act(0))
		if s := e.State(); s[0] != tt.x || s[2] != tt.theta {
			t.Fatalf("state moved: %v", s)
		}
		if term != tt.want || r != 1 {
			t.Errorf("x %v θ %v: terminated %v reward %v, want %v and 1", tt.x, tt.theta, term, r, tt.want)
		}
	}
}
