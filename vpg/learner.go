package vpg

import (
	"fmt"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/nn"
)

// Learner names accepted by Config.Learner.
const (
	// CPULearner runs π's and V's networks on nn.Engine and the objective,
	// the value loss and their gradients with respect to the networks'
	// outputs as small GoMLX graphs. The default on the pure-Go backend.
	CPULearner = "cpu"
	// GraphLearner runs every step as one GoMLX graph (network, objective,
	// autodiff and GoMLX's optimizer). The default on other backends (XLA).
	GraphLearner = "graph"
)

// Learner owns π's and V's parameters and optimizers' state and takes
// their steps. One learner exists per Model; which one is Config.Learner.
// Observations given to a learner are already scaled (Config.ObsScale);
// all slices hold rows, row-major.
type Learner interface {
	// Act writes, for observations obs, the distribution parameters of
	// π(·|s) (rows of Policy.ParamDim, see Dist.Params) into params and
	// V(s) into values, each unless nil.
	Act(params, values, obs []float64) error
	// PolicyStep takes one optimizer step of π with learning rate lr on the
	// Config's objective over the given rows of s (every row when rows is
	// nil) and returns the objective, the mean entropy and the estimate
	// mean(log π_old − log π) of KL(π_old‖π) before the step. It may be
	// called several times on one sample (minibatches, several epochs).
	PolicyStep(s *PolicySample, rows []int, lr float64) (PolicyStats, error)
	// PolicyEval returns the same as PolicyStep at the current parameters,
	// without stepping.
	PolicyEval(s *PolicySample, rows []int) (PolicyStats, error)
	// ValueFit takes iters optimizer steps of V with learning rate lr on the
	// Config's value loss towards targets for observations obs, and returns
	// the loss before each step and after the last.
	ValueFit(obs, targets []float64, iters int, lr float64) ([]float64, error)
	// Params returns a copy of π's parameters then V's (names as
	// "/pi/dense_0/weights", "/pi/log_std", "/v/dense_0/biases").
	Params() []Param
	// SetParams overwrites parameters by name.
	SetParams(ps []Param) error
	// OptimizerState returns the optimizers' state (Adam's moments and
	// step counts) in the learner's own names; SetOptimizerState restores it.
	OptimizerState() []Param
	SetOptimizerState(ps []Param) error
	// Kind is CPULearner or GraphLearner.
	Kind() string

	// version changes whenever the parameters do.
	version() int
}

// PolicySample is what a policy step learns from, one row per step.
type PolicySample struct {
	Obs     []float64 // rows of ObsDim, scaled
	Act     []float64 // rows of ActDim, as sampled
	Psi     []float64 // Ψ_t
	OldLogP []float64 // log π(a_t|s_t) under the parameters that collected the sample
}

// Len is the number of rows.
func (s *PolicySample) Len() int { return len(s.Psi) }

// PolicyStats are a policy objective's value, the mean entropy, the
// approximate KL(π_old‖π) = mean(log π_old − log π) on a sample, and (see
// ratioStats) CleanRL's approx KL and the fraction of steps whose ratio
// ρ = π/π_old is more than ModelConfig.ClipRatio away from 1.
type PolicyStats struct {
	Loss, Entropy, KL  float64
	ApproxKL, ClipFrac float64
}

// take copies the given rows of s (every row when rows is nil) into dst,
// after checking that s holds whole rows for m, that rows index it and that
// the actions are valid.
func (s *PolicySample) take(dst *PolicySample, m *Model, rows []int) error {
	obsDim, actDim, n := m.cfg.ObsDim, m.policy.ActDim(), s.Len()
	if n == 0 || len(s.Obs) != n*obsDim || len(s.Act) != n*actDim || len(s.OldLogP) != n {
		return fmt.Errorf("vpg: policy sample of %d weights has %d observation, %d action and %d log π numbers; want %d×%d, %d×%d and %d",
			n, len(s.Obs), len(s.Act), len(s.OldLogP), n, obsDim, n, actDim, n)
	}
	for i, r := range rows {
		if r < 0 || r >= n {
			return fmt.Errorf("vpg: row %d of the step is %d, want 0 … %d", i, r, n-1)
		}
	}
	dst.Obs = gather(dst.Obs, s.Obs, obsDim, rows)
	dst.Act = gather(dst.Act, s.Act, actDim, rows)
	dst.Psi = gather(dst.Psi, s.Psi, 1, rows)
	dst.OldLogP = gather(dst.OldLogP, s.OldLogP, 1, rows)
	return m.head.checkActions(dst.Act)
}

// gather copies the given rows (all when rows is nil) of data, rows of
// width dim, into dst.
func gather(dst, data []float64, dim int, rows []int) []float64 {
	if rows == nil {
		return append(dst[:0], data...)
	}
	dst = dst[:0]
	for _, r := range rows {
		dst = append(dst, data[r*dim:(r+1)*dim]...)
	}
	return dst
}

// initStore makes a GoMLX store seeded by cfg.Seed and creates π's
// variables, then V's, by building both networks once: both learners start
// from these values.
func (m *Model) initStore() (*model.Store, error) {
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(int64(m.cfg.Seed)); err != nil {
		return nil, err
	}
	x := tensors.FromShape(shapes.Make(m.dtype, 1, m.cfg.ObsDim))
	_, err := model.CallOnceN(m.backend, store, func(scope *model.Scope, obs *graph.Node) []*graph.Node {
		return []*graph.Node{m.policy.Dist(scope.At(PolicyScope), obs).Params(), m.net(1).Graph(scope.At(ValueScope), obs)}
	}, x)
	if err != nil {
		return nil, fmt.Errorf("vpg: initialising the parameters: %w", err)
	}
	return store, nil
}

// objectiveGraph builds obj from the policy network's outputs out and the
// head's parameters for actions act, weights psi and log π_old old, and
// returns it with log π(a|s) and the entropy per row: the one place both
// learners assemble PolicyTerms.
func objectiveGraph(pol Policy, obj Objective, out *graph.Node, head []*graph.Node, act, psi, old *graph.Node) (loss, logp, ent *graph.Node) {
	d := pol.Head(out, head)
	logp, ent = d.LogProb(act), d.Entropy()
	loss = mustScalar("policy objective", obj(PolicyTerms{LogP: logp, OldLogP: old, Psi: psi, Entropy: ent, Out: out}))
	return loss, logp, ent
}

// mustScalar returns x, or panics (which GoMLX returns as the compilation's
// error) if what a learner's function built is not a scalar.
func mustScalar(what string, x *graph.Node) *graph.Node {
	if x == nil || !x.Shape().IsScalar() {
		shape := "nil"
		if x != nil {
			shape = x.Shape().String()
		}
		panic(fmt.Errorf("vpg: the %s returned %s, want a scalar to minimise", what, shape))
	}
	return x
}

// tensorOf converts rows of data to a tensor [len/cols, cols] (or [len]
// when cols is 0) of dtype.
func tensorOf(dtype dtypes.DType, data []float64, cols int) *tensors.Tensor {
	dims := []int{len(data)}
	if cols > 0 {
		dims = []int{len(data) / cols, cols}
	}
	t := tensors.FromShape(shapes.Make(dtype, dims...))
	fill(t, data)
	return t
}

// netOptimizer is the engine optimizer of the config.
func (c ModelConfig) netOptimizer(lr float64) nn.Optimizer {
	return nn.Optimizer{LR: lr, SGD: c.Optimizer == SGD, Eps: c.AdamEps}
}
