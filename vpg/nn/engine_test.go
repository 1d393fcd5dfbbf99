package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// engine32 is a float32 Engine for n, as its concrete type (for Step and Loss).
func engine32(t testing.TB, n Net, opt Optimizer) *cpuNet[float32] {
	t.Helper()
	e, err := NewEngine(n, opt)
	if err != nil {
		t.Fatal(err)
	}
	return e.(*cpuNet[float32])
}

// mseStep is one training step on L = 1/(N·out) Σ (f − y)²: Forward, the
// gradient 2(f − y)/(N·out) by hand, Step. It returns L before the step.
func mseStep(t testing.TB, e Engine, x, y []float64) float64 {
	t.Helper()
	loss, g := mse(e, x, y)
	if err := e.Step(g); err != nil {
		t.Fatal(err)
	}
	return loss
}

// mse returns L at the current parameters and ∂L/∂f.
func mse(e Engine, x, y []float64) (float64, []float64) {
	f := e.Forward(nil, x)
	g := make([]float64, len(f))
	var loss float64
	for i := range f {
		d := f[i] - y[i]
		loss += d * d
		g[i] = 2 * d / float64(len(f))
	}
	return loss / float64(len(f)), g
}

// fit takes iters mseSteps and returns L before each and after the last.
func fit(t testing.TB, e Engine, x, y []float64, iters int) []float64 {
	var losses []float64
	for range iters {
		losses = append(losses, mseStep(t, e, x, y))
	}
	l, _ := mse(e, x, y)
	return append(losses, l)
}

// graphFit builds the reference for Engine: the mean squared error of
// MLP (GoMLX's autodiff) minimised by GoMLX's Adam or SGD.
func graphFit(t *testing.T, scope *model.Store, hidden []int, out int, lr float64, sgd bool) *model.Exec {
	t.Helper()
	opt := optimizer.Adam().LearningRate(lr).Epsilon(AdamEpsilon).Betas(AdamBeta1, AdamBeta2).Done()
	if sgd {
		opt = optimizer.StochasticGradientDescent().WithLearningRate(lr).WithDecay(false).Done()
	}
	return model.MustNewExec(Backend(), scope, func(scope *model.Scope, x, y *graph.Node) *graph.Node {
		loss := graph.ReduceAllMean(graph.Square(graph.Sub(MLP(scope, x, hidden, out), y)))
		opt.UpdateGraph(scope, x.Graph(), loss)
		return loss
	})
}

// paramsOf reads every layer's weights and biases, in layer order.
func paramsOf(t *testing.T, scope *model.Store, layers int) [][]float64 {
	t.Helper()
	var ps [][]float64
	for i := range layers {
		w, b, _, _ := layerValues(t, scope, i)
		ps = append(ps, w, b)
	}
	return ps
}

// TestEngineFitMatchesGraph runs the same steps with the Engine and with
// GoMLX (autodiff and its optimizers) from the same initial parameters and
// compares the losses and the parameters after every step. Halfway through,
// the Engine writes its parameters back and reads them again, as the
// trainer does between epochs: Adam's state must survive that.
func TestEngineFitMatchesGraph(t *testing.T) {
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
			x, y := float64sOf(t, xT), float64sOf(t, yT)
			const lr = 3e-3
			refCtx, scope := newCtx(t, 5), newCtx(t, 5)
			ref := graphFit(t, refCtx, tc.hidden, tc.out, lr, tc.sgd)
			// Create the fitted context's variables with the same initial values.
			model.MustExecOnce(Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
				return MLP(scope, x, tc.hidden, tc.out)
			}, xT)
			fit := engine32(t, Net{In: tc.in, Hidden: tc.hidden, Out: tc.out, DType: dtypes.Float32}, Optimizer{LR: lr, SGD: tc.sgd})
			if err := fit.Read(scope.RootScope()); err != nil {
				t.Fatal(err)
			}
			layers := len(tc.hidden) + 1
			for step := range 6 {
				if step == 3 {
					if err := fit.Write(); err != nil {
						t.Fatal(err)
					}
					if err := fit.Read(scope.RootScope()); err != nil {
						t.Fatal(err)
					}
				}
				want := tensors.ToScalar[float32](ref.MustExec1(xT, yT))
				got := mseStep(t, fit, x, y)
				if d := math.Abs(got - float64(want)); d > 1e-5*math.Abs(float64(want)) {
					t.Fatalf("step %d: loss %v, GoMLX %v", step, got, want)
				}
			}
			if l, _ := mse(fit, x, y); l <= 0 || math.IsNaN(l) {
				t.Fatalf("Loss = %v after the steps, want a positive number", l)
			}
			if err := fit.Write(); err != nil {
				t.Fatal(err)
			}
			got, want := paramsOf(t, scope, layers), paramsOf(t, refCtx, layers)
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

// mlpCtx returns a seeded context holding the variables of n, built by the graph.
func mlpCtx(t testing.TB, n Net, seed int64) *model.Store {
	t.Helper()
	scope := newCtx(t, seed)
	x := randomTensor(rand.New(rand.NewPCG(1, 1)), n.DType, 1, n.In)
	model.MustExecOnce(Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return n.Graph(scope, x)
	}, x)
	return scope
}

