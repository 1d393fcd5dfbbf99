package vpg

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/nn"
	"github.com/govpg/govpg/vpg/pg"
)

// Policy is π_θ(a|s): a network that maps a batch of observations to a
// distribution over actions (the tutorial's "Breaking down the policy
// gradient"). The graph side (Dist) is differentiated by GoMLX; sampling runs
// in Go on the distribution parameters that one forward pass returns for all
// environments.
type Policy interface {
	// Dist builds π(·|s) for obs shaped [batch, obsDim]: the MLP and the
	// head's parameters live in scope (scope "pi" in a Model).
	Dist(scope *model.Scope, obs *graph.Node) Dist
	// Head builds π(·|s) from the MLP's outputs out [batch, Outputs] and
	// the head's own parameters (HeadParams order): the part of the policy
	// after its network, which learners differentiate with GoMLX.
	Head(out *graph.Node, params []*graph.Node) Dist
	// Outputs is the width of the MLP's output layer.
	Outputs() int
	// HeadParams lists the head's parameters besides the MLP (none for a
	// Categorical, log σ for a DiagGaussian) with their initial values.
	HeadParams() []HeadParam
	// ParamDim is the width of one row of Dist.Params.
	ParamDim() int
	// ActDim is the length of one action vector (1 for a discrete action).
	ActDim() int
	// Sample writes into act an action drawn from the distribution whose
	// parameters are params (one row of Dist.Params), or its most likely
	// action when greedy is set. rng makes it reproducible.
	Sample(params []float64, rng *rand.Rand, greedy bool, act []float64)
}

// HeadParam is a parameter of a policy's head: its name in the policy's
// scope and its initial value.
type HeadParam struct {
	Name string
	Init []float64
}

// cpuHead is the part of a policy family after its MLP, on slices: how the
// MLP's outputs and the head's parameters make the rows of Dist.Params,
// log π(a|s) from one such row, and whether actions are valid. Every family
// the Model builds implements it; one that does not is an error when the
// model is made.
type cpuHead interface {
	params(dst, out []float64, head [][]float64, batch int)
	logProb(params, act []float64) float64
	checkActions(act []float64) error
}

// Dist is a batch of action distributions inside a graph.
type Dist interface {
	// LogProb is log π(a|s) for act shaped [batch, ActDim]: result [batch].
	LogProb(act *graph.Node) *graph.Node
	// Entropy is H(π(·|s)) per observation: result [batch].
	Entropy() *graph.Node
	// Params is the distribution as one row per observation, for sampling
	// outside the graph: log-probabilities [batch, N] (Categorical) or
	// μ‖log σ [batch, 2·ActDim] (DiagGaussian). Not for differentiation.
	Params() *graph.Node
}

// Categorical is a policy over N discrete actions: the MLP outputs logits z
// and log π(a|s) = log-softmax(z)_a (the network outputs log-probabilities
// directly, as the tutorial recommends). Actions travel as one float: the
// index.
type Categorical struct {
	N      int   // number of actions
	Hidden []int // hidden layer sizes of the MLP (tanh)
}

type categoricalDist struct {
	logp *graph.Node // [batch, N], log π(·|s)
}

// Dist implements Policy.
func (p Categorical) Dist(scope *model.Scope, obs *graph.Node) Dist {
	return p.Head(nn.MLP(scope, obs, p.Hidden, p.N), nil)
}

// Head implements Policy: the outputs are the logits.
func (p Categorical) Head(out *graph.Node, _ []*graph.Node) Dist {
	return categoricalDist{graph.LogSoftmax(out, -1)}
}

// Outputs implements Policy: one logit per action.
func (p Categorical) Outputs() int { return p.N }

// HeadParams implements Policy: none.
func (p Categorical) HeadParams() []HeadParam { return nil }

// ParamDim implements Policy: one log-probability per action.
func (p Categorical) ParamDim() int { return p.N }

