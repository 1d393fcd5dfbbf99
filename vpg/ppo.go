package vpg

import (
	"fmt"
	"math"
	"time"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/govpg/govpg/vpg/pg"
)

// Algorithms accepted by Config.Algo.
const (
	VPG = "vpg" // one policy step and TrainVIters value steps per batch
	PPO = "ppo" // UpdateEpochs passes of Minibatches shuffled minibatches, one π and one V step each
)

// RatioObjective is the importance-sampled surrogate
//
//	L(θ) = −1/N Σ_t ρ_t·Ψ_t,  ρ_t = π_θ(a_t|s_t)/π_old(a_t|s_t) = exp(log π_θ − log π_old),
//
// whose gradient at θ = θ_old (ρ = 1) is VPG's: ∇ρ = ρ·∇log π.
func RatioObjective(t PolicyTerms) *graph.Node {
	rho := graph.Exp(graph.Sub(t.LogP, t.OldLogP))
	return graph.Neg(graph.ReduceAllMean(graph.Mul(rho, t.Psi)))
}

// ClippedObjective returns PPO's clipped surrogate (Schulman et al., 2017, eq. 7)
//
//	L(θ) = −1/N Σ_t min(ρ_t·Ψ_t, clip(ρ_t, 1−ε, 1+ε)·Ψ_t),
//
// which stops rewarding a move of ρ beyond 1±ε in the direction Ψ favours.
func ClippedObjective(eps float64) Objective {
	return func(t PolicyTerms) *graph.Node {
		rho := graph.Exp(graph.Sub(t.LogP, t.OldLogP))
		clipped := graph.ClipScalar(rho, 1-eps, 1+eps)
		return graph.Neg(graph.ReduceAllMean(graph.Min(graph.Mul(rho, t.Psi), graph.Mul(clipped, t.Psi))))
	}
}

// policyObjective is the objective π's steps minimise: Config.Objective,
// else PPO's (clipped when ClipRatio > 0) or VPG's, minus EntropyCoef·mean H.
func (c Config) policyObjective() Objective {
	obj := c.Objective
	switch {
	case obj != nil:
	case c.Algo == PPO && c.ClipRatio > 0:
		obj = ClippedObjective(c.ClipRatio)
	case c.Algo == PPO:
		obj = RatioObjective
	default:
		obj = VPGObjective
	}
	if c.EntropyCoef == 0 {
		return obj
	}
	coef := c.EntropyCoef
	return func(t PolicyTerms) *graph.Node {
		return graph.Sub(obj(t), graph.MulScalar(graph.ReduceAllMean(t.Entropy), coef))
	}
}

// valueObjective is V's loss: Config.ValueLoss (MSE when nil), times
// ValueCoef/2 under PPO, CleanRL's vf_coef·½·mean((V−R̂)²).
func (c Config) valueObjective() ValueLoss {
	loss := c.ValueLoss
	if loss == nil {
		loss = MSE
	}
	if c.Algo != PPO {
		return loss
	}
	coef := c.ValueCoef / 2
	return func(v, target *graph.Node) *graph.Node { return graph.MulScalar(loss(v, target), coef) }
}

// PPOPreset is CleanRL's ppo.py defaults on envID: 500k steps as 4 copies ×
// 128 steps per batch, lr 2.5e-4 for π and V (CleanRL's one Adam over
// both), γ 0.99, λ 0.95, 4 passes of 4 minibatches, clip 0.2, entropy
// 0.01, value coefficient 0.5, every core detail on, advantages normalised
// per minibatch (not per batch).
func PPOPreset(envID string) Config {
	c := DefaultConfig()
	c.Env, c.Algo = envID, PPO
	c.NumEnvs, c.StepsPerEpoch = 4, 512
	c.Epochs = 500_000 / c.StepsPerEpoch
	c.PiLR, c.VfLR = 2.5e-4, 2.5e-4
	c.Gamma, c.Lambda = 0.99, 0.95
	c.UpdateEpochs, c.Minibatches = 4, 4
	c.ClipRatio, c.ClipValueLoss = 0.2, true
	c.EntropyCoef, c.ValueCoef = 0.01, 0.5
	c.MaxGradNorm, c.AdamEps = 0.5, 1e-5
	c.OrthogonalInit, c.AnnealLR = true, true
	c.NormalizeAdvantages, c.MinibatchNormalize = false, true
	c.LogStdInit = 0 // CleanRL's continuous PPO starts log σ at 0
	return c
}

