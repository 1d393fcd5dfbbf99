package vpg

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/nn"
)

// cpuLearner is the CPULearner: π's and V's MLPs on nn.Engine (forward
// pass, back-propagation, Adam), the policy head's parameters in Go slices
// with the same Adam, and the objective and value loss as GoMLX graphs of
// the networks' outputs that return their gradients with respect to those
// outputs (batch × outputs values: cheap next to the networks).
type cpuLearner struct {
	m      *Model
	pi, v  nn.Engine
	head   [][]float64    // the head's parameters (Policy.HeadParams order)
	hm     [][2][]float64 // Adam's moments of each head parameter
	piObj  *graph.Exec    // (out, act, Ψ, log π_old, head...) → objective, ∂/∂out, ∂/∂head..., log π, mean entropy
	piEval *graph.Exec    // the same without the gradients: objective, log π, mean entropy (PolicyEval)
	vObj   *graph.Exec    // (V(s), targets) → loss, ∂loss/∂V

	changes int
	// scratch, grown as needed
	rows         PolicySample // the rows of the latest policy step
	out, g, logp []float64
	obj          objectiveOut
	in, vin      inputTensors // the graphs' inputs, reused while their shapes hold
}

// inputTensors are a graph's input tensors, kept between calls so that a
// step refills them instead of allocating.
type inputTensors []*tensors.Tensor

// set fills input i with data, rows of cols (a vector when cols is 0), in
// dtype, making a new tensor only when the shape changed.
func (in *inputTensors) set(i int, dtype dtypes.DType, data []float64, cols int) *tensors.Tensor {
	for len(*in) <= i {
		*in = append(*in, nil)
	}
	dims := []int{len(data)}
	if cols > 0 {
		dims = []int{len(data) / cols, cols}
	}
	t := (*in)[i]
	if t == nil || !slices.Equal(t.Shape().Dimensions, dims) {
		t = tensors.FromShape(shapes.Make(dtype, dims...))
		(*in)[i] = t
	}
	fill(t, data)
	return t
}

func newCPULearner(m *Model, store *model.Store) (*cpuLearner, error) {
	l := &cpuLearner{m: m}
	var err error
	if l.pi, err = nn.NewEngine(m.net(m.policy.Outputs()), m.cfg.netOptimizer(m.cfg.PiLR)); err != nil {
		return nil, err
	}
	if l.v, err = nn.NewEngine(m.net(1), m.cfg.netOptimizer(m.cfg.VfLR)); err != nil {
		return nil, err
	}
	if err := l.pi.Read(store.Scope("/" + PolicyScope)); err != nil {
		return nil, err
	}
	if err := l.v.Read(store.Scope("/" + ValueScope)); err != nil {
		return nil, err
	}
	for _, hp := range m.policy.HeadParams() {
		v := make([]float64, len(hp.Init))
		readInto(v, store.GetVariable(model.JoinPath("/", PolicyScope, hp.Name)).MustValue())
		l.head = append(l.head, v)
		l.hm = append(l.hm, [2][]float64{make([]float64, len(v)), make([]float64, len(v))})
	}
	obj, vloss := m.cfg.objective(), m.cfg.valueLoss()
	small := nn.Sequential(m.backend) // batch × outputs values: too small for parallel ops
	objective := func(grads bool) func(in []*graph.Node) []*graph.Node {
		return func(in []*graph.Node) []*graph.Node {
			out, act, psi, old, head := in[0], in[1], in[2], in[3], in[4:]
			loss, logp, ent := objectiveGraph(m.policy, obj, out, head, act, psi, old)
			res := []*graph.Node{loss}
			if grads {
				res = append(res, graph.Gradient(loss, append([]*graph.Node{out}, head...)...)...)
			}
			return append(res, graph.StopGradient(logp), graph.ReduceAllMean(ent))
		}
	}
	if l.piObj, err = graph.NewExec(small, objective(true)); err != nil {
		return nil, err
	}
	if l.piEval, err = graph.NewExec(small, objective(false)); err != nil {
		return nil, err
	}
	if l.vObj, err = graph.NewExec(small, func(v, target *graph.Node) (*graph.Node, *graph.Node) {
		loss := mustScalar("value loss", vloss(v, target))
		return loss, graph.Gradient(loss, v)[0]
	}); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *cpuLearner) Kind() string { return CPULearner }
