package nn

import (
	"fmt"
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Sizes of the Spinning Up VPG networks on CartPole: 4000 steps per epoch,
// 64×64 tanh, 4 observations, 2 actions.
const (
	benchBatch  = 4000
	benchObsDim = 4
)

var benchHidden = []int{64, 64}

func randTensor(rng *rand.Rand, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(data, dims...)
}

// runSteps compiles exec with args (first call, untimed) and then times b.N calls.
func runSteps(b *testing.B, exec *model.Exec, args ...any) {
	b.Helper()
	if _, err := exec.Exec(args...); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for range b.N {
		out, err := exec.Exec(args...)
		if err != nil {
			b.Fatal(err)
		}
		for _, t := range out {
			t.FinalizeAll()
		}
	}
	reportTimes(b, cpuTime()-cpu0)
}

// cpuTime is the process's user+system CPU time. On a shared machine it
// varies far less than wall time, so benchmarks report both.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportTimes adds wall and CPU milliseconds per operation to the benchmark line.
func reportTimes(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/op")
	b.ReportMetric(float64(cpu.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// valueStep builds one Adam step on the value loss mean((V(s) − R)²).
func valueStep(b *testing.B, obs, ret *tensors.Tensor) *model.Exec {
	opt := optimizer.Adam().LearningRate(1e-3).Epsilon(AdamEpsilon).Done()
	return model.MustNewExec(Backend(), newCtx(b, 0), func(scope *model.Scope, obs, ret *graph.Node) *graph.Node {
		v := graph.Reshape(MLP(scope, obs, benchHidden, 1), benchBatch)
		loss := graph.ReduceAllMean(graph.Square(graph.Sub(v, ret)))
		opt.UpdateGraph(scope, obs.Graph(), loss)
		return loss
	})
}

// BenchmarkValueUpdate is one Adam step of the value function on a 4000-step
// epoch, the step VPG repeats 80 times per epoch: with the CPU Engine (what the
// trainer uses on the pure-Go backend), as a GoMLX graph with MLP's matrix
// product gradients (what it uses on XLA), and with GoMLX's own autodiff.
func BenchmarkValueUpdate(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	obs, ret := randTensor(rng, benchBatch, benchObsDim), randTensor(rng, benchBatch)
	engine := func(b *testing.B) {
		scope := newCtx(b, 0)
		model.MustExecOnce(Backend(), scope, func(scope *model.Scope, obs *graph.Node) *graph.Node {
			return MLP(scope, obs, benchHidden, 1)
		}, obs)
		fit := engine32(b, Net{In: benchObsDim, Hidden: benchHidden, Out: 1, DType: dtypes.Float32}, Optimizer{LR: 1e-3})
		if err := fit.Read(scope.RootScope()); err != nil {
			b.Fatal(err)
		}
		x, y := float64sOf(b, obs), float64sOf(b, ret)
		mseStep(b, fit, x, y) // allocate the buffers
		b.ResetTimer()
		cpu0 := cpuTime()
		for range b.N {
			mseStep(b, fit, x, y)
		}
		reportTimes(b, cpuTime()-cpu0)
	}
	b.Run("engine", engine)
	if useAVX512 { // the same step on the AVX2 kernels alone, for the ratio
		b.Run("engine-avx2", func(b *testing.B) {
			useAVX512 = false
			defer func() { useAVX512 = true }()
			engine(b)
		})
	}
	b.Run("graph", func(b *testing.B) { runSteps(b, valueStep(b, obs, ret), obs, ret) })
}

// BenchmarkPolicyUpdate is one Adam step of a categorical policy (2 actions)
// on the surrogate loss −mean(log π(a|s)·A).
func BenchmarkPolicyUpdate(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	obs, adv := randTensor(rng, benchBatch, benchObsDim), randTensor(rng, benchBatch)
	acts := make([]int32, benchBatch)
	for i := range acts {
		acts[i] = int32(rng.IntN(2))
	}
	act := tensors.FromFlatDataAndDimensions(acts, benchBatch)
	opt := optimizer.Adam().LearningRate(1e-2).Done()
	exec := model.MustNewExec(Backend(), newCtx(b, 0), func(scope *model.Scope, obs, act, adv *graph.Node) *graph.Node {
		logp := graph.LogSoftmax(MLP(scope, obs, benchHidden, 2), -1)
		logpAct := graph.ReduceSum(graph.Mul(logp, graph.OneHot(act, 2, logp.DType())), -1)
		loss := graph.Neg(graph.ReduceAllMean(graph.Mul(logpAct, adv)))
		opt.UpdateGraph(scope, obs.Graph(), loss)
		return loss
	})
	runSteps(b, exec, obs, act, adv)
}

// BenchmarkForward is the policy network's forward pass from []float64
// observations to []float64 logits, as a rollout step (batch = number of
// vectorised environments) or a whole epoch needs it: through a compiled
// GoMLX graph (input converted to a tensor each call) and through the Engine.
func BenchmarkForward(b *testing.B) {
	for _, batch := range []int{16, benchBatch} {
		rng := rand.New(rand.NewPCG(5, 6))
		obs := make([]float64, batch*benchObsDim)
		for i := range obs {
			obs[i] = rng.NormFloat64()
		}
		out := make([]float64, batch*2)
		scope := newCtx(b, 0)
		exec := model.MustNewExec(Backend(), scope, func(scope *model.Scope, obs *graph.Node) *graph.Node {
			return MLP(scope, obs, benchHidden, 2)
		})
		in32 := make([]float32, len(obs))
		graphForward := func() {
			for i, x := range obs {
				in32[i] = float32(x)
			}
			res, err := exec.Exec(tensors.FromFlatDataAndDimensions(in32, batch, benchObsDim))
			if err != nil {
				b.Fatal(err)
			}
			tensors.MustConstFlatData(res[0], func(f []float32) {
				for i, y := range f {
					out[i] = float64(y)
				}
			})
			res[0].FinalizeAll()
		}
		graphForward() // compile and create the variables
		b.Run(fmt.Sprintf("gomlx/batch=%d", batch), func(b *testing.B) {
			cpu0 := cpuTime()
			for range b.N {
				graphForward()
			}
			reportTimes(b, cpuTime()-cpu0)
		})
		w, err := NewEngine(Net{In: benchObsDim, Hidden: benchHidden, Out: 2, DType: dtypes.Float32}, Optimizer{LR: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.Read(scope.RootScope()); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("go/batch=%d", batch), func(b *testing.B) {
			cpu0 := cpuTime()
			for range b.N {
				out = w.Forward(out, obs)
			}
			reportTimes(b, cpuTime()-cpu0)
		})
	}
}
