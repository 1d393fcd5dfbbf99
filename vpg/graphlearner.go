package vpg

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/govpg/govpg/vpg/nn"
)

// graphLearner is the GraphLearner: the parameters are variables of a
// GoMLX store, and every step is one compiled graph (the network, the
// objective or value loss, GoMLX's autodiff and its optimizer).
type graphLearner struct {
	m                          *Model
	store                      *model.Store
	act, piStep, piEval, vStep *model.Exec
	vEval                      *model.Exec
	piLR, vLR                  *model.Variable // the optimizers' learning rates, set before each step
	changes                    int
	rows                       PolicySample // the rows of the latest policy step
}

func newGraphLearner(m *Model, store *model.Store) (*graphLearner, error) {
	l := &graphLearner{m: m, store: store}
	pol, obj, vloss := m.policy, m.cfg.objective(), m.cfg.valueLoss()
	piScope, vScope := store.Scope("/"+PolicyScope), store.Scope("/"+ValueScope)
	l.piLR = optimizer.LearningRateVarWithValue(piScope, m.dtype, m.cfg.PiLR)
	l.vLR = optimizer.LearningRateVarWithValue(vScope, m.dtype, m.cfg.VfLR)
	piOpt, vOpt := m.graphOptimizer(), m.graphOptimizer()
	value := func(scope *model.Scope, obs *graph.Node) *graph.Node {
		return graph.Reshape(m.net(1).Graph(scope.At(ValueScope), obs), obs.Shape().Dimensions[0])
	}
	// objective returns the objective, log π and the mean entropy.
	objective := func(scope *model.Scope, obs, act, psi, old *graph.Node) (loss, logp, ent *graph.Node) {
		s := scope.At(PolicyScope)
		out := m.net(pol.Outputs()).Graph(s, obs)
		var head []*graph.Node
		for _, hp := range pol.HeadParams() {
			head = append(head, s.VariableWithValue(hp.Name, castSlice(hp.Init, m.dtype)).NodeValue(obs.Graph()))
		}
		loss, logp, h := objectiveGraph(pol, obj, out, head, act, psi, old)
		return loss, graph.StopGradient(logp), graph.ReduceAllMean(h)
	}
	vLoss := func(scope *model.Scope, obs, ret *graph.Node) *graph.Node {
		return mustScalar("value loss", vloss(value(scope, obs), ret))
	}
	var err error
	l.act = newExec(m, store, &err, func(scope *model.Scope, obs *graph.Node) (*graph.Node, *graph.Node) {
		return pol.Dist(scope.At(PolicyScope), obs).Params(), value(scope, obs)
	})
	l.piStep = newExec(m, store, &err, func(scope *model.Scope, obs, act, psi, old *graph.Node) (*graph.Node, *graph.Node, *graph.Node) {
		loss, logp, ent := objective(scope, obs, act, psi, old)
		piOpt.UpdateGraph(scope.At(PolicyScope), obs.Graph(), loss)
		return loss, logp, ent
	})
	l.piEval = newExec(m, store, &err, func(scope *model.Scope, obs, act, psi, old *graph.Node) (*graph.Node, *graph.Node, *graph.Node) {
		return objective(scope, obs, act, psi, old)
	})
	l.vStep = newExec(m, store, &err, func(scope *model.Scope, obs, ret *graph.Node) *graph.Node {
		loss := vLoss(scope, obs, ret)
		vOpt.UpdateGraph(scope.At(ValueScope), obs.Graph(), loss)
		return loss
	})
	l.vEval = newExec(m, store, &err, vLoss)
	return l, err
}

// graphOptimizer is GoMLX's optimizer for the config: Adam with PyTorch's
// constants (as the engine's), or SGD. The learning rate is the scope's
// variable that the learner sets before each step.
func (m *Model) graphOptimizer() optimizer.Interface {
	if m.cfg.Optimizer == SGD {
		return optimizer.StochasticGradientDescent().WithDecay(false).Done()
	}
	return optimizer.Adam().Betas(nn.AdamBeta1, nn.AdamBeta2).Epsilon(m.cfg.netOptimizer(0).Epsilon()).Done()
}

func (l *graphLearner) Kind() string { return GraphLearner }
func (l *graphLearner) version() int { return l.changes }

// Act implements Learner.
func (l *graphLearner) Act(params, values, obs []float64) error {
	out, err := l.act.Call(tensorOf(l.m.dtype, obs, l.m.cfg.ObsDim))
	if err != nil {
		return fmt.Errorf("vpg: forward pass: %w", err)
	}
	defer finalize(out)
	if params != nil {
		readInto(params, out[0])
	}
	if values != nil {
		readInto(values, out[1])
	}
	return nil
}

func (l *graphLearner) policyCall(exec *model.Exec, s *PolicySample, rows []int) (PolicyStats, error) {
	m, r := l.m, &l.rows
	if err := s.take(r, m, rows); err != nil {
		return PolicyStats{}, err
	}
	out, err := exec.Call(tensorOf(m.dtype, r.Obs, m.cfg.ObsDim), tensorOf(m.dtype, r.Act, m.policy.ActDim()),
		tensorOf(m.dtype, r.Psi, 0), tensorOf(m.dtype, r.OldLogP, 0))
	if err != nil {
		return PolicyStats{}, fmt.Errorf("vpg: policy objective: %w", err)
	}
	defer finalize(out)
	logp := make([]float64, r.Len())
	readInto(logp, out[1])
	kl, akl, cf := ratioStats(r.OldLogP, logp, m.cfg.ClipRatio)
	return PolicyStats{Loss: scalar(out[0]), Entropy: scalar(out[2]), KL: kl, ApproxKL: akl, ClipFrac: cf}, nil
}

