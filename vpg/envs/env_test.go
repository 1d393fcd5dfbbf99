package envs

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func mustMake(t testing.TB, id string) Env {
	t.Helper()
	e, err := Make(id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// act is a one-element action, the form discrete indices and the
// one-dimensional boxes here take.
func act(x float64) []float64 { return []float64{x} }

func TestMakeUnknownListsKnownIDs(t *testing.T) {
	_, err := Make("CartPole-v0")
	if err == nil {
		t.Fatal("Make(CartPole-v0) succeeded")
	}
	for _, id := range append(IDs(), `"CartPole-v0"`) {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("error %q does not mention %s", err, id)
		}
	}
}

// TestSpecs checks each environment's registration against Gymnasium's
// table (and, for RandomWalk-19, our own definition).
func TestSpecs(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		id                string
		obsDim, actN, dim int // actN 0 means a box action of dimension dim
		maxSteps          int
		threshold         float64
		stateDim          int
	}{
		{"CartPole-v1", 4, 2, 1, 500, 475, 4},
		{"Acrobot-v1", 6, 3, 1, 500, -100, 4},
		{"MountainCar-v0", 2, 3, 1, 200, -110, 2},
		{"MountainCarContinuous-v0", 2, 0, 1, 999, 90, 2},
		{"Pendulum-v1", 3, 0, 1, 200, nan, 2},
		{"RandomWalk-19", 19, 2, 1, 1000, nan, 1},
	}
	if got := IDs(); len(got) != len(tests) {
		t.Fatalf("IDs() = %v, want %d ids", got, len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if IDs()[i] != tt.id {
				t.Errorf("IDs()[%d] = %s", i, IDs()[i])
			}
			e := mustMake(t, tt.id)
			if e.ID() != tt.id || e.ObservationSpace().Dim() != tt.obsDim || e.ActionSpace().N != tt.actN ||
				e.ActionSpace().Dim() != tt.dim || e.MaxSteps() != tt.maxSteps || len(e.State()) != tt.stateDim {
				t.Errorf("got id %s obs %v act %v max %d state %d", e.ID(), e.ObservationSpace(), e.ActionSpace(), e.MaxSteps(), len(e.State()))
			}
			if th := e.RewardThreshold(); th != tt.threshold && !(math.IsNaN(th) && math.IsNaN(tt.threshold)) {
				t.Errorf("threshold %v, want %v", th, tt.threshold)
			}
		})
	}
}

func TestBounds(t *testing.T) {
	// Gymnasium's float32 bounds, as NumPy prints them.
	cp := mustMake(t, "CartPole-v1").ObservationSpace()
	if cp.High[0] != float64(float32(4.8)) || cp.High[2] != float64(float32(0.41887903)) || !math.IsInf(cp.High[1], 1) || cp.Low[0] != -cp.High[0] {
		t.Errorf("CartPole obs space %v", cp)
	}
	ac := mustMake(t, "Acrobot-v1").ObservationSpace()
	if ac.High[4] != float64(float32(4*math.Pi)) || ac.High[5] != float64(float32(9*math.Pi)) {
		t.Errorf("Acrobot obs space %v", ac)
	}
	pd := mustMake(t, "Pendulum-v1")
	if a, o := pd.ActionSpace(), pd.ObservationSpace(); a.Low[0] != -2 || a.High[0] != 2 || o.High[2] != 8 {
		t.Errorf("Pendulum spaces %v %v", a, o)
	}
	mc := mustMake(t, "MountainCarContinuous-v0")
	if a, o := mc.ActionSpace(), mc.ObservationSpace(); a.Low[0] != -1 || a.High[0] != 1 || o.Low[0] != f32(-1.2) || o.High[1] != f32(0.07) {
		t.Errorf("MountainCarContinuous spaces %v %v", a, o)
	}
	// Spaces are copies: changing one must not change the environment.
	cp.High[0] = 0
	if mustMake(t, "CartPole-v1").ObservationSpace().High[0] == 0 {
		t.Error("ObservationSpace shares its slices")
	}
}

