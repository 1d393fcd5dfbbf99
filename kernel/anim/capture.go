package anim

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/pg"
)

// CreditCapture is an episode of a collected batch, kept across the policy update
// so that the change of log π(a_t|s_t) can be measured.
type CreditCapture struct {
	Credit           Credit
	Start, End       int       // the episode's steps [Start, End) in the batch
	obs, act, before []float64 // the episode's (scaled) observations and actions, log π before the update
	batch            *vpg.Batch
}

// CaptureCredit picks the longest episode of b (collected by t, before t.Update)
// that starts and terminates inside the batch and lasts at most maxSteps steps, and
// records its drawings and three rows: R(τ) (pg.FullReturnPsi), R_t
// (pg.FutureReturnPsi), and b.Weights as they are, named weightsName (the weights
// the update will use). The drawings come from setting the environment's state to
// each observation, so the environment's observation must be its state (CartPole).
// Call Measure after t.Update(b) to fill Credit.Delta.
func CaptureCredit(t *vpg.Trainer, b *vpg.Batch, weightsName string, maxSteps int) (*CreditCapture, error) {
	seg, ok := longestEpisode(b, maxSteps)
	if !ok {
		return nil, fmt.Errorf("anim: no episode of the batch starts and terminates inside it within %d steps; collect a larger batch or allow more steps", maxSteps)
	}
	full, err := t.Psi(b, pg.FullReturnPsi)
	if err != nil {
		return nil, err
	}
	future, err := t.Psi(b, pg.FutureReturnPsi)
	if err != nil {
		return nil, err
	}
	s, e, dim := seg.Start, seg.End, b.ObsDim
	frames, err := stateFrames(t.Config().Env, b.Obs[s*dim:e*dim], dim)
	if err != nil {
		return nil, err
	}
	c := &CreditCapture{
		Credit: Credit{Frames: frames, Rows: []Row{
			{Name: "R(τ)", Values: full[s:e]},
			{Name: "Rₜ", Values: future[s:e]},
			{Name: weightsName, Values: append([]float64(nil), b.Weights[s:e]...)},
		}},
		Start: s, End: e,
		obs:   scaled(b.Obs[s*dim:e*dim], t.Config().ObsScale, dim),
		act:   append([]float64(nil), b.Act[s*b.ActDim:e*b.ActDim]...),
		batch: b,
	}
	c.before, err = t.Model().LogProb(c.obs, c.act, e-s)
	return c, err
}

// Measure sets Credit.Delta to log π(a_t|s_t) now minus at capture: call it after
// the update.
func (c *CreditCapture) Measure(t *vpg.Trainer) error {
	after, err := t.Model().LogProb(c.obs, c.act, c.End-c.Start)
	if err != nil {
		return err
	}
	c.Credit.Delta = make([]float64, len(after))
	for i := range after {
		c.Credit.Delta[i] = after[i] - c.before[i]
	}
	return nil
}

// longestEpisode is the longest segment of b that is a whole terminated episode
// of at most maxSteps steps.
func longestEpisode(b *vpg.Batch, maxSteps int) (vpg.Segment, bool) {
	var best vpg.Segment
	found := false
	for _, s := range b.Segments {
		n := s.End - s.Start
		if s.PastLen == 0 && s.Terminated && n <= maxSteps && (!found || n > best.End-best.Start) {
			best, found = s, true
		}
	}
	return best, found
}

// stateFrames draws each observation (rows of dim) of environment id as the
// state of a fresh environment, labelled with its step number.
func stateFrames(id string, obs []float64, dim int) ([]string, error) {
	env, err := envs.Make(id)
	if err != nil {
		return nil, err
	}
	if n := len(env.State()); n != dim {
		return nil, fmt.Errorf("anim: %s's observation (%d numbers) is not its state (%d numbers); the frames are drawn from states", id, dim, n)
	}
	const zero = ">t = 0<" // the step label SetState resets
	var frames []string
	for k := 0; k*dim < len(obs); k++ {
		if err := env.SetState(obs[k*dim : (k+1)*dim]); err != nil {
			return nil, err
		}
		f := envs.Render(env)
		if !strings.Contains(f, zero) {
			return nil, fmt.Errorf("anim: %s's drawing has no step label %q to number", id, zero)
		}
		frames = append(frames, strings.Replace(f, zero, ">t = "+strconv.Itoa(k)+"<", 1))
	}
	return frames, nil
}

// scaled returns obs (rows of dim) multiplied by scale per dimension, as the
// trainer feeds its model (a copy; nil scale: unchanged).
func scaled(obs, scale []float64, dim int) []float64 {
	out := append([]float64(nil), obs...)
	if len(scale) == 0 {
		return out
	}
	for i := range out {
		out[i] *= scale[i%dim]
	}
	return out
}

// CartPoleGrid evaluates a CartPole trainer's π(push right | s) and V(s) at the
// states s = (x, ẋ, θ, θ̇) = (0, 0, θ, θ̇), θ over thetas (columns) and θ̇ over
// thetaDots (rows): pi[i][j] and v[i][j] are at θ = thetas[j], θ̇ = thetaDots[i].
func CartPoleGrid(t *vpg.Trainer, thetas, thetaDots []float64) (pi, v [][]float64, err error) {
	return grid(t, thetas, thetaDots, 2, func(th, thd float64) []float64 { return []float64{0, 0, th, thd} }, 1)
}

// PendulumGrid evaluates a Pendulum trainer's mean action μ(s) and V(s) at the
// states of angle θ (from upright) over thetas (columns) and angular velocity θ̇
// over thetaDots (rows), observed as (cos θ, sin θ, θ̇).
func PendulumGrid(t *vpg.Trainer, thetas, thetaDots []float64) (mu, v [][]float64, err error) {
	return grid(t, thetas, thetaDots, 2, func(th, thd float64) []float64 { return []float64{math.Cos(th), math.Sin(th), thd} }, 0)
}

// grid evaluates column col of Trainer.Probs (rows of paramDim) and Values at
// obs(x, y) for every grid point.
func grid(t *vpg.Trainer, xs, ys []float64, paramDim int, obs func(x, y float64) []float64, col int) (p, v [][]float64, err error) {
	var all []float64
	for _, y := range ys {
		for _, x := range xs {
			all = append(all, obs(x, y)...)
		}
	}
	probs, err := t.Probs(all)
	if err != nil {
		return nil, nil, err
	}
	vals, err := t.Values(all)
	if err != nil {
		return nil, nil, err
	}
	if len(probs) != paramDim*len(vals) {
		return nil, nil, fmt.Errorf("anim: %s's policy gives %d numbers per state, want %d", t.Config().Env, len(probs)/len(vals), paramDim)
	}
	n := len(xs)
	for i := range ys {
		prow, vrow := make([]float64, n), make([]float64, n)
		for j := range xs {
			prow[j] = probs[(i*n+j)*paramDim+col]
			vrow[j] = vals[i*n+j]
		}
		p, v = append(p, prow), append(v, vrow)
	}
	return p, v, nil
}

// Agreement is the fraction of grid points where the policy's more likely action,
// push right when pi[i][j] > 0.5, is the one rule(xs[j], ys[i]) picks (true: right).
func Agreement(pi [][]float64, xs, ys []float64, rule func(x, y float64) bool) float64 {
	agree, n := 0, 0
	for i, row := range pi {
		for j, p := range row {
			if (p > 0.5) == rule(xs[j], ys[i]) {
				agree++
			}
			n++
		}
	}
	return float64(agree) / float64(n)
}