// ActDim implements Policy: the action is one index.
func (p Categorical) ActDim() int { return 1 }

// Sample implements Policy by inverting the CDF of π(·|s) (greedy: arg max).
func (p Categorical) Sample(params []float64, rng *rand.Rand, greedy bool, act []float64) {
	best := 0
	if greedy {
		for i, l := range params {
			if l > params[best] {
				best = i
			}
		}
		act[0] = float64(best)
		return
	}
	u, cum := rng.Float64(), 0.0
	best = len(params) - 1 // rounding leaves Σp slightly below 1: fall back to the last action
	for i, l := range params {
		cum += math.Exp(l)
		if u < cum {
			best = i
			break
		}
	}
	act[0] = float64(best)
}

// params turns logits into log-probabilities, row by row, as Dist does.
func (p Categorical) params(dst, out []float64, _ [][]float64, batch int) {
	copy(dst[:batch*p.N], out)
	for r := range batch {
		pg.LogSoftmaxInPlace(dst[r*p.N : (r+1)*p.N])
	}
}

// checkActions implements cpuHead: every action is an index in [0, N).
func (p Categorical) checkActions(act []float64) error {
	for i, a := range act {
		if !(a >= 0 && a < float64(p.N)) || a != math.Trunc(a) {
			return fmt.Errorf("vpg: action %d is %v, want an integer in [0, %d)", i, a, p.N)
		}
	}
	return nil
}

// logProb implements cpuHead: params are the log-probabilities.
func (p Categorical) logProb(params, act []float64) float64 { return params[int(act[0])] }

// LogProb picks log π(a|s) with a one-hot mask (a Dot-friendly form whose
// gradient every backend has).
func (d categoricalDist) LogProb(act *graph.Node) *graph.Node {
	n := d.logp.Shape().Dimensions[1]
	idx := graph.ConvertDType(graph.Reshape(act, act.Shape().Dimensions[0]), dtypes.Int32)
	return graph.ReduceSum(graph.Mul(graph.OneHot(idx, n, d.logp.DType()), d.logp), -1)
}

// Entropy is H = −Σ_a π(a|s) log π(a|s).
func (d categoricalDist) Entropy() *graph.Node {
	return graph.Neg(graph.ReduceSum(graph.Mul(graph.Exp(d.logp), d.logp), -1))
}

func (d categoricalDist) Params() *graph.Node { return d.logp }

// DiagGaussian is a policy over continuous actions in R^Dim: the MLP outputs
// the mean μ(s) and a state-independent parameter vector holds log σ
// (variable "log_std", initialised to LogStdInit), as in Spinning Up.
type DiagGaussian struct {
	Dim        int     // action dimension n
	Hidden     []int   // hidden layer sizes of the MLP (tanh)
	LogStdInit float64 // initial log σ for every dimension (Spinning Up: −0.5)
}

// LogStdName is the variable that holds log σ of a DiagGaussian policy.
const LogStdName = "log_std"

type gaussianDist struct {
	mu, logStd *graph.Node // [batch, n] and [n]
}

// Dist implements Policy.
func (p DiagGaussian) Dist(scope *model.Scope, obs *graph.Node) Dist {
	mu := nn.MLP(scope, obs, p.Hidden, p.Dim)
	logStd := scope.VariableWithValue(LogStdName, castSlice(p.HeadParams()[0].Init, obs.DType()))
	return p.Head(mu, []*graph.Node{logStd.NodeValue(obs.Graph())})
}

// Head implements Policy: the outputs are μ, params[0] is log σ.
func (p DiagGaussian) Head(out *graph.Node, params []*graph.Node) Dist {
	return gaussianDist{mu: out, logStd: params[0]}
}

// Outputs implements Policy: μ.
func (p DiagGaussian) Outputs() int { return p.Dim }

