package vpg

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/numtest"
)

// The CPU learner's forward pass (the rollout's) agrees with the compiled
// GoMLX forward pass, for both policy families and the value network: to
// rounding in float64, to float32's precision otherwise. The parameters
// are overwritten with random values after a first pass, which also checks
// that the analysis graph sees the change.
func TestCPUActMatchesGraph(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct {
		space   envs.Space
		float64 bool
		hidden  []int
		tol     float64
	}{
		{discrete3, true, []int{8, 8}, 1e-13},
		{box2, true, []int{8, 8}, 1e-13},
		{discrete3, false, []int{64, 64}, 2e-6},
		{box2, false, []int{64, 64}, 2e-6},
		{box2, false, nil, 2e-6}, // a linear policy
	} {
		name := fmt.Sprintf("%v/float64=%v/hidden=%v", tc.space, tc.float64, tc.hidden)
		m, err := NewModel(ModelConfig{ObsDim: 3, Action: tc.space, Hidden: tc.hidden, LogStdInit: -0.5,
			Seed: 1, Optimizer: Adam, PiLR: 1e-2, VfLR: 1e-2, Float64: tc.float64, Learner: CPULearner})
		if err != nil {
			t.Fatal(err)
		}
		const batch = 16
		pd := m.Policy().ParamDim()
		params, values := make([]float64, batch*pd), make([]float64, batch)
		obs := numtest.Normal(rng, batch*3, 2)
		if err := m.learner.Act(params, values, obs); err != nil {
			t.Fatal(err)
		}
		ps := append(m.PolicyParams(), m.ValueParams()...)
		for i := range ps {
			ps[i].Values = numtest.Normal(rng, len(ps[i].Values), 0.5)
		}
		if err := m.SetParams(ps); err != nil {
			t.Fatal(err)
		}
		wantP, wantV, err := m.Forward(obs, batch)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.learner.Act(params, values, obs); err != nil {
			t.Fatal(err)
		}
		numtest.Slices(t, name+" params", params, wantP, tc.tol)
		numtest.Slices(t, name+" values", values, wantV, tc.tol)
		only := make([]float64, batch)
		if err := m.learner.Act(nil, only, obs); err != nil {
			t.Fatal(err)
		}
		numtest.Slices(t, name+" values alone", only, values, 0)
	}
}

// The rollout's forward pass on the CPU learner allocates nothing.
func TestCPUActDoesNotAllocate(t *testing.T) {
	for _, space := range []envs.Space{discrete3, box2} {
		m := testModel(t, space, false)
		const batch = 16
		params, values := make([]float64, batch*m.Policy().ParamDim()), make([]float64, batch)
		obs := numtest.Normal(rand.New(rand.NewPCG(1, 2)), batch*3, 1)
		if err := m.learner.Act(params, values, obs); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(50, func() {
			if err := m.learner.Act(params, values, obs); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%v: %v allocations per forward pass", space, allocs)
		}
	}
}
