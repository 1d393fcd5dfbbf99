package vpg

import (
	"github.com/gomlx/gomlx/core/graph"
)

// PolicyTerms are what a policy objective is built from: GoMLX nodes with
// one entry per step of the batch (or of the rows a step uses).
type PolicyTerms struct {
	LogP    *graph.Node // [n] log π_θ(a_t|s_t) under the current parameters
	OldLogP *graph.Node // [n] log π(a_t|s_t) under the parameters that collected the batch (a constant)
	Psi     *graph.Node // [n] the weights Ψ_t (a constant)
	Entropy *graph.Node // [n] H(π_θ(·|s_t))
	Out     *graph.Node // [n, k] the policy network's raw outputs: logits (Categorical) or μ (DiagGaussian)
}

// Objective builds the scalar that a policy step minimises. GoMLX
// differentiates it: on the CPU learner with respect to the network's
// outputs (the engine takes the gradient through the network), on the
// graph learner with respect to every parameter. It must use only GoMLX
// operations on the terms, so that it is differentiable.
type Objective func(PolicyTerms) *graph.Node

// VPGObjective is the vanilla policy gradient surrogate
//
//	L(θ) = −1/N Σ_t log π_θ(a_t|s_t)·Ψ_t,
//
// whose gradient is −ĝ, so a step that decreases it ascends the policy
// gradient (the tutorial's "Breaking down the policy gradient"). It is
// the default Config.Objective.
func VPGObjective(t PolicyTerms) *graph.Node {
	return graph.Neg(graph.ReduceAllMean(graph.Mul(t.LogP, t.Psi)))
}

// ValueLoss builds the scalar that a value step minimises from the
// predictions v = V_φ(s_t) and the targets R̂_t (both [n]).
type ValueLoss func(v, target *graph.Node) *graph.Node

// MSE is the mean squared error 1/N Σ_t (V_φ(s_t) − R̂_t)², the default
// Config.ValueLoss (Spinning Up's value regression).
func MSE(v, target *graph.Node) *graph.Node {
	return graph.ReduceAllMean(graph.Square(graph.Sub(v, target)))
}
