package vpg

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/govpg/govpg/vpg/pg"
)

// Checks of a decoded checkpoint against the model its config makes, run
// before the model sees any of it: a checkpoint that passes is one that
// Save could have written (see the runaway bounds in diverge.go).

// maxRunMagnitude bounds every number of the saved rollout (observations,
// returns so far): far beyond any classic-control value, and small enough
// that the networks' float32 arithmetic cannot overflow on them.
const maxRunMagnitude = 1e12

// What a name of a learner's optimizer state stands for (see
// Learner.OptimizerState).
const (
	unknownVar   = iota
	firstMoment  // Adam's m of one parameter tensor
	secondMoment // Adam's v
	stepCount    // the optimizer steps of one network
	globalStep   // the graph learner's steps of both networks
	learningRate // the graph learner's rate, set before each step
)

// Names of GoMLX v0.28's optimizer variables, which the graph learner saves
// as GoMLX makes them: the moments "/AdamOptimizer/<net>/<param>_1st_moment"
// (and _2nd_), "/<net>/AdamOptimizer/step", "/global_step" and
// "/<net>/optimizers/learning_rate". The CPU learner's are in cpulearner.go
// (adamName).
const (
	gomlxAdam       = "AdamOptimizer"
	gomlxStep       = gomlxAdam + "/step"
	gomlxGlobalStep = "global_step"
	gomlxLR         = "optimizers/learning_rate"
)

// optVar is what name means in learner's optimizer state: one of the kinds
// above, the network's scope, and for a moment the parameter it belongs to.
func optVar(learner, name string) (kind int, scope, param string) {
	scope, rest, _ := strings.Cut(strings.TrimPrefix(name, "/"), "/")
	net := scope == PolicyScope || scope == ValueScope
	switch {
	case learner == CPULearner && net:
		which, rel, _ := strings.Cut(strings.TrimPrefix(rest, adamName+"/"), "/")
		switch {
		case rest == adamName+"/step":
			return stepCount, scope, ""
		case !strings.HasPrefix(rest, adamName+"/") || rel == "":
		case which == "m":
			return firstMoment, scope, "/" + scope + "/" + rel
		case which == "v":
			return secondMoment, scope, "/" + scope + "/" + rel
		}
	case learner == GraphLearner && scope == gomlxAdam:
		net, rel, _ := strings.Cut(rest, "/")
		if net != PolicyScope && net != ValueScope {
			break
		}
		if p, ok := strings.CutSuffix(rel, "_1st_moment"); ok && p != "" {
			return firstMoment, net, "/" + net + "/" + p
		}
		if p, ok := strings.CutSuffix(rel, "_2nd_moment"); ok && p != "" {
			return secondMoment, net, "/" + net + "/" + p
		}
	case learner == GraphLearner && scope == gomlxGlobalStep && rest == "":
		return globalStep, "", ""
	case learner == GraphLearner && net && rest == gomlxStep:
		return stepCount, scope, ""
	case learner == GraphLearner && net && rest == gomlxLR:
		return learningRate, scope, ""
	}
	return unknownVar, "", ""
}

// validateParams checks saved parameters against want (the model's, in
// order): the same names and shapes, finite, each network's norm within
// MaxParamNorm.
func validateParams(got, want []Param) error {
	if len(got) != len(want) {
		return fmt.Errorf("it has %d parameter tensors, the model has %d", len(got), len(want))
	}
	norms := map[string]float64{}
	for i, p := range got {
		w := want[i]
		if p.Name != w.Name || !slices.Equal(p.Shape, w.Shape) || len(p.Values) != len(w.Values) {
			return fmt.Errorf("parameter %d is %s %v with %d values, the model's is %s %v", i, p.Name, p.Shape, len(p.Values), w.Name, w.Shape)
		}
		if k := pg.NonFinite(p.Values); k >= 0 {
			return fmt.Errorf("parameter %s[%d] = %v, want finite numbers", p.Name, k, p.Values[k])
		}
		scope, _, _ := strings.Cut(strings.TrimPrefix(p.Name, "/"), "/")
		norms[scope] += paramNorm([]Param{p}) * paramNorm([]Param{p})
	}
	for scope, sq := range norms {
		if n := math.Sqrt(sq); n > MaxParamNorm {
			return fmt.Errorf("the parameters under /%s have norm %.3g, beyond %g (a run that far has diverged)", scope, n, MaxParamNorm)
		}
	}
	return nil
}

