package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// autodiffMLP is the same network as MLP, on the same variables, written
// with plain GoMLX ops so that GoMLX's own autodiff differentiates it: the
// reference for MLP's custom gradients.
func autodiffMLP(ctx *context.Context, x *graph.Node, hidden []int, out int) *graph.Node {
	h := x
	for i, size := range append(append([]int{}, hidden...), out) {
		batch, in := h.Shape().Dimensions[0], h.Shape().Dimensions[1]
		w, b := layerVars(ctx.In(LayerScope(i)), h.DType(), in, size)
		g := h.Graph()
		h = graph.Add(graph.Dot(h, w.ValueGraph(g)),
			graph.BroadcastToDims(graph.ExpandAxes(b.ValueGraph(g), 0), batch, size))
		if i < len(hidden) {
			h = graph.Tanh(h)
		}
	}
	return h
}

type mlpFunc func(ctx *context.Context, x *graph.Node, hidden []int, out int) *graph.Node

// lossAndGrads builds loss = Σ c ⊙ sin(net(x)) (c fixed, so every output
// gets a different adjoint) and returns its gradients with respect to every
// layer's weights and biases and to x, flattened in that order.
func lossAndGrads(t *testing.T, ctx *context.Context, net mlpFunc, x, c *tensors.Tensor, hidden []int, out int) [][]float64 {
	t.Helper()
	exec := context.MustNewExec(Backend(), ctx, func(ctx *context.Context, x, c *graph.Node) []*graph.Node {
		loss := graph.ReduceAllSum(graph.Mul(c, graph.Sin(net(ctx, x, hidden, out))))
		var wrt []*graph.Node
		for i := 0; i <= len(hidden); i++ {
			for _, name := range []string{WeightsName, BiasesName} {
				wrt = append(wrt, ctx.GetVariableByScopeAndName("/"+LayerScope(i), name).ValueGraph(x.Graph()))
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

// TestMLPGradientMatchesAutodiff compares MLP's custom gradients with GoMLX
// autodiff of the same math, at sizes that take every product formulation
// (batches split in rows and in sums, a prime batch that cannot be split, a
// small batch) and in both float dtypes.
func TestMLPGradientMatchesAutodiff(t *testing.T) {
	for _, tc := range []struct {
		dtype     dtypes.DType
		batch, in int
		hidden    []int
		out       int
		relTol    float64
	}{
		{dtypes.Float64, 1200, 3, []int{24, 20}, 1, 1e-9},
		{dtypes.Float64, 1200, 3, []int{24, 20}, 2, 1e-9},
		{dtypes.Float64, 1201, 5, []int{17}, 3, 1e-9},
		{dtypes.Float64, 5, 4, []int{8, 8}, 2, 1e-9},
		{dtypes.Float64, 7, 2, nil, 3, 1e-9},
		{dtypes.Float32, 1200, 4, []int{32, 32}, 1, 1e-5},
	} {
		t.Run(fmt.Sprintf("%s/batch=%d/in=%d/hidden=%v/out=%d", tc.dtype, tc.batch, tc.in, tc.hidden, tc.out), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.batch), 7))
			x := randomTensor(rng, tc.dtype, tc.batch, tc.in)
			c := randomTensor(rng, tc.dtype, tc.batch, tc.out)
			ctx := newCtx(t, 3)
			got := lossAndGrads(t, ctx, MLP, x, c, tc.hidden, tc.out)
			want := lossAndGrads(t, ctx.Reuse(), autodiffMLP, x, c, tc.hidden, tc.out)
			for i := range want {
				// Relative to the largest entry of each gradient: float32 sums
				// of thousands of terms in a different order differ by more
				// than 1e-5 on entries that nearly cancel.
				scale := 0.0
				for _, v := range want[i] {
					scale = max(scale, math.Abs(v))
				}
				for j := range want[i] {
					if d := math.Abs(got[i][j] - want[i][j]); d > tc.relTol*max(scale, 1e-30) {
						t.Fatalf("output %d (0 = loss, then weights/biases per layer, then x) entry %d: %v, autodiff %v (|Δ| %.3g, scale %.3g)",
							i, j, got[i][j], want[i][j], d, scale)
					}
				}
			}
		})
	}
}

// withPlainForms runs fn with the products in the form other backends (XLA)
// get, on the pure-Go backend.
func withPlainForms(fn func()) {
	saved := splitForms
	splitForms = func(*graph.Node) bool { return false }
	defer func() { splitForms = saved }()
	fn()
}

// TestPlainFormsMatchSplitForms checks the graph XLA would run against the
// one SimpleGo runs: MLP's loss and gradients agree to rounding at sizes
// where SimpleGo's products are split in rows (narrow inputs) and in sums
// (the weight gradients over more than gramRows rows), and a plain form
// really was built for the other backends.
func TestPlainFormsMatchSplitForms(t *testing.T) {
	for _, tc := range []struct {
		batch, in int
		hidden    []int
		out       int
	}{
		{1200, 3, []int{24, 20}, 1},
		{2400, 4, []int{64}, 2},
	} {
		t.Run(fmt.Sprintf("batch=%d/in=%d/hidden=%v/out=%d", tc.batch, tc.in, tc.hidden, tc.out), func(t *testing.T) {
			if rowSplit(tc.batch, tc.hidden[0]) == 1 || gramSplit(tc.batch) == 1 {
				t.Fatalf("batch %d does not take SimpleGo's split forms", tc.batch)
			}
			rng := rand.New(rand.NewPCG(uint64(tc.batch), 8))
			x := randomTensor(rng, dtypes.Float64, tc.batch, tc.in)
			c := randomTensor(rng, dtypes.Float64, tc.batch, tc.out)
			ctx := newCtx(t, 4)
			split := lossAndGrads(t, ctx, MLP, x, c, tc.hidden, tc.out)
			var plain [][]float64
			withPlainForms(func() { plain = lossAndGrads(t, ctx.Reuse(), MLP, x, c, tc.hidden, tc.out) })
			for i := range split {
				for j := range split[i] {
					if d := math.Abs(plain[i][j] - split[i][j]); d > 1e-10*(1+math.Abs(split[i][j])) {
						t.Fatalf("output %d (0 = loss, then weights/biases per layer, then x) entry %d: plain forms %v, split forms %v",
							i, j, plain[i][j], split[i][j])
					}
				}
			}
		})
	}
	// The plain forms are single products; SimpleGo's are not.
	isProduct := func(n *graph.Node) bool {
		return n.Type() == graph.NodeTypeDot || n.Type() == graph.NodeTypeDotGeneral
	}
	build := func() map[string]*graph.Node {
		g := graph.NewGraph(Backend(), "forms")
		a := graph.Parameter(g, "a", shapes.Make(dtypes.Float32, 1200, 3))
		w := graph.Parameter(g, "w", shapes.Make(dtypes.Float32, 3, 24))
		return map[string]*graph.Node{"matMul": matMul(a, w), "matMulT": matMulT(a, graph.Transpose(w, 0, 1)), "matMulTA": matMulTA(a, a)}
	}
	for name, n := range build() {
		if isProduct(n) {
			t.Errorf("%s on SimpleGo is one %s node, want its split form", name, n.Type())
		}
	}
	withPlainForms(func() {
		for name, n := range build() {
			if !isProduct(n) {
				t.Errorf("%s in plain form is a %s node, want one product", name, n.Type())
			}
		}
	})
}
