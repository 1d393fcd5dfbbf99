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
//     vectorized environments, estimates advantages, takes one policy step
//     on an [Objective] (default [VPGObjective], −mean(log π(a|s)·Ψ)) and
//     TrainVIters steps on a [ValueLoss] (default [MSE], mean((V(s)−R̂)²)),
//     as OpenAI Spinning Up's VPG does. Objectives and value losses are
//     GoMLX functions: set Config.Objective and Config.ValueLoss to train
//     with your own;
//   - the sequel, PPO: Config.Algo = [PPO] reuses each batch for
//     UpdateEpochs passes of shuffled minibatches on the importance ratio
//     ρ = π_θ/π_old ([RatioObjective], [ClippedObjective]), with the core
//     details of "The 37 implementation details of PPO" as Config fields;
//     [PPOPreset] is CleanRL's ppo.py.
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
