package vpg

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/nn"
	"github.com/govpg/govpg/vpg/pg"
)

// Context scopes of the two networks.
const (
	PolicyScope = "pi" // π_θ: MLP "pi/dense_i" (+ "pi/log_std" for a DiagGaussian)
	ValueScope  = "v"  // V_φ: MLP "v/dense_i"
)

// Optimizer names accepted by ModelConfig.Optimizer.
const (
	Adam = "adam" // Adam (Kingma & Ba), as Spinning Up
	SGD  = "sgd"  // plain gradient step θ_{k+1} = θ_k + α ĝ_k
)

// ModelConfig describes the networks of a Model.
type ModelConfig struct {
	ObsDim     int        // observation length
	Action     envs.Space // discrete → Categorical, box → DiagGaussian
	Hidden     []int      // hidden layer sizes of both MLPs (tanh)
	LogStdInit float64    // initial log σ of a DiagGaussian policy
	Seed       uint64     // initial weights
	Optimizer  string     // Adam or SGD
	PiLR, VfLR float64    // learning rates of π and V
	Float64    bool       // compute in float64 (for gradient checks); default float32
}

// Param is one named parameter tensor, flattened row-major.
type Param struct {
	Name   string // scope/name, e.g. "/pi/dense_0/weights"
	Shape  []int
	Values []float64
	DType  string `json:",omitempty"` // the variable's dtype where it is not the model's (e.g. "Int64" for a step count)
}

// Model is a policy π_θ and a value function V_φ on one GoMLX context, with
// every computation compiled once per input shape and reused.
type Model struct {
	cfg     ModelConfig
	policy  Policy
	dtype   dtypes.DType
	backend backends.Backend
	ctx     *context.Context

	forward, logProb, vStep, vEval, piGrad, logpGrad *context.Exec
	piStepGraph, piEvalGraph                         *context.Exec
	// piStep takes the policy step (outputs: the loss, log π(a|s) before the
	// step, the mean entropy); piEval evaluates the loss and KL(π_old‖π)
	// after it. They are the graphs above, or π's CPU engine (see
	// newPolicyStepper).
	piStep, piEval stepper

	nets cpuNets // CPU copy for small-batch forward passes

	vFit valueFitter // how V's regression steps run: see newValueFitter
}

// stepper runs one step of the model's training: a compiled graph
// (*context.Exec) or the same step on a CPU engine.
type stepper interface {
	Exec(args ...any) ([]*tensors.Tensor, error)
}

// valueFitter takes V's regression steps (see fitValue).
type valueFitter interface {
	fit(obs, ret *tensors.Tensor, iters int) ([]float64, error)
}

// newValueFitter chooses, once, where V's regression runs: on the CPU
// engine when the backend is GoMLX's pure-Go one, whose generic kernels make
// the same step as a graph several times slower; as a compiled graph
// elsewhere (XLA), which is as fast as it gets there.
func (m *Model) newValueFitter() valueFitter {
	if nn.PureGo(m.backend) {
		return cpuValueFitter{m}
	}
	return graphValueFitter{m}
}

type graphValueFitter struct{ m *Model }

func (f graphValueFitter) fit(obs, ret *tensors.Tensor, iters int) ([]float64, error) {
	losses := make([]float64, 0, iters+1)
	for range iters {
		out, err := f.m.vStep.Exec(obs, ret)
		if err != nil {
			return nil, fmt.Errorf("vpg: value step: %w", err)
		}
		losses = append(losses, scalar(out[0])) // the loss it differentiated, before its update
		finalize(out)
	}
	out, err := f.m.vEval.Exec(obs, ret)
	if err != nil {
		return nil, fmt.Errorf("vpg: value evaluation: %w", err)
	}
	losses = append(losses, scalar(out[0]))
	finalize(out)
	return losses, nil
}

// cpuValueFitter runs the steps on V's CPU engine, the one rollouts use
// for V(s), which keeps Adam's state between epochs.
type cpuValueFitter struct{ m *Model }

