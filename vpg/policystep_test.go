package vpg

import (
	"math"
	"strings"
	"testing"
)

// The categorical policy step on π's CPU engine agrees with the compiled
// graph (GoMLX autodiff and its optimizer): the epoch's policy loss,
// entropy, KL and Δloss, the policy parameters, and for Adam its state,
// under the names GoMLX uses, so that checkpoints hold it either way.
func TestPolicyStepPaths(t *testing.T) {
	for _, opt := range []string{Adam, SGD} {
		t.Run(opt, func(t *testing.T) {
			c := smallConfig()
			c.Optimizer, c.Hidden, c.StepsPerEpoch = opt, []int{32, 32}, 800
			cpu, graph := newTrainer(t, c), newTrainer(t, c)
			if _, ok := cpu.model.piStep.(*cpuPolicyStep); !ok {
				t.Skip("the backend is not pure Go: the trainer uses the graph")
			}
			graph.model.piStep, graph.model.piEval = graph.model.piStepGraph, graph.model.piEvalGraph
			batch, err := graph.Collect()
			if err != nil {
				t.Fatal(err)
			}
			grad, err := graph.PolicyGradient(batch, batch.Weights) // ĝ before the step
			if err != nil {
				t.Fatal(err)
			}
			b, err := graph.Update(batch)
			if err != nil {
				t.Fatal(err)
			}
			a, err := cpu.RunEpoch()
			if err != nil {
				t.Fatal(err)
			}
			var gMax float64
			for _, g := range grad {
				gMax = max(gMax, math.Abs(g))
			}
			for _, m := range []struct {
				name      string
				cpu, want float64
				tol       float64
			}{
				{"PiLoss", a.PiLoss, b.PiLoss, 1e-5},
				{"Entropy", a.Entropy, b.Entropy, 1e-5},
				{"DeltaPiLoss", a.DeltaPiLoss, b.DeltaPiLoss, 1e-4},
				{"KL", a.KL, b.KL, 1e-4},
			} {
				if d := math.Abs(m.cpu - m.want); d > m.tol*(math.Abs(m.want)+1e-3) {
					t.Errorf("%s: CPU engine %v, graph %v", m.name, m.cpu, m.want)
				}
			}
			if b.KL == 0 || b.DeltaPiLoss == 0 {
				t.Fatalf("the graph's step did not move π (KL %v, Δloss %v)", b.KL, b.DeltaPiLoss)
			}
			// Adam's first step is α·ĝ/(|ĝ| + ε) per entry: where ĝ is within
			// float32 rounding of 0, either engine's rounding decides it, so
			// there only the bound α holds.
			pa, pb := cpu.model.PolicyParams(), graph.model.PolicyParams()
			k := 0
			for i := range pb {
				for j, want := range pb[i].Values {
					tol := 1e-5*math.Abs(want) + 1e-3*c.PiLR
					if opt == Adam && math.Abs(grad[k]) < 1e-3*gMax {
						tol = 2 * c.PiLR
					}
					if d := math.Abs(pa[i].Values[j] - want); d > tol {
						t.Fatalf("%s[%d]: CPU engine %v, graph %v (ĝ %v, largest %v)", pb[i].Name, j, pa[i].Values[j], want, grad[k], gMax)
					}
					k++
				}
			}
			checkAdamState(t, PolicyScope, cpu.model, graph.model, opt == Adam)
		})
	}
}

// A bad action reaches the CPU step as an error naming it, not a panic.
func TestPolicyStepBadAction(t *testing.T) {
	tr := newTrainer(t, smallConfig())
	if _, ok := tr.model.piStep.(*cpuPolicyStep); !ok {
		t.Skip("the backend is not pure Go: the trainer uses the graph")
	}
	tr.fillObs(tr.obsB, make([]float64, tr.obsB.Shape().Size()))
	act := make([]float64, tr.actB.Shape().Size())
	act[3] = 2 // CartPole has actions 0 and 1
	fill(tr.actB, act)
	_, err := tr.model.piStep.Exec(tr.obsB, tr.actB, tr.wB)
	if err == nil || !strings.Contains(err.Error(), "action 3 is 2") {
		t.Fatalf("error %v, want one naming action 3", err)
	}
}