// The engine's forward pass agrees with the graph's for each activation and
// dtype: to rounding in float64, to float32's precision otherwise.
func TestEngineForwardMatchesGraph(t *testing.T) {
	for _, tc := range []struct {
		net Net
		tol float64
	}{
		{Net{In: 4, Hidden: []int{16, 8}, Out: 3, Activation: Tanh, DType: dtypes.Float64}, 1e-12},
		{Net{In: 4, Hidden: []int{64, 64}, Out: 3, DType: dtypes.Float32}, 1e-5},
		{Net{In: 4, Out: 3, DType: dtypes.Float64}, 1e-12},
		{Net{In: 4, Hidden: []int{16, 8}, Out: 3, Activation: ReLU, DType: dtypes.Float64}, 1e-12},
		{Net{In: 4, Hidden: []int{64}, Out: 3, Activation: ReLU, DType: dtypes.Float32}, 1e-5},
	} {
		rng := rand.New(rand.NewPCG(9, 9))
		const batch = 300 // more than one chunk
		x := randomTensor(rng, tc.net.DType, batch, tc.net.In)
		store := newCtx(t, 11)
		want := float64sOf(t, model.MustExecOnce(Backend(), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return tc.net.Graph(scope.In("pi"), x)
		}, x))
		e, err := NewEngine(tc.net, Optimizer{LR: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Read(store.Scope("/pi")); err != nil {
			t.Fatal(err)
		}
		got := e.Forward(nil, float64sOf(t, x))
		for i := range want {
			if math.Abs(got[i]-want[i]) > tc.tol*(1+math.Abs(want[i])) {
				t.Fatalf("%+v: output %d = %v, graph %v", tc.net, i, got[i], want[i])
			}
		}
	}
}

func TestEngineReadSeesUpdates(t *testing.T) {
	n := Net{In: 2, Out: 1, DType: dtypes.Float64}
	scope := mlpCtx(t, n, 1)
	e, err := NewEngine(n, Optimizer{LR: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Read(scope.RootScope()); err != nil {
		t.Fatal(err)
	}
	// Set y = 2·x0 − x1 + 0.5 and read again.
	scope.GetVariable("/dense_0/" + WeightsName).MustSetValue(tensors.FromValue([][]float64{{2}, {-1}}))
	scope.GetVariable("/dense_0/" + BiasesName).MustSetValue(tensors.FromValue([]float64{0.5}))
	if err := e.Read(scope.RootScope()); err != nil {
		t.Fatal(err)
	}
	got := e.Forward(make([]float64, 0, 2), []float64{1, 2, 3, 0})
	if got[0] != 0.5 || got[1] != 6.5 {
		t.Errorf("Forward = %v, want [0.5 6.5]", got)
	}
}

// The same seed trains to the same bits whatever GOMAXPROCS is: the sums
// over the batch run in fixed chunks.
func TestEngineFitSameBitsAnyGOMAXPROCS(t *testing.T) {
	n := Net{In: 4, Hidden: []int{64, 64}, Out: 1, DType: dtypes.Float32}
	rng := rand.New(rand.NewPCG(2, 3))
	x, y := randomTensor(rng, dtypes.Float32, 1999, 4), randomTensor(rng, dtypes.Float32, 1999, 1)
	fit := func(procs int) [][]float64 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		scope := mlpCtx(t, n, 7)
		e := engine32(t, n, Optimizer{LR: 1e-2})
		if err := e.Read(scope.RootScope()); err != nil {
			t.Fatal(err)
		}
		fit(t, e, float64sOf(t, x), float64sOf(t, y), 5)
		if err := e.Write(); err != nil {
			t.Fatal(err)
		}
		return paramsOf(t, scope, 3)
	}
	want := fit(1)
	for _, procs := range []int{2, 4} {
		got := fit(procs)
		for i := range want {
			for j := range want[i] {
				if math.Float64bits(got[i][j]) != math.Float64bits(want[i][j]) {
					t.Fatalf("GOMAXPROCS=%d: parameter %d entry %d = %v, with GOMAXPROCS=1 %v", procs, i, j, got[i][j], want[i][j])
				}
			}
		}
	}
}

// Restoring the parameters and Adam's state continues the fit exactly.
func TestEngineAdamStateRestores(t *testing.T) {
	n := Net{In: 3, Hidden: []int{8}, Out: 1, DType: dtypes.Float32}
	rng := rand.New(rand.NewPCG(4, 5))
	x, y := randomTensor(rng, dtypes.Float32, 50, 3), randomTensor(rng, dtypes.Float32, 50, 1)
	scope := mlpCtx(t, n, 3)
	a := engine32(t, n, Optimizer{LR: 1e-2})
	if err := a.Read(scope.RootScope()); err != nil {
		t.Fatal(err)
	}
	xs, ys := float64sOf(t, x), float64sOf(t, y)
	fit(t, a, xs, ys, 3)
	state := a.AdamState()
	if state.Step != 3 {
		t.Fatalf("AdamState().Step = %d after 3 steps", state.Step)
	}
	if err := a.Write(); err != nil {
		t.Fatal(err)
	}
	b := engine32(t, n, Optimizer{LR: 1e-2})
	if err := b.Read(scope.RootScope()); err != nil {
		t.Fatal(err)
	}
	if err := b.SetAdamState(state); err != nil {
		t.Fatal(err)
	}
	want, got := fit(t, a, xs, ys, 2), fit(t, b, xs, ys, 2)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("loss %d after restoring: %v, uninterrupted %v", i, got[i], want[i])
		}
	}
	state.M = state.M[:1]
	if err := b.SetAdamState(state); err == nil || !strings.Contains(err.Error(), "moment tensors") {
		t.Errorf("SetAdamState with one tensor missing: err = %v", err)
	}
}

