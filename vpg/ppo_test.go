package vpg

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/govpg/govpg/vpg/internal/numtest"
)

func trainParams(t *testing.T, c Config) []Param {
	t.Helper()
	tr := newTrainer(t, c)
	if err := tr.Train(nil); err != nil {
		t.Fatal(err)
	}
	return append(tr.model.PolicyParams(), tr.model.ValueParams()...)
}

// PPO with one pass over one minibatch, VPG's objective, no clipping and
// every other detail off takes exactly VPG's steps (with TrainVIters = 1
// and ValueCoef 2, ½·2·MSE = MSE): the loop adds nothing.
func TestPPOOnePassIsVPG(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		v := smallConfig()
		v.Env, v.Epochs, v.TrainVIters = env, 3, 1
		p := v
		p.Algo, p.UpdateEpochs, p.Minibatches, p.ValueCoef, p.Objective = PPO, 1, 1, 2, VPGObjective
		if !reflect.DeepEqual(trainParams(t, v), trainParams(t, p)) {
			t.Errorf("%s: PPO with K = 1, one minibatch and VPG's objective differs from VPG", env)
		}
		// The ratio surrogate ρ·Ψ has VPG's gradient at ρ = 1; ρ is 1 up to the
		// rounding of log π recomputed in float32, so the steps agree closely.
		p.Objective = nil
		want, got := trainParams(t, v), trainParams(t, p)
		for i := range want {
			for j, x := range want[i].Values {
				if math.Abs(got[i].Values[j]-x) > 1e-4*(1+math.Abs(x)) {
					t.Fatalf("%s: with the ratio surrogate %s[%d] = %v, VPG's %v", env, want[i].Name, j, got[i].Values[j], x)
				}
			}
		}
	}
}

// A learner's own copy of the clipped surrogate, written as a reader of the
// paper would, trains to the same parameters as the built-in one.
func TestOwnClippedObjectiveTrainsLikeBuiltIn(t *testing.T) {
	const eps = 0.2
	own := func(t PolicyTerms) *graph.Node {
		ratio := graph.Exp(graph.Sub(t.LogP, t.OldLogP))
		unclipped := graph.Mul(ratio, t.Psi)
		clipped := graph.Mul(graph.ClipScalar(ratio, 1-eps, 1+eps), t.Psi)
		return graph.Neg(graph.ReduceAllMean(graph.Min(unclipped, clipped)))
	}
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		c := PPOPreset(env)
		c.Epochs, c.StepsPerEpoch, c.Hidden, c.Seed = 3, 256, []int{16}, 5
		builtIn := trainParams(t, c)
		c.Objective = own
		if !reflect.DeepEqual(builtIn, trainParams(t, c)) {
			t.Errorf("%s: the learner's clipped objective trains to other parameters than ClippedObjective", env)
		}
	}
}

// ApproxKL, KL and ClipFrac after an update agree with the same sums done
// on slices from the trainer's action probabilities.
func TestApproxKLAndClipFraction(t *testing.T) {
	c := PPOPreset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.Hidden, c.Seed = 1, 256, []int{16}, 2
	c.PiLR, c.AnnealLR = 1e-2, false // a large step, so that some ratios leave [0.8, 1.2]
	tr := newTrainer(t, c)
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	old := append([]float64(nil), b.LogProb...)
	m, err := tr.Update(b)
	if err != nil {
		t.Fatal(err)
	}
	probs, err := tr.Probs(b.Obs)
	if err != nil {
		t.Fatal(err)
	}
	var kl, k3 float64
	clipped := 0
	for i, o := range old {
		logp := math.Log(probs[i*2+int(b.Act[i])])
		rho := math.Exp(logp - o)
		kl += o - logp
		k3 += rho - 1 - math.Log(rho)
		if math.Abs(rho-1) > c.ClipRatio {
			clipped++
		}
	}
	n := float64(len(old))
	if !numtest.Near(m.KL, kl/n, 1e-4) || !numtest.Near(m.ApproxKL, k3/n, 1e-3) || math.Abs(m.ClipFrac-float64(clipped)/n) > 2/n {
		t.Errorf("KL, approx KL, clip fraction = %v, %v, %v; slices give %v, %v, %v", m.KL, m.ApproxKL, m.ClipFrac, kl/n, k3/n, float64(clipped)/n)
	}
	if m.ClipFrac == 0 || m.ApproxKL <= 0 {
		t.Errorf("clip fraction %v and approx KL %v: the step was meant to move ρ beyond 1 ± ε", m.ClipFrac, m.ApproxKL)
	}
	if m.PolicySteps != c.UpdateEpochs*c.Minibatches {
		t.Errorf("%d policy steps, want %d", m.PolicySteps, c.UpdateEpochs*c.Minibatches)
	}
}

