package nn

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

func TestWeightsForwardMatchesGraph(t *testing.T) {
	for _, tc := range []struct {
		dtype  dtypes.DType
		hidden []int
		tol    float64
	}{
		{dtypes.Float64, []int{16, 8}, 1e-12},
		{dtypes.Float32, []int{64, 64}, 1e-5},
		{dtypes.Float64, nil, 1e-12},
	} {
		rng := rand.New(rand.NewPCG(9, 9))
		const batch, in, out = 13, 4, 3
		x := randomTensor(rng, tc.dtype, batch, in)
		ctx := newCtx(t, 11).In("pi")
		want := toF64(t, context.MustExecOnce(Backend(), ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
			return MLP(ctx, x, tc.hidden, out)
		}, x))
		var w Weights
		if err := w.Read(ctx); err != nil {
			t.Fatal(err)
		}
		if w.In() != in || w.Out() != out {
			t.Fatalf("In, Out = %d, %d, want %d, %d", w.In(), w.Out(), in, out)
		}
		got := w.Forward(nil, toF64(t, x))
		for i := range want {
			if math.Abs(got[i]-want[i]) > tc.tol*(1+math.Abs(want[i])) {
				t.Fatalf("%s hidden %v: output %d = %v, graph %v", tc.dtype, tc.hidden, i, got[i], want[i])
			}
		}
	}
}

func TestWeightsReadSeesUpdates(t *testing.T) {
	ctx := newCtx(t, 1)
	context.MustExecOnce(Backend(), ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
		return MLP(ctx, x, nil, 1)
	}, [][]float64{{1, 2}})
	var w Weights
	if err := w.Read(ctx); err != nil {
		t.Fatal(err)
	}
	// Set y = 2·x0 − x1 + 0.5 and read again.
	ctx.GetVariableByScopeAndName("/dense_0", WeightsName).MustSetValue(tensors.FromValue([][]float64{{2}, {-1}}))
	ctx.GetVariableByScopeAndName("/dense_0", BiasesName).MustSetValue(tensors.FromValue([]float64{0.5}))
	if err := w.Read(ctx); err != nil {
		t.Fatal(err)
	}
	got := w.Forward(make([]float64, 0, 2), []float64{1, 2, 3, 0})
	if got[0] != 0.5 || got[1] != 6.5 {
		t.Errorf("Forward = %v, want [0.5 6.5]", got)
	}
}

func TestWeightsErrors(t *testing.T) {
	var w Weights
	if err := w.Read(context.New().In("nothing")); err == nil || !strings.Contains(err.Error(), "no MLP layers") {
		t.Errorf("Read of an empty scope: error %v", err)
	}
	func() {
		defer func() {
			if r := recover(); r == nil || !strings.Contains(r.(string), "before a successful Read") {
				t.Errorf("Forward before Read: panic %v", r)
			}
		}()
		w.Forward(nil, []float64{1})
	}()
	ctx := newCtx(t, 1)
	context.MustExecOnce(Backend(), ctx, func(ctx *context.Context, x *graph.Node) *graph.Node {
		return MLP(ctx, x, []int{3}, 1)
	}, [][]float64{{1, 2}})
	if err := w.Read(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "not a multiple of the 2 inputs") {
			t.Errorf("Forward with 3 numbers: panic %v", r)
		}
	}()
	w.Forward(nil, []float64{1, 2, 3})
}
