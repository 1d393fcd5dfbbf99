package vpg

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/nn"
)

// Scopes of the two networks (in parameter names and GoMLX stores).
const (
	PolicyScope = "pi" // π_θ: MLP "pi/dense_i" (+ "pi/log_std" for a DiagGaussian)
	ValueScope  = "v"  // V_φ: MLP "v/dense_i"
)

// Optimizer names accepted by ModelConfig.Optimizer.
const (
	Adam = "adam" // Adam (Kingma & Ba), as Spinning Up
	SGD  = "sgd"  // plain gradient step θ_{k+1} = θ_k + α ĝ_k
)

// ModelConfig describes the networks of a Model and how they learn.
type ModelConfig struct {
	ObsDim     int        // observation length
	Action     envs.Space // discrete → Categorical, box → DiagGaussian
	Hidden     []int      // hidden layer sizes of both MLPs (tanh)
	LogStdInit float64    // initial log σ of a DiagGaussian policy
	Seed       uint64     // initial weights
	Optimizer  string     // Adam or SGD
	PiLR, VfLR float64    // learning rates of π and V
	Float64    bool       // compute in float64 (for gradient checks); default float32
	Learner    string     // CPULearner, GraphLearner, or "" for the backend's default
	Objective  Objective  // π's objective; nil means VPGObjective
	ValueLoss  ValueLoss  // V's loss; nil means MSE

	AdamEps        float64 // Adam's ε; 0 means nn.AdamEpsilon
	MaxGradNorm    float64 // clip each network's gradient (π's with its head) to this global norm; 0: off (CPU learner only)
	OrthogonalInit bool    // orthogonal initial weights (see orthogonalInit)
	ClipRatio      float64 // ε of PolicyStats.ClipFrac
}

func (c ModelConfig) objective() Objective {
	if c.Objective == nil {
		return VPGObjective
	}
	return c.Objective
}

func (c ModelConfig) valueLoss() ValueLoss {
	if c.ValueLoss == nil {
		return MSE
	}
	return c.ValueLoss
}

// Param is one named parameter tensor, flattened row-major.
type Param struct {
	Name   string // scope/name, e.g. "/pi/dense_0/weights"
	Shape  []int
	Values []float64
	DType  string `json:",omitempty"` // the variable's dtype where it is not the model's (e.g. "Int64" for a step count)
}

// Model is a policy π_θ and a value function V_φ, trained by its Learner.
// Its analysis functions (Forward, LogProb, LogProbGrad and the trainer's
// PolicyGradient) are GoMLX graphs of the current parameters.
type Model struct {
	cfg     ModelConfig
	policy  Policy
	head    cpuHead
	dtype   dtypes.DType
	backend compute.Backend
	learner Learner

	// store holds the parameters as GoMLX variables for the analysis
	// graphs: the graph learner's own store, or for the CPU learner a copy
	// refreshed (see analysis) when the learner's parameters changed.
	store                              *model.Store
	seen                               int // the learner's version that store holds
	forward, logProb, piGrad, logpGrad *model.Exec
}

// net is the definition of one of the model's MLPs, with out outputs.
func (m *Model) net(out int) nn.Net {
	return nn.Net{In: m.cfg.ObsDim, Hidden: m.cfg.Hidden, Out: out, Activation: nn.Tanh, DType: m.dtype}
}

// NewModel builds the networks, initialises their parameters from cfg.Seed
// and makes the learner.
func NewModel(cfg ModelConfig) (*Model, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	return newModel(cfg)
}

