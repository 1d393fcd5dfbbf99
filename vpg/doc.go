// Package vpg implements Vanilla Policy Gradient (VPG), the algorithm the
// govpg tutorial derives, in the order the tutorial derives it:
//
//   - returns: the trajectory return R(τ) ([Return]), the future return
//     (reward-to-go) R_t = r_t + γR_{t+1} ([RewardToGo]), n-step bootstrapped
//     returns G_{t:t+n} ([NStepReturns]) and generalized advantage estimation
//     ([GAE]);
//   - policies: a categorical policy over logits ([LogSoftmax], [Softmax],
//     [Categorical]) and a diagonal Gaussian ([DiagGaussianLogProb],
//     [DiagGaussian]);
//   - training: [Trainer] collects a batch of StepsPerEpoch steps from
//     vectorized environments, estimates advantages, takes one policy-gradient
//     step on −mean(log π(a|s)·A) and TrainVIters steps on the value loss
//     mean((V(s)−R̂)²), as OpenAI Spinning Up's VPG does.
//
// # Errors
//
// The math on slices (Return, RewardToGo, NStepReturns, GAE, LogSoftmax,
// Softmax, DiagGaussianLogProb, NormalPDF) panics on bad input — γ or λ
// outside [0,1], n < 1, mismatched lengths, empty or NaN/Inf values — with a
// message that names the offending value and what is allowed. They are
// building blocks called with values the caller controls, like slice
// indexing. Everything that takes user configuration or files ([NewTrainer],
// [Trainer.Load], [Config.Validate]) returns errors instead.
//
// # Use
//
//	cfg := vpg.Preset("CartPole-v1")         // or vpg.DefaultConfig(): Spinning Up's values
//	cfg.Estimator = vpg.FutureReturn          // compare Ψ_t: FullReturn … GAEAdvantage
//	t, err := vpg.NewTrainer(cfg)
//	err = t.Train(func(m vpg.EpochMetrics) bool {
//		fmt.Println(m.Epoch, m.MeanReturn)
//		return m.MeanReturn < 475              // false stops early
//	})
//	b := t.LastBatch()                        // rewards, values, segments of the last epoch
//	v, err := t.Values(obs)                   // V(s) for heatmaps
//	a, err := t.Act(obs, true)                // greedy action
//	err = t.Save("model.json")                // vpg.Load("model.json") restores it
//
// To measure the variance of the gradient estimate, collect batches with
// [Trainer.Collect] and compare [Trainer.PolicyGradient] of the same batch
// under different estimators.
//
// Models run on GoMLX; the backend comes from nn.Backend (pure Go unless
// GOMLX_BACKEND selects another). Both networks are defined once (nn.Net).
// On the pure-Go backend V's regression steps and the categorical policy's
// step run on the CPU engine (nn.Engine), whose kernels beat the pure-Go
// backend's several times over; the Gaussian policy's step, and every step
// on XLA, run as compiled graphs. The forward passes of rollouts and of Act,
// Values and Probs, whose batches hold one row per environment, run on the
// CPU engine on any backend.
package vpg
