package nn

import (
	"math/rand/v2"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// lossAndGrads builds loss = Σ c ⊙ sin(net(x)) (c fixed, so every output
// gets a different adjoint) and returns its gradients with respect to every
// layer's weights and biases and to x, flattened in that order.
func lossAndGrads(t *testing.T, scope *model.Store, x, c *tensors.Tensor, hidden []int, out int) [][]float64 {
	t.Helper()
	exec := model.MustNewExec(Backend(), scope, func(scope *model.Scope, x, c *graph.Node) []*graph.Node {
		loss := graph.ReduceAllSum(graph.Mul(c, graph.Sin(MLP(scope, x, hidden, out))))
		var wrt []*graph.Node
		for i := 0; i <= len(hidden); i++ {
			for _, name := range []string{WeightsName, BiasesName} {
				wrt = append(wrt, scope.Store().GetVariable("/"+LayerScope(i)+"/"+name).NodeValue(x.Graph()))
			}
		}
		return append([]*graph.Node{loss}, graph.Gradient(loss, append(wrt, x)...)...)
	})
	outs, err := exec.Exec(x, c)
	if err != nil {
		t.Fatal(err)
	}
	res := make([][]float64, len(outs))
	for i, o := range outs {
		res[i] = float64sOf(t, o)
	}
	return res
}

func randomTensor(rng *rand.Rand, dtype dtypes.DType, dims ...int) *tensors.Tensor {
	t := tensors.FromShape(shapes.Make(dtype, dims...))
	t.MustMutableFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i := range f {
				f[i] = float32(rng.NormFloat64())
			}
		case []float64:
			for i := range f {
				f[i] = rng.NormFloat64()
			}
		}
	})
	return t
}
