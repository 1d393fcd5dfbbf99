package vpg

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// learnerPair returns two trainers of config c, one per learner, which
// start from the same parameters, and a batch collected by the first.
func learnerPair(t *testing.T, c Config) (cpu, graph *Trainer, b *Batch) {
	t.Helper()
	c.Learner = CPULearner
	cpu = newTrainer(t, c)
	c.Learner = GraphLearner
	graph = newTrainer(t, c)
	b, err := cpu.Collect()
	if err != nil {
		t.Fatal(err)
	}
	return cpu, graph, b
}

// The CPU learner (nn.Engine for the networks, GoMLX for the objective's
// gradient with respect to their outputs) and the graph learner (all
// GoMLX: the graph XLA runs) take the same policy and value steps: the
// same objective, entropy, KL and value losses, the same parameters and
// the same Adam state, within float32 rounding, for both policy families
// and both optimizers.
func TestLearnersAgree(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		for _, opt := range []string{Adam, SGD} {
			t.Run(fmt.Sprintf("%s/%s", env, opt), func(t *testing.T) {
				c := Preset(env)
				c.Optimizer, c.Hidden, c.StepsPerEpoch, c.NumEnvs, c.TrainVIters = opt, []int{32, 32}, 800, 4, 10
				cpu, graph, b := learnerPair(t, c)
				s := &PolicySample{Obs: cpu.scaleInto(make([]float64, len(b.Obs)), b.Obs), Act: b.Act, Psi: b.Weights, OldLogP: b.LogProb}
				grad, err := cpu.PolicyGradient(b, b.Weights) // ĝ before the step
				if err != nil {
					t.Fatal(err)
				}
				var stats [2][2]PolicyStats
				var vl [2][]float64
				for i, tr := range []*Trainer{cpu, graph} {
					l := tr.model.learner
					if stats[i][0], err = l.PolicyStep(s, nil, c.PiLR); err != nil {
						t.Fatal(err)
					}
					if stats[i][1], err = l.PolicyEval(s, nil); err != nil {
						t.Fatal(err)
					}
					if vl[i], err = l.ValueFit(s.Obs, b.Returns, c.TrainVIters, c.VfLR); err != nil {
						t.Fatal(err)
					}
				}
				for k, when := range []string{"before", "after"} {
					a, g := stats[0][k], stats[1][k]
					for _, m := range []struct {
						name      string
						cpu, want float64
					}{{"loss", a.Loss, g.Loss}, {"entropy", a.Entropy, g.Entropy}, {"KL", a.KL, g.KL}} {
						if d := math.Abs(m.cpu - m.want); d > 1e-4*(math.Abs(m.want)+1e-3) {
							t.Errorf("%s the step, %s: CPU learner %v, graph learner %v", when, m.name, m.cpu, m.want)
						}
					}
				}
				if stats[1][1].KL == 0 || stats[1][1].Loss == stats[1][0].Loss {
					t.Fatalf("the graph learner's step did not move π: %+v", stats[1])
				}
				for i, want := range vl[1] {
					if d := math.Abs(vl[0][i] - want); d > 1e-4*want {
						t.Fatalf("value loss %d: CPU learner %v, graph learner %v", i, vl[0][i], want)
					}
				}
				if vl[1][c.TrainVIters] >= vl[1][0] {
					t.Fatalf("the value loss did not decrease: %v", vl[1])
				}
				// Adam's first step is α·ĝ/(|ĝ| + ε) per entry: where ĝ is
				// within float32 rounding of 0, either rounding decides it, so
				// there only the bound α holds.
				var gMax float64
				for _, g := range grad {
					gMax = max(gMax, math.Abs(g))
				}
				pa, pb := cpu.model.learner.Params(), graph.model.learner.Params()
				k := 0
				for i := range pb {
					lr, isPi := c.VfLR, strings.HasPrefix(pb[i].Name, "/"+PolicyScope+"/")
					if isPi {
						lr = c.PiLR
					}
					for j, want := range pb[i].Values {
						tol := 1e-5*math.Abs(want) + 1e-3*lr
						if opt == Adam && isPi && math.Abs(grad[k]) < 1e-3*gMax {
							tol = 2 * lr
						}
						if d := math.Abs(pa[i].Values[j] - want); d > tol {
							t.Fatalf("%s[%d]: CPU learner %v, graph learner %v", pb[i].Name, j, pa[i].Values[j], want)
						}
						if isPi {
							k++
						}
					}
				}
				checkAdamState(t, cpu.model, graph.model, opt == Adam)
			})
		}
	}
}

// checkAdamState compares the CPU learner's optimizer state with the graph
// learner's (GoMLX's Adam, renamed by cpuAdamNames): the same tensors, values
// within float32 rounding.
func checkAdamState(t *testing.T, cpu, graph *Model, adam bool) {
	t.Helper()
	sa, sb := cpu.OptimizerState(), cpuAdamNames(graph.OptimizerState())
	want := 0
	if adam {
		want = 2 + 2*len(cpu.learner.Params()) // a step per network, two moments per tensor
	}
	if len(sa) != want || len(sb) != want {
		t.Fatalf("optimizer state: %d tensors on the CPU learner, %d on the graph learner; want %d", len(sa), len(sb), want)
	}
	byName := map[string]Param{}
	for _, p := range sb {
		byName[p.Name] = p
	}
	for _, p := range sa {
		q, ok := byName[p.Name]
		if !ok {
			t.Fatalf("optimizer state %q of the CPU learner has no counterpart in the graph learner's", p.Name)
		}
		for j, want := range q.Values {
			if d := math.Abs(p.Values[j] - want); d > 1e-3*math.Abs(want)+1e-9 {
				t.Fatalf("%s[%d]: CPU learner %v, graph learner %v", p.Name, j, p.Values[j], want)
			}
		}
	}
}

// A bad action reaches a policy step as an error naming it, not a panic.
func TestPolicyStepBadAction(t *testing.T) {
	for _, kind := range []string{CPULearner, GraphLearner} {
		c := smallConfig()
		c.Learner = kind
		tr := newTrainer(t, c)
		n := 8
		act := make([]float64, n)
		act[3] = 2 // CartPole has actions 0 and 1
		s := &PolicySample{Obs: make([]float64, n*4), Act: act, Psi: make([]float64, n), OldLogP: make([]float64, n)}
		_, err := tr.model.learner.PolicyStep(s, nil, c.PiLR)
		if err == nil || !strings.Contains(err.Error(), "action 3 is 2") {
			t.Fatalf("%s learner: error %v, want one naming action 3", kind, err)
		}
	}
}
