package vpg

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Checks of a decoded checkpoint against the model its config makes, run
// before the model sees any of it: a checkpoint that passes is one that
// Save could have written (see the runaway bounds in diverge.go).

// maxRunMagnitude bounds every number of the saved rollout (observations,
// returns so far): far beyond any classic-control value, and small enough
// that the networks' float32 arithmetic cannot overflow on them.
const maxRunMagnitude = 1e12

// Names of the optimizer variables besides Adam's moments, per scope: the
// step counts of GoMLX's optimizers and of the CPU engines, and the
// learning rate GoMLX keeps in the context.
const (
	adamStepName = "AdamOptimizer/global_step"
	stepName     = "global_step"
	lrName       = "optimizers/learning_rate"
)

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
		if k := nonFinite(p.Values); k >= 0 {
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

// validateOptimizer checks saved optimizer state against the model's
// parameters: only Adam moments (one per parameter, its shape), step
// counts in 0 … maxSteps and learning rates; Adam's moments within the
// runaway bounds. Empty state is allowed only before the first epoch, and
// Adam's state past it must be complete.
func validateOptimizer(got, params []Param, cfg Config, epoch int) error {
	shapeOf := map[string][]int{}
	for _, p := range params {
		shapeOf[p.Name] = p.Shape
	}
	maxSteps := float64(epoch) * float64(max(1, cfg.TrainVIters))
	seen := map[string]bool{}
	moments := map[string]int{} // per scope
	for _, p := range got {
		if seen[p.Name] {
			return fmt.Errorf("optimizer state %s appears twice", p.Name)
		}
		seen[p.Name] = true
		if k := nonFinite(p.Values); k >= 0 {
			return fmt.Errorf("optimizer state %s[%d] = %v, want finite numbers", p.Name, k, p.Values[k])
		}
		scope, name, _ := strings.Cut(strings.TrimPrefix(p.Name, "/"), "/")
		switch {
		case scope == adamScope && cfg.Optimizer == Adam:
			param := "/" + strings.TrimSuffix(strings.TrimSuffix(name, "_1st_moment"), "_2nd_moment")
			shape, ok := shapeOf[param]
			if !ok || param == "/"+name || !slices.Equal(shape, p.Shape) || len(p.Values) != size(shape) {
				return fmt.Errorf("optimizer state %s %v is not an Adam moment of a parameter of this model", p.Name, p.Shape)
			}
			moments[strings.SplitN(name, "/", 2)[0]]++
		case (scope == PolicyScope || scope == ValueScope) && (name == adamStepName || name == stepName):
			if len(p.Values) != 1 || p.Values[0] != math.Trunc(p.Values[0]) || p.Values[0] < 0 || p.Values[0] > maxSteps {
				return fmt.Errorf("optimizer state %s = %v, want one whole number of steps in 0 … %g", p.Name, p.Values, maxSteps)
			}
		case (scope == PolicyScope || scope == ValueScope) && name == lrName:
			if len(p.Values) != 1 || !(p.Values[0] > 0 && p.Values[0] <= MaxLR*(1+1e-6)) {
				return fmt.Errorf("optimizer state %s = %v, want one learning rate in (0, %v]", p.Name, p.Values, MaxLR)
			}
		default:
			return fmt.Errorf("optimizer state %s is not a variable of this model's %s optimizer", p.Name, cfg.Optimizer)
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
	return checkAdam(got)
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
