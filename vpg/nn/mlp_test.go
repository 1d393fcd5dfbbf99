package nn

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// newCtx returns a context whose random generator is seeded, so MLP's
// initial parameters are reproducible.
func newCtx(t testing.TB, seed int64) *model.Store {
	t.Helper()
	scope := model.NewStore()
	if err := scope.SetRNGStateFromSeed(seed); err != nil {
		t.Fatal(err)
	}
	return scope
}

// layerValues reads layer i's weights [in][out] (row-major flat) and biases.
func layerValues(t testing.TB, scope *model.Store, i int) (w, b []float64, in, out int) {
	t.Helper()
	wv := scope.Store().GetVariable("/" + LayerScope(i) + "/" + WeightsName)
	bv := scope.Store().GetVariable("/" + LayerScope(i) + "/" + BiasesName)
	if wv == nil || bv == nil {
		t.Fatalf("layer %d variables missing", i)
	}
	dims := wv.Shape().Dimensions
	return float64sOf(t, wv.MustValue()), float64sOf(t, bv.MustValue()), dims[0], dims[1]
}

func float64sOf(t testing.TB, x *tensors.Tensor) []float64 {
	t.Helper()
	switch x.DType().String() {
	case "Float32":
		f := tensors.MustCopyFlatData[float32](x)
		out := make([]float64, len(f))
		for i, v := range f {
			out[i] = float64(v)
		}
		return out
	case "Float64":
		return tensors.MustCopyFlatData[float64](x)
	}
	t.Fatalf("unexpected dtype %s", x.DType())
	return nil
}

// referenceMLP is the direct definition of the network in float64 loops.
func referenceMLP(t testing.TB, scope *model.Store, x []float64, batch, layers int) []float64 {
	h := x
	for l := 0; l < layers; l++ {
		w, b, in, out := layerValues(t, scope, l)
		next := make([]float64, batch*out)
		for r := 0; r < batch; r++ {
			for j := 0; j < out; j++ {
				s := b[j]
				for k := 0; k < in; k++ {
					s += h[r*in+k] * w[k*out+j]
				}
				if l < layers-1 {
					s = math.Tanh(s)
				}
				next[r*out+j] = s
			}
		}
		h = next
	}
	return h
}

func TestMLPForwardMatchesDefinition(t *testing.T) {
	scope := newCtx(t, 42)
	const batch, in = 5, 3
	x := make([]float64, batch*in)
	for i := range x {
		x[i] = math.Sin(float64(i)) * 2
	}
	got := float64sOf(t, model.MustExecOnce(Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return MLP(scope, x, []int{7, 4}, 2)
	}, tensors.FromFlatDataAndDimensions(x, batch, in)))
	want := referenceMLP(t, scope, x, batch, 3)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("output %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestMLPInitIsPyTorchUniformAndSeeded(t *testing.T) {
	build := func(seed int64) *model.Store {
		scope := newCtx(t, seed)
		model.MustExecOnce(Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return MLP(scope, x, []int{64}, 1)
		}, [][]float32{{1, 2, 3, 4}})
		return scope
	}
	a, b, c := build(1), build(1), build(2)
	wa, ba, in, _ := layerValues(t, a, 0)
	wb, _, _, _ := layerValues(t, b, 0)
	wc, _, _, _ := layerValues(t, c, 0)
	bound := 1 / math.Sqrt(float64(in))
	var sumSq float64
	for i, v := range wa {
		if math.Abs(v) > bound {
			t.Fatalf("weight %d = %v outside ±%v", i, v, bound)
		}
		if v != wb[i] {
			t.Fatalf("same seed gave different weight %d: %v vs %v", i, v, wb[i])
		}
		sumSq += v * v
	}
	for i, v := range ba {
		if math.Abs(v) > bound {
			t.Fatalf("bias %d = %v outside ±%v", i, v, bound)
		}
	}
	// U(-a, a) has variance a²/3; 256 draws put the sample within ~±20%.
	if v := sumSq / float64(len(wa)); math.Abs(v-bound*bound/3) > 0.25*bound*bound/3 {
		t.Errorf("weight variance %v, want about %v", v, bound*bound/3)
	}
	same := 0
	for i := range wa {
		if wa[i] == wc[i] {
			same++
		}
	}
	if same > len(wa)/10 {
		t.Errorf("different seeds share %d of %d weights", same, len(wa))
	}
}

func TestMLPBadArguments(t *testing.T) {
	for _, tc := range []struct {
		hidden []int
		out    int
		want   string
	}{
		{[]int{8, 0}, 1, "hidden[1] = 0"},
		{[]int{-3}, 1, "hidden[0] = -3"},
		{[]int{8}, 0, "out = 0"},
	} {
		scope := newCtx(t, 0)
		exec := model.MustNewExec(Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return MLP(scope, x, tc.hidden, tc.out)
		})
		_, err := exec.Exec([][]float32{{1, 2}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("MLP(hidden=%v, out=%d): error %v, want it to mention %q", tc.hidden, tc.out, err, tc.want)
		}
	}
}