// TestResetDistribution checks every initial state lies in Gymnasium's
// range and that the ranges are filled (not a constant).
func TestResetDistribution(t *testing.T) {
	tests := []struct {
		id        string
		low, high []float64
	}{
		{"CartPole-v1", []float64{-0.05, -0.05, -0.05, -0.05}, []float64{0.05, 0.05, 0.05, 0.05}},
		{"Acrobot-v1", []float64{-0.1, -0.1, -0.1, -0.1}, []float64{0.1, 0.1, 0.1, 0.1}},
		{"MountainCar-v0", []float64{-0.6, 0}, []float64{-0.4, 0}},
		{"MountainCarContinuous-v0", []float64{-0.6, 0}, []float64{-0.4, 0}},
		{"Pendulum-v1", []float64{-math.Pi, -1}, []float64{math.Pi, 1}},
		{"RandomWalk-19", []float64{10}, []float64{10}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			e := mustMake(t, tt.id)
			lo, hi := slices.Clone(tt.high), slices.Clone(tt.low) // observed extremes
			for seed := range uint64(2000) {
				e.Reset(seed)
				for i, x := range e.State() {
					if x < tt.low[i] || x > tt.high[i] {
						t.Fatalf("seed %d: state %v outside [%v, %v]", seed, e.State(), tt.low, tt.high)
					}
					lo[i], hi[i] = min(lo[i], x), max(hi[i], x)
				}
			}
			for i := range lo {
				if width := tt.high[i] - tt.low[i]; hi[i]-lo[i] < 0.95*width {
					t.Errorf("component %d only spans [%v, %v] of [%v, %v]", i, lo[i], hi[i], tt.low[i], tt.high[i])
				}
			}
		})
	}
}

// trajectory plays n steps with a fixed action pattern and records
// everything the environment returns.
func trajectory(e Env, seed uint64, n int) []float64 {
	var out []float64
	out = append(out, e.Reset(seed)...)
	s := e.ActionSpace()
	a := make([]float64, s.Dim())
	for t := range n {
		benchAction(s, t, a)
		obs, r, term, trunc := e.Step(a)
		out = append(append(out, obs...), r, b2f(term), b2f(trunc))
	}
	return out
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func TestDeterminism(t *testing.T) {
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			a := trajectory(mustMake(t, id), 7, 60)
			b := trajectory(mustMake(t, id), 7, 60)
			e := mustMake(t, id)
			trajectory(e, 99, 13) // an earlier episode must not matter
			c := trajectory(e, 7, 60)
			if !slices.Equal(a, b) || !slices.Equal(a, c) {
				t.Error("same seed, different trajectories")
			}
			if id != "RandomWalk-19" && slices.Equal(a, trajectory(e, 8, 60)) {
				t.Error("seeds 7 and 8 give the same trajectory")
			}
		})
	}
}

// TestObservationsAreFloat32 checks observations carry float32 precision,
// as Gymnasium's float32 arrays do, while State keeps float64.
func TestObservationsAreFloat32(t *testing.T) {
	for _, id := range IDs() {
		e := mustMake(t, id)
		obs := e.Reset(3)
		for _, x := range obs {
			if x != f32(x) {
				t.Errorf("%s: observation %v is not a float32 value", id, obs)
			}
		}
	}
	e := mustMake(t, "CartPole-v1")
	e.Reset(3)
	if s := e.State(); s[0] == f32(s[0]) && s[1] == f32(s[1]) {
		t.Errorf("CartPole state %v looks rounded to float32", s)
	}
}

