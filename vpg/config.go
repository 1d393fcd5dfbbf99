package vpg

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/pg"
)

// Estimator chooses the weight Ψ_t that multiplies ∇θ log π(a_t|s_t) in the
// policy gradient ĝ = mean_t ∇θ log π(a_t|s_t)·Ψ_t — the successive
// refinements the tutorial derives.
type Estimator string

// The estimators, in the tutorial's order. A trajectory cut off before it
// terminated (time limit, MaxEpLen, end of the epoch) is completed by the
// value of its last state in every one of them.
const (
	FullReturn           Estimator = "full-return"            // Ψ_t = R(τ), the same for every step ("Learning from rewards")
	FutureReturn         Estimator = "future-return"          // Ψ_t = R_t, the reward-to-go ("Future return")
	FutureReturnBaseline Estimator = "future-return-baseline" // Ψ_t = R_t − V(s_t) ("The value function", as a baseline)
	GAEAdvantage         Estimator = "gae"                    // Ψ_t = GAE(γ, λ) advantage ("Generalized Advantage Estimation")
)

// Estimators lists every Estimator.
func Estimators() []Estimator {
	return []Estimator{FullReturn, FutureReturn, FutureReturnBaseline, GAEAdvantage}
}

func (e Estimator) valid() bool { return e.Psi() != nil }

// Config holds every hyper-parameter of a training run.
type Config struct {
	Env                 string    // environment id, see envs.IDs
	Epochs              int       // policy updates (one batch each)
	StepsPerEpoch       int       // environment steps per batch, over all NumEnvs copies
	NumEnvs             int       // vectorized environment copies; must divide StepsPerEpoch
	Gamma               float64   // discount γ
	Lambda              float64   // GAE λ
	PiLR                float64   // policy learning rate α
	VfLR                float64   // value-function learning rate
	TrainVIters         int       // value-function steps per epoch
	Hidden              []int     // hidden layer sizes (tanh) of π and V
	MaxEpLen            int       // episode cap, lowered to the environment's own time limit
	NormalizeAdvantages bool      // standardise the weights Ψ_t over the batch
	Seed                uint64    // weights, environments and action sampling
	Optimizer           string    // Adam or SGD
	Estimator           Estimator // the policy-gradient weight Ψ_t
	LogStdInit          float64   // initial log σ (continuous actions)
	ObsScale            []float64 // per-dimension multipliers of observations (nil: none)
	RewardScale         float64   // rewards are multiplied by this for learning; metrics stay raw
	Learner             string    // CPULearner, GraphLearner, or "" for the backend's default (see Learner)

	// PPO (Algo = PPO): how often a batch is used, and the core details of
	// "The 37 implementation details of PPO" (Huang et al., 2022). Their zero
	// values are VPG's behaviour; PPOPreset sets CleanRL's defaults.
	Algo               string  // VPG ("" too) or PPO
	UpdateEpochs       int     // PPO: passes K over the batch (CleanRL 4)
	Minibatches        int     // PPO: shuffled minibatches per pass (CleanRL 4)
	ClipRatio          float64 // PPO: ε of clip(ρ, 1−ε, 1+ε) (CleanRL 0.2); 0: no clipping, the plain surrogate ρ·Ψ
	ClipValueLoss      bool    // PPO: clip V's change around its rollout value by ClipRatio (CleanRL true)
	ValueCoef          float64 // PPO: V's loss is ValueCoef·½·ValueLoss (CleanRL 0.5)
	EntropyCoef        float64 // subtract EntropyCoef·mean H(π) from π's objective (CleanRL 0.01)
	MaxGradNorm        float64 // clip each network's global gradient norm to this (CleanRL 0.5); 0: off
	TargetKL           float64 // PPO: stop the batch's steps once approx KL > 1.5·TargetKL (Spinning Up 0.01); 0: off
	AdamEps            float64 // Adam's ε (CleanRL 1e-5); 0: PyTorch's 1e-8
	OrthogonalInit     bool    // orthogonal weights, gain √2 hidden, 0.01 π output, 1 V output; biases 0 (CleanRL true)
	AnnealLR           bool    // learning rates fall linearly to 0 over Epochs (CleanRL true)
	MinibatchNormalize bool    // PPO: standardise Ψ over each minibatch (CleanRL true)

	// The objective of π's steps and the loss of V's, as GoMLX functions
	// (nil: VPGObjective and MSE). Functions are not saved in checkpoints:
	// resume a run that used others with LoadWith.
	Objective Objective `json:"-"`
	ValueLoss ValueLoss `json:"-"`
	// Psi is the weight Ψ_t that Collect gives every step (nil: the
	// Estimator's), so that a learner's own Ψ trains through RunEpoch and
	// Train. Like the objectives, it is not saved in checkpoints.
	Psi pg.PsiFunc `json:"-"`
}

