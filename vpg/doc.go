// Package vpg implements Vanilla Policy Gradient (VPG), the algorithm the
// govpg tutorial derives: [Trainer] collects a batch of StepsPerEpoch steps
// from vectorized environments, weighs every step with Ψ_t (Config.Estimator,
// or a learner's own pg.PsiFunc through [Trainer.Psi]), takes one
// policy-gradient step on −mean(log π(a|s)·Ψ) and TrainVIters steps on the
// value loss mean((V(s)−R̂)²), as OpenAI Spinning Up's VPG does. The
// policies are a categorical one over logits ([Categorical]) and a diagonal
// Gaussian ([DiagGaussian]).
//
// The math on slices that a trainer is not needed for — returns, GAE, the
// weight functions Ψ_t, log-softmax and the Gaussian log-likelihood — is in
// package vpg/pg, which does not import GoMLX.
//
// # Errors
//
// Everything that takes user configuration or files ([NewTrainer],
// [Trainer.Load], [Config.Validate]) returns errors.
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
// step run on the CPU engine (nn.Engine), whose kernels beat SimpleGo's
// generic ones many times over; the Gaussian policy's step, and every step
// on XLA, run as compiled graphs. The forward passes of rollouts and of Act,
// Values and Probs, whose batches hold one row per environment, run on the
// CPU engine on any backend.
package vpg