func (f cpuValueFitter) fit(obs, ret *tensors.Tensor, iters int) ([]float64, error) {
	m, e := f.m, f.m.nets.v
	if err := m.readEngine(e, ValueScope); err != nil {
		return nil, err
	}
	losses, err := e.Fit(obs, ret, iters)
	if err != nil {
		return nil, fmt.Errorf("vpg: value steps: %w", err)
	}
	return losses, m.writeEngine(e, ValueScope)
}

// readEngine gives engine e the parameters and Adam state of the network
// under scope (PolicyScope or ValueScope).
func (m *Model) readEngine(e nn.Engine, scope string) error {
	if err := e.Read(m.ctx.In(scope)); err != nil {
		return err
	}
	return m.readAdam(e, scope)
}

// writeEngine stores e's parameters and Adam state under scope.
func (m *Model) writeEngine(e nn.Engine, scope string) error {
	if err := e.Write(); err != nil {
		return err
	}
	return m.writeAdam(e, scope)
}

// The CPU engines keep their Adam state in context variables named as
// GoMLX's Adam names its own (for V the step under "v/AdamOptimizer", the
// moments under "/AdamOptimizer/v/dense_i"; likewise for π): a checkpoint
// of the context then holds it (see OptimizerState), and either engine
// continues the other's steps.
const adamScope = "AdamOptimizer"

// adamVars lists, for every parameter tensor of engine e's network under
// scope, in the engine's order, the scope and names of its two moment
// variables and its shape.
func (m *Model) adamVars(e nn.Engine, scope string) (scopes []string, names [][2]string, dims [][]int) {
	net := e.Net()
	sizes := append(append([]int{net.In}, net.Hidden...), net.Out)
	for i := range len(sizes) - 1 {
		s := context.ScopeSeparator + adamScope + m.ctx.In(scope).In(nn.LayerScope(i)).Scope()
		for _, p := range []struct {
			name string
			dims []int
		}{{nn.WeightsName, []int{sizes[i], sizes[i+1]}}, {nn.BiasesName, []int{sizes[i+1]}}} {
			scopes = append(scopes, s)
			names = append(names, [2]string{p.name + "_1st_moment", p.name + "_2nd_moment"})
			dims = append(dims, p.dims)
		}
	}
	return scopes, names, dims
}

// readAdam gives engine e the Adam state held in the context under scope,
// if the context holds one.
func (m *Model) readAdam(e nn.Engine, scope string) error {
	if m.cfg.Optimizer != Adam {
		return nil
	}
	stepVar := m.ctx.GetVariableByScopeAndName(m.ctx.In(scope).In(adamScope).Scope(), optimizers.GlobalStepVariableName)
	if stepVar == nil {
		return nil
	}
	var step [1]float64
	readAny(step[:], stepVar.MustValue())
	st := nn.AdamState{Step: int(step[0])}
	scopes, names, _ := m.adamVars(e, scope)
	for i, s := range scopes {
		var mv [2][]float64
		for k := range mv {
			v := m.ctx.GetVariableByScopeAndName(s, names[i][k])
			if v == nil {
				return fmt.Errorf("vpg: the Adam state under %q lacks %s/%s", scope, s, names[i][k])
			}
			mv[k] = make([]float64, v.Shape().Size())
			readInto(mv[k], v.MustValue())
		}
		st.M, st.V = append(st.M, mv[0]), append(st.V, mv[1])
	}
	if err := e.SetAdamState(st); err != nil {
		return fmt.Errorf("vpg: restoring the Adam state under %q: %w", scope, err)
	}
	return nil
}