// DefaultConfig is OpenAI Spinning Up's VPG (one environment, Adam,
// π lr 3e-4, V lr 1e-3, 80 value steps, 64×64 tanh, γ 0.99, λ 0.97).
func DefaultConfig() Config {
	return Config{
		Env:                 "CartPole-v1",
		Epochs:              50,
		StepsPerEpoch:       4000,
		NumEnvs:             1,
		Gamma:               0.99,
		Lambda:              0.97,
		PiLR:                3e-4,
		VfLR:                1e-3,
		TrainVIters:         80,
		Hidden:              []int{64, 64},
		MaxEpLen:            1000,
		NormalizeAdvantages: true,
		Optimizer:           Adam,
		Estimator:           GAEAdvantage,
		LogStdInit:          -0.5,
		RewardScale:         1,
	}
}

// Preset returns DefaultConfig tuned for envID (still VPG: only learning
// rates, batch shape, log σ init and input/reward scaling differ). Unknown
// ids get DefaultConfig with Env set, which NewTrainer then rejects.
func Preset(envID string) Config {
	c := DefaultConfig()
	c.Env = envID
	switch envID {
	case "CartPole-v1":
		c.PiLR = 1e-2 // Spinning Up's 3e-4 barely moves in 50 epochs
		// 8 copies roll out faster than 1 and solve as reliably: the epoch
		// a seed solves in varies more between seeds than between 1, 8 and 16 copies.
		c.NumEnvs = 8
	case "Pendulum-v1":
		// Many small epochs: VPG takes one policy step per batch, and
		// swinging up takes many steps (it appears after ~900 epochs), so
		// 1500 epochs of 400 steps learn where the same 600k steps in
		// fewer, larger epochs stay near −900. Smaller batches are too
		// noisy for some seeds, and π lr 1e-2 is too large at this size.
		c.Epochs = 1500
		c.StepsPerEpoch, c.NumEnvs = 400, 10 // 40 steps per copy: an episode spans 5 epochs
		c.Gamma, c.Lambda = 0.95, 0.95       // short horizon: swinging up pays off within ~20 steps
		c.PiLR, c.TrainVIters = 3e-3, 20
		c.LogStdInit = 0                      // σ = 1 over the action range [−2, 2]
		c.ObsScale = []float64{1, 1, 1.0 / 8} // θ̇ ∈ [−8, 8] → [−1, 1]
		c.RewardScale = 0.1                   // V targets of order 10, not 100
	}
	return c
}

// Upper limits of Config's sizes: generous for classic control, and small
// enough that a typo (or a crafted checkpoint) gets an error instead of
// exhausting memory.
const (
	maxEpochs           = 10_000_000
	maxStepsPerEpoch    = 1 << 20
	maxNumEnvs          = 4096
	maxHiddenLayers     = 8
	maxHiddenUnits      = 1024
	maxTrainVIters      = 10_000
	maxEpLenLimit       = 10_000_000
	maxActivationFloats = 1 << 24 // StepsPerEpoch × Σ Hidden: the update's activations (64 MiB of float32)
	// maxParams bounds the parameters of π and V together, so that a
	// checkpoint (parameters and two Adam moments, at most
	// checkpointBytesPerNumber each) stays under MaxCheckpointBytes.
	maxParams = 3_000_000
)

// Bounds of Config's real numbers: wide enough for any sensible run, and
// narrow enough that every allowed value trains without overflowing float32
// before the runaway checks (see DivergenceError) can name the epoch.
const (
	MaxLR          = 1    // PiLR and VfLR: Adam moves each parameter by about the learning rate per step
	MinRewardScale = 1e-6 // RewardScale
	MaxRewardScale = 1e3
	MaxAbsLogStd   = 20 // |LogStdInit|: σ from 2e-9 to 5e8
)

// Presets lists the environments that Preset tunes; others get
// DefaultConfig.
func Presets() []string { return []string{"CartPole-v1", "Pendulum-v1"} }

