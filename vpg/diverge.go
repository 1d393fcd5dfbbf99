package vpg

import (
	"fmt"
	"math"
)

// DivergenceError reports the first non-finite quantity of a training run:
// a loss, a parameter or a sampled action became NaN or ±Inf. Training
// cannot go on from there; resume from the last checkpoint with a smaller
// learning rate.
type DivergenceError struct {
	Epoch int    // the epoch in which it happened (0-based)
	What  string // the quantity, e.g. "the policy loss (NaN)"
	Hint  string // what to change
}

func (e *DivergenceError) Error() string {
	return fmt.Sprintf("vpg: training diverged in epoch %d: %s is not finite; %s", e.Epoch, e.What, e.Hint)
}

func (t *Trainer) lrHint() string {
	return fmt.Sprintf("try a smaller learning rate (PiLR = %g, VfLR = %g)", t.cfg.PiLR, t.cfg.VfLR)
}

// checkDiverged looks for the first non-finite loss or parameter after an update.
func (t *Trainer) checkDiverged(m EpochMetrics) error {
	for _, q := range []struct {
		name string
		v    float64
	}{
		{"the policy loss", m.PiLoss}, {"the policy loss after the step", m.PiLoss + m.DeltaPiLoss},
		{"the entropy", m.Entropy}, {"the KL divergence", m.KL},
	} {
		if !finite1(q.v) {
			return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("%s (%v)", q.name, q.v), Hint: t.lrHint()}
		}
	}
	if k := nonFinite(m.ValueLosses); k >= 0 {
		return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("the value loss at value step %d (%v)", k, m.ValueLosses[k]), Hint: t.lrHint()}
	}
	for _, p := range append(t.model.PolicyParams(), t.model.ValueParams()...) {
		if i := nonFinite(p.Values); i >= 0 {
			return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("parameter %s[%d] (%v)", p.Name, i, p.Values[i]), Hint: t.lrHint()}
		}
	}
	return nil
}

func finite1(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// finite reports whether every x in xs is a finite number.
func finite(xs []float64) bool { return nonFinite(xs) < 0 }

// nonFinite is the index of the first NaN or ±Inf in xs, or −1.
func nonFinite(xs []float64) int {
	for i, x := range xs {
		if !finite1(x) {
			return i
		}
	}
	return -1
}