// writeAdam stores engine e's Adam state in the context under scope.
func (m *Model) writeAdam(e nn.Engine, scope string) error {
	if m.cfg.Optimizer != Adam {
		return nil
	}
	st := e.AdamState()
	scopes, names, dims := m.adamVars(e, scope)
	for i, s := range scopes {
		for k, data := range [2][]float64{st.M[i], st.V[i]} {
			v := m.ctx.InAbsPath(s).VariableWithShape(names[i][k], shapes.Make(m.dtype, dims[i]...)).SetTrainable(false)
			if err := v.SetValue(m.tensor(data, dims[i]...)); err != nil {
				return fmt.Errorf("vpg: storing the Adam state under %q: %w", scope, err)
			}
		}
	}
	stepVar := optimizers.GetGlobalStepVar(m.ctx.In(scope).In(adamScope))
	return stepVar.SetValue(tensors.FromScalar(int64(st.Step)))
}

// net is the definition of one of the model's MLPs, with out outputs.
func (m *Model) net(out int) nn.Net {
	return nn.Net{In: m.cfg.ObsDim, Hidden: m.cfg.Hidden, Out: out, Activation: nn.Tanh, DType: m.dtype}
}

// NewModel builds the networks and initialises their parameters from cfg.Seed.
func NewModel(cfg ModelConfig) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	backend, err := nn.BackendErr()
	if err != nil {
		return nil, err
	}
	cfg.Hidden = append([]int(nil), cfg.Hidden...)
	m := &Model{cfg: cfg, backend: backend, dtype: dtypes.Float32}
	if cfg.Float64 {
		m.dtype = dtypes.Float64
	}
	if cfg.Action.Discrete() {
		m.policy = Categorical{N: cfg.Action.N, Hidden: cfg.Hidden}
	} else {
		m.policy = DiagGaussian{Dim: cfg.Action.Dim(), Hidden: cfg.Hidden, LogStdInit: cfg.LogStdInit}
	}
	// Unchecked: every graph below reuses the same variables.
	m.ctx = context.New().Checked(false)
	if err := m.ctx.SetRNGStateFromSeed(int64(cfg.Seed)); err != nil {
		return nil, err
	}
	if err := m.compile(); err != nil {
		return nil, err
	}
	if err := m.newCPUNets(); err != nil {
		return nil, err
	}
	m.vFit = m.newValueFitter()
	m.piStep, m.piEval = m.newPolicyStepper()
	// Create and initialise every variable now, π before V, so weights depend only on the seed.
	if _, _, err := m.Forward(make([]float64, cfg.ObsDim), 1); err != nil {
		return nil, err
	}
	return m, nil
}

func (c ModelConfig) validate() error {
	switch {
	case c.ObsDim < 1:
		return fmt.Errorf("vpg: observation dimension %d, want ≥ 1", c.ObsDim)
	case !c.Action.Discrete() && c.Action.Dim() < 1:
		return fmt.Errorf("vpg: action space %+v is neither discrete (N ≥ 1) nor a box with ≥ 1 dimension", c.Action)
	case c.Optimizer != Adam && c.Optimizer != SGD:
		return fmt.Errorf("vpg: optimizer %q, want %q or %q", c.Optimizer, Adam, SGD)
	case !(c.PiLR > 0) || math.IsInf(c.PiLR, 0):
		return fmt.Errorf("vpg: PiLR = %v, want a finite number > 0", c.PiLR)
	case !(c.VfLR > 0) || math.IsInf(c.VfLR, 0):
		return fmt.Errorf("vpg: VfLR = %v, want a finite number > 0", c.VfLR)
	case math.IsNaN(c.LogStdInit) || math.IsInf(c.LogStdInit, 0):
		return fmt.Errorf("vpg: LogStdInit = %v, want a finite number", c.LogStdInit)
	}
	for i, h := range c.Hidden {
		if h < 1 {
			return fmt.Errorf("vpg: Hidden[%d] = %d, want layer sizes ≥ 1", i, h)
		}
	}
	return nil
}

// Config returns the configuration the model was built with.
func (m *Model) Config() ModelConfig { return m.cfg }

