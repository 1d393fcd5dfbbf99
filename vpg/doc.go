// Package vpg implements Vanilla Policy Gradient (VPG), the algorithm the
// govpg tutorial derives: [Trainer] collects a batch of StepsPerEpoch steps
// from vectorized environments, weighs every step with Ψ_t (Config.Estimator,
// or a learner's own pg.PsiFunc through [Trainer.Psi]), takes one policy
// step on an [Objective] (default [VPGObjective], −mean(log π(a|s)·Ψ)) and
// TrainVIters steps on a [ValueLoss] (default [MSE], mean((V(s)−R̂)²)), as
// OpenAI Spinning Up's VPG does. Objectives and value losses are GoMLX
// functions: set Config.Objective and Config.ValueLoss to train with your
// own. The policies are a categorical one over logits ([Categorical]) and a
// diagonal Gaussian ([DiagGaussian]).
//
// The math on slices that a trainer is not needed for — returns, GAE, the
// weight functions Ψ_t, log-softmax and the Gaussian log-likelihood — is in
// package vpg/pg, which does not import GoMLX.
//
// The sequel, PPO: Config.Algo = [PPO] reuses each batch for UpdateEpochs
// passes of shuffled minibatches on the importance ratio ρ = π_θ/π_old
// ([RatioObjective], [ClippedObjective]), with the core details of "The 37
// implementation details of PPO" as Config fields; [PPOPreset] is CleanRL's
// ppo.py.
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
// Several seeds at once: [TrainSeeds] trains one run per seed in one call,
// the runs side by side on the cores, each the same bits as alone.
//
//	runs, err := vpg.TrainSeeds(cfg, []uint64{0, 1, 2, 3}, nil, nil) // runs[i]: seed i's EpochMetrics
//
// To measure the variance of the gradient estimate, collect batches with
// [Trainer.Collect] and compare [Trainer.PolicyGradient] of the same batch
// under different estimators.
//
// What runs where. A [Learner] owns the parameters and takes the steps.
// The CPU learner (the default on the pure-Go backend) runs π's and V's
// MLPs on nn.Engine (forward pass, back-propagation, Adam) and asks GoMLX
// for the objective, the value loss and their gradients with respect to
// the networks' outputs (a batch × outputs graph, compiled once). The graph
// learner (the default on other backends, e.g. XLA; Config.Learner selects
// either) runs every step as one GoMLX graph. The analysis functions
// (Model.Forward, LogProb, LogProbGrad, Trainer.PolicyGradient) are GoMLX
// graphs on either.
package vpg
