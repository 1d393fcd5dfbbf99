package vpg

import (
	"fmt"

	"github.com/govpg/govpg/vpg/pg"
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
	names := []string{"the policy loss", "the policy loss after the step", "the entropy", "the KL divergence"}
	vals := []float64{m.PiLoss, m.PiLoss + m.DeltaPiLoss, m.Entropy, m.KL}
	if k := pg.NonFinite(vals); k >= 0 {
		return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("%s (%v)", names[k], vals[k]), Hint: t.lrHint()}
	}
	if k := pg.NonFinite(m.ValueLosses); k >= 0 {
		return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("the value loss at value step %d (%v)", k, m.ValueLosses[k]), Hint: t.lrHint()}
	}
	for _, p := range append(t.model.PolicyParams(), t.model.ValueParams()...) {
		if i := pg.NonFinite(p.Values); i >= 0 {
			return &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("parameter %s[%d] (%v)", p.Name, i, p.Values[i]), Hint: t.lrHint()}
		}
	}
	return nil
}