// Policy returns π's distribution family (Categorical or DiagGaussian).
func (m *Model) Policy() Policy { return m.policy }

func (m *Model) optimizer(lr float64) optimizers.Interface {
	if m.cfg.Optimizer == SGD {
		return optimizers.StochasticGradientDescent().WithLearningRate(lr).WithDecay(false).Done()
	}
	// PyTorch's constants, as Spinning Up and nn.Engine use.
	return optimizers.Adam().LearningRate(lr).Betas(nn.AdamBeta1, nn.AdamBeta2).Epsilon(nn.AdamEpsilon).Done()
}

// policyVars lists π's trainable variables in a fixed order.
func (m *Model) policyVars() []*context.Variable {
	var vs []*context.Variable
	for v := range m.ctx.In(PolicyScope).IterVariablesInScope() {
		if v.Trainable {
			vs = append(vs, v)
		}
	}
	return vs
}

func (m *Model) compile() error {
	pol := m.policy
	piCtx := func(ctx *context.Context) *context.Context { return ctx.In(PolicyScope) }
	value := func(ctx *context.Context, obs *graph.Node) *graph.Node {
		v := m.net(1).Graph(ctx.In(ValueScope), obs)
		return graph.Reshape(v, obs.Shape().Dimensions[0])
	}
	// Policy loss L(θ) = −mean(log π(a|s)·w): its gradient is −ĝ.
	piLoss := func(ctx *context.Context, obs, act, w *graph.Node) (loss, logp, ent *graph.Node) {
		d := pol.Dist(piCtx(ctx), obs)
		logp = d.LogProb(act)
		return graph.Neg(graph.ReduceAllMean(graph.Mul(logp, w))), logp, graph.ReduceAllMean(d.Entropy())
	}
	vLoss := func(ctx *context.Context, obs, ret *graph.Node) *graph.Node {
		return graph.ReduceAllMean(graph.Square(graph.Sub(value(ctx, obs), ret)))
	}
	piOpt, vOpt := m.optimizer(m.cfg.PiLR), m.optimizer(m.cfg.VfLR)
	var err error
	mk := func(fn any) *context.Exec {
		if err != nil {
			return nil
		}
		var e *context.Exec
		e, err = context.NewExecAny(m.backend, m.ctx, fn)
		return e
	}
	m.forward = mk(func(ctx *context.Context, obs *graph.Node) (*graph.Node, *graph.Node) {
		return pol.Dist(piCtx(ctx), obs).Params(), value(ctx, obs)
	})
	m.logProb = mk(func(ctx *context.Context, obs, act *graph.Node) *graph.Node {
		return pol.Dist(piCtx(ctx), obs).LogProb(act)
	})
	m.piStepGraph = mk(func(ctx *context.Context, obs, act, w *graph.Node) (*graph.Node, *graph.Node, *graph.Node) {
		loss, logp, ent := piLoss(ctx, obs, act, w)
		piOpt.UpdateGraph(piCtx(ctx), obs.Graph(), loss)
		return loss, graph.StopGradient(logp), ent
	})
	m.piEvalGraph = mk(func(ctx *context.Context, obs, act, w, logpOld *graph.Node) (*graph.Node, *graph.Node) {
		loss, logp, _ := piLoss(ctx, obs, act, w)
		return loss, graph.ReduceAllMean(graph.Sub(logpOld, logp)) // approximate KL(π_old‖π_new)
	})
	m.vStep = mk(func(ctx *context.Context, obs, ret *graph.Node) *graph.Node {
		loss := vLoss(ctx, obs, ret)
		vOpt.UpdateGraph(ctx.In(ValueScope), obs.Graph(), loss)
		return loss
	})
	m.vEval = mk(func(ctx *context.Context, obs, ret *graph.Node) *graph.Node { return vLoss(ctx, obs, ret) })
	// ĝ = ∇θ mean(log π(a|s)·w), flattened in policyVars order.
	m.piGrad = mk(func(ctx *context.Context, obs, act, w *graph.Node) *graph.Node {
		loss, _, _ := piLoss(ctx, obs, act, w)
		grads := m.gradients(graph.Neg(loss))
		for i, g := range grads {
			grads[i] = graph.Reshape(g, g.Shape().Size())
		}
		return graph.Concatenate(grads, 0)
	})
	// Σ_b log π(a_b|s_b) and its gradient per policy variable.
	m.logpGrad = mk(func(ctx *context.Context, in []*graph.Node) []*graph.Node {
		logp := graph.ReduceAllSum(pol.Dist(piCtx(ctx), in[0]).LogProb(in[1]))
		return append([]*graph.Node{logp}, m.gradients(logp)...)
	})
	return err
}

