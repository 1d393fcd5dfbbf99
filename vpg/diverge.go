package vpg

import (
	"fmt"
	"math"

	"github.com/govpg/govpg/vpg/pg"
)

// DivergenceError reports the first sign that a training run ran away: a
// loss, a parameter or a sampled action became NaN or ±Inf, or a quantity
// left the bounds below while still finite. Training cannot go on from
// there; resume from the last checkpoint with a smaller learning rate.
type DivergenceError struct {
	Epoch int    // the epoch in which it happened (0-based)
	What  string // the quantity and what is wrong, e.g. "the policy loss (NaN) is not finite"
	Hint  string // what to change
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("vpg: training diverged in epoch %d: %s; %s", e.Epoch, e.What, e.Hint)
}

// Bounds beyond which a run counts as diverged although every number is
// still finite (Adam keeps its steps finite while the parameters run away).
// A checkpoint must lie within them too (see validate.go).
const (
	// MaxParamNorm bounds the Euclidean norm of π's and of V's parameters
	// (each); a fresh 1024×1024 network has a norm of about 30.
	MaxParamNorm = 1e6
	// MaxValueLossRatio bounds V's loss relative to its targets' mean
	// square plus 1: predicting 0 everywhere scores 1, so a V a thousand
	// times further off than its targets are large has run away.
	MaxValueLossRatio = 1e6
	// MaxAdamMoment bounds |m| (Adam's first moment, a mean gradient) and
	// MaxAdamMoment² Adam's second moment v, a mean squared gradient
	// (float32 overflows at 3.4e38).
	MaxAdamMoment = 1e15
)

// Bounds returns the runaway bounds in words, for help texts.
func Bounds() string {
	return fmt.Sprintf("|θ| and |φ| ≤ %g; V's loss ≤ %g × (mean R̂² + 1); Adam |m| ≤ %g, v ≤ %g; learning rates ≤ %g",
		MaxParamNorm, MaxValueLossRatio, float64(MaxAdamMoment), float64(MaxAdamMoment)*MaxAdamMoment, float64(MaxLR))
}

func (t *Trainer) lrHint() string {
	return fmt.Sprintf("try a smaller learning rate (PiLR = %g, VfLR = %g)", t.cfg.PiLR, t.cfg.VfLR)
}

// checkDiverged looks for the first non-finite loss or parameter after an update.
func (t *Trainer) checkDiverged(m EpochMetrics) error {
	names := []string{"the policy loss", "the policy loss after the step", "the entropy", "the KL divergence"}
	vals := []float64{m.PiLoss, m.PiLoss + m.DeltaPiLoss, m.Entropy, m.KL}
	if k := pg.NonFinite(vals); k >= 0 {
		return t.diverged("%s (%v) is not finite", names[k], vals[k])
	}
	if k := pg.NonFinite(m.ValueLosses); k >= 0 {
		return t.diverged("the value loss at value step %d (%v) is not finite", k, m.ValueLosses[k])
	}
	for _, p := range append(t.model.PolicyParams(), t.model.ValueParams()...) {
		if i := pg.NonFinite(p.Values); i >= 0 {
			return t.diverged("parameter %s[%d] (%v) is not finite", p.Name, i, p.Values[i])
		}
	}
	return nil
}

func (t *Trainer) diverged(format string, args ...any) error {
	return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf(format, args...), Hint: t.lrHint()}
}

// checkRunaway applies the bounds above after an update whose every
// number was finite; targets are the value targets R̂ of the batch.
func (t *Trainer) checkRunaway(m EpochMetrics, targets []float64) error {
	for _, net := range []struct {
		name   string
		params []Param
	}{{"π", t.model.PolicyParams()}, {"V", t.model.ValueParams()}} {
		if n := paramNorm(net.params); n > MaxParamNorm {
			return t.diverged("the norm of %s's parameters is %.3g, beyond %g", net.name, n, MaxParamNorm)
		}
	}
	ms := 0.0
	for _, r := range targets {
		ms += r * r / float64(len(targets))
	}
	for k, l := range m.ValueLosses {
		if l > MaxValueLossRatio*(ms+1) {
			return t.diverged("the value loss at value step %d is %.3g, beyond %g × (mean R̂² + 1) = %.3g",
				k, l, MaxValueLossRatio, MaxValueLossRatio*(ms+1))
		}
	}
	if err := checkAdam(t.model.learner.Kind(), t.model.OptimizerState()); err != nil {
		return t.diverged("%v", err)
	}
	return nil
}

// paramNorm is the Euclidean norm of all values of ps.
func paramNorm(ps []Param) float64 {
	s := 0.0
	for _, p := range ps {
		for _, x := range p.Values {
			s += x * x
		}
	}
	return math.Sqrt(s)
}

// checkAdam reports the first Adam moment beyond MaxAdamMoment, or second
// moment outside [0, MaxAdamMoment²], of an optimizer state in the names of
// learner.
func checkAdam(learner string, state []Param) error {
	for _, p := range state {
		lo, hi := -MaxAdamMoment, MaxAdamMoment
		switch kind, _, _ := optVar(learner, p.Name); kind {
		case firstMoment:
		case secondMoment:
			lo, hi = 0, MaxAdamMoment*MaxAdamMoment
		default:
			continue
		}
		for i, x := range p.Values {
			if !(x >= lo && x <= hi) {
				return fmt.Errorf("the Adam state %s[%d] is %.3g, outside [%g, %g]", p.Name, i, x, lo, hi)
			}
		}
	}
	return nil
}
