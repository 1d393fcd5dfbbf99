package vpg_test

import (
	"fmt"
	"log"
	"math"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/nn"
)

// The surrogate −mean(log π·Ψ) written in a cell trains exactly as the
// library's VPGObjective.
func ExampleObjective() {
	surrogate := func(t vpg.PolicyTerms) *graph.Node { // L(θ) = −1/N Σ_t log π_θ(a_t|s_t)·Ψ_t
		return graph.Neg(graph.ReduceAllMean(graph.Mul(t.LogP, t.Psi)))
	}
	cfg := vpg.Preset("CartPole-v1")
	cfg.Epochs, cfg.StepsPerEpoch = 3, 1000
	ours, library := cfg, cfg
	ours.Objective = surrogate
	var last [2]vpg.EpochMetrics
	for i, c := range []vpg.Config{ours, library} {
		t, err := vpg.NewTrainer(c)
		if err != nil {
			log.Fatal(err)
		}
		if err := t.Train(func(m vpg.EpochMetrics) bool { last[i] = m; return true }); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("same policy loss and KL as VPGObjective:", last[0].PiLoss == last[1].PiLoss && last[0].KL == last[1].KL)
	// Output: same policy loss and KL as VPGObjective: true
}

// An entropy bonus: L(θ) = −mean(log π·Ψ) − β·mean(H(π(·|s))) keeps the
// policy more random than the plain surrogate does.
func ExampleObjective_entropyBonus() {
	const beta = 0.05
	withBonus := func(t vpg.PolicyTerms) *graph.Node {
		surrogate := graph.Neg(graph.ReduceAllMean(graph.Mul(t.LogP, t.Psi)))
		return graph.Sub(surrogate, graph.MulScalar(graph.ReduceAllMean(t.Entropy), beta))
	}
	entropy := func(obj vpg.Objective) float64 {
		cfg := vpg.Preset("CartPole-v1")
		cfg.Epochs, cfg.StepsPerEpoch, cfg.Objective = 8, 1000, obj
		t, err := vpg.NewTrainer(cfg)
		if err != nil {
			log.Fatal(err)
		}
		var h float64
		if err := t.Train(func(m vpg.EpochMetrics) bool { h = m.Entropy; return true }); err != nil {
			log.Fatal(err)
		}
		return h
	}
	fmt.Println("entropy after 8 epochs higher with the bonus:", entropy(withBonus) > entropy(nil))
	// Output: entropy after 8 epochs higher with the bonus: true
}

// V's loss written in a cell: the mean squared error to the targets R̂_t.
func ExampleValueLoss() {
	mse := func(v, target *graph.Node) *graph.Node { // 1/N Σ_t (V(s_t) − R̂_t)²
		return graph.ReduceAllMean(graph.Square(graph.Sub(v, target)))
	}
	cfg := vpg.Preset("CartPole-v1")
	cfg.Epochs, cfg.StepsPerEpoch, cfg.ValueLoss = 2, 1000, mse
	t, err := vpg.NewTrainer(cfg)
	if err != nil {
		log.Fatal(err)
	}
	m, err := t.RunEpoch()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the value loss fell over the epoch's steps:", m.ValueLosses[len(m.ValueLosses)-1] < m.ValueLosses[0])
	// Output: the value loss fell over the epoch's steps: true
}

// log-softmax written as a GoMLX function agrees with the policy head's.
func ExampleCategorical_Head() {
	logSoftmax := func(z *graph.Node) *graph.Node { // z_a − log Σ_b e^{z_b}, largest logit first
		top := graph.StopGradient(graph.ReduceAndKeep(z, graph.ReduceMax, -1))
		sum := graph.ReduceAndKeep(graph.Exp(graph.Sub(z, top)), graph.ReduceSum, -1)
		return graph.Sub(graph.Sub(z, top), graph.Log(sum))
	}
	head := vpg.Categorical{N: 3}
	out := graph.MustExecOnceN(nn.Backend(), func(z *graph.Node) []*graph.Node {
		return []*graph.Node{logSoftmax(z), head.Head(z, nil).Params()}
	}, [][]float64{{1000, 0, -1000}, {1, 2, 3}})
	ours, library := tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1])
	fmt.Printf("%.4f\n%.4f\n", ours, library)
	// Output:
	// [0.0000 -1000.0000 -2000.0000 -2.4076 -1.4076 -0.4076]
	// [0.0000 -1000.0000 -2000.0000 -2.4076 -1.4076 -0.4076]
}

// The diagonal Gaussian log-likelihood written term by term agrees with the
// policy head's.
func ExampleDiagGaussian_Head() {
	logProb := func(a, mu, logStd *graph.Node) *graph.Node { // −½ Σ_i [((a_i − μ_i)/σ_i)² + 2 log σ_i + log 2π]
		logStd = graph.ExpandAxes(logStd, 0) // [1, n]: the same σ for every row
		z := graph.Mul(graph.Sub(a, mu), graph.Exp(graph.Neg(logStd)))
		terms := graph.Add(graph.Square(z), graph.AddScalar(graph.MulScalar(logStd, 2), math.Log(2*math.Pi)))
		return graph.MulScalar(graph.ReduceSum(terms, -1), -0.5)
	}
	head := vpg.DiagGaussian{Dim: 2}
	out := graph.MustExecOnceN(nn.Backend(), func(a, mu, logStd *graph.Node) []*graph.Node {
		return []*graph.Node{logProb(a, mu, logStd), head.Head(mu, []*graph.Node{logStd}).LogProb(a)}
	}, [][]float64{{0.5, -1}}, [][]float64{{0, 0}}, []float64{0, -0.5})
	fmt.Printf("%.6f %.6f\n", tensors.MustCopyFlatData[float64](out[0]), tensors.MustCopyFlatData[float64](out[1]))
	// Output: [-2.822018] [-2.822018]
}