// A target KL stops the passes early.
func TestTargetKLStopsEarly(t *testing.T) {
	c := PPOPreset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.Hidden, c.Seed = 1, 256, []int{16}, 2
	c.PiLR, c.UpdateEpochs, c.TargetKL = 1e-2, 10, 1e-4
	tr := newTrainer(t, c)
	m, err := tr.RunEpoch()
	if err != nil {
		t.Fatal(err)
	}
	if !m.EarlyStop || m.PolicySteps >= c.UpdateEpochs*c.Minibatches || m.PolicySteps < 1 {
		t.Errorf("early stop %v after %d of %d steps, want a stop after at least one", m.EarlyStop, m.PolicySteps, c.UpdateEpochs*c.Minibatches)
	}
}

// Orthogonal initialisation: WᵀW (or WWᵀ, the smaller) is gain²·I for every
// layer, with CleanRL's gains, and the biases are 0.
func TestOrthogonalInit(t *testing.T) {
	c := PPOPreset("Acrobot-v1")
	c.Hidden = []int{64, 32}
	tr := newTrainer(t, c)
	for _, p := range append(tr.model.PolicyParams(), tr.model.ValueParams()...) {
		if strings.HasSuffix(p.Name, "biases") {
			for _, x := range p.Values {
				if x != 0 {
					t.Fatalf("%s holds %v, want 0", p.Name, x)
				}
			}
			continue
		}
		if len(p.Shape) != 2 {
			continue
		}
		gain := HiddenGain
		switch p.Name {
		case "/pi/dense_2/weights":
			gain = PolicyGain
		case "/v/dense_2/weights":
			gain = ValueGain
		}
		rows, cols := p.Shape[0], p.Shape[1]
		at := func(i, j int) float64 { return p.Values[i*cols+j] }
		small, big := cols, rows // Gram matrix of columns when tall, of rows when wide
		if rows < cols {
			small, big = rows, cols
		}
		for i := range small {
			for j := range small {
				dot := 0.0
				for k := range big {
					if rows >= cols {
						dot += at(k, i) * at(k, j)
					} else {
						dot += at(i, k) * at(j, k)
					}
				}
				want := 0.0
				if i == j {
					want = gain * gain
				}
				if math.Abs(dot-want) > 1e-5*(1+gain*gain) {
					t.Fatalf("%s (%d×%d): Gram entry (%d, %d) = %v, want %v", p.Name, rows, cols, i, j, dot, want)
				}
			}
		}
	}
}

// Gradient clipping caps the step: with a tiny MaxGradNorm and SGD the
// parameters move by exactly lr·MaxGradNorm in norm.
func TestMaxGradNormCapsTheStep(t *testing.T) {
	c := smallConfig()
	c.Optimizer, c.MaxGradNorm, c.PiLR, c.TrainVIters = SGD, 1e-3, 0.5, 0
	tr := newTrainer(t, c)
	before := tr.model.PolicyParams()
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	sq := 0.0
	for i, p := range tr.model.PolicyParams() {
		for j, x := range p.Values {
			d := x - before[i].Values[j]
			sq += d * d
		}
	}
	if got, want := math.Sqrt(sq), c.PiLR*c.MaxGradNorm; !numtest.Near(got, want, 1e-3) {
		t.Errorf("the clipped SGD step moved π by %v, want lr·MaxGradNorm = %v", got, want)
	}
}

func TestPPOConfigErrors(t *testing.T) {
	c := PPOPreset("CartPole-v1")
	c.Algo, c.UpdateEpochs, c.ClipRatio, c.EntropyCoef = "trpo", 0, 1.5, math.NaN()
	err := c.Validate()
	for _, want := range []string{`Algo = "trpo"`, "ClipRatio = 1.5", "EntropyCoef = NaN"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to name %s", err, want)
		}
	}
	c = PPOPreset("CartPole-v1")
	c.UpdateEpochs, c.Minibatches = 0, 100_000
	err = c.Validate()
	for _, want := range []string{"UpdateEpochs = 0", "Minibatches = 100000"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to name %s", err, want)
		}
	}
	c = PPOPreset("CartPole-v1")
	c.Learner = GraphLearner
	if _, err := NewTrainer(c); err == nil || !strings.Contains(err.Error(), "MaxGradNorm") {
		t.Errorf("graph learner with MaxGradNorm: error %v, want one naming MaxGradNorm", err)
	}
}
