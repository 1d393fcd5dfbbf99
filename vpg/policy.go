package vpg

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/govpg/govpg/vpg/nn"
	"github.com/govpg/govpg/vpg/pg"
)

// Policy is π_θ(a|s): a network that maps a batch of observations to a
// distribution over actions (the tutorial's "Breaking down the policy
// gradient"). The graph side (Dist) is differentiated by GoMLX; sampling runs
// in Go on the distribution parameters that one forward pass returns for all
// environments.
type Policy interface {
	// Dist builds π(·|s) for obs shaped [batch, obsDim]; its parameters live
	// in ctx (scope "pi" in a Model).
	Dist(ctx *context.Context, obs *graph.Node) Dist
	// ParamDim is the width of one row of Dist.Params.
	ParamDim() int
	// ActDim is the length of one action vector (1 for a discrete action).
	ActDim() int
	// Sample writes into act an action drawn from the distribution whose
	// parameters are params (one row of Dist.Params), or its most likely
	// action when greedy is set. rng makes it reproducible.
	Sample(params []float64, rng *rand.Rand, greedy bool, act []float64)
}

// cpuHead is the part of a policy family after its MLP, on the CPU: how many
// outputs the MLP has, which extra variables (under the policy scope) the
// head reads, and how the MLP's outputs and those variables make the rows
// of Dist.Params. Every family the Model builds implements it; one that
// does not is an error when the model is made.
type cpuHead interface {
	outputs() int
	headVars() []string
	params(dst, out []float64, vars [][]float64, batch int)
}

// cpuPolicyLoss is a policy family whose loss L(θ) = −mean(log π(a|s)·w)
// also runs on π's CPU engine. lossHead returns L as an nn.Head of the
// MLP's outputs for actions act and weights w (one per row), writing each
// row's log π(a|s) into logp and its entropy into ent; checkActions says
// whether act holds valid actions. A family without extra variables
// (Categorical) can implement it; the others take their step as a graph.
type cpuPolicyLoss interface {
	lossHead(act, w, logp, ent []float64) nn.Head
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
func (p Categorical) Dist(ctx *context.Context, obs *graph.Node) Dist {
	return categoricalDist{graph.LogSoftmax(nn.MLP(ctx, obs, p.Hidden, p.N), -1)}
}

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

func (p Categorical) outputs() int       { return p.N }
func (p Categorical) headVars() []string { return nil }

// params turns logits into log-probabilities, row by row, as Dist does.
func (p Categorical) params(dst, out []float64, _ [][]float64, batch int) {
	copy(dst[:batch*p.N], out)
	for r := range batch {
		pg.LogSoftmaxInPlace(dst[r*p.N : (r+1)*p.N])
	}
}

// checkActions implements cpuPolicyLoss: every action is an index in [0, N).
func (p Categorical) checkActions(act []float64) error {
	for i, a := range act {
		if !(a >= 0 && a < float64(p.N)) || a != math.Trunc(a) {
			return fmt.Errorf("vpg: action %d is %v, want an integer in [0, %d)", i, a, p.N)
		}
	}
	return nil
}

// lossHead implements cpuPolicyLoss. With log π = log-softmax(z) of the
// logits z, ∂L/∂z_k = −w/N·(1[k = a] − π_k).
func (p Categorical) lossHead(act, w, logp, ent []float64) nn.Head {
	n := float64(len(w))
	return func(lo int, f, g []float64) float64 {
		ls := make([]float64, p.N)
		var sum float64
		for r := 0; r*p.N < len(f); r++ {
			i, z := lo+r, f[r*p.N:(r+1)*p.N]
			copy(ls, z)
			pg.LogSoftmaxInPlace(ls)
			a := int(act[i])
			logp[i] = ls[a]
			sum -= ls[a] * w[i]
			h := 0.0
			for k, l := range ls {
				pk := math.Exp(l)
				h -= pk * l
				if g != nil {
					hit := 0.0
					if k == a {
						hit = 1
					}
					g[r*p.N+k] = -w[i] / n * (hit - pk)
				}
			}
			ent[i] = h
		}
		return sum / n
	}
}

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
func (p DiagGaussian) Dist(ctx *context.Context, obs *graph.Node) Dist {
	mu := nn.MLP(ctx, obs, p.Hidden, p.Dim)
	init := make([]float64, p.Dim)
	for i := range init {
		init[i] = p.LogStdInit
	}
	logStdVar := ctx.VariableWithValue(LogStdName, castSlice(init, obs.DType()))
	return gaussianDist{mu: mu, logStd: logStdVar.ValueGraph(obs.Graph())}
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

func (p DiagGaussian) outputs() int       { return p.Dim }
func (p DiagGaussian) headVars() []string { return []string{LogStdName} }

// params writes μ‖log σ per row, as Dist does.
func (p DiagGaussian) params(dst, out []float64, vars [][]float64, batch int) {
	for r := range batch {
		row := dst[r*2*p.Dim : (r+1)*2*p.Dim]
		copy(row[:p.Dim], out[r*p.Dim:(r+1)*p.Dim])
		copy(row[p.Dim:], vars[0])
	}
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