// validateOptimizer checks saved optimizer state, in the names of learner,
// against the model's parameters: only Adam moments (one per parameter,
// its shape), step counts in 0 … the steps taken by epoch and learning
// rates; Adam's moments within the runaway bounds. Empty state is allowed
// only before the first epoch, and Adam's state past it must be complete.
func validateOptimizer(got, params []Param, cfg Config, epoch int, learner string) error {
	shapeOf := map[string][]int{}
	for _, p := range params {
		shapeOf[p.Name] = p.Shape
	}
	piSteps, vSteps := float64(epoch), float64(epoch)*float64(cfg.TrainVIters)
	if cfg.Algo == PPO { // one π and one V step per minibatch, fewer after an early stop
		piSteps = float64(epoch) * float64(cfg.UpdateEpochs) * float64(cfg.Minibatches)
		vSteps = piSteps
	}
	maxSteps := map[string]float64{PolicyScope: piSteps, ValueScope: vSteps, "": piSteps + vSteps}
	seen := map[string]bool{}
	moments := map[string]int{} // per scope
	for _, p := range got {
		if seen[p.Name] {
			return fmt.Errorf("optimizer state %s appears twice", p.Name)
		}
		seen[p.Name] = true
		if k := pg.NonFinite(p.Values); k >= 0 {
			return fmt.Errorf("optimizer state %s[%d] = %v, want finite numbers", p.Name, k, p.Values[k])
		}
		kind, scope, param := optVar(learner, p.Name)
		adam := cfg.Optimizer == Adam
		switch {
		case (kind == firstMoment || kind == secondMoment) && adam:
			shape, ok := shapeOf[param]
			if !ok || !slices.Equal(shape, p.Shape) || len(p.Values) != size(shape) {
				return fmt.Errorf("optimizer state %s %v is not an Adam moment of a parameter of this model", p.Name, p.Shape)
			}
			moments[scope]++
		case kind == stepCount && adam, kind == globalStep:
			if n := maxSteps[scope]; len(p.Values) != 1 || p.Values[0] != math.Trunc(p.Values[0]) || p.Values[0] < 0 || p.Values[0] > n {
				return fmt.Errorf("optimizer state %s = %v, want one whole number of steps in 0 … %g", p.Name, p.Values, n)
			}
		case kind == learningRate:
			if len(p.Values) != 1 || !(p.Values[0] > 0 && p.Values[0] <= MaxLR*(1+1e-6)) {
				return fmt.Errorf("optimizer state %s = %v, want one learning rate in (0, %v]", p.Name, p.Values, MaxLR)
			}
		default:
			return fmt.Errorf("optimizer state %s is not a variable of this model's %s optimizer on the %s learner", p.Name, cfg.Optimizer, learner)
		}
	}
	if len(got) == 0 && epoch > 0 && cfg.Optimizer == Adam {
		return fmt.Errorf("it is at epoch %d but holds no optimizer state (Adam's moments are needed to continue exactly)", epoch)
	}
	if cfg.Optimizer == Adam && epoch > 0 {
		want := map[string]int{}
		for _, p := range params {
			scope, _, _ := strings.Cut(strings.TrimPrefix(p.Name, "/"), "/")
			want[scope] += 2
		}
		// V's moments may be missing where V never stepped.
		vOK := moments[ValueScope] == want[ValueScope] || cfg.TrainVIters == 0 && moments[ValueScope] == 0
		if moments[PolicyScope] != want[PolicyScope] || !vOK {
			return fmt.Errorf("its Adam state has %d moment tensors for π and %d for V, want %d and %d (two per parameter tensor)",
				moments[PolicyScope], moments[ValueScope], want[PolicyScope], want[ValueScope])
		}
	}
	return checkAdam(learner, got)
}

// validateRun checks the saved rollout: present, and every number in range.
func validateRun(r *runState) error {
	if r == nil {
		return fmt.Errorf("it holds no rollout state (\"run\"), which a run needs to continue exactly")
	}
	for _, f := range []struct {
		name string
		xs   []float64
	}{{"obs", r.Obs}, {"ep_return", r.EpReturn}, {"past", r.Past}} {
		for i, x := range f.xs {
			if !(math.Abs(x) <= maxRunMagnitude) {
				return fmt.Errorf("its rollout state %s[%d] = %v, want a number in [−%g, %g]", f.name, i, x, maxRunMagnitude, maxRunMagnitude)
			}
		}
	}
	return nil
}

func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}
