package vpg

import (
	"fmt"

	"github.com/govpg/govpg/vpg/nn"
)

// cpuNets are π and V on the CPU engine (nn.Engine), for the forward passes
// of rollouts and of Trainer.Act/Values/Probs, whose batches hold one row per
// environment: there a compiled graph call costs more in fixed overhead than
// the arithmetic. The parameters are copied lazily: Model.touched marks the
// copy stale whenever they change.
type cpuNets struct {
	pi, v nn.Engine
	head  cpuHead
	vars  [][]float64 // the head's extra variables (headVars order)
	out   []float64   // scratch: π's MLP outputs, batch×head.outputs()
	fresh bool
}

// newCPUNets makes the CPU engines of π and V for the model's networks.
func (m *Model) newCPUNets() error {
	head, ok := m.policy.(cpuHead)
	if !ok {
		return fmt.Errorf("vpg: policy family %T has no CPU head (known: Categorical, DiagGaussian)", m.policy)
	}
	opt := nn.Optimizer{LR: m.cfg.VfLR, SGD: m.cfg.Optimizer == SGD}
	var err error
	if m.nets.pi, err = nn.NewEngine(m.net(head.outputs()), nn.Optimizer{LR: m.cfg.PiLR, SGD: opt.SGD}); err != nil {
		return err
	}
	if m.nets.v, err = nn.NewEngine(m.net(1), opt); err != nil {
		return err
	}
	m.nets.head = head
	return nil
}

// touched records that the parameters changed, so the next CPU forward
// pass copies them again.
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
	piScope := m.ctx.In(PolicyScope).Scope()
	names := n.head.headVars()
	if len(n.vars) != len(names) {
		n.vars = make([][]float64, len(names))
	}
	for i, name := range names {
		v := m.ctx.GetVariableByScopeAndName(piScope, name)
		if v == nil {
			return fmt.Errorf("vpg: no variable %q in scope %q", name, piScope)
		}
		val, err := v.Value()
		if err != nil {
			return fmt.Errorf("vpg: reading %s: %w", v.ScopeAndName(), err)
		}
		if len(n.vars[i]) != v.Shape().Size() {
			n.vars[i] = make([]float64, v.Shape().Size())
		}
		readInto(n.vars[i], val)
	}
	n.fresh = true
	return nil
}

// forwardGo is Forward on the CPU engine: for observations obs
// (batch×ObsDim, already scaled) it writes the distribution parameters into
// params (batch×ParamDim) and, unless values is nil, V(s) into values
// (batch). Results agree with the graph's up to the model dtype's rounding.
func (m *Model) forwardGo(params, values, obs []float64) error {
	if err := m.sync(); err != nil {
		return err
	}
	n := &m.nets
	batch := len(obs) / m.cfg.ObsDim
	n.out = n.pi.Forward(n.out, obs)
	n.head.params(params, n.out, n.vars, batch)
	if values != nil {
		copy(values[:batch], n.v.Forward(values[:0], obs))
	}
	return nil
}

// valuesGo is V(s) alone, on the CPU engine, for obs already scaled.
func (m *Model) valuesGo(values, obs []float64) error {
	if err := m.sync(); err != nil {
		return err
	}
	m.nets.v.Forward(values[:0], obs)
	return nil
}