func (l *cpuLearner) version() int { return l.changes }

// Act implements Learner.
func (l *cpuLearner) Act(params, values, obs []float64) error {
	if params != nil {
		l.out = l.pi.Forward(l.out, obs)
		l.m.head.params(params, l.out, l.head, len(obs)/l.m.cfg.ObsDim)
	}
	if values != nil {
		copy(values, l.v.Forward(values[:0], obs))
	}
	return nil
}

// objectiveOut is what the objective's graph returns, read into Go slices
// (owned by the learner, overwritten by the next call).
type objectiveOut struct {
	stats PolicyStats
	gOut  []float64   // ∂L/∂out, rows of the outputs
	gHead [][]float64 // ∂L/∂ each head parameter
}

// runObjective runs the objective's graph exec, piObj or piEval (which
// leaves objectiveOut's gradients as they were), on the network's outputs
// out for actions act, weights psi and log π_old old.
func (l *cpuLearner) runObjective(exec *graph.Exec, out, act, psi, old []float64) (*objectiveOut, error) {
	m := l.m
	args := []any{l.in.set(0, m.dtype, out, m.policy.Outputs()), l.in.set(1, m.dtype, act, m.policy.ActDim()),
		l.in.set(2, m.dtype, psi, 0), l.in.set(3, m.dtype, old, 0)}
	for i, h := range l.head {
		args = append(args, l.in.set(4+i, m.dtype, h, 0))
	}
	res, err := exec.Call(args...)
	if err != nil {
		return nil, fmt.Errorf("vpg: policy objective: %w", err)
	}
	defer finalize(res)
	o := &l.obj
	n := len(psi)
	l.logp = grow(l.logp, n)
	readInto(l.logp, res[len(res)-2])
	kl, akl, cf := ratioStats(old, l.logp, m.cfg.ClipRatio)
	o.stats = PolicyStats{Loss: scalar(res[0]), Entropy: scalar(res[len(res)-1]), KL: kl, ApproxKL: akl, ClipFrac: cf}
	if exec == l.piEval {
		return o, nil
	}
	o.gOut = grow(o.gOut, len(out))
	readInto(o.gOut, res[1])
	o.gHead = o.gHead[:0]
	for i, h := range l.head {
		g := make([]float64, len(h))
		readInto(g, res[2+i])
		o.gHead = append(o.gHead, g)
	}
	return o, nil
}

// policyObjective runs the objective's graph exec (piObj or piEval) on the
// rows of s: the engine's forward pass gives the outputs, GoMLX the
// objective and, from piObj, its gradients.
func (l *cpuLearner) policyObjective(exec *graph.Exec, s *PolicySample, rows []int) (*objectiveOut, error) {
	r := &l.rows
	if err := s.take(r, l.m, rows); err != nil {
		return nil, err
	}
	l.out = l.pi.Forward(l.out, r.Obs)
	return l.runObjective(exec, l.out, r.Act, r.Psi, r.OldLogP)
}

// PolicyStep implements Learner.
func (l *cpuLearner) PolicyStep(s *PolicySample, rows []int, lr float64) (PolicyStats, error) {
	o, err := l.policyObjective(l.piObj, s, rows)
	if err != nil {
		return PolicyStats{}, err
	}
	l.pi.Optimizer().LR = lr
	sq, err := l.pi.Backward(o.gOut)
	if err != nil {
		return o.stats, fmt.Errorf("vpg: policy step: %w", err)
	}
	for _, g := range o.gHead {
		for _, x := range g {
			sq += x * x
		}
	}
	scale := clipScale(sq, l.m.cfg.MaxGradNorm)
	l.pi.Apply(scale)
	t := l.pi.AdamState().Step
	opt := *l.pi.Optimizer()
	for i, h := range l.head {
		g := o.gHead[i]
		if scale != 1 {
			for j := range g {
				g[j] *= scale
			}
		}
		l.updateHead(opt, t, h, g, l.hm[i][0], l.hm[i][1])
	}
	l.changes++
	return o.stats, nil
}