// validatePPO adds the problems of the PPO fields to bad.
func (c Config) validatePPO(bad func(string, ...any)) {
	if c.Algo != "" && c.Algo != VPG && c.Algo != PPO {
		bad("Algo = %q, want %q or %q", c.Algo, VPG, PPO)
	}
	nonNeg := func(name string, v float64) {
		if !(v >= 0) || math.IsInf(v, 0) {
			bad("%s = %v, want a finite number ≥ 0", name, v)
		}
	}
	nonNeg("ClipRatio", c.ClipRatio)
	nonNeg("ValueCoef", c.ValueCoef)
	nonNeg("MaxGradNorm", c.MaxGradNorm)
	nonNeg("TargetKL", c.TargetKL)
	nonNeg("AdamEps", c.AdamEps)
	if math.IsNaN(c.EntropyCoef) || math.IsInf(c.EntropyCoef, 0) {
		bad("EntropyCoef = %v, want a finite number", c.EntropyCoef)
	}
	if c.ClipRatio >= 1 {
		bad("ClipRatio = %v, want a number in [0, 1)", c.ClipRatio)
	}
	if c.Algo != PPO {
		return
	}
	if c.UpdateEpochs < 1 || c.UpdateEpochs > maxTrainVIters {
		bad("UpdateEpochs = %d, want 1 … %d", c.UpdateEpochs, maxTrainVIters)
	}
	if c.Minibatches < 1 || c.Minibatches > c.StepsPerEpoch {
		bad("Minibatches = %d, want 1 … StepsPerEpoch (%d)", c.Minibatches, c.StepsPerEpoch)
	}
	if !(c.ValueCoef > 0) {
		bad("ValueCoef = %v, want > 0 with Algo = %q (V learns only through it)", c.ValueCoef, PPO)
	}
	if c.ClipValueLoss && c.ClipRatio == 0 {
		bad("ClipValueLoss needs ClipRatio > 0 (V's change is clipped to ±ClipRatio)")
	}
}

// lrFrac is the factor of the learning rates at the current epoch: 1, or
// 1 − epoch/Epochs with AnnealLR (CleanRL's linear decay).
func (t *Trainer) lrFrac() float64 {
	if !t.cfg.AnnealLR {
		return 1
	}
	return 1 - float64(t.epoch)/float64(t.cfg.Epochs)
}