// Validate checks every field and reports all problems at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	env, err := envs.Make(c.Env)
	if err != nil {
		errs = append(errs, err)
	}
	in := func(name string, v, lo, hi int) bool {
		if v < lo || v > hi {
			bad("%s = %d, want %d … %d", name, v, lo, hi)
			return false
		}
		return true
	}
	in("Epochs", c.Epochs, 1, maxEpochs)
	in("NumEnvs", c.NumEnvs, 1, maxNumEnvs)
	if in("StepsPerEpoch", c.StepsPerEpoch, 1, maxStepsPerEpoch) && c.NumEnvs >= 1 && c.StepsPerEpoch%c.NumEnvs != 0 {
		bad("StepsPerEpoch = %d, want a multiple of NumEnvs = %d", c.StepsPerEpoch, c.NumEnvs)
	}
	unit := func(name string, v float64) {
		if !(v >= 0 && v <= 1) {
			bad("%s = %v, want a number in [0, 1]", name, v)
		}
	}
	unit("Gamma", c.Gamma)
	unit("Lambda", c.Lambda)
	lr := func(name string, v float64) {
		if !(v > 0 && v <= MaxLR) {
			bad("%s = %v, want a number in (0, %v]", name, v, MaxLR)
		}
	}
	lr("PiLR", c.PiLR)
	lr("VfLR", c.VfLR)
	if !(c.RewardScale >= MinRewardScale && c.RewardScale <= MaxRewardScale) {
		bad("RewardScale = %v, want a number in [%v, %v]", c.RewardScale, MinRewardScale, MaxRewardScale)
	}
	in("TrainVIters", c.TrainVIters, 0, maxTrainVIters)
	in("MaxEpLen", c.MaxEpLen, 1, maxEpLenLimit)
	if len(c.Hidden) > maxHiddenLayers {
		bad("Hidden has %d layers, want at most %d", len(c.Hidden), maxHiddenLayers)
	}
	units, sized := 0, true
	for i, h := range c.Hidden {
		sized = in(fmt.Sprintf("Hidden[%d]", i), h, 1, maxHiddenUnits) && sized
		units += h
	}
	if sized && c.StepsPerEpoch <= maxStepsPerEpoch && len(c.Hidden) <= maxHiddenLayers && c.StepsPerEpoch*units > maxActivationFloats {
		bad("StepsPerEpoch × Σ Hidden = %d × %d, want at most %d (the update holds that many activations)", c.StepsPerEpoch, units, maxActivationFloats)
	}
	if c.Optimizer != Adam && c.Optimizer != SGD {
		bad("Optimizer = %q, want %q or %q", c.Optimizer, Adam, SGD)
	}
	if !c.Estimator.valid() {
		bad("Estimator = %q, want one of %v", c.Estimator, Estimators())
	}
	if c.Learner != "" && c.Learner != CPULearner && c.Learner != GraphLearner {
		bad("Learner = %q, want %q, %q or \"\" (the backend's default)", c.Learner, CPULearner, GraphLearner)
	}
	c.validatePPO(bad)
	if !(math.Abs(c.LogStdInit) <= MaxAbsLogStd) {
		bad("LogStdInit = %v, want a number in [−%v, %v]", c.LogStdInit, MaxAbsLogStd, MaxAbsLogStd)
	}
	if env != nil && sized && len(c.Hidden) <= maxHiddenLayers {
		if p := paramCount(env, c.Hidden); p > maxParams {
			bad("Hidden = %v has %d parameters in π and V together, want at most %d (the checkpoint must stay under %d MiB)",
				c.Hidden, p, maxParams, MaxCheckpointBytes>>20)
		}
	}
	if env != nil && c.ObsScale != nil {
		if d := env.ObservationSpace().Dim(); len(c.ObsScale) != d {
			bad("ObsScale has %d entries, want one per observation dimension of %s (%d)", len(c.ObsScale), c.Env, d)
		}
	}
	for i, s := range c.ObsScale {
		if !(s > 0) || math.IsInf(s, 0) {
			bad("ObsScale[%d] = %v, want a finite number > 0", i, s)
		}
	}
	if len(errs) == 0 {
		return nil
	}
	ce := &ConfigError{}
	for _, e := range errs {
		ce.Problems = append(ce.Problems, e.Error())
	}
	return ce
}

// ConfigError lists every problem Validate found, each naming the field
// ("StepsPerEpoch = 0, want 1 … 1048576").
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string { return "vpg: invalid config: " + strings.Join(e.Problems, "; ") }

// paramCount is the number of parameters of π and V for env and hidden
// layers: each dense layer has in×out weights and out biases; a Gaussian
// policy adds one log σ per action dimension.
func paramCount(env envs.Env, hidden []int) int {
	dense := func(out int) int {
		n, in := 0, env.ObservationSpace().Dim()
		for _, h := range append(slices.Clone(hidden), out) {
			n += in*h + h
			in = h
		}
		return n
	}
	a := env.ActionSpace()
	if a.Discrete() {
		return dense(a.N) + dense(1)
	}
	return dense(a.Dim()) + a.Dim() + dense(1)
}
