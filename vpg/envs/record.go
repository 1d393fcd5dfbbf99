package envs

import (
	"math/rand/v2"
)

// Record plays one episode of e from Reset(seed) and returns a drawing of
// every state it visits, the initial one first (Render(e) of each), and the
// undiscounted return. policy maps an observation to an action; nil picks
// actions uniformly at random from a generator seeded with seed (for
// RandomWalk-19 that is the book's random walk). The episode stops at
// termination, at truncation, or after maxSteps steps; maxSteps ≤ 0 means
// e.MaxSteps(). An invalid action from policy panics with *ActionError, as
// Step does. Pass the frames to svg.Animate (package vpg/svg) to get a
// playable episode.
func Record(e Env, policy func(obs []float64) []float64, seed uint64, maxSteps int) (frames []string, ret float64) {
	if maxSteps <= 0 {
		maxSteps = e.MaxSteps()
	}
	if policy == nil {
		policy = randomPolicy(e.ActionSpace(), seed)
	}
	obs := e.Reset(seed)
	frames = append(frames, Render(e))
	for range maxSteps {
		var r float64
		var term, trunc bool
		obs, r, term, trunc = e.Step(policy(obs))
		ret += r
		frames = append(frames, Render(e))
		if term || trunc {
			break
		}
	}
	return frames, ret
}

// randomPolicy returns a policy that ignores the observation and draws
// actions uniformly from s.
func randomPolicy(s Space, seed uint64) func([]float64) []float64 {
	rng := rand.New(rand.NewPCG(seed, rngStream+1))
	return func([]float64) []float64 {
		a := make([]float64, s.Dim())
		if s.Discrete() {
			a[0] = float64(rng.IntN(s.N))
			return a
		}
		for i := range a {
			a[i] = uniform(rng, s.Low[i], s.High[i])
		}
		return a
	}
}