func TestBadActions(t *testing.T) {
	tests := []struct {
		id      string
		action  []float64
		problem string
	}{
		{"CartPole-v1", nil, "got 0 values, want 1"},
		{"CartPole-v1", []float64{0, 1}, "got 2 values, want 1"},
		{"CartPole-v1", act(2), "index 2 is out of range"},
		{"CartPole-v1", act(-1), "index -1 is out of range"},
		{"CartPole-v1", act(0.5), "index 0.5 is not a whole number"},
		{"CartPole-v1", act(math.NaN()), "index NaN is not a number"},
		{"Acrobot-v1", act(3), "index 3 is out of range"},
		{"MountainCar-v0", act(math.Inf(1)), "index +Inf is not a number"},
		{"Pendulum-v1", act(math.NaN()), "component 0 is NaN"},
		{"Pendulum-v1", []float64{1, 1}, "got 2 values, want 1"},
		{"MountainCarContinuous-v0", act(math.Inf(-1)), "component 0 is -Inf"},
		{"RandomWalk-19", act(2), "index 2 is out of range"},
	}
	for _, tt := range tests {
		e := mustMake(t, tt.id)
		before := e.State()
		err := stepErr(e, tt.action)
		var ae *ActionError
		if !errors.As(err, &ae) {
			t.Errorf("%s %v: Step did not panic with *ActionError (got %v)", tt.id, tt.action, err)
			continue
		}
		msg := err.Error()
		if ae.Env != tt.id || !strings.Contains(msg, tt.id) || !strings.Contains(msg, tt.problem) || !strings.Contains(msg, "allowed") {
			t.Errorf("%s %v: message %q lacks the id, %q or the allowed set", tt.id, tt.action, msg, tt.problem)
		}
		if !slices.Equal(before, e.State()) {
			t.Errorf("%s: a rejected action changed the state", tt.id)
		}
		if cerr := CheckAction(e.ActionSpace(), tt.action); cerr == nil || !strings.Contains(cerr.Error(), tt.problem) {
			t.Errorf("%s %v: CheckAction = %v", tt.id, tt.action, cerr)
		}
	}
	// Valid edge cases: the last index, and out-of-bound finite box values.
	for _, ok := range []struct {
		id string
		a  float64
	}{{"CartPole-v1", 1}, {"Acrobot-v1", 2}, {"Pendulum-v1", 1e6}, {"MountainCarContinuous-v0", -3}} {
		if err := stepErr(mustMake(t, ok.id), act(ok.a)); err != nil {
			t.Errorf("%s action %v: %v", ok.id, ok.a, err)
		}
	}
	if got := (&ActionError{Action: act(2), Problem: "p", Allowed: "a"}).Error(); got != "envs: bad action [2]: p; allowed: a" {
		t.Errorf("message without an env id: %q", got)
	}
}

// stepErr steps e and returns the panic value as an error (nil if none).
func stepErr(e Env, a []float64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err, _ = r.(error)
			if err == nil {
				err = errors.New("panic with a non-error value")
			}
		}
	}()
	e.Step(a)
	return nil
}

func TestSetState(t *testing.T) {
	e := mustMake(t, "CartPole-v1")
	for _, bad := range [][]float64{{1, 2, 3}, {0, 0, math.NaN(), 0}, {0, math.Inf(1), 0, 0}} {
		if err := e.SetState(bad); err == nil || !strings.Contains(err.Error(), "CartPole-v1") {
			t.Errorf("SetState(%v) = %v", bad, err)
		}
	}
	want := []float64{0.1, -0.2, 0.03, 0.4}
	if err := e.SetState(want); err != nil {
		t.Fatal(err)
	}
	got := e.State()
	got[0] = 99 // State returns a copy
	if !slices.Equal(e.State(), want) {
		t.Errorf("State() = %v after SetState(%v)", e.State(), want)
	}
	w := mustMake(t, "RandomWalk-19")
	for _, bad := range []float64{-1, 21, 3.5} {
		if err := w.SetState(act(bad)); err == nil || !strings.Contains(err.Error(), "whole number in 0…20") && !strings.Contains(err.Error(), "allowed range [0, 20]") {
			t.Errorf("RandomWalk SetState(%v) = %v", bad, err)
		}
	}
}

