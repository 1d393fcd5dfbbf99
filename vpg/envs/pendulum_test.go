package envs

import (
	"math"
	"testing"
)

func TestAngleNormalize(t *testing.T) {
	tests := []struct{ x, want float64 }{
		{0, 0},
		{0.5, 0.5},
		{-0.5, -0.5},
		{math.Pi, -math.Pi}, // (π + π) mod 2π = 0
		{-math.Pi, -math.Pi},
		{2*math.Pi + 0.5, 0.5},
		{-2*math.Pi - 0.5, -0.5},
		{7, 7 - 2*math.Pi},
		{-7, -7 + 2*math.Pi},
		{100*math.Pi + 0.25, 0.25},
	}
	for _, tt := range tests {
		got := angleNormalize(tt.x)
		if math.Abs(got-tt.want) > 1e-12 || got < -math.Pi || got > math.Pi {
			t.Errorf("angleNormalize(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	// Python's float modulo, checked on signs and zeros.
	for _, tt := range []struct{ x, y, want float64 }{{5, 3, 2}, {-5, 3, 1}, {5, -3, -1}, {-5, -3, -2}, {6, 3, 0}, {-6, 3, 0}, {6, -3, 0}} {
		if got := floorMod(tt.x, tt.y); got != tt.want || got == 0 && math.Signbit(got) != (tt.y < 0) {
			t.Errorf("floorMod(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
		}
	}
}

func TestPendulumStep(t *testing.T) {
	tests := []struct {
		name            string
		state           []float64
		u               float64
		applied         float64 // the torque after clipping
		normalizedTheta float64
	}{
		{"hand-checked", []float64{1, 0.5}, 1.5, 1.5, 1},
		{"torque clipped high", []float64{-2, -1}, 7, 2, -2},
		{"torque clipped low", []float64{0.3, 2}, -2.5, -2, 0.3},
		{"cost uses the wrapped angle", []float64{2*math.Pi + 0.1, 0}, 0, 0, 0.1},
		{"hanging down", []float64{math.Pi, 0}, 0, 0, -math.Pi},
	}
	e := NewPendulum()
	for _, tt := range tests {
		if err := e.SetState(tt.state); err != nil {
			t.Fatal(err)
		}
		obs, r, term, _ := e.Step(act(tt.u))
		th, thd := tt.state[0], tt.state[1]
		newThd := clip(thd+(15*math.Sin(th)+3*tt.applied)*0.05, -8, 8)
		want := []float64{th + newThd*0.05, newThd}
		wantR := -(tt.normalizedTheta*tt.normalizedTheta + 0.1*thd*thd + 0.001*tt.applied*tt.applied)
		if !sameFloats(e.State(), want, 1e-15) || math.Abs(r-wantR) > 1e-12 || term {
			t.Errorf("%s: state %v reward %v terminated %v; want %v %v false", tt.name, e.State(), r, term, want, wantR)
		}
		if wantObs := []float64{math.Cos(want[0]), math.Sin(want[0]), want[1]}; !sameFloats(obs, wantObs, 1e-7) {
			t.Errorf("%s: obs %v, want %v", tt.name, obs, wantObs)
		}
	}
	// The angular velocity saturates at ±8 rad/s.
	if err := e.SetState([]float64{math.Pi / 2, 7.9}); err != nil {
		t.Fatal(err)
	}
	e.Step(act(2))
	if s := e.State(); s[1] != 8 || math.Abs(s[0]-(math.Pi/2+0.4)) > 1e-15 {
		t.Errorf("saturated step: %v", s)
	}
	// The worst reward Gymnasium documents: upside down, full speed, full torque.
	if err := e.SetState([]float64{math.Pi, 8}); err != nil {
		t.Fatal(err)
	}
	if _, r, _, _ := e.Step(act(-2)); math.Abs(r+16.2736044) > 1e-7 {
		t.Errorf("worst reward %v, want −16.2736044", r)
	}
}

// TestPendulumConservesEnergy swings the pendulum without torque: for
// θ̈ = (3g/2l)·sin θ the quantity ½θ̇² + (3g/2l)·cos θ is conserved. The
// semi-implicit Euler integrator Gymnasium uses keeps its error bounded
// (about ω·dt ≈ 0.2 of the swing's kinetic energy, without drift), whereas
// explicit Euler would pump energy in steadily.
func TestPendulumConservesEnergy(t *testing.T) {
	energy := func(s []float64) float64 { return 0.5*s[1]*s[1] + 15*math.Cos(s[0]) }
	e := NewPendulum()
	if err := e.SetState([]float64{2, 0}); err != nil { // released below horizontal: never near 8 rad/s
		t.Fatal(err)
	}
	e0 := energy(e.State())
	swing := e0 + 15 // kinetic energy at the bottom
	var early, late float64
	for step := range 2000 {
		e.Step(act(0))
		d := math.Abs(energy(e.State()) - e0)
		if step < 1000 {
			early = max(early, d)
		} else {
			late = max(late, d)
		}
	}
	if early > 0.15*swing || late > 1.05*early {
		t.Errorf("energy error up to %g in the first 50 s, %g in the next 50 s, swing energy %g", early, late, swing)
	}
}
