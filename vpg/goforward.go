package vpg

import (
	"fmt"
	"math"

	"github.com/govpg/govpg/vpg/nn"
)

// goNets is a plain-Go copy of π and V (see nn.Weights) for the forward
// passes of rollouts and of Trainer.Act/Values/Probs. A rollout step runs
// the networks on a batch only as large as the number of environments,
// where a compiled GoMLX call costs ~0.5 ms of fixed overhead and hundreds
// of allocations; in plain Go it costs a few µs per row and allocates
// nothing. The copy is taken lazily: Model.touched marks it stale whenever
// the parameters change.
type goNets struct {
	pi, v  nn.Weights
	logStd []float64 // DiagGaussian: log σ per action dimension
	mu     []float64 // DiagGaussian scratch: batch×Dim means
	fresh  bool
}

// touched records that the parameters changed, so the next plain-Go
// forward pass copies them again.
func (m *Model) touched() { m.nets.fresh = false }

// sync copies the current parameters into m.nets if they changed.
func (m *Model) sync() error {
	if m.nets.fresh {
		return nil
	}
	n := &m.nets
	if err := n.pi.Read(m.ctx.In(PolicyScope)); err != nil {
		return fmt.Errorf("vpg: copying π's weights: %w", err)
	}
	if err := n.v.Read(m.ctx.In(ValueScope)); err != nil {
		return fmt.Errorf("vpg: copying V's weights: %w", err)
	}
	if g, ok := m.policy.(DiagGaussian); ok {
		piScope := m.ctx.In(PolicyScope).Scope()
		v := m.ctx.GetVariableByScopeAndName(piScope, LogStdName)
		if v == nil {
			return fmt.Errorf("vpg: no variable %q in scope %q", LogStdName, piScope)
		}
		if len(n.logStd) != g.Dim {
			n.logStd = make([]float64, g.Dim)
		}
		val, err := v.Value()
		if err != nil {
			return fmt.Errorf("vpg: reading %s: %w", v.ScopeAndName(), err)
		}
		readInto(n.logStd, val)
	}
	n.fresh = true
	return nil
}

// forwardGo is Forward in plain Go: for observations obs (batch×ObsDim,
// already scaled) it writes the distribution parameters into params
// (batch×ParamDim) and, unless values is nil, V(s) into values (batch).
// Results agree with the graph's up to the model dtype's rounding.
func (m *Model) forwardGo(params, values, obs []float64) error {
	if err := m.sync(); err != nil {
		return err
	}
	n := &m.nets
	batch := len(obs) / m.cfg.ObsDim
	switch p := m.policy.(type) {
	case Categorical:
		n.pi.Forward(params[:batch*p.N], obs) // logits, in place
		for r := range batch {
			logSoftmaxInPlace(params[r*p.N : (r+1)*p.N])
		}
	case DiagGaussian:
		n.mu = n.pi.Forward(n.mu, obs)
		for r := range batch {
			row := params[r*2*p.Dim : (r+1)*2*p.Dim]
			copy(row[:p.Dim], n.mu[r*p.Dim:(r+1)*p.Dim])
			copy(row[p.Dim:], n.logStd)
		}
	}
	if values != nil {
		n.v.Forward(values[:batch], obs)
	}
	return nil
}

// valuesGo is V(s) alone, in plain Go, for obs already scaled.
func (m *Model) valuesGo(values, obs []float64) error {
	if err := m.sync(); err != nil {
		return err
	}
	m.nets.v.Forward(values[:len(obs)/m.cfg.ObsDim], obs)
	return nil
}

// logSoftmaxInPlace replaces logits z with z − log Σ e^z, subtracting the
// largest logit first so that nothing overflows.
func logSoftmaxInPlace(z []float64) {
	top := z[0]
	for _, x := range z[1:] {
		top = max(top, x)
	}
	sum := 0.0
	for _, x := range z {
		sum += math.Exp(x - top)
	}
	logSum := math.Log(sum)
	for i, x := range z {
		z[i] = (x - top) - logSum // exact for the largest logit
	}
}