// fitValue takes iters gradient steps of V's regression on the value
// targets ret for observations obs (tensors of the model's dtype, [batch,
// ObsDim] and [batch]) and returns mean((V − ret)²) before each step and
// after the last.
func (m *Model) fitValue(obs, ret *tensors.Tensor, iters int) ([]float64, error) {
	m.touched()
	return m.vFit.fit(obs, ret, iters)
}

// gradients differentiates out with respect to π's variables (in policyVars order).
func (m *Model) gradients(out *graph.Node) []*graph.Node {
	g := out.Graph()
	var nodes []*graph.Node
	for _, v := range m.policyVars() {
		nodes = append(nodes, v.ValueGraph(g))
	}
	return graph.Gradient(out, nodes...)
}

// Forward runs π and V on batch observations (obs flattened, batch×ObsDim)
// through the compiled GoMLX graph and returns the distribution parameters
// (batch×Policy().ParamDim(), see Dist.Params) and V(s) for each
// observation. (The trainer's rollouts compute the same on the CPU engine.)
func (m *Model) Forward(obs []float64, batch int) (params, values []float64, err error) {
	x, err := m.input("obs", obs, batch, m.cfg.ObsDim)
	if err != nil {
		return nil, nil, err
	}
	out, err := m.forward.Exec(x)
	if err != nil {
		return nil, nil, fmt.Errorf("vpg: forward pass: %w", err)
	}
	params = make([]float64, batch*m.policy.ParamDim())
	values = make([]float64, batch)
	readInto(params, out[0])
	readInto(values, out[1])
	finalize(out)
	return params, values, nil
}

// LogProb returns log π(a|s) for each of batch (observation, action) pairs.
func (m *Model) LogProb(obs, act []float64, batch int) ([]float64, error) {
	x, err := m.input("obs", obs, batch, m.cfg.ObsDim)
	if err != nil {
		return nil, err
	}
	a, err := m.input("act", act, batch, m.policy.ActDim())
	if err != nil {
		return nil, err
	}
	out, err := m.logProb.Exec(x, a)
	if err != nil {
		return nil, fmt.Errorf("vpg: log-probability: %w", err)
	}
	logp := make([]float64, batch)
	readInto(logp, out[0])
	return logp, nil
}

// LogProbGrad returns Σ_b log π(a_b|s_b) over batch pairs and its gradient
// ∇θ by GoMLX autodiff, one Param per policy variable (the tutorial's
// "Take the gradient" step).
func (m *Model) LogProbGrad(obs, act []float64, batch int) (float64, []Param, error) {
	x, err := m.input("obs", obs, batch, m.cfg.ObsDim)
	if err != nil {
		return 0, nil, err
	}
	a, err := m.input("act", act, batch, m.policy.ActDim())
	if err != nil {
		return 0, nil, err
	}
	out, err := m.logpGrad.Exec(x, a)
	if err != nil {
		return 0, nil, fmt.Errorf("vpg: gradient of log π: %w", err)
	}
	params := m.PolicyParams()
	for i := range params {
		readInto(params[i].Values, out[i+1])
	}
	var logp [1]float64
	readInto(logp[:], out[0])
	return logp[0], params, nil
}

