package tabular

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
)

// visited replays one episode's walk with the same RNG draws as Episode and
// returns the states in order and the final reward.
func visited(seed uint64) ([]int, float64) {
	rng := rand.New(rand.NewPCG(seed, 0))
	s, states := 10, []int{10}
	for s != 0 && s != 20 {
		s += 2*rng.IntN(2) - 1
		states = append(states, s)
	}
	if s == 0 {
		return states, -1
	}
	return states, 1
}

func TestMonteCarloLimit(t *testing.T) {
	// n beyond the episode's end and α = 1: every visited state is set to the
	// episode's return, which with γ = 1 is the exit reward.
	V := make([]float64, 21)
	rng := rand.New(rand.NewPCG(7, 0))
	if err := (NStepTD{N: 10000, Alpha: 1, Gamma: 1}).Episode(envs.NewRandomWalk(), V, rng, 0); err != nil {
		t.Fatal(err)
	}
	states, final := visited(7)
	seen := map[int]bool{}
	for _, s := range states[:len(states)-1] {
		seen[s] = true
	}
	for s, v := range V {
		want := 0.0
		if seen[s] {
			want = final
		}
		if v != want {
			t.Errorf("V[%d] = %v, want %v", s, v, want)
		}
	}
}

func TestTDZeroFirstEpisode(t *testing.T) {
	// One-step TD with α = 1 from V = 0: only the last state before the exit
	// learns anything, and it learns the exit reward exactly.
	V := make([]float64, 21)
	rng := rand.New(rand.NewPCG(3, 0))
	if err := (NStepTD{N: 1, Alpha: 1, Gamma: 1}).Episode(envs.NewRandomWalk(), V, rng, 0); err != nil {
		t.Fatal(err)
	}
	states, final := visited(3)
	last := states[len(states)-2]
	for s, v := range V {
		want := 0.0
		if s == last {
			want = final
		}
		if v != want {
			t.Errorf("V[%d] = %v, want %v (last state before exit: %d)", s, v, want, last)
		}
	}
}

func TestConvergesToTrueValues(t *testing.T) {
	V := make([]float64, 21)
	rng := rand.New(rand.NewPCG(1, 0))
	env := envs.NewRandomWalk()
	td := NStepTD{N: 4, Alpha: 0.02, Gamma: 1}
	for ep := range 3000 {
		if err := td.Episode(env, V, rng, uint64(ep)); err != nil {
			t.Fatal(err)
		}
	}
	if rms := RMSError(V, 1, envs.RandomWalkTrueValues()); rms > 0.08 {
		t.Errorf("RMS error after 3000 episodes = %.3f, want ≤ 0.08", rms)
	}
}

func TestRMSError(t *testing.T) {
	// Errors 3 and 4 on two states: √((9+16)/2).
	if got, want := RMSError([]float64{0, 3, 4}, 1, []float64{0, 0}), math.Sqrt(12.5); got != want {
		t.Errorf("RMSError = %v, want %v", got, want)
	}
}

func TestFigure72Shape(t *testing.T) {
	alphas := []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	errs, err := Sweep{Ns: []int{1, 4, 512}, Alphas: alphas, Runs: 20, Episodes: 10, Seed: 0}.Run()
	if err != nil {
		t.Fatal(err)
	}
	one, four, many := slices.Min(errs[0]), slices.Min(errs[1]), slices.Min(errs[2])
	if !(four < one && four < many) {
		t.Errorf("best RMS: n=1 %.3f, n=4 %.3f, n=512 %.3f; want n=4 lowest", one, four, many)
	}
	// α = 0 never learns: the error stays at V = 0's, √(mean of the squared true values).
	want := RMSError(make([]float64, 21), 1, envs.RandomWalkTrueValues())
	if math.Abs(errs[0][0]-want) > 1e-12 {
		t.Errorf("α = 0 error %v, want %v", errs[0][0], want)
	}
}

func TestBadParameters(t *testing.T) {
	for _, tc := range []struct {
		td   NStepTD
		want string
	}{
		{NStepTD{N: 0, Alpha: 0.1, Gamma: 1}, "n = 0"},
		{NStepTD{N: 1, Alpha: 1.5, Gamma: 1}, "α = 1.5"},
		{NStepTD{N: 1, Alpha: 0.1, Gamma: math.NaN()}, "γ = NaN"},
	} {
		err := tc.td.Episode(envs.NewRandomWalk(), make([]float64, 21), rand.New(rand.NewPCG(0, 0)), 0)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one naming %q", tc.td, err, tc.want)
		}
	}
	if _, err := (Sweep{Ns: []int{1}, Alphas: []float64{0.1}}).Run(); err == nil {
		t.Error("Sweep with Runs = 0 gave no error")
	}
}

func TestCurveMatchesSweep(t *testing.T) {
	td := NStepTD{N: 2, Alpha: 0.3, Gamma: 1}
	curve, err := Curve(td, 5, 4, 9)
	if err != nil {
		t.Fatal(err)
	}
	if want := RMSError(make([]float64, 21), 1, envs.RandomWalkTrueValues()); curve[0] != want {
		t.Errorf("curve[0] = %v, want V = 0's error %v", curve[0], want)
	}
	errs, err := Sweep{Ns: []int{2}, Alphas: []float64{0.3}, Runs: 5, Episodes: 4, Seed: 9}.Run()
	if err != nil {
		t.Fatal(err)
	}
	mean := (curve[1] + curve[2] + curve[3] + curve[4]) / 4
	if math.Abs(errs[0][0]-mean) > 1e-12 {
		t.Errorf("Sweep %v, want the mean of the curve's episodes %v", errs[0][0], mean)
	}
}