// HeadParams implements Policy: log σ, LogStdInit in every dimension.
func (p DiagGaussian) HeadParams() []HeadParam {
	init := make([]float64, p.Dim)
	for i := range init {
		init[i] = p.LogStdInit
	}
	return []HeadParam{{Name: LogStdName, Init: init}}
}

// ParamDim implements Policy: μ and log σ.
func (p DiagGaussian) ParamDim() int { return 2 * p.Dim }

// ActDim implements Policy.
func (p DiagGaussian) ActDim() int { return p.Dim }

// Sample implements Policy: a = μ + σ·ε with ε ~ N(0, I) (greedy: a = μ).
func (p DiagGaussian) Sample(params []float64, rng *rand.Rand, greedy bool, act []float64) {
	mu, logStd := params[:p.Dim], params[p.Dim:]
	for i := range act {
		act[i] = mu[i]
		if !greedy {
			act[i] += math.Exp(logStd[i]) * rng.NormFloat64()
		}
	}
}

// params writes μ‖log σ per row, as Dist does.
func (p DiagGaussian) params(dst, out []float64, head [][]float64, batch int) {
	for r := range batch {
		row := dst[r*2*p.Dim : (r+1)*2*p.Dim]
		copy(row[:p.Dim], out[r*p.Dim:(r+1)*p.Dim])
		copy(row[p.Dim:], head[0])
	}
}

// logProb implements cpuHead with DiagGaussianLogProb.
func (p DiagGaussian) logProb(params, act []float64) float64 {
	return pg.DiagGaussianLogProb(act, params[:p.Dim], params[p.Dim:])
}

// checkActions implements cpuHead: any finite action is in the support.
func (p DiagGaussian) checkActions(act []float64) error {
	for i, a := range act {
		if math.IsNaN(a) || math.IsInf(a, 0) {
			return fmt.Errorf("vpg: action value %d is %v, want finite numbers", i, a)
		}
	}
	return nil
}

// LogProb is the tutorial's formula, term by term:
// log π(a|s) = −½ (n log 2π + Σ_i [(a_i − μ_i)²/σ_i² + 2 log σ_i]).
func (d gaussianDist) LogProb(act *graph.Node) *graph.Node {
	g := act.Graph()
	dt := d.mu.DType()
	n := d.mu.Shape().Dimensions[1]
	logStd := graph.ExpandAxes(d.logStd, 0) // [1, n], broadcast over the batch
	invVar := graph.Exp(graph.MulScalar(logStd, -2))
	terms := graph.Add(graph.Mul(graph.Square(graph.Sub(act, d.mu)), invVar), graph.MulScalar(logStd, 2))
	nLog2Pi := graph.Scalar(g, dt, float64(n)*math.Log(2*math.Pi))
	return graph.MulScalar(graph.Add(graph.ReduceSum(terms, -1), nLog2Pi), -0.5)
}

// Entropy is H = Σ_i (log σ_i + ½ log 2πe), the same for every state.
func (d gaussianDist) Entropy() *graph.Node {
	batch := d.mu.Shape().Dimensions[0]
	h := graph.AddScalar(graph.ReduceAllSum(d.logStd), 0.5*float64(d.mu.Shape().Dimensions[1])*math.Log(2*math.Pi*math.E))
	return graph.BroadcastToDims(h, batch)
}

// Params is μ‖log σ per row.
func (d gaussianDist) Params() *graph.Node {
	batch, n := d.mu.Shape().Dimensions[0], d.mu.Shape().Dimensions[1]
	return graph.Concatenate([]*graph.Node{d.mu, graph.BroadcastToDims(graph.ExpandAxes(d.logStd, 0), batch, n)}, 1)
}

// castSlice converts a float64 slice to the Go type of dtype (for variable values).
func castSlice(x []float64, dtype dtypes.DType) any {
	if dtype == dtypes.Float64 {
		return x
	}
	out := make([]float32, len(x))
	for i, v := range x {
		out[i] = float32(v)
	}
	return out
}
