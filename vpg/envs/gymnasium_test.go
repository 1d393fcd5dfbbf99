package envs

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// gymCase is one transition computed by Gymnasium's own code
// (testdata/gymnasium_steps.py wrote them).
type gymCase struct {
	State, Action, Next, Obs []float64
	Reward                   float64
	Terminated               bool
}

// TestMatchesGymnasium replays transitions computed by Gymnasium: from the
// same state with the same action, our next state, observation, reward and
// termination must agree. States agree to rounding (Go's and glibc's cos/sin
// may differ in the last bit); MountainCarContinuous stores float32 states,
// and NumPy rounds some of its intermediate products to float32 too, so it
// agrees to float32 precision.
func TestMatchesGymnasium(t *testing.T) {
	raw, err := os.ReadFile("testdata/gymnasium_steps.json")
	if err != nil {
		t.Fatal(err)
	}
	var all map[string][]gymCase
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	tol := map[string]float64{
		"CartPole-v1":              1e-12,
		"Acrobot-v1":               1e-12,
		"MountainCar-v0":           1e-12,
		"MountainCarContinuous-v0": 3e-7,
		"Pendulum-v1":              1e-12,
	}
	for id, cases := range all {
		t.Run(id, func(t *testing.T) {
			if len(cases) < 50 {
				t.Fatalf("only %d cases", len(cases))
			}
			e, err := Make(id)
			if err != nil {
				t.Fatal(err)
			}
			exact := 0
			for i, c := range cases {
				setOrForceState(t, e, c.State)
				obs, r, term, _ := e.Step(c.Action)
				next := e.State()
				if sameFloats(next, c.Next, 0) {
					exact++
				}
				if !sameFloats(next, c.Next, tol[id]) || !sameFloats(obs, c.Obs, math.Max(tol[id], 2e-7)) ||
					!sameFloats([]float64{r}, []float64{c.Reward}, tol[id]) || term != c.Terminated {
					t.Errorf("case %d: state %v action %v:\n got next %v obs %v reward %v terminated %v\nwant next %v obs %v reward %v terminated %v",
						i, c.State, c.Action, next, obs, r, term, c.Next, c.Obs, c.Reward, c.Terminated)
				}
			}
			t.Logf("%d of %d next states identical to the bit", exact, len(cases))
		})
	}
}

// setOrForceState sets state s on e; the test cases include states just
// beyond the velocity clip bounds, to test clipping, which SetState must
// reject by name and which are then set directly.
func setOrForceState(t *testing.T, e Env, s []float64) {
	t.Helper()
	err := e.SetState(s)
	if err == nil {
		return
	}
	if !strings.Contains(err.Error(), "allowed range") {
		t.Fatal(err)
	}
	if err := e.(dynamics).setState(s); err != nil {
		t.Fatal(err)
	}
	e.(stepper).setProgress(0, false)
}

// sameFloats reports whether a and b have equal length and agree within
// relative tolerance tol (absolute below magnitude 1).
func sameFloats(a, b []float64, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > tol*math.Max(1, math.Abs(b[i])) {
			return false
		}
	}
	return true
}
