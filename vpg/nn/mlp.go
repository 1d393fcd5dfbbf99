package nn

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Variable names inside each layer's scope.
const (
	WeightsName = "weights"
	BiasesName  = "biases"
)

// LayerScope is the scope of the i-th dense layer of an MLP: "dense_0", "dense_1", ...
func LayerScope(i int) string { return fmt.Sprintf("dense_%d", i) }

// Net is the one definition of a multi-layer perceptron: In inputs, one
// dense layer with Activation per entry of Hidden, then a linear layer with
// Out units, computed in DType. The GoMLX graph (Graph, MLP) and the CPU
// engine (Net.Engine) are both built from it.
//
// Layer i keeps its parameters in the scope LayerScope(i), as
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
// for training and one for inference on the same store share the
// parameters). Initialisation matches PyTorch's nn.Linear, as Spinning Up
// uses: weights and biases uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)],
// drawn from the store's random number generator, hence deterministic once
// Store.SetRNGStateFromSeed fixed its seed.
//
// A bad Net or an x of the wrong shape panics, which model.Exec returns as
// an error.
func (n Net) Graph(scope *model.Scope, x *graph.Node) *graph.Node {
	if err := n.Validate(); err != nil {
		panic(err)
	}
	if x.Rank() != 2 || x.DType() != n.DType || x.Shape().Dimensions[1] != n.In {
		panic(fmt.Errorf("nn: input must be a %s matrix [batch, %d], got %s", n.DType, n.In, x.Shape()))
	}
	act, _ := n.activation().funcs()
	h := x
	for i, size := range n.Hidden {
		h = act.graph(dense(scope.At("%s", LayerScope(i)), h, size))
	}
	return dense(scope.At("%s", LayerScope(len(n.Hidden))), h, n.Out)
}

// MLP is Net{In: x's columns, Hidden: hidden, Out: out, Activation: Tanh,
// DType: x's dtype}.Graph(scope, x): the tanh network of the tutorial.
func MLP(scope *model.Scope, x *graph.Node, hidden []int, out int) *graph.Node {
	if x.Rank() != 2 || !x.DType().IsFloat() {
		panic(fmt.Errorf("nn.MLP: input must be a float matrix [batch, features], got %s", x.Shape()))
	}
	return Net{In: x.Shape().Dimensions[1], Hidden: hidden, Out: out, Activation: Tanh, DType: x.DType()}.Graph(scope, x)
}

// dense returns x·W + b with the layer's variables from scope; GoMLX's
// autodiff gives its gradients (since v0.28 as matrix products).
func dense(scope *model.Scope, x *graph.Node, out int) *graph.Node {
	in := x.Shape().Dimensions[1]
	wVar, bVar := layerVars(scope, x.DType(), in, out)
	g := x.Graph()
	return graph.Add(graph.Dot(x, wVar.NodeValue(g)).Product(), graph.ExpandAxes(bVar.NodeValue(g), 0))
}

// layerVars returns (creating if needed) the weights and biases of a dense layer.
func layerVars(scope *model.Scope, dtype dtypes.DType, in, out int) (w, b *model.Variable) {
	bound := 1 / math.Sqrt(float64(in))
	scope = scope.WithInitializer(func(g *graph.Graph, shape shapes.Shape) *graph.Node {
		u := scope.RandomUniform(g, shape) // [0, 1)
		return graph.AddScalar(graph.MulScalar(u, 2*bound), -bound)
	})
	w = scope.VariableWithShape(WeightsName, shapes.Make(dtype, in, out))
	b = scope.VariableWithShape(BiasesName, shapes.Make(dtype, out))
	return w, b
}
