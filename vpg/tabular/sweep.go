package tabular

import (
	"fmt"
	"math/rand/v2"

	"github.com/govpg/govpg/vpg/envs"
)

// Sweep is the experiment of Sutton & Barto's Figure 7.2: n-step TD on
// RandomWalk-19 with γ = 1, V starting at 0, for every (n, α) pair; the
// error of one run is the RMS error over the 19 states averaged over its
// first Episodes episodes, and each point averages Runs runs.
type Sweep struct {
	Ns       []int
	Alphas   []float64
	Runs     int    // independent runs per point (the book uses 100)
	Episodes int    // episodes per run (the book uses 10)
	Seed     uint64 // runs r = 0, 1, … use the same walks for every (n, α)
}

// Run returns Error[i][j], the mean RMS error for Ns[i] and Alphas[j].
func (s Sweep) Run() ([][]float64, error) {
	out := make([][]float64, len(s.Ns))
	for i, n := range s.Ns {
		out[i] = make([]float64, len(s.Alphas))
		for j, alpha := range s.Alphas {
			curve, err := Curve(NStepTD{N: n, Alpha: alpha, Gamma: 1}, s.Runs, s.Episodes, s.Seed)
			if err != nil {
				return nil, err
			}
			for _, e := range curve[1:] {
				out[i][j] += e
			}
			out[i][j] /= float64(s.Episodes)
		}
	}
	return out, nil
}

// Curve is the learning curve of td on RandomWalk-19: entry k is the RMS
// error over the 19 states after k episodes (entry 0 is V = 0's), averaged
// over runs. Run r draws its walks from the PCG stream (seed, r), so every
// td sees the same walks: a fair comparison even with few runs.
func Curve(td NStepTD, runs, episodes int, seed uint64) ([]float64, error) {
	if runs < 1 || episodes < 1 {
		return nil, fmt.Errorf("tabular: need runs ≥ 1 and episodes ≥ 1, got %d and %d", runs, episodes)
	}
	if err := td.Validate(); err != nil {
		return nil, err
	}
	truth := envs.RandomWalkTrueValues()
	curve := make([]float64, episodes+1)
	env := envs.NewRandomWalk()
	for run := range runs {
		V := make([]float64, envs.RandomWalkStates+2)
		rng := rand.New(rand.NewPCG(seed, uint64(run)))
		curve[0] += RMSError(V, 1, truth)
		for ep := 1; ep <= episodes; ep++ {
			if err := td.Episode(env, V, rng, uint64(ep)); err != nil {
				return nil, err
			}
			curve[ep] += RMSError(V, 1, truth)
		}
	}
	for i := range curve {
		curve[i] /= float64(runs)
	}
	return curve, nil
}