// updateHead is the engine's optimizer step on a head parameter, in the
// model's dtype.
func (l *cpuLearner) updateHead(opt nn.Optimizer, t int, w, g, m, v []float64) {
	if l.m.dtype == dtypes.Float64 {
		nn.Update(opt, t, w, g, m, v)
		return
	}
	w32, g32, m32, v32 := f32(w), f32(g), f32(m), f32(v)
	nn.Update(opt, t, w32, g32, m32, v32)
	for i := range w {
		w[i], m[i], v[i] = float64(w32[i]), float64(m32[i]), float64(v32[i])
	}
}

func f32(x []float64) []float32 {
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}

// PolicyEval implements Learner.
func (l *cpuLearner) PolicyEval(s *PolicySample, rows []int) (PolicyStats, error) {
	o, err := l.policyObjective(l.piEval, s, rows)
	if err != nil {
		return PolicyStats{}, err
	}
	return o.stats, nil
}

// valueGradient runs the value loss's graph on predictions v for the
// targets' tensor, and returns the loss and ∂loss/∂v (owned by the learner).
func (l *cpuLearner) valueGradient(v []float64, targets *tensors.Tensor) (float64, []float64, error) {
	res, err := l.vObj.Call(l.vin.set(0, l.m.dtype, v, 0), targets)
	if err != nil {
		return 0, nil, fmt.Errorf("vpg: value loss: %w", err)
	}
	defer finalize(res)
	l.g = grow(l.g, len(v))
	readInto(l.g, res[1])
	return scalar(res[0]), l.g, nil
}

// ValueFit implements Learner.
func (l *cpuLearner) ValueFit(obs, targets []float64, iters int, lr float64) ([]float64, error) {
	if len(targets) == 0 || len(obs) != len(targets)*l.m.cfg.ObsDim {
		return nil, fmt.Errorf("vpg: value fit of %d observation numbers for %d targets, want %d per target", len(obs), len(targets), l.m.cfg.ObsDim)
	}
	l.v.Optimizer().LR = lr
	losses := make([]float64, 0, iters+1)
	tgt := l.vin.set(1, l.m.dtype, targets, 0) // the same for every step
	for i := 0; ; i++ {
		l.out = l.v.Forward(l.out, obs)
		loss, g, err := l.valueGradient(l.out, tgt)
		if err != nil {
			return nil, err
		}
		losses = append(losses, loss)
		if i == iters {
			break
		}
		sq, err := l.v.Backward(g)
		if err != nil {
			return nil, fmt.Errorf("vpg: value step: %w", err)
		}
		l.v.Apply(clipScale(sq, l.m.cfg.MaxGradNorm))
	}
	if iters > 0 {
		l.changes++
	}
	return losses, nil
}

// Params implements Learner.
func (l *cpuLearner) Params() []Param {
	var ps []Param
	add := func(scope string, e nn.Engine) {
		net := e.Net()
		sizes := append(append([]int{net.In}, net.Hidden...), net.Out)
		for i, vals := range e.Params() {
			layer, dims := i/2, []int{sizes[i/2+1]}
			name := nn.BiasesName
			if i%2 == 0 {
				name, dims = nn.WeightsName, []int{sizes[layer], sizes[layer+1]}
			}
			ps = append(ps, Param{Name: model.JoinPath("/", scope, nn.LayerScope(layer), name), Shape: dims, Values: vals})
		}
	}
	add(PolicyScope, l.pi)
	for i, hp := range l.m.policy.HeadParams() {
		ps = append(ps, Param{Name: model.JoinPath("/", PolicyScope, hp.Name), Shape: []int{len(l.head[i])}, Values: slices.Clone(l.head[i])})
	}
	add(ValueScope, l.v)
	return ps
}

// SetParams implements Learner.
func (l *cpuLearner) SetParams(ps []Param) error {
	cur := l.Params()
	if err := matchParams(cur, ps, l.m.dtype); err != nil {
		return err
	}
	nPi := 2 * (len(l.m.cfg.Hidden) + 1)
	var pi, v [][]float64
	for i, p := range cur {
		switch {
		case i < nPi:
			pi = append(pi, p.Values)
		case i < nPi+len(l.head):
			copy(l.head[i-nPi], p.Values)
		default:
			v = append(v, p.Values)
		}
	}
	if err := l.pi.SetParams(pi); err != nil {
		return err
	}
	l.changes++
	return l.v.SetParams(v)
}