// updatePPO reuses batch b for UpdateEpochs passes; each pass shuffles the
// steps (with the rollout RNG, so checkpoints resume it) into Minibatches
// minibatches and takes one π step and one V step on each.
func (t *Trainer) updatePPO(b *Batch, m *EpochMetrics) error {
	l, c := t.model.learner, t.cfg
	obs := t.scaleInto(t.obsU, b.Obs)
	s := &PolicySample{Obs: obs, Act: b.Act, Psi: b.Weights, OldLogP: b.LogProb}
	before, err := l.PolicyEval(s, nil)
	if err != nil {
		return fmt.Errorf("vpg: policy evaluation: %w", err)
	}
	m.PiLoss, m.Entropy = before.Loss, before.Entropy
	vBefore, err := t.valueLoss(obs, b.Returns)
	if err != nil {
		return err
	}
	frac := t.lrFrac()
	n := b.Len()
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	var mb PolicySample
	var piSec, vSec float64
	size := n / c.Minibatches
passes:
	for range c.UpdateEpochs {
		if c.Minibatches > 1 {
			t.rng.Shuffle(n, func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		}
		for k := range c.Minibatches {
			start := time.Now()
			r := rows[k*size : (k+1)*size]
			if k == c.Minibatches-1 {
				r = rows[k*size:]
			}
			t.minibatch(&mb, s, r)
			if c.TargetKL > 0 {
				st, err := l.PolicyEval(&mb, nil)
				if err != nil {
					return fmt.Errorf("vpg: policy evaluation: %w", err)
				}
				if st.ApproxKL > 1.5*c.TargetKL {
					m.EarlyStop = true
					break passes
				}
			}
			if _, err := l.PolicyStep(&mb, nil, c.PiLR*frac); err != nil {
				return fmt.Errorf("vpg: policy step: %w", err)
			}
			m.PolicySteps++
			mid := time.Now()
			if err := t.valueStep(mb.Obs, b, r, c.VfLR*frac); err != nil {
				return err
			}
			piSec += mid.Sub(start).Seconds()
			vSec += time.Since(mid).Seconds()
		}
	}
	after, err := l.PolicyEval(s, nil)
	if err != nil {
		return fmt.Errorf("vpg: policy evaluation: %w", err)
	}
	m.DeltaPiLoss, m.KL, m.ApproxKL, m.ClipFrac = after.Loss-before.Loss, after.KL, after.ApproxKL, after.ClipFrac
	vAfter, err := t.valueLoss(obs, b.Returns)
	if err != nil {
		return err
	}
	m.ValueLosses = []float64{vBefore, vAfter}
	m.VLoss, m.DeltaVLoss = vBefore, vAfter-vBefore
	m.PiUpdateSec, m.VUpdateSec = piSec, vSec
	return nil
}

// minibatch fills mb with the rows r of s, Ψ standardised over them if
// MinibatchNormalize.
func (t *Trainer) minibatch(mb *PolicySample, s *PolicySample, r []int) {
	mb.Obs = gather(mb.Obs, s.Obs, t.obsDim, r)
	mb.Act = gather(mb.Act, s.Act, t.actDim, r)
	mb.Psi = gather(mb.Psi, s.Psi, 1, r)
	mb.OldLogP = gather(mb.OldLogP, s.OldLogP, 1, r)
	if t.cfg.MinibatchNormalize {
		pg.Normalize(mb.Psi)
	}
}

// valueStep takes one V step on the rows r of b (observations obs, already
// gathered). With ClipValueLoss it is CleanRL's clipped value loss
// ½·max((V−R̂)², (clip(V, V_old−ε, V_old+ε)−R̂)²): where the clipped term is
// the larger, V is outside the band and its gradient is 0, so that row's
// target becomes V's own prediction (zero gradient for any loss that is
// smallest at V = target); elsewhere both terms are (V−R̂)².
func (t *Trainer) valueStep(obs []float64, b *Batch, r []int, lr float64) error {
	targets := gather(t.vTargets, b.Returns, 1, r)
	t.vTargets = targets
	if t.cfg.ClipValueLoss {
		t.vPred = grow(t.vPred, len(r))
		if err := t.model.learner.Act(nil, t.vPred, obs); err != nil {
			return err
		}
		eps := t.cfg.ClipRatio
		for i, row := range r {
			v, old, ret := t.vPred[i], b.Values[row], targets[i]
			c := min(max(v, old-eps), old+eps)
			if (c-ret)*(c-ret) > (v-ret)*(v-ret) {
				targets[i] = v
			}
		}
	}
	if _, err := t.model.learner.ValueFit(obs, targets, 1, lr); err != nil {
		return fmt.Errorf("vpg: value step: %w", err)
	}
	return nil
}

// valueLoss is V's loss on the whole batch at the current parameters.
func (t *Trainer) valueLoss(obs, returns []float64) (float64, error) {
	ls, err := t.model.learner.ValueFit(obs, returns, 0, 1)
	if err != nil {
		return 0, err
	}
	return ls[0], nil
}

// ratioStats returns, for log π_old and log π at the same steps, the
// estimate mean(log π_old − log π) of KL(π_old‖π), CleanRL's approx KL
// mean((ρ−1) − log ρ) (Schulman's k3: never negative, lower variance) and
// the fraction of steps with |ρ − 1| > eps (0 when eps is 0: nothing clips).
func ratioStats(old, logp []float64, eps float64) (kl, approxKL, clipFrac float64) {
	clipped := 0
	for i, o := range old {
		lr := logp[i] - o
		rho := math.Exp(lr)
		kl -= lr
		approxKL += (rho - 1) - lr
		if eps > 0 && math.Abs(rho-1) > eps {
			clipped++
		}
	}
	n := float64(len(old))
	return kl / n, approxKL / n, float64(clipped) / n
}

// clipScale is the factor that brings a gradient of squared norm sq to norm
// at most max (PyTorch's clip_grad_norm_: max/(‖g‖+1e-6), at most 1); 1
// when max is 0.
func clipScale(sq, max float64) float64 {
	if max == 0 {
		return 1
	}
	return math.Min(1, max/(math.Sqrt(sq)+1e-6))
}