// PolicyStep implements Learner.
func (l *graphLearner) PolicyStep(s *PolicySample, rows []int, lr float64) (PolicyStats, error) {
	if err := l.piLR.SetValue(l.m.scalarTensor(lr)); err != nil {
		return PolicyStats{}, err
	}
	l.changes++
	return l.policyCall(l.piStep, s, rows)
}

// PolicyEval implements Learner.
func (l *graphLearner) PolicyEval(s *PolicySample, rows []int) (PolicyStats, error) {
	return l.policyCall(l.piEval, s, rows)
}

// ValueFit implements Learner.
func (l *graphLearner) ValueFit(obs, targets []float64, iters int, lr float64) ([]float64, error) {
	if len(targets) == 0 || len(obs) != len(targets)*l.m.cfg.ObsDim {
		return nil, fmt.Errorf("vpg: value fit of %d observation numbers for %d targets, want %d per target", len(obs), len(targets), l.m.cfg.ObsDim)
	}
	if err := l.vLR.SetValue(l.m.scalarTensor(lr)); err != nil {
		return nil, err
	}
	x, y := tensorOf(l.m.dtype, obs, l.m.cfg.ObsDim), tensorOf(l.m.dtype, targets, 0)
	losses := make([]float64, 0, iters+1)
	for range iters {
		out, err := l.vStep.Call(x, y)
		if err != nil {
			return nil, fmt.Errorf("vpg: value step: %w", err)
		}
		losses = append(losses, scalar(out[0])) // the loss it differentiated, before its update
		finalize(out)
	}
	out, err := l.vEval.Call(x, y)
	if err != nil {
		return nil, fmt.Errorf("vpg: value evaluation: %w", err)
	}
	losses = append(losses, scalar(out[0]))
	finalize(out)
	l.changes++
	return losses, nil
}

// Params implements Learner.
func (l *graphLearner) Params() []Param { return storeParams(l.m, l.store) }

// SetParams implements Learner.
func (l *graphLearner) SetParams(ps []Param) error {
	l.changes++
	return setStoreParams(l.m, l.store, ps)
}

// storeParams reads π's then V's parameters from a store, in the order of
// the CPU learner's Params.
func storeParams(m *Model, store *model.Store) []Param {
	var ps []Param
	for _, name := range m.paramNames() {
		v := store.GetVariable(name)
		p := Param{Name: name, Shape: slices.Clone(v.Shape().Dimensions), Values: make([]float64, v.Shape().Size())}
		readInto(p.Values, v.MustValue())
		ps = append(ps, p)
	}
	return ps
}

// setStoreParams writes parameters by name into a store.
func setStoreParams(m *Model, store *model.Store, ps []Param) error {
	cur := storeParams(m, store)
	if err := matchParams(cur, ps, m.dtype); err != nil {
		return err
	}
	for _, p := range cur {
		if err := store.GetVariable(p.Name).SetValue(m.tensor(p.Values, p.Shape...)); err != nil {
			return fmt.Errorf("vpg: setting %q: %w", p.Name, err)
		}
	}
	return nil
}

// OptimizerState implements Learner: the store's variables that are not
// parameters, under GoMLX's names (the random state aside: it only draws
// the initial weights).
func (l *graphLearner) OptimizerState() []Param {
	var ps []Param
	for v := range l.store.IterVariables() {
		if v.Trainable || v.Name() == model.RNGStateVariableName {
			continue
		}
		p := Param{Name: v.Path(), Shape: slices.Clone(v.Shape().Dimensions), Values: make([]float64, v.Shape().Size())}
		if dt := v.Shape().DType; dt != l.m.dtype {
			p.DType = dt.String()
		}
		readAny(p.Values, v.MustValue())
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return ps
}

// SetOptimizerState implements Learner, creating the variables that this
// store has not made yet.
func (l *graphLearner) SetOptimizerState(ps []Param) error {
	for _, p := range ps {
		dt := l.m.dtype
		if p.DType != "" {
			var ok bool
			if dt, ok = dtypeByName[p.DType]; !ok {
				return fmt.Errorf("vpg: optimizer state %q has dtype %q, want one of Float32, Float64, Int64", p.Name, p.DType)
			}
		}
		size := 1
		for _, d := range p.Shape {
			if d < 1 || d > maxTensorSize/size { // checked before multiplying, so size cannot overflow
				return fmt.Errorf("vpg: optimizer state %q has shape %v", p.Name, p.Shape)
			}
			size *= d
		}
		if size != len(p.Values) {
			return fmt.Errorf("vpg: optimizer state %q has shape %v but %d values", p.Name, p.Shape, len(p.Values))
		}
		if !finite(p.Values) {
			return fmt.Errorf("vpg: optimizer state %q holds a value that is not finite", p.Name)
		}
		if !strings.HasPrefix(p.Name, model.ScopeSeparator) {
			return fmt.Errorf("vpg: optimizer state name %q is not an absolute scope/name", p.Name)
		}
		v := l.store.GetVariable(p.Name)
		if v == nil {
			v = l.store.VariableWithShape(p.Name, shapes.Make(dt, p.Shape...), nil).SetTrainable(false)
		}
		if v.Trainable || v.Shape().DType != dt || !slices.Equal(v.Shape().Dimensions, p.Shape) {
			return fmt.Errorf("vpg: optimizer state %q (%s %v) does not match the model's variable (%s)", p.Name, dt, p.Shape, v.Shape())
		}
		t := tensors.FromShape(shapes.Make(dt, p.Shape...))
		if err := fillAny(t, p.Values); err != nil {
			return fmt.Errorf("vpg: optimizer state %q: %w", p.Name, err)
		}
		if err := v.SetValue(t); err != nil {
			return fmt.Errorf("vpg: setting %q: %w", p.Name, err)
		}
	}
	return nil
}