// PolicyParams returns a copy of θ, one Param per variable.
func (m *Model) PolicyParams() []Param { return m.params(m.policyVars()) }

// ValueParams returns a copy of φ, one Param per variable.
func (m *Model) ValueParams() []Param {
	var vs []*context.Variable
	for v := range m.ctx.In(ValueScope).IterVariablesInScope() {
		if v.Trainable {
			vs = append(vs, v)
		}
	}
	return m.params(vs)
}

func (m *Model) params(vs []*context.Variable) []Param {
	ps := make([]Param, len(vs))
	for i, v := range vs {
		ps[i] = Param{Name: v.ScopeAndName(), Shape: v.Shape().Dimensions, Values: make([]float64, v.Shape().Size())}
		readInto(ps[i].Values, v.MustValue())
	}
	return ps
}

// SetParams overwrites parameters by name (policy or value); every name and
// shape must match an existing variable.
func (m *Model) SetParams(ps []Param) error {
	for _, p := range ps {
		scope, name := splitName(p.Name)
		v := m.ctx.GetVariableByScopeAndName(scope, name)
		if v == nil {
			return fmt.Errorf("vpg: no parameter %q in this model (it has %s)", p.Name, strings.Join(m.paramNames(), ", "))
		}
		if !slices.Equal(v.Shape().Dimensions, p.Shape) || len(p.Values) != v.Shape().Size() {
			return fmt.Errorf("vpg: parameter %q has shape %v (%d values), the model's is %v",
				p.Name, p.Shape, len(p.Values), v.Shape().Dimensions)
		}
		for i, x := range p.Values {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("vpg: parameter %q value %d is %v, want finite numbers", p.Name, i, x)
			}
			if m.dtype == dtypes.Float32 && math.Abs(x) > math.MaxFloat32 {
				return fmt.Errorf("vpg: parameter %q value %d is %v, beyond the float32 range of this model (±%.4g)", p.Name, i, x, math.MaxFloat32)
			}
		}
		if err := v.SetValue(m.tensor(p.Values, p.Shape...)); err != nil {
			return fmt.Errorf("vpg: setting %q: %w", p.Name, err)
		}
		m.touched()
	}
	return nil
}