// matchParams overwrites, in cur, the values of every parameter of ps by
// name, after checking names, shapes and values.
func matchParams(cur, ps []Param, dtype dtypes.DType) error {
	byName := map[string]int{}
	var names []string
	for i, p := range cur {
		byName[p.Name] = i
		names = append(names, p.Name)
	}
	for _, p := range ps {
		i, ok := byName[p.Name]
		if !ok {
			return fmt.Errorf("vpg: no parameter %q in this model (it has %v)", p.Name, names)
		}
		if !slices.Equal(cur[i].Shape, p.Shape) || len(p.Values) != len(cur[i].Values) {
			return fmt.Errorf("vpg: parameter %q has shape %v (%d values), the model's is %v", p.Name, p.Shape, len(p.Values), cur[i].Shape)
		}
		for j, x := range p.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("vpg: parameter %q value %d is %v, want finite numbers", p.Name, j, x)
			}
			if dtype == dtypes.Float32 && math.Abs(x) > math.MaxFloat32 {
				return fmt.Errorf("vpg: parameter %q value %d is %v, beyond the float32 range of this model (±%.4g)", p.Name, j, x, math.MaxFloat32)
			}
		}
		copy(cur[i].Values, p.Values)
	}
	return nil
}

// Names of the CPU learner's optimizer state: under each network's scope,
// "adam/step" and the moments "adam/m/<parameter>" and "adam/v/<parameter>".
const adamName = "adam"

// OptimizerState implements Learner.
func (l *cpuLearner) OptimizerState() []Param {
	if l.m.cfg.Optimizer != Adam {
		return nil
	}
	params := l.Params()
	var ps []Param
	k := 0
	for _, net := range []struct {
		scope string
		e     nn.Engine
		head  bool
	}{{PolicyScope, l.pi, true}, {ValueScope, l.v, false}} {
		st := net.e.AdamState()
		ps = append(ps, Param{Name: model.JoinPath("/", net.scope, adamName, "step"), Shape: []int{}, Values: []float64{float64(st.Step)}})
		moments := [][2][]float64{}
		for i := range st.M {
			moments = append(moments, [2][]float64{st.M[i], st.V[i]})
		}
		if net.head {
			moments = append(moments, l.hm...)
		}
		for _, mv := range moments {
			p := params[k]
			k++
			rel := p.Name[len(net.scope)+2:]
			for j, which := range []string{"m", "v"} {
				ps = append(ps, Param{Name: model.JoinPath("/", net.scope, adamName, which, rel), Shape: p.Shape, Values: slices.Clone(mv[j])})
			}
		}
	}
	return ps
}

// SetOptimizerState implements Learner: ps must be exactly what
// OptimizerState returns for this model, values aside.
func (l *cpuLearner) SetOptimizerState(ps []Param) error {
	want := l.OptimizerState()
	if len(ps) != len(want) {
		return fmt.Errorf("vpg: optimizer state has %d tensors, this model's (%s, %s learner) has %d", len(ps), l.m.cfg.Optimizer, CPULearner, len(want))
	}
	if err := matchParams(want, ps, dtypes.Float64); err != nil {
		return fmt.Errorf("vpg: optimizer state: %w", err)
	}
	if len(want) == 0 { // SGD keeps no state
		return nil
	}
	k := 0
	for _, net := range []struct {
		e    nn.Engine
		head bool
	}{{l.pi, true}, {l.v, false}} {
		st := nn.AdamState{Step: int(want[k].Values[0])}
		k++
		n := len(net.e.Params())
		for range n {
			st.M, st.V = append(st.M, want[k].Values), append(st.V, want[k+1].Values)
			k += 2
		}
		if err := net.e.SetAdamState(st); err != nil {
			return fmt.Errorf("vpg: optimizer state: %w", err)
		}
		if net.head {
			for i := range l.hm {
				copy(l.hm[i][0], want[k].Values)
				copy(l.hm[i][1], want[k+1].Values)
				k += 2
			}
		}
	}
	return nil
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}
