package nb

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/nn"
)

// ValueAndGradient runs f, a GoMLX function of the inputs (Go slices of
// float64 or tensors, one per node of f's argument), on the default backend.
// It returns f's value and, by GoMLX's automatic differentiation, the
// gradient of the sum of its entries with respect to each input, all
// flattened to float64. It is how a cell checks a formula it wrote as a graph
// against the library's, values and gradients:
//
//	v, g := nb.ValueAndGradient(func(in []*graph.Node) *graph.Node { return logSoftmax(in[0]) }, z)
func ValueAndGradient(f func(in []*graph.Node) *graph.Node, inputs ...any) (value []float64, grads [][]float64) {
	out, err := graph.ExecOnceN(nn.Backend(), func(in []*graph.Node) []*graph.Node {
		y := f(in)
		return append([]*graph.Node{y}, graph.Gradient(graph.ReduceAllSum(y), in...)...)
	}, inputs...)
	if err != nil {
		Must(0, fmt.Errorf("nb.ValueAndGradient: %w", err))
	}
	flat := make([][]float64, len(out))
	for i, t := range out {
		flat[i] = Must(tensors.CopyFlatData[float64](t))
	}
	return flat[0], flat[1:]
}

// Flatten is the values of ps, one parameter tensor after the other (as
// Model.PolicyParams or Model.ValueParams list them): two trainers with equal
// Flatten(PolicyParams()) act alike.
func Flatten(ps []vpg.Param) []float64 {
	values := make([][]float64, len(ps))
	for i, p := range ps {
		values[i] = p.Values
	}
	return slices.Concat(values...)
}