// newModel is NewModel for a configuration already validated.
func newModel(cfg ModelConfig) (*Model, error) {
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
	var ok bool
	if m.head, ok = m.policy.(cpuHead); !ok {
		return nil, fmt.Errorf("vpg: policy family %T has no CPU head (known: Categorical, DiagGaussian)", m.policy)
	}
	if m.store, err = m.initStore(); err != nil {
		return nil, err
	}
	if cfg.OrthogonalInit {
		if err := m.orthogonalInit(m.store); err != nil {
			return nil, fmt.Errorf("vpg: orthogonal initialisation: %w", err)
		}
	}
	kind := cfg.Learner
	if kind == "" {
		kind = GraphLearner
		if nn.PureGo(backend) {
			kind = CPULearner
		}
	}
	if kind == GraphLearner && cfg.MaxGradNorm > 0 {
		return nil, fmt.Errorf("vpg: MaxGradNorm = %v needs the %s learner (GoMLX's optimizer has no global-norm clip); use Learner = %q or MaxGradNorm = 0", cfg.MaxGradNorm, CPULearner, CPULearner)
	}
	switch kind {
	case CPULearner:
		m.learner, err = newCPULearner(m, m.store)
	case GraphLearner:
		m.learner, err = newGraphLearner(m, m.store)
	}
	if err != nil {
		return nil, err
	}
	return m, m.compile()
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
	case c.Learner != "" && c.Learner != CPULearner && c.Learner != GraphLearner:
		return fmt.Errorf("vpg: learner %q, want %q, %q or \"\" (the backend's default)", c.Learner, CPULearner, GraphLearner)
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

// Learner returns the learner that owns the parameters and takes the steps.
func (m *Model) Learner() Learner { return m.learner }

// analysis returns the store with the learner's current parameters.
func (m *Model) analysis() (*model.Store, error) {
	if v := m.learner.version(); v != m.seen {
		if m.learner.Kind() == CPULearner {
			if err := setStoreParams(m, m.store, m.learner.Params()); err != nil {
				return nil, err
			}
		}
		m.seen = v
	}
	return m.store, nil
}

// compile builds the analysis graphs.
func (m *Model) compile() error {
	pol := m.policy
	var err error
	m.forward = newExec(m, m.store, &err, func(scope *model.Scope, obs *graph.Node) (*graph.Node, *graph.Node) {
		v := m.net(1).Graph(scope.At(ValueScope), obs)
		return pol.Dist(scope.At(PolicyScope), obs).Params(), graph.Reshape(v, obs.Shape().Dimensions[0])
	})
	m.logProb = newExec(m, m.store, &err, func(scope *model.Scope, obs, act *graph.Node) *graph.Node {
		return pol.Dist(scope.At(PolicyScope), obs).LogProb(act)
	})
	// ĝ = ∇θ mean(log π(a|s)·w), flattened in PolicyParams order.
	m.piGrad = newExec(m, m.store, &err, func(scope *model.Scope, obs, act, w *graph.Node) *graph.Node {
		logp := pol.Dist(scope.At(PolicyScope), obs).LogProb(act)
		grads := m.gradients(scope, graph.ReduceAllMean(graph.Mul(logp, w)))
		for i, g := range grads {
			grads[i] = graph.Reshape(g, g.Shape().Size())
		}
		return graph.Concatenate(grads, 0)
	})
	// Σ_b log π(a_b|s_b) and its gradient per policy parameter.
	m.logpGrad = newExec(m, m.store, &err, func(scope *model.Scope, in []*graph.Node) []*graph.Node {
		logp := graph.ReduceAllSum(pol.Dist(scope.At(PolicyScope), in[0]).LogProb(in[1]))
		return append([]*graph.Node{logp}, m.gradients(scope, logp)...)
	})
	return err
}

// newExec compiles fn on store unless *err already holds an error, which
// it sets on failure.
func newExec[F model.ExecGraphFn](m *Model, store *model.Store, err *error, fn F) *model.Exec {
	if *err != nil {
		return nil
	}
	var e *model.Exec
	e, *err = model.NewExec(m.backend, store, fn)
	return e
}

// gradients differentiates out with respect to π's parameters (in
// PolicyParams order).
func (m *Model) gradients(scope *model.Scope, out *graph.Node) []*graph.Node {
	var nodes []*graph.Node
	for _, name := range m.paramNames()[:m.numPolicyParams()] {
		nodes = append(nodes, scope.Store().GetVariable(name).NodeValue(out.Graph()))
	}
	return graph.Gradient(out, nodes...)
}

// paramNames lists π's parameters then V's, in the learners' order.
func (m *Model) paramNames() []string {
	var names []string
	layers := func(scope string) {
		for i := range len(m.cfg.Hidden) + 1 {
			for _, n := range []string{nn.WeightsName, nn.BiasesName} {
				names = append(names, model.JoinPath("/", scope, nn.LayerScope(i), n))
			}
		}
	}
	layers(PolicyScope)
	for _, hp := range m.policy.HeadParams() {
		names = append(names, model.JoinPath("/", PolicyScope, hp.Name))
	}
	layers(ValueScope)
	return names
}

func (m *Model) numPolicyParams() int { return 2*(len(m.cfg.Hidden)+1) + len(m.policy.HeadParams()) }

// call runs an analysis graph on the current parameters.
func (m *Model) call(what string, e *model.Exec, args ...any) ([]*tensors.Tensor, error) {
	if _, err := m.analysis(); err != nil {
		return nil, err
	}
	out, err := e.Call(args...)
	if err != nil {
		return nil, fmt.Errorf("vpg: %s: %w", what, err)
	}
	return out, nil
}

// Forward runs π and V on batch observations (obs flattened, batch×ObsDim)
// through a GoMLX graph and returns the distribution parameters
// (batch×Policy().ParamDim(), see Dist.Params) and V(s) for each
// observation. (The trainer's rollouts compute the same with Learner.Act.)
func (m *Model) Forward(obs []float64, batch int) (params, values []float64, err error) {
	x, err := m.input("obs", obs, batch, m.cfg.ObsDim)
	if err != nil {
		return nil, nil, err
	}
	out, err := m.call("forward pass", m.forward, x)
	if err != nil {
		return nil, nil, err
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
	out, err := m.call("log-probability", m.logProb, x, a)
	if err != nil {
		return nil, err
	}
	logp := make([]float64, batch)
	readInto(logp, out[0])
	finalize(out)
	return logp, nil
}

// LogProbGrad returns Σ_b log π(a_b|s_b) over batch pairs and its gradient
// ∇θ by GoMLX autodiff, one Param per policy parameter (the tutorial's
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
	out, err := m.call("gradient of log π", m.logpGrad, x, a)
	if err != nil {
		return 0, nil, err
	}
	params := m.PolicyParams()
	for i := range params {
		readInto(params[i].Values, out[i+1])
	}
	var logp [1]float64
	readInto(logp[:], out[0])
	finalize(out)
	return logp[0], params, nil
}

// policyGradient is ĝ = ∇θ mean(log π(a|s)·w) for observations obs
// (scaled), actions act and weights w, flattened in PolicyParams order.
func (m *Model) policyGradient(obs, act, w []float64) ([]float64, error) {
	out, err := m.call("policy gradient", m.piGrad, tensorOf(m.dtype, obs, m.cfg.ObsDim),
		tensorOf(m.dtype, act, m.policy.ActDim()), tensorOf(m.dtype, w, 0))
	if err != nil {
		return nil, err
	}
	defer finalize(out)
	g := make([]float64, out[0].Shape().Size())
	readInto(g, out[0])
	return g, nil
}

// PolicyParams returns a copy of θ, one Param per tensor.
func (m *Model) PolicyParams() []Param { return m.learner.Params()[:m.numPolicyParams()] }

// ValueParams returns a copy of φ, one Param per tensor.
func (m *Model) ValueParams() []Param { return m.learner.Params()[m.numPolicyParams():] }

// SetParams overwrites parameters by name (policy or value); every name and
// shape must match one of the model's.
func (m *Model) SetParams(ps []Param) error { return m.learner.SetParams(ps) }

// OptimizerState returns the state of π's and V's optimizers (Adam's
// moments and step counts) as Params in the learner's names: with the
// parameters, what a run needs to continue exactly.
func (m *Model) OptimizerState() []Param { return m.learner.OptimizerState() }

// SetOptimizerState restores what OptimizerState returned.
func (m *Model) SetOptimizerState(ps []Param) error { return m.learner.SetOptimizerState(ps) }

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

// scalarTensor is x as a scalar tensor of the model's dtype.
func (m *Model) scalarTensor(x float64) *tensors.Tensor {
	if m.dtype == dtypes.Float64 {
		return tensors.FromScalar(x)
	}
	return tensors.FromScalar(float32(x))
}

// scalar reads a scalar tensor.
func scalar(x *tensors.Tensor) float64 {
	var v [1]float64
	readInto(v[:], x)
	return v[0]
}

// finalize frees output buffers now rather than at garbage collection.
func finalize(groups ...[]*tensors.Tensor) {
	for _, g := range groups {
		for _, x := range g {
			x.MustFinalizeAll()
		}
	}
}
