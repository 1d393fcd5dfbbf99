package nn

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gomlx/gomlx/core/graph"
)

// Activation names the nonlinearity after each hidden layer of a Net.
type Activation string

// The activations a Net can use. Adding one means one entry in activations
// (graph form, CPU forms and derivative) plus its tests.
const (
	Tanh Activation = "tanh"
	ReLU Activation = "relu"
)

// activationFuncs is one activation in every form the package needs: the
// graph op, and in-place CPU forms of the function (fused with the bias
// add before it, to pass over the layer's outputs once) and of its
// derivative. The derivative is written with the activation's output y
// (tanh′ = 1 − y²), which is what the backward pass keeps.
type activationFuncs struct {
	graph         func(x *graph.Node) *graph.Node
	apply32       func(y, b []float32) // y ← f(y + b) on every row of y (rows of len(b))
	apply64       func(y, b []float64)
	scaleByGrad32 func(g, y []float32) // g ← g ⊙ f′, f′ from the outputs y
	scaleByGrad64 func(g, y []float64)
}

var activations = map[Activation]activationFuncs{
	Tanh: {
		graph:   graph.Tanh,
		apply32: addTanh32,
		apply64: func(y, b []float64) {
			for i := range y {
				y[i] = math.Tanh(y[i] + b[i%len(b)])
			}
		},
		scaleByGrad32: tanhGrad32,
		scaleByGrad64: func(g, y []float64) {
			for i, v := range y[:len(g)] {
				g[i] *= 1 - v*v
			}
		},
	},
	ReLU: {
		graph:   func(x *graph.Node) *graph.Node { return graph.Max(x, graph.ZerosLike(x)) },
		apply32: addReLU[float32],
		apply64: addReLU[float64],
		scaleByGrad32: func(g, y []float32) {
			for i, v := range y[:len(g)] {
				if v <= 0 {
					g[i] = 0
				}
			}
		},
		scaleByGrad64: func(g, y []float64) {
			for i, v := range y[:len(g)] {
				if v <= 0 {
					g[i] = 0
				}
			}
		},
	},
}

// funcs returns a's table entry, or an error naming the known activations.
func (a Activation) funcs() (activationFuncs, error) {
	f, ok := activations[a]
	if !ok {
		var known []string
		for k := range activations {
			known = append(known, string(k))
		}
		slices.Sort(known)
		return f, fmt.Errorf("nn: unknown activation %q, want one of %s", a, strings.Join(known, ", "))
	}
	return f, nil
}

// addReLU sets y ← max(y + b, 0) on every row of y (rows of len(b)).
func addReLU[T float](y, b []T) {
	addBias(y, b)
	for i, v := range y {
		y[i] = max(v, 0)
	}
}