// OptimizerState returns the state of π's and V's optimizers — Adam's
// moments and step counts, whichever engine ran them — as Params in a fixed
// order: with the parameters, what a run needs to continue exactly. (The
// context's random state is left out: it only draws the initial weights.)
func (m *Model) OptimizerState() []Param {
	var ps []Param
	for v := range m.ctx.IterVariables() {
		if v.Trainable || v.Name() == context.RNGStateVariableName {
			continue
		}
		p := Param{Name: v.ScopeAndName(), Shape: v.Shape().Dimensions, Values: make([]float64, v.Shape().Size())}
		if dt := v.Shape().DType; dt != m.dtype {
			p.DType = dt.String()
		}
		readAny(p.Values, v.MustValue())
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return ps
}

// SetOptimizerState restores what OptimizerState returned, creating the
// variables that this model has not made yet.
func (m *Model) SetOptimizerState(ps []Param) error {
	for _, p := range ps {
		dt := m.dtype
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
		if pg.NonFinite(p.Values) >= 0 {
			return fmt.Errorf("vpg: optimizer state %q holds a value that is not finite", p.Name)
		}
		scope, name := splitName(p.Name)
		if !strings.HasPrefix(scope, context.ScopeSeparator) || name == "" {
			return fmt.Errorf("vpg: optimizer state name %q is not an absolute scope/name", p.Name)
		}
		v := m.ctx.GetVariableByScopeAndName(scope, name)
		if v == nil {
			v = m.ctx.InAbsPath(scope).VariableWithShape(name, shapes.Make(dt, p.Shape...)).SetTrainable(false)
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

// maxTensorSize bounds any tensor read from a file: far above any network
// Config.Validate allows.
const maxTensorSize = 1 << 26

var dtypeByName = map[string]dtypes.DType{"Float32": dtypes.Float32, "Float64": dtypes.Float64, "Int64": dtypes.Int64}

// readAny copies a float or int64 tensor into dst.
func readAny(dst []float64, t *tensors.Tensor) {
	if t.DType() != dtypes.Int64 {
		readInto(dst, t)
		return
	}
	t.MustConstFlatData(func(flat any) {
		for i, x := range flat.([]int64) {
			dst[i] = float64(x)
		}
	})
}

// fillAny is fill for float and int64 tensors; int64 values must be whole numbers.
func fillAny(t *tensors.Tensor, data []float64) error {
	if t.DType() != dtypes.Int64 {
		fill(t, data)
		return nil
	}
	for _, x := range data {
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return fmt.Errorf("%v is not a whole number", x)
		}
	}
	t.MustMutableFlatData(func(flat any) {
		for i, x := range data {
			flat.([]int64)[i] = int64(x)
		}
	})
	return nil
}

func (m *Model) paramNames() []string {
	var names []string
	for _, p := range append(m.PolicyParams(), m.ValueParams()...) {
		names = append(names, p.Name)
	}
	return names
}

func splitName(full string) (scope, name string) {
	i := strings.LastIndex(full, context.ScopeSeparator)
	if i <= 0 {
		return context.RootScope, strings.TrimPrefix(full, context.ScopeSeparator)
	}
	return full[:i], full[i+1:]
}

// input checks a flat batch and converts it to a tensor [batch, dim].
func (m *Model) input(what string, data []float64, batch, dim int) (*tensors.Tensor, error) {
	if batch < 1 {
		return nil, fmt.Errorf("vpg: batch = %d, want ≥ 1", batch)
	}
	if len(data) != batch*dim {
		return nil, fmt.Errorf("vpg: %s has %d numbers, want batch×%d = %d", what, len(data), dim, batch*dim)
	}
	for i, x := range data {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("vpg: %s[%d] = %v, want finite numbers", what, i, x)
		}
	}
	return m.tensor(data, batch, dim), nil
}

// tensor converts data to a tensor of the model's dtype.
func (m *Model) tensor(data []float64, dims ...int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(m.dtype, dims...))
	fill(t, data)
	return t
}

// fill copies data into t, converting to t's dtype.
func fill(t *tensors.Tensor, data []float64) {
	t.MustMutableFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i, x := range data {
				f[i] = float32(x)
			}
		case []float64:
			copy(f, data)
		default:
			panic(fmt.Sprintf("vpg: unsupported tensor type %T", flat))
		}
	})
}

// readInto copies t's values into dst; the model only makes float32 and
// float64 tensors, so an error here is a bug.
func readInto(dst []float64, t *tensors.Tensor) {
	if err := nn.ReadFloats(dst, t); err != nil {
		panic(err)
	}
}

// newPolicyStepper chooses, once, where the policy step runs: on π's CPU
// engine when the backend is GoMLX's pure-Go one and the policy family
// defines its loss for the engine (cpuPolicyLoss); as the compiled graphs
// elsewhere.
func (m *Model) newPolicyStepper() (step, eval stepper) {
	if pl, ok := m.policy.(cpuPolicyLoss); ok && nn.PureGo(m.backend) {
		s := &cpuPolicyStep{m: m, loss: pl}
		return s, cpuPolicyEval{s}
	}
	return m.piStepGraph, m.piEvalGraph
}

// cpuPolicyStep is piStep on π's CPU engine: Exec(obs, act, w) takes one
// step on L(θ) = −mean(log π(a|s)·w) and returns L, log π(a|s) before the
// step, and the mean entropy, as the graph does.
type cpuPolicyStep struct {
	m         *Model
	loss      cpuPolicyLoss
	act, w    []float64
	logp, ent []float64
}

