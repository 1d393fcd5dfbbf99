package envs

import (
	"math"
	"testing"
)

func TestMountainCarStep(t *testing.T) {
	tests := []struct {
		name       string
		state      []float64
		action     float64
		want       []float64
		terminated bool
	}{
		{"push right from the bottom", []float64{-0.5, 0}, 2,
			[]float64{-0.5 + (0.001 - 0.0025*math.Cos(-1.5)), 0.001 - 0.0025*math.Cos(-1.5)}, false},
		{"coast", []float64{-0.9, 0.02}, 1,
			[]float64{-0.9 + 0.02 - 0.0025*math.Cos(-2.7), 0.02 - 0.0025*math.Cos(-2.7)}, false},
		{"speed clipped", []float64{-0.8, 0.0699}, 2, []float64{-0.8 + 0.07, 0.07}, false},
		{"inelastic left wall", []float64{-1.19, -0.05}, 0, []float64{-1.2, 0}, false},
		{"at the wall moving right keeps its speed", []float64{-1.2, 0.01}, 2,
			[]float64{-1.2 + 0.01 + 0.001 - 0.0025*math.Cos(-3.6), 0.01 + 0.001 - 0.0025*math.Cos(-3.6)}, false},
		{"right wall clips the position only", []float64{0.59, 0.05}, 2, []float64{0.6, 0.05 + 0.001 - 0.0025*math.Cos(1.77)}, true},
		{"reaches the goal", []float64{0.49, 0.02}, 1, []float64{0.49 + 0.02 - 0.0025*math.Cos(1.47), 0.02 - 0.0025*math.Cos(1.47)}, true},
		{"past the goal but rolling back", []float64{0.6, -0.01}, 0, []float64{0.6 - 0.01 - 0.001 - 0.0025*math.Cos(1.8), -0.01 - 0.001 - 0.0025*math.Cos(1.8)}, false},
	}
	e := NewMountainCar()
	for _, tt := range tests {
		if err := e.SetState(tt.state); err != nil {
			t.Fatal(err)
		}
		_, r, term, _ := e.Step(act(tt.action))
		if !sameFloats(e.State(), tt.want, 1e-15) || term != tt.terminated || r != -1 {
			t.Errorf("%s: state %v terminated %v reward %v; want %v %v -1", tt.name, e.State(), term, r, tt.want, tt.terminated)
		}
	}
}

// TestMountainCarGoalBoundary: the goal test is p ≥ 0.5 and v ≥ 0, both
// inclusive. A velocity of exactly 0.0025·cos(3p) cancels gravity under
// action 1, so the car stays exactly at p with v = 0.
func TestMountainCarGoalBoundary(t *testing.T) {
	e := NewMountainCar()
	for _, tt := range []struct {
		p    float64
		want bool
	}{{0.5, true}, {math.Nextafter(0.5, 0), false}, {0.55, true}} {
		if err := e.SetState([]float64{tt.p, 0.0025 * math.Cos(3*tt.p)}); err != nil {
			t.Fatal(err)
		}
		_, _, term, _ := e.Step(act(1))
		if s := e.State(); s[0] != tt.p || s[1] != 0 || term != tt.want {
			t.Errorf("p %v: state %v terminated %v, want [%v 0] %v", tt.p, s, term, tt.p, tt.want)
		}
	}
}

func TestMountainCarContinuous(t *testing.T) {
	e := NewMountainCarContinuous()
	step := func(state []float64, a float64) ([]float64, float64, bool) {
		if err := e.SetState(state); err != nil {
			t.Fatal(err)
		}
		_, r, term, _ := e.Step(act(a))
		return e.State(), r, term
	}
	// Hand-checked step, stored as float32.
	s, r, term := step([]float64{-0.5, 0.01}, 0.5)
	v := 0.01 + 0.5*0.0015 - 0.0025*math.Cos(-1.5)
	if want := []float64{f32(-0.5 + v), f32(v)}; !sameFloats(s, want, 0) || term || r != -0.1*0.25 {
		t.Errorf("step: %v reward %v terminated %v; want %v reward %v", s, r, term, want, -0.1*0.25)
	}
	// An action beyond ±1 moves the car like ±1 but is penalised in full.
	sClip, rClip, _ := step([]float64{-0.5, 0.01}, 3)
	sOne, rOne, _ := step([]float64{-0.5, 0.01}, 1)
	if !sameFloats(sClip, sOne, 0) || rClip != -0.1*9 || rOne != -0.1 {
		t.Errorf("action 3: %v %v; action 1: %v %v", sClip, rClip, sOne, rOne)
	}
	// The goal is at 0.45 and pays 100 on top of the action cost.
	s, r, term = step([]float64{0.44, 0.02}, -0.5)
	if !term || s[0] < 0.45 || math.Abs(r-(100-0.1*0.25)) > 1e-12 {
		t.Errorf("goal step: %v reward %v terminated %v", s, r, term)
	}
	// Left wall.
	s, _, _ = step([]float64{-1.19, -0.07}, -1)
	if s[0] != f32(-1.2) || s[1] != 0 {
		t.Errorf("left wall: %v", s)
	}
}

func TestMountainHeight(t *testing.T) {
	for _, p := range []float64{-1.2, -math.Pi / 6, 0, 0.5} {
		if got, want := mcHeight(p), 0.45*math.Sin(3*p)+0.55; math.Abs(got-want) > 1e-15 {
			t.Errorf("height(%v) = %v, want %v", p, got, want)
		}
	}
}