// TestEngineErrors checks that misuse is reported plainly.
func TestEngineErrors(t *testing.T) {
	n32 := Net{In: 2, Hidden: []int{3}, Out: 1, DType: dtypes.Float32}
	if _, err := NewEngine(Net{In: 2, Out: 1, Activation: "swish", DType: dtypes.Float32}, Optimizer{LR: 1}); err == nil ||
		!strings.Contains(err.Error(), `"swish"`) || !strings.Contains(err.Error(), "tanh") {
		t.Errorf("unknown activation: err = %v, want one naming it and the known ones", err)
	}
	if _, err := NewEngine(n32, Optimizer{LR: math.NaN()}); err == nil || !strings.Contains(err.Error(), "NaN") {
		t.Errorf("NaN learning rate: err = %v", err)
	}
	e := engine32(t, n32, Optimizer{LR: 0.1})
	if err := e.Read(mlpCtx(t, Net{In: 2, Hidden: []int{3}, Out: 1, DType: dtypes.Float64}, 1).RootScope()); err == nil || !strings.Contains(err.Error(), "Float32") {
		t.Errorf("Read of float64 variables: err = %v, want one naming Float32", err)
	}
	if err := e.Read(newCtx(t, 1).RootScope()); err == nil || !strings.Contains(err.Error(), "no MLP") {
		t.Errorf("Read of an empty context: err = %v, want one saying there are no layers", err)
	}
	if err := e.Read(mlpCtx(t, Net{In: 2, Hidden: []int{3, 3}, Out: 1, DType: dtypes.Float32}, 1).RootScope()); err == nil {
		t.Error("Read of a deeper network succeeded")
	}
	if err := engine32(t, n32, Optimizer{LR: 1}).Write(); err == nil {
		t.Error("Write before Read succeeded")
	}
	if err := e.Read(mlpCtx(t, n32, 1).RootScope()); err != nil {
		t.Fatal(err)
	}
	if err := e.Step([]float64{1}); err == nil || !strings.Contains(err.Error(), "latest Forward") {
		t.Errorf("Step before any Forward: err = %v, want one saying so", err)
	}
	e.Forward(nil, []float64{1, 2, 3, 4})
	if err := e.Step([]float64{1}); err == nil || !strings.Contains(err.Error(), "2 rows") {
		t.Errorf("Step with 1 gradient value after a Forward of 2 rows: err = %v, want one naming the sizes", err)
	}
}

// Step back-propagates the gradient it is given: one SGD step of α = 1
// from ∂L/∂f of L = Σ c ⊙ sin(f) moves every parameter by −∂L/∂θ as GoMLX
// autodiff computes it (float64, over several chunks).
func TestEngineStepMatchesAutodiff(t *testing.T) {
	hidden := []int{16, 8}
	n := Net{In: 3, Hidden: hidden, Out: 2, DType: dtypes.Float64}
	rng := rand.New(rand.NewPCG(12, 13))
	x, cT := randomTensor(rng, dtypes.Float64, 700, 3), randomTensor(rng, dtypes.Float64, 700, 2)
	scope := newCtx(t, 6)
	want := lossAndGrads(t, scope, x, cT, hidden, 2)
	before := paramsOf(t, scope, 3)
	e, err := NewEngine(n, Optimizer{LR: 1, SGD: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Read(scope.RootScope()); err != nil {
		t.Fatal(err)
	}
	c := tensors.MustCopyFlatData[float64](cT)
	f := e.Forward(nil, float64sOf(t, x))
	g := make([]float64, len(f))
	var loss float64
	for i, v := range f {
		loss += c[i] * math.Sin(v)
		g[i] = c[i] * math.Cos(v)
	}
	if math.Abs(loss-want[0][0]) > 1e-9*math.Abs(want[0][0]) {
		t.Fatalf("loss %v, autodiff's %v", loss, want[0][0])
	}
	if err := e.Step(g); err != nil {
		t.Fatal(err)
	}
	if err := e.Write(); err != nil {
		t.Fatal(err)
	}
	after := paramsOf(t, scope, 3)
	for i := range before {
		for j := range before[i] {
			if d := before[i][j] - after[i][j] - want[i+1][j]; math.Abs(d) > 1e-9*(1+math.Abs(want[i+1][j])) {
				t.Fatalf("parameter %d entry %d moved by %v, want −%v", i, j, after[i][j]-before[i][j], want[i+1][j])
			}
		}
	}
}
