package vpg

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/numtest"
	"github.com/govpg/govpg/vpg/pg"
)

func testModel(t *testing.T, act envs.Space, float64s bool) *Model {
	t.Helper()
	m, err := NewModel(ModelConfig{ObsDim: 3, Action: act, Hidden: []int{8, 8}, LogStdInit: -0.5,
		Seed: 1, Optimizer: Adam, PiLR: 1e-2, VfLR: 1e-2, Float64: float64s})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

var (
	discrete3 = envs.Space{N: 3}
	box2      = envs.Space{Low: []float64{-2, -2}, High: []float64{2, 2}}
)

// The graph's log π agrees with the slice formulas: log-softmax rows for a
// categorical policy, the tutorial's diagonal-Gaussian formula for a Gaussian.
func TestLogProbMatchesSliceMath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	obs := numtest.Normal(rng, 4*3, 1)
	for _, space := range []envs.Space{discrete3, box2} {
		m := testModel(t, space, true)
		params, _, err := m.Forward(obs, 4)
		if err != nil {
			t.Fatal(err)
		}
		pd, ad := m.Policy().ParamDim(), m.Policy().ActDim()
		act := make([]float64, 4*ad)
		for b := range 4 {
			m.Policy().Sample(params[b*pd:(b+1)*pd], rng, false, act[b*ad:(b+1)*ad])
		}
		logp, err := m.LogProb(obs, act, 4)
		if err != nil {
			t.Fatal(err)
		}
		for b := range 4 {
			row := params[b*pd : (b+1)*pd]
			var want float64
			if space.Discrete() {
				want = row[int(act[b])]
				sum := 0.0
				for _, l := range row {
					sum += math.Exp(l)
				}
				if !numtest.Near(sum, 1, 1e-12) {
					t.Errorf("Σπ = %v, want 1", sum)
				}
			} else {
				want = pg.DiagGaussianLogProb(act[b*ad:(b+1)*ad], row[:ad], row[ad:])
				if !numtest.Near(row[ad], -0.5, 1e-12) {
					t.Errorf("initial log σ = %v, want -0.5", row[ad])
				}
			}
			if !numtest.Near(logp[b], want, 1e-10) {
				t.Errorf("%v: log π[%d] = %v, want %v", space, b, logp[b], want)
			}
		}
	}
}

// Autodiff ∇θ log π equals central finite differences (float64 model).
func TestLogProbGradFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	obs := numtest.Normal(rng, 2*3, 1)
	for _, space := range []envs.Space{discrete3, box2} {
		m := testModel(t, space, true)
		act := []float64{0, 2}
		if !space.Discrete() {
			act = numtest.Normal(rng, 4, 1)
		}
		_, grads, err := m.LogProbGrad(obs, act, 2)
		if err != nil {
			t.Fatal(err)
		}
		const h = 1e-6
		f := func(ps []Param) float64 {
			if err := m.SetParams(ps); err != nil {
				t.Fatal(err)
			}
			logp, err := m.LogProb(obs, act, 2)
			if err != nil {
				t.Fatal(err)
			}
			return logp[0] + logp[1]
		}
		base := m.PolicyParams()
		for gi, g := range grads {
			for _, i := range rng.Perm(len(g.Values))[:min(6, len(g.Values))] {
				orig := base[gi].Values[i]
				base[gi].Values[i] = orig + h
				up := f(base)
				base[gi].Values[i] = orig - h
				down := f(base)
				base[gi].Values[i] = orig
				fd := (up - down) / (2 * h)
				if math.Abs(fd-g.Values[i]) > 1e-6*(1+math.Abs(fd)) {
					t.Errorf("%v %s[%d]: autodiff %v, finite difference %v", space, g.Name, i, g.Values[i], fd)
				}
			}
		}
		f(base)
	}
}

func TestSetParamsErrors(t *testing.T) {
	m := testModel(t, discrete3, false)
	ps := m.PolicyParams()
	bad := []Param{{Name: "/pi/nope", Shape: []int{1}, Values: []float64{0}}}
	if err := m.SetParams(bad); err == nil {
		t.Error("unknown parameter accepted")
	}
	ps[0].Shape = []int{1, 2}
	if err := m.SetParams(ps[:1]); err == nil {
		t.Error("wrong shape accepted")
	}
	if _, _, err := m.Forward([]float64{1, 2}, 1); err == nil {
		t.Error("short observation accepted")
	}
}
