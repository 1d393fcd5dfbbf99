package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// graphFit builds the reference for Regressor: the mean squared error of
// autodiffMLP (GoMLX's own gradient) minimised by GoMLX's Adam or SGD.
func graphFit(t *testing.T, ctx *context.Context, hidden []int, out int, lr float64, sgd bool) *context.Exec {
	t.Helper()
	opt := optimizers.Adam().LearningRate(lr).Epsilon(AdamEpsilon).Betas(AdamBeta1, AdamBeta2).Done()
	if sgd {
		opt = optimizers.StochasticGradientDescent().WithLearningRate(lr).WithDecay(false).Done()
	}
	return context.MustNewExec(Backend(), ctx, func(ctx *context.Context, x, y *graph.Node) *graph.Node {
		loss := graph.ReduceAllMean(graph.Square(graph.Sub(autodiffMLP(ctx, x, hidden, out), y)))
		opt.UpdateGraph(ctx, x.Graph(), loss)
		return loss
	})
}

// paramsOf reads every layer's weights and biases, in layer order.
func paramsOf(t *testing.T, ctx *context.Context, layers int) [][]float64 {
	t.Helper()
	var ps [][]float64
	for i := range layers {
		w, b, _, _ := layerValues(t, ctx, i)
		ps = append(ps, w, b)
	}
	return ps
}

// TestRegressorMatchesGraph runs the same steps with Regressor and with
// GoMLX (autodiff and its optimizers) from the same initial parameters and
// compares the losses and the parameters after every step. Halfway through,
// the Regressor writes its parameters back and reads them again, as the
// trainer does between epochs: Adam's state must survive that.
func TestRegressorMatchesGraph(t *testing.T) {
	for _, tc := range []struct {
		batch, in int
		hidden    []int
		out       int
		sgd       bool
	}{
		{4000, 4, []int{64, 64}, 1, false}, // VPG's value network on CartPole
		{999, 3, []int{16, 8}, 2, false},   // odd sizes, several outputs
		{50, 2, []int{5}, 1, true},
		{10, 3, nil, 1, false}, // linear regression
	} {
		t.Run(fmt.Sprintf("batch=%d/hidden=%v/out=%d/sgd=%v", tc.batch, tc.hidden, tc.out, tc.sgd), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.batch), 11))
			xT := randomTensor(rng, dtypes.Float32, tc.batch, tc.in)
			yT := randomTensor(rng, dtypes.Float32, tc.batch, tc.out)
			x, y := tensors.MustCopyFlatData[float32](xT), tensors.MustCopyFlatData[float32](yT)
			const lr = 3e-3
			refCtx, ctx := newCtx(t, 5), newCtx(t, 5)
			ref := graphFit(t, refCtx, tc.hidden, tc.out, lr, tc.sgd)
			// Create the fitted context's variables with the same initial values.
			context.MustExecOnce(Backend(), ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
				return MLP(ctx, x, tc.hidden, tc.out)
			}, xT)
			fit := &Regressor{LR: lr, SGD: tc.sgd}
			if err := fit.Read(ctx); err != nil {
				t.Fatal(err)
			}
			layers := len(tc.hidden) + 1
			for step := range 6 {
				if step == 3 {
					if err := fit.Write(); err != nil {
						t.Fatal(err)
					}
					if err := fit.Read(ctx); err != nil {
						t.Fatal(err)
					}
				}
				want := tensors.ToScalar[float32](ref.MustExec1(xT, yT))
				got := fit.Step(x, y)
				if d := math.Abs(got - float64(want)); d > 1e-5*math.Abs(float64(want)) {
					t.Fatalf("step %d: loss %v, GoMLX %v", step, got, want)
				}
			}
			if l := fit.Loss(x, y); l <= 0 || math.IsNaN(l) {
				t.Fatalf("Loss = %v after the steps, want a positive number", l)
			}
			if err := fit.Write(); err != nil {
				t.Fatal(err)
			}
			got, want := paramsOf(t, ctx, layers), paramsOf(t, refCtx, layers)
			for i := range want {
				for j := range want[i] {
					// Adam's steps are ±α-sized whatever the gradient's size,
					// so compare relative to α as well as to the value.
					if d := math.Abs(got[i][j] - want[i][j]); d > 1e-5*math.Abs(want[i][j])+1e-3*lr {
						t.Fatalf("parameter %d (weights, biases per layer) entry %d: %v, GoMLX %v", i, j, got[i][j], want[i][j])
					}
				}
			}
		})
	}
}

// TestRegressorErrors checks that misuse is reported plainly.
func TestRegressorErrors(t *testing.T) {
	ctx64 := newCtx(t, 1)
	context.MustExecOnce(Backend(), ctx64, func(ctx *context.Context, x *graph.Node) *graph.Node {
		return MLP(ctx, x, []int{3}, 1)
	}, tensors.FromValue([][]float64{{1, 2}}))
	var r Regressor
	if err := r.Read(ctx64); err == nil || !strings.Contains(err.Error(), "float32") {
		t.Errorf("Read of float64 variables: err = %v, want one naming float32", err)
	}
	if err := r.Read(newCtx(t, 1)); err == nil || !strings.Contains(err.Error(), "no MLP layers") {
		t.Errorf("Read of an empty context: err = %v, want one saying there are no layers", err)
	}
	if err := (&Regressor{}).Write(); err == nil {
		t.Error("Write before Read succeeded")
	}

	ctx := newCtx(t, 1)
	context.MustExecOnce(Backend(), ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
		return MLP(ctx, x, []int{3}, 1)
	}, tensors.FromValue([][]float32{{1, 2}}))
	r = Regressor{LR: 0.1}
	if err := r.Read(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if msg := fmt.Sprint(recover()); !strings.Contains(msg, "3 inputs and 2 targets") {
			t.Errorf("Step with 3 inputs for 2 inputs per row: panic %q, want one naming the sizes", msg)
		}
	}()
	r.Step([]float32{1, 2, 3}, []float32{1, 2})
}