// inputs reads the actions and weights of a step or evaluation and sizes
// the buffers.
func (s *cpuPolicyStep) inputs(args []any, want int) (obs *tensors.Tensor, err error) {
	if len(args) != want {
		return nil, fmt.Errorf("vpg: policy step got %d arguments, want %d", len(args), want)
	}
	ts := make([]*tensors.Tensor, len(args))
	for i, a := range args {
		var ok bool
		if ts[i], ok = a.(*tensors.Tensor); !ok {
			return nil, fmt.Errorf("vpg: policy step argument %d is a %T, want a tensor", i, a)
		}
	}
	n := ts[2].Shape().Size()
	for _, b := range []*[]float64{&s.act, &s.w, &s.logp, &s.ent} {
		if cap(*b) < n {
			*b = make([]float64, n)
		}
		*b = (*b)[:n]
	}
	if ts[1].Shape().Size() != n {
		return nil, fmt.Errorf("vpg: policy step got %d actions for %d weights", ts[1].Shape().Size(), n)
	}
	readInto(s.act, ts[1])
	readInto(s.w, ts[2])
	return ts[0], s.loss.checkActions(s.act)
}

// Exec implements stepper.
func (s *cpuPolicyStep) Exec(args ...any) ([]*tensors.Tensor, error) {
	obs, err := s.inputs(args, 3)
	if err != nil {
		return nil, err
	}
	m, e := s.m, s.m.nets.pi
	if err := m.readEngine(e, PolicyScope); err != nil {
		return nil, err
	}
	loss, err := e.StepHead(obs, s.loss.lossHead(s.act, s.w, s.logp, s.ent))
	if err != nil {
		return nil, fmt.Errorf("vpg: policy step: %w", err)
	}
	if err := m.writeEngine(e, PolicyScope); err != nil {
		return nil, err
	}
	var ent float64
	for _, h := range s.ent {
		ent += h
	}
	return []*tensors.Tensor{m.scalarTensor(loss), m.tensor(s.logp, len(s.logp)), m.scalarTensor(ent / float64(len(s.ent)))}, nil
}

// cpuPolicyEval is piEval on π's CPU engine: Exec(obs, act, w, logpOld)
// returns L(θ) and the estimate mean(log π_old − log π) of KL(π_old‖π).
type cpuPolicyEval struct{ s *cpuPolicyStep }

// Exec implements stepper.
func (v cpuPolicyEval) Exec(args ...any) ([]*tensors.Tensor, error) {
	s := v.s
	if len(args) != 4 {
		return nil, fmt.Errorf("vpg: policy evaluation got %d arguments, want 4", len(args))
	}
	obs, err := s.inputs(args[:3], 3)
	if err != nil {
		return nil, err
	}
	old, ok := args[3].(*tensors.Tensor)
	if !ok || old.Shape().Size() != len(s.logp) {
		return nil, fmt.Errorf("vpg: policy evaluation wants log π_old as a tensor of %d values", len(s.logp))
	}
	m, e := s.m, s.m.nets.pi
	if err := e.Read(m.ctx.In(PolicyScope)); err != nil {
		return nil, err
	}
	loss, err := e.LossHead(obs, s.loss.lossHead(s.act, s.w, s.logp, s.ent))
	if err != nil {
		return nil, fmt.Errorf("vpg: policy evaluation: %w", err)
	}
	logpOld := make([]float64, len(s.logp))
	readInto(logpOld, old)
	var kl float64
	for i, l := range logpOld {
		kl += l - s.logp[i]
	}
	return []*tensors.Tensor{m.scalarTensor(loss), m.scalarTensor(kl / float64(len(logpOld)))}, nil
}

// scalarTensor is x as a scalar tensor of the model's dtype.
func (m *Model) scalarTensor(x float64) *tensors.Tensor {
	if m.dtype == dtypes.Float64 {
		return tensors.FromScalar(x)
	}
	return tensors.FromScalar(float32(x))
}