// TestSteppingAfterTermination checks the defined behaviour: physics keeps
// running, the reward is 0 and terminated stays true until Reset or
// SetState.
func TestSteppingAfterTermination(t *testing.T) {
	tests := []struct {
		id     string
		state  []float64
		action float64
	}{
		{"CartPole-v1", []float64{0, 0, 0.25, 1}, 1},
		{"Acrobot-v1", []float64{math.Pi, 0, 0, 0}, 1},
		{"MountainCar-v0", []float64{0.55, 0.05}, 2},
		{"MountainCarContinuous-v0", []float64{0.5, 0.05}, 1},
		{"RandomWalk-19", []float64{19}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			e := mustMake(t, tt.id)
			if err := e.SetState(tt.state); err != nil {
				t.Fatal(err)
			}
			if _, r, term, _ := e.Step(act(tt.action)); !term || r == 0 && tt.id == "CartPole-v1" {
				t.Fatalf("first step: reward %v terminated %v; want a terminal step", r, term)
			}
			for range 3 {
				before := e.State()
				_, r, term, _ := e.Step(act(tt.action))
				if r != 0 || !term {
					t.Errorf("after the end: reward %v terminated %v, want 0 and true", r, term)
				}
				if tt.id != "RandomWalk-19" && slices.Equal(before, e.State()) {
					t.Error("physics stopped after the end")
				}
			}
			if err := e.SetState(tt.state); err != nil {
				t.Fatal(err)
			}
			if _, r, term, _ := e.Step(act(tt.action)); !term || (r == 0) != (tt.id == "Acrobot-v1") {
				t.Errorf("after SetState: reward %v terminated %v, want the terminal step again", r, term)
			}
		})
	}
}

// TestTruncation steps each environment with a policy that keeps the
// episode alive and checks truncated turns true exactly at MaxSteps, and
// stays true if one steps on (Gymnasium's TimeLimit).
func TestTruncation(t *testing.T) {
	policies := map[string]func(obs []float64, t int) float64{
		"CartPole-v1":              func(o []float64, _ int) float64 { return b2f(o[2]+0.5*o[3] > 0) },
		"Acrobot-v1":               func([]float64, int) float64 { return 1 }, // no torque: hangs
		"MountainCar-v0":           func([]float64, int) float64 { return 1 },
		"MountainCarContinuous-v0": func([]float64, int) float64 { return 0 },
		"Pendulum-v1":              func([]float64, int) float64 { return 2 },
		"RandomWalk-19":            func(_ []float64, t int) float64 { return float64(1 - t%2) }, // 10, 11, 10, …
	}
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			e := mustMake(t, id)
			obs := e.Reset(3)
			for step := 1; step <= e.MaxSteps()+2; step++ {
				var term, trunc bool
				obs, _, term, trunc = e.Step(act(policies[id](obs, step)))
				if term {
					t.Fatalf("terminated at step %d", step)
				}
				if trunc != (step >= e.MaxSteps()) {
					t.Fatalf("step %d: truncated = %v", step, trunc)
				}
			}
		})
	}
}

// TestSetStateBounds: SetState accepts every state a run reaches (random
// actions, including the steps after an episode ends inside VecEnv) and the
// bounds themselves, and rejects values just outside them, naming the value
// and the allowed range.
func TestSetStateBounds(t *testing.T) {
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			v, err := NewVecEnv(id, 4, 5)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 6))
			actions := make([]float64, v.N()*v.ActDim())
			space := v.Env(0).ActionSpace()
			e := mustMake(t, id)
			for range 3000 {
				randomActions(rng, space, actions)
				if _, _, _, _, err := v.Step(actions); err != nil {
					t.Fatal(err)
				}
				for i := range v.N() {
					if err := e.SetState(v.Env(i).State()); err != nil {
						t.Fatalf("a reached state is rejected: %v", err)
					}
				}
			}
			spec := e.(stepper).(interface{ specOf() *spec }).specOf()
			for i := range spec.stateDim {
				for _, x := range []float64{spec.stateLow[i], spec.stateHigh[i]} {
					s := e.State()
					s[i] = x
					if err := e.SetState(s); err != nil {
						t.Errorf("bound %v of %s rejected: %v", x, spec.stateNames[i], err)
					}
				}
				for _, x := range []float64{math.Nextafter(spec.stateLow[i], math.Inf(-1)), math.Nextafter(spec.stateHigh[i], math.Inf(1)), 1e300} {
					s := e.State()
					s[i] = x
					want := fmt.Sprintf("(%s) is %v, allowed range [%v, %v]", spec.stateNames[i], x, spec.stateLow[i], spec.stateHigh[i])
					if err := e.SetState(s); err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("SetState with %s = %v: error %v, want one containing %q", spec.stateNames[i], x, err, want)
					}
				}
			}
		})
	}
}

func (e *episode) specOf() *spec { return e.spec }
