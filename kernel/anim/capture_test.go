package anim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/nb"
	"github.com/govpg/govpg/vpg"
)

func smallTrainer(t *testing.T, env string) *vpg.Trainer {
	t.Helper()
	cfg := vpg.Preset(env)
	cfg.StepsPerEpoch, cfg.NumEnvs, cfg.TrainVIters = 400, 2, 2
	tr, err := vpg.NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestCaptureCredit(t *testing.T) {
	tr := smallTrainer(t, "CartPole-v1")
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	c, err := CaptureCredit(tr, b, "w", 500)
	if err != nil {
		t.Fatal(err)
	}
	n := c.End - c.Start
	if len(c.Credit.Frames) != n || n == 0 {
		t.Fatalf("%d frames for an episode of %d steps", len(c.Credit.Frames), n)
	}
	if !strings.Contains(c.Credit.Frames[n-1], fmt.Sprintf(">t = %d<", n-1)) {
		t.Errorf("the last frame is not labelled t = %d", n-1)
	}
	// CartPole pays 1 per step and the episode terminated: R_t = Σ_{k<n−t} γ^k =
	// (1 − γ^{n−t})/(1 − γ), and R(τ) = R_0 at every step.
	g := tr.Config().Gamma
	for k := range n {
		want := (1 - math.Pow(g, float64(n-k))) / (1 - g)
		if got := c.Credit.Rows[1].Values[k]; math.Abs(got-want) > 1e-9 {
			t.Fatalf("R_%d = %v, want %v", k, got, want)
		}
		if got, want := c.Credit.Rows[0].Values[k], (1-math.Pow(g, float64(n)))/(1-g); math.Abs(got-want) > 1e-9 {
			t.Fatalf("R(τ) at step %d = %v, want %v", k, got, want)
		}
		if c.Credit.Rows[2].Values[k] != b.Weights[c.Start+k] {
			t.Fatalf("weight row at step %d = %v, want b.Weights = %v", k, c.Credit.Rows[2].Values[k], b.Weights[c.Start+k])
		}
	}
	if _, err := tr.Update(b); err != nil {
		t.Fatal(err)
	}
	if err := c.Measure(tr); err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, d := range c.Credit.Delta {
		if d != 0 {
			changed++
		}
	}
	if len(c.Credit.Delta) != n || changed == 0 {
		t.Errorf("Delta has %d values, %d non-zero; want %d values, changed by the update", len(c.Credit.Delta), changed, n)
	}
	if _, err := CaptureCredit(tr, b, "w", 0); err == nil || !strings.Contains(err.Error(), "within 0 steps") {
		t.Errorf("maxSteps 0: error %v, want one saying no episode fits", err)
	}
}

func TestGrids(t *testing.T) {
	tr := smallTrainer(t, "CartPole-v1")
	thetas, dots := nb.Grid(-0.2, 0.2, 3), nb.Grid(-1, 1, 2)
	pi, v, err := CartPoleGrid(tr, thetas, dots)
	if err != nil {
		t.Fatal(err)
	}
	// Cell (i, j) is the state (0, 0, thetas[j], dots[i]).
	probs, _ := tr.Probs([]float64{0, 0, thetas[2], dots[1]})
	vals, _ := tr.Values([]float64{0, 0, thetas[2], dots[1]})
	if len(pi) != 2 || len(pi[0]) != 3 || pi[1][2] != probs[1] || v[1][2] != vals[0] {
		t.Errorf("grid %v / %v: cell (1, 2) = %v, %v; want π(right) %v, V %v", pi, v, pi[1][2], v[1][2], probs[1], vals[0])
	}

	pt := smallTrainer(t, "Pendulum-v1")
	mu, _, err := PendulumGrid(pt, []float64{math.Pi / 2}, []float64{3})
	if err != nil {
		t.Fatal(err)
	}
	params, _ := pt.Probs([]float64{0, 1, 3}) // cos, sin of π/2
	if math.Abs(mu[0][0]-params[0]) > 1e-6 {  // cos(π/2) is 6e-17, not 0
		t.Errorf("μ(π/2, 3) = %v, want %v", mu[0][0], params[0])
	}
}
