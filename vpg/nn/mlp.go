package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// Variable names inside each layer's scope.
const (
	WeightsName = "weights"
	BiasesName  = "biases"
)

// LayerScope is the context scope of the i-th dense layer of an MLP: "dense_0", "dense_1", ...
func LayerScope(i int) string { return fmt.Sprintf("dense_%d", i) }

// Net is the one definition of a multi-layer perceptron: In inputs, one
// dense layer with Activation per entry of Hidden, then a linear layer with
// Out units, computed in DType. The GoMLX graph (Graph, MLP) and the CPU
// engine (Net.Engine) are both built from it.
//
// Layer i keeps its parameters in a context scope LayerScope(i), as
// variables "weights" [fan_in, fan_out] and "biases" [fan_out].
type Net struct {
	In         int
	Hidden     []int
	Out        int
	Activation Activation   // "" means Tanh
	DType      dtypes.DType // Float32 or Float64
}

// Validate reports the first bad field of n.
func (n Net) Validate() error {
	if n.In < 1 {
		return fmt.Errorf("nn: Net.In = %d, the input size must be >= 1", n.In)
	}
	for i, h := range n.Hidden {
		if h < 1 {
			return fmt.Errorf("nn: hidden[%d] = %d, hidden layer sizes must be >= 1", i, h)
		}
	}
	if n.Out < 1 {
		return fmt.Errorf("nn: out = %d, the output size must be >= 1", n.Out)
	}
	if n.DType != dtypes.Float32 && n.DType != dtypes.Float64 {
		return fmt.Errorf("nn: Net.DType = %s, want Float32 or Float64", n.DType)
	}
	_, err := n.activation().funcs()
	return err
}

func (n Net) activation() Activation {
	if n.Activation == "" {
		return Tanh
	}
	return n.Activation
}

// sizes is [In, Hidden..., Out]: layer i maps sizes[i] to sizes[i+1].
func (n Net) sizes() []int {
	return append(append([]int{n.In}, n.Hidden...), n.Out)
}

// Graph applies n to x, shaped [batch, In] of n's DType, and returns
// [batch, Out].
//
// The variables are created on first use and reused afterwards (so a graph
// for training and one for inference that share ctx share the parameters).
// Initialisation matches PyTorch's nn.Linear, as Spinning Up uses: weights
// and biases uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)], drawn from the
// context's random number generator, hence deterministic once
// ctx.SetRNGStateFromSeed (or the ParamInitialSeed hyper-parameter) fixed
// its seed.
//
// The dense layers carry custom gradients (see dense), so GoMLX autodiff of
// any loss built on the output, with respect to the parameters or to x,
// runs as matrix products; second derivatives are not supported. As with
// GoMLX's own layers, a checked context (the default of context.New) must
// be marked Reuse for a second graph that shares the variables;
// context.Exec does that itself when it retraces.
//
// A bad Net or an x of the wrong shape panics, which context.Exec returns
// as an error.
func (n Net) Graph(ctx *context.Context, x *graph.Node) *graph.Node {
	if err := n.Validate(); err != nil {
		panic(err)
	}
	if x.Rank() != 2 || x.DType() != n.DType || x.Shape().Dimensions[1] != n.In {
		panic(fmt.Errorf("nn: input must be a %s matrix [batch, %d], got %s", n.DType, n.In, x.Shape()))
	}
	act, _ := n.activation().funcs()
	h := x
	for i, size := range n.Hidden {
		h = act.graph(dense(ctx.In(LayerScope(i)), h, size))
	}
	return dense(ctx.In(LayerScope(len(n.Hidden))), h, n.Out)
}

// MLP is Net{In: x's columns, Hidden: hidden, Out: out, Activation: Tanh,
// DType: x's dtype}.Graph(ctx, x): the tanh network of the tutorial.
func MLP(ctx *context.Context, x *graph.Node, hidden []int, out int) *graph.Node {
	if x.Rank() != 2 || !x.DType().IsFloat() {
		panic(fmt.Errorf("nn.MLP: input must be a float matrix [batch, features], got %s", x.Shape()))
	}
	return Net{In: x.Shape().Dimensions[1], Hidden: hidden, Out: out, Activation: Tanh, DType: x.DType()}.Graph(ctx, x)
}

// dense returns x·W + b with the layer's variables from ctx, wired so that
// its gradients are matrix products.
//
// GoMLX's own gradient of a matrix product materialises the
// [batch, in, out] outer product and sums it, an order of magnitude more
// work than the products themselves. Here the product's inputs and output
// pass through identities with custom gradients instead: the output's
// identity records the adjoint g = ∂L/∂(x·W) as autodiff reaches it, and the
// input identities, which autodiff reaches later (it walks nodes in reverse
// creation order), replace the slow adjoints with ∂L/∂x = g·Wᵀ and
// ∂L/∂W = xᵀ·g. The slow adjoints are then never consumed, and the backends
// drop unused nodes before running the graph. The bias keeps GoMLX's own
// gradient, a sum of g over the batch, which is already cheap because the
// bias is broadcast explicitly.
func dense(ctx *context.Context, x *graph.Node, out int) *graph.Node {
	batch, in := x.Shape().Dimensions[0], x.Shape().Dimensions[1]
	wVar, bVar := layerVars(ctx, x.DType(), in, out)
	g := x.Graph()
	w, b := wVar.ValueGraph(g), bVar.ValueGraph(g)

	var adjoint *graph.Node // ∂L/∂(x·W), set during autodiff before the input identities need it.
	xIn := graph.IdentityWithCustomGradient(x, func(_, _ *graph.Node) *graph.Node {
		return matMulT(adjoint, w) // g·Wᵀ: [batch, in]
	})
	wIn := graph.IdentityWithCustomGradient(w, func(_, _ *graph.Node) *graph.Node {
		return matMulTA(x, adjoint) // xᵀ·g: [in, out]
	})
	product := graph.IdentityWithCustomGradient(matMul(xIn, wIn), func(_, v *graph.Node) *graph.Node {
		adjoint = v
		return v
	})
	bias := graph.BroadcastToDims(graph.ExpandAxes(b, 0), batch, out)
	return graph.Add(product, bias)
}

// layerVars returns (creating if needed) the weights and biases of a dense layer.
func layerVars(ctx *context.Context, dtype dtypes.DType, in, out int) (w, b *context.Variable) {
	bound := 1 / math.Sqrt(float64(in))
	ctx = ctx.WithInitializer(func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		u := ctx.RandomUniform(g, shape) // [0, 1)
		return graph.AddScalar(graph.MulScalar(u, 2*bound), -bound)
	})
	w = ctx.VariableWithShape(WeightsName, shapes.Make(dtype, in, out))
	b = ctx.VariableWithShape(BiasesName, shapes.Make(dtype, out))
	return w, b
}
