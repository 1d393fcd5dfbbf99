package vpg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/pg"
)

// EpochMetrics summarises one epoch (one batch and one update). Losses,
// entropy and KL are measured on the epoch's batch; KL and the Δ losses after
// the update (Spinning Up computes them before it and logs 0).
type EpochMetrics struct {
	Epoch                       int       // 0-based
	Episodes                    int       // episodes that finished during this epoch
	MeanReturn, StdReturn       float64   // over finished episodes (NaN when none finished)
	MinReturn, MaxReturn        float64   // NaN when none finished
	MeanLen                     float64   // mean length of finished episodes (NaN when none)
	PiLoss, DeltaPiLoss         float64   // −mean(log π·Ψ) before the step, and after − before
	VLoss, DeltaVLoss           float64   // mean((V−R̂)²) before the value steps, and after − before
	ValueLosses                 []float64 // mean((V−R̂)²) before each value step, then after the last (TrainVIters+1 values)
	Entropy                     float64   // mean H(π(·|s)) before the step
	KL                          float64   // approximate KL(π_old‖π_new) = mean(log π_old − log π_new)
	ApproxKL                    float64   // CleanRL's approx KL mean((ρ−1) − log ρ), ρ = π_new/π_old, after the update
	ClipFrac                    float64   // fraction of the batch's steps with |ρ − 1| > ClipRatio after the update (0 when ClipRatio is 0)
	PolicySteps                 int       // π steps taken on the batch (1 for VPG; fewer than UpdateEpochs×Minibatches after an early stop)
	EarlyStop                   bool      // PPO stopped reusing the batch: approx KL passed 1.5·TargetKL
	ExplainedVar                float64   // 1 − Var(R̂ − V)/Var(R̂) with V before the update
	TotalSteps                  int       // environment steps so far
	StepsPerSec                 float64   // rollout throughput
	RolloutSec, UpdateSec, Wall float64   // seconds: collecting, updating, since NewTrainer
	PiUpdateSec, VUpdateSec     float64   // seconds of UpdateSec in π's step and in V's TrainVIters steps
}

// Segment is one piece of trajectory inside a Batch: steps [Start, End) of
// environment copy Env. It ended in a terminal state (Terminated, bootstrap
// 0), or was cut off by the time limit or MaxEpLen (Truncated) or by the end
// of the batch (neither), and then completed by LastValue = V(s_End).
type Segment struct {
	Env, Start, End       int
	Terminated, Truncated bool
	LastValue             float64 // bootstrap in learning units (rewards × RewardScale)

	// The episode's steps in earlier batches (see pg.Path): their discounted
	// return in learning units and their number; 0 when the segment starts
	// its episode.
	PastReturn float64
	PastLen    int
}

// Batch is what one epoch collected, laid out segment by segment (each
// environment copy owns a contiguous block of StepsPerEpoch/NumEnvs steps).
type Batch struct {
	ObsDim, ActDim int
	Obs            []float64 // steps×ObsDim, as the environment returned them
	Act            []float64 // steps×ActDim, as sampled (before clipping to the action box)
	Rewards        []float64 // raw rewards r_t
	Values         []float64 // V(s_t) at collection time (learning units)
	LogProb        []float64 // log π(a_t|s_t) under the parameters that collected the batch
	Returns        []float64 // value targets R̂_t: bootstrapped reward-to-go (learning units)
	Weights        []float64 // Ψ_t: Collect fills the trainer's estimator (normalised if enabled); Update uses it as it is
	Segments       []Segment
	EpisodeReturns []float64 // raw returns of the episodes that finished in this batch
	EpisodeLens    []int
	EpisodeEnds    []int // the vector step (0 … StepsPerEpoch/NumEnvs − 1) each of those episodes ended in

	owner *Trainer
	used  bool // Update has consumed it
}

// Len is the number of steps in the batch.
func (b *Batch) Len() int { return len(b.Rewards) }

// Trainer runs VPG on vectorized environments: per epoch one batch of
// StepsPerEpoch steps, one policy step and TrainVIters value steps. A
// Trainer is not safe for concurrent use.
type Trainer struct {
	cfg      Config
	model    *Model
	venv     *envs.VecEnv
	space    envs.Space
	obsDim   int
	actDim   int
	n, T     int // environment copies, steps per copy per epoch
	maxEpLen int

	rng, actRng *rand.Rand
	start       time.Time
	epoch       int
	totalSteps  int
	history     []EpochMetrics

	epRet []float64 // running raw return of each copy's current episode
	epLen []int
	// Each copy's current episode before this batch: its discounted return
	// (learning units) and length, for pg.FullReturnPsi.
	past    []float64
	pastLen []int

	rollSrc, actSrc *rand.PCG // the sources of rng and actRng, for checkpoints
	rolloutSec      float64   // the latest Collect's duration

	// rollout scratch, allocated once
	cur, bootObs   []float64
	curS, bootS    []float64 // the same, scaled by ObsScale
	params, values []float64
	bootVals       []float64
	act, envAct    []float64
	segStart       []int
	pendingBoot    []bool
	batch          *Batch
	collected      bool // batch holds data
	scaledR        []float64

	obsU []float64 // the batch's observations scaled, for the update

	vTargets, vPred []float64 // PPO's value step scratch
}

// NewTrainer validates cfg, makes the environments and the model.
func NewTrainer(cfg Config) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return newValidTrainer(cfg)
}

// newValidTrainer is NewTrainer for a configuration already validated.
func newValidTrainer(cfg Config) (*Trainer, error) {
	cfg.Hidden = append([]int(nil), cfg.Hidden...)
	cfg.ObsScale = append([]float64(nil), cfg.ObsScale...)
	venv, err := envs.NewVecEnv(cfg.Env, cfg.NumEnvs, cfg.Seed)
	if err != nil {
		return nil, err
	}
	e := venv.Env(0)
	t := &Trainer{
		cfg: cfg, venv: venv, space: e.ActionSpace(),
		obsDim: venv.ObsDim(), actDim: venv.ActDim(), n: cfg.NumEnvs, T: cfg.StepsPerEpoch / cfg.NumEnvs,
		maxEpLen: min(cfg.MaxEpLen, e.MaxSteps()),
		rollSrc:  rand.NewPCG(cfg.Seed, 0x7670672d726f6c6c), // "vpg-roll"
		actSrc:   rand.NewPCG(cfg.Seed, 0x7670672d61637421), // "vpg-act!"
		start:    time.Now(),
	}
	t.rng, t.actRng = rand.New(t.rollSrc), rand.New(t.actSrc)
	t.model, err = newModel(ModelConfig{
		ObsDim: t.obsDim, Action: t.space, Hidden: cfg.Hidden, LogStdInit: cfg.LogStdInit,
		Seed: cfg.Seed, Optimizer: cfg.Optimizer, PiLR: cfg.PiLR, VfLR: cfg.VfLR,
		Learner: cfg.Learner, Objective: cfg.policyObjective(), ValueLoss: cfg.valueObjective(),
		AdamEps: cfg.AdamEps, MaxGradNorm: cfg.MaxGradNorm, OrthogonalInit: cfg.OrthogonalInit, ClipRatio: cfg.ClipRatio,
	}) // NewModel( with cfg validated above
	if err != nil {
		return nil, err
	}
	t.alloc()
	copy(t.cur, venv.Obs())
	return t, nil
}

func (t *Trainer) alloc() {
	n, od, ad, steps := t.n, t.obsDim, t.actDim, t.cfg.StepsPerEpoch
	pd := t.model.policy.ParamDim()
	t.epRet, t.epLen = make([]float64, n), make([]int, n)
	t.past, t.pastLen = make([]float64, n), make([]int, n)
	t.cur, t.bootObs = make([]float64, n*od), make([]float64, n*od)
	t.curS, t.bootS = make([]float64, n*od), make([]float64, n*od)
	t.params, t.values, t.bootVals = make([]float64, n*pd), make([]float64, n), make([]float64, n)
	t.act, t.envAct = make([]float64, n*ad), make([]float64, n*ad)
	t.segStart, t.pendingBoot = make([]int, n), make([]bool, n)
	t.scaledR = make([]float64, steps)
	t.batch = t.newBatch()
	t.obsU = make([]float64, steps*od)
}

// newBatch allocates a batch for Collect to fill: each Collect hands out a
// new one, so that what a caller does with a batch (shorten a slice, keep
// it) cannot reach the trainer's next epoch.
func (t *Trainer) newBatch() *Batch {
	steps, od, ad := t.cfg.StepsPerEpoch, t.obsDim, t.actDim
	return &Batch{
		ObsDim: od, ActDim: ad,
		Obs: make([]float64, steps*od), Act: make([]float64, steps*ad),
		Rewards: make([]float64, steps), Values: make([]float64, steps), LogProb: make([]float64, steps),
		Returns: make([]float64, steps), Weights: make([]float64, steps),
		owner: t,
	}
}

// Config returns the trainer's configuration.
func (t *Trainer) Config() Config { return t.cfg }

// Model returns the policy and value networks.
func (t *Trainer) Model() *Model { return t.model }

// Epoch returns the number of epochs trained so far, counting those of the
// checkpoint a trainer was made from with Load; Train goes on from there.
func (t *Trainer) Epoch() int { return t.epoch }

// TotalSteps returns the environment steps collected so far, counted like Epoch.
func (t *Trainer) TotalSteps() int { return t.totalSteps }

// History returns the metrics of every epoch run so far.
func (t *Trainer) History() []EpochMetrics { return append([]EpochMetrics(nil), t.history...) }

// LastBatch returns the batch of the latest epoch or Collect (nil before
// the first).
func (t *Trainer) LastBatch() *Batch {
	if !t.collected {
		return nil
	}
	return t.batch
}

// Train runs the remaining epochs up to Config.Epochs, calling onEpoch (if
// not nil) after each; onEpoch returning false stops early.
func (t *Trainer) Train(onEpoch func(EpochMetrics) bool) error {
	for t.epoch < t.cfg.Epochs {
		m, err := t.RunEpoch()
		if err != nil {
			return err
		}
		if onEpoch != nil && !onEpoch(m) {
			return nil
		}
	}
	return nil
}

// RunEpoch collects one batch and updates π once and V TrainVIters times:
// Collect then Update.
func (t *Trainer) RunEpoch() (EpochMetrics, error) {
	b, err := t.Collect()
	if err != nil {
		return EpochMetrics{}, err
	}
	return t.Update(b)
}

// Update takes one policy step with b.Weights exactly as given as Ψ_t (no
// normalisation: normalise them first if wanted, see pg.Normalize) and
// TrainVIters value steps towards b.Returns as given, then records the
// epoch's metrics. b must be this trainer's latest batch, not used before.
// Collect followed by Update is RunEpoch.
func (t *Trainer) Update(b *Batch) (EpochMetrics, error) {
	if err := t.checkBatch(b); err != nil {
		return EpochMetrics{}, err
	}
	if b.used {
		return EpochMetrics{}, fmt.Errorf("vpg: this batch was already used by Update; Collect a new one")
	}
	if err := pg.CheckFinite("batch.Weights", b.Weights); err != nil {
		return EpochMetrics{}, fmt.Errorf("vpg: %w", err)
	}
	if err := pg.CheckFinite("batch.Returns", b.Returns); err != nil {
		return EpochMetrics{}, fmt.Errorf("vpg: %w", err)
	}
	t1 := time.Now()
	m := EpochMetrics{Epoch: t.epoch, Episodes: len(b.EpisodeReturns), TotalSteps: t.totalSteps}
	episodeStats(&m, b)
	m.ExplainedVar = explainedVariance(b.Returns, b.Values)
	b.used = true
	if err := t.update(b, &m); err != nil {
		return m, err
	}
	if err := t.checkDiverged(m); err != nil {
		return m, err
	}
	if err := t.checkRunaway(m, b.Returns); err != nil {
		return m, err
	}
	t2 := time.Now()
	m.RolloutSec, m.UpdateSec = t.rolloutSec, t2.Sub(t1).Seconds()
	m.StepsPerSec = float64(b.Len()) / m.RolloutSec
	m.Wall = t2.Sub(t.start).Seconds()
	t.epoch++
	t.history = append(t.history, m)
	return m, nil
}

// checkBatch reports whether b is this trainer's batch, of the right size.
func (t *Trainer) checkBatch(b *Batch) error {
	switch {
	case b == nil:
		return fmt.Errorf("vpg: batch is nil; get one from Trainer.Collect")
	case b.owner != t:
		return fmt.Errorf("vpg: this batch was collected by another trainer; use the batch of this trainer's Collect")
	case b != t.batch:
		return fmt.Errorf("vpg: this batch is not the trainer's latest; use the batch of its last Collect")
	case !t.collected:
		return fmt.Errorf("vpg: no batch collected yet; call Collect first")
	}
	steps := t.cfg.StepsPerEpoch
	for _, f := range []struct {
		name string
		n    int
	}{{"Weights", len(b.Weights)}, {"Returns", len(b.Returns)}, {"Rewards", len(b.Rewards)}, {"Values", len(b.Values)},
		{"Obs", len(b.Obs) / t.obsDim}, {"Act", len(b.Act) / t.actDim}} {
		if f.n != steps {
			return fmt.Errorf("vpg: batch.%s has %d steps, want %d (StepsPerEpoch)", f.name, f.n, steps)
		}
	}
	return nil
}

// Collect runs the current policy for StepsPerEpoch steps (one batched
// forward pass per step over all copies, in plain Go: see goNets) and
// returns the batch with Returns and with Weights for Config.Estimator
// (normalised if Config.NormalizeAdvantages). Episodes continue across
// batches. The batch is new and the caller's: later Collects do not touch
// it, nor does what the caller does to it reach them (Update takes only
// the latest). The parameters do not change.
func (t *Trainer) Collect() (*Batch, error) {
	start := time.Now()
	t.batch = t.newBatch()
	b, n, od, ad, T := t.batch, t.n, t.obsDim, t.actDim, t.T
	b.used, t.collected = true, false // a failed Collect leaves no usable batch
	pd := t.model.policy.ParamDim()
	for i := range t.segStart {
		t.segStart[i] = 0
	}
	for step := range T {
		if err := t.model.learner.Act(t.params, t.values, t.scaleInto(t.curS, t.cur)); err != nil {
			return nil, err
		}
		for i := range n {
			idx := i*T + step
			a := t.act[i*ad : (i+1)*ad]
			params := t.params[i*pd : (i+1)*pd]
			t.model.policy.Sample(params, t.rng, false, a)
			if pg.NonFinite(a) >= 0 {
				return nil, &DivergenceError{Epoch: t.epoch, What: fmt.Sprintf("the sampled action %v", a), Hint: t.lrHint()}
			}
			b.LogProb[idx] = t.model.head.logProb(params, a)
			copy(b.Obs[idx*od:(idx+1)*od], t.cur[i*od:(i+1)*od])
			copy(b.Act[idx*ad:(idx+1)*ad], a)
			b.Values[idx] = t.values[i]
			t.toEnvAction(t.envAct[i*ad:(i+1)*ad], a)
		}
		obs, rew, term, trunc, err := t.venv.Step(t.envAct)
		if err != nil {
			return nil, fmt.Errorf("vpg: stepping %s: %w", t.cfg.Env, err)
		}
		copy(t.cur, obs)
		needBoot := false
		for i := range n {
			idx := i*T + step
			b.Rewards[idx] = rew[i]
			t.epRet[i] += rew[i]
			t.epLen[i]++
			capped := !term[i] && !trunc[i] && t.epLen[i] >= t.maxEpLen
			if !term[i] && !trunc[i] && !capped {
				continue
			}
			b.EpisodeReturns = append(b.EpisodeReturns, t.epRet[i])
			b.EpisodeLens = append(b.EpisodeLens, t.epLen[i])
			b.EpisodeEnds = append(b.EpisodeEnds, step)
			t.epRet[i], t.epLen[i] = 0, 0
			if term[i] {
				t.closeSegment(i, step+1, 0, true, false)
				continue
			}
			// Cut off, not terminal: complete with V of the state it stopped in.
			last := t.cur[i*od : (i+1)*od]
			if trunc[i] {
				last = t.venv.FinalObs(i)
			}
			copy(t.bootObs[i*od:(i+1)*od], last)
			t.pendingBoot[i], needBoot = true, true
			if capped { // MaxEpLen below the environment's own limit: start over ourselves
				copy(t.cur[i*od:(i+1)*od], t.venv.ResetCopy(i))
			}
		}
		if needBoot {
			if err := t.bootstrap(step + 1); err != nil {
				return nil, err
			}
		}
		t.totalSteps += n
	}
	// The batch ends: every open segment is completed by V(s_T).
	open := false
	for i := range n {
		if t.segStart[i] < T {
			copy(t.bootObs[i*od:(i+1)*od], t.cur[i*od:(i+1)*od])
			t.pendingBoot[i], open = true, true
		}
	}
	if open {
		if err := t.bootstrapAs(T, false); err != nil {
			return nil, err
		}
	}
	if err := t.fillTargets(b); err != nil {
		return nil, err
	}
	t.carryPast(b)
	b.used, t.collected = false, true
	t.rolloutSec = time.Since(start).Seconds()
	return b, nil
}

// carryPast records, for every episode still running at the batch's end,
// its discounted return and length so far, from the scaled rewards that
// fillTargets wrote.
func (t *Trainer) carryPast(b *Batch) {
	g := t.cfg.Gamma
	for _, s := range b.Segments {
		if s.Terminated || s.Truncated || s.End != (s.Env+1)*t.T {
			continue
		}
		piece := pg.DiscountedSum(nil, t.scaledR[s.Start:s.End], 0, g)
		t.past[s.Env] += math.Pow(g, float64(t.pastLen[s.Env])) * piece
		t.pastLen[s.Env] += s.End - s.Start
	}
}

// fillTargets computes the value targets (bootstrapped reward-to-go) and
// the weights of Config.Psi (or Config.Estimator), normalised if the config
// says so.
func (t *Trainer) fillTargets(b *Batch) error {
	for i, r := range b.Rewards {
		t.scaledR[i] = r * t.cfg.RewardScale
	}
	for _, s := range b.Segments {
		pg.DiscountedSum(b.Returns[s.Start:s.End], t.scaledR[s.Start:s.End], s.LastValue, t.cfg.Gamma)
	}
	psi := t.cfg.Psi
	if psi == nil {
		psi = t.cfg.Estimator.Psi()
	}
	if err := applyPsi(b.Weights, b, t.scaledR, psi, t.cfg.Gamma, t.cfg.Lambda); err != nil {
		return err
	}
	if t.cfg.NormalizeAdvantages {
		pg.Normalize(b.Weights)
	}
	return nil
}

// Psi returns Ψ_t for every step of b computed by psi, path by path, with
// the trainer's γ, λ and reward scale; not normalised. Put it in b.Weights
// (normalised or not) and call Update to train with it.
func (t *Trainer) Psi(b *Batch, psi pg.PsiFunc) ([]float64, error) {
	if err := t.checkBatch(b); err != nil {
		return nil, err
	}
	if psi == nil {
		return nil, fmt.Errorf("vpg: the weight function is nil")
	}
	w := make([]float64, b.Len())
	if err := applyPsi(w, b, t.scaledR, psi, t.cfg.Gamma, t.cfg.Lambda); err != nil {
		return nil, err
	}
	return w, nil
}

func (t *Trainer) bootstrap(end int) error { return t.bootstrapAs(end, true) }

// bootstrapAs evaluates V on bootObs in one pass and closes every pending segment at end.
func (t *Trainer) bootstrapAs(end int, truncated bool) error {
	if err := t.model.learner.Act(nil, t.bootVals, t.scaleInto(t.bootS, t.bootObs)); err != nil {
		return err
	}
	for i, p := range t.pendingBoot {
		if p {
			t.closeSegment(i, end, t.bootVals[i], false, truncated)
			t.pendingBoot[i] = false
		}
	}
	return nil
}

func (t *Trainer) closeSegment(i, end int, last float64, terminated, truncated bool) {
	s := Segment{
		Env: i, Start: i*t.T + t.segStart[i], End: i*t.T + end,
		Terminated: terminated, Truncated: truncated, LastValue: last,
	}
	if t.segStart[i] == 0 {
		s.PastReturn, s.PastLen = t.past[i], t.pastLen[i]
	}
	if terminated || truncated {
		t.past[i], t.pastLen[i] = 0, 0
	}
	t.batch.Segments = append(t.batch.Segments, s)
	t.segStart[i] = end
}

// toEnvAction clips a sampled continuous action into the action box (the
// batch keeps the unclipped sample, whose log π the gradient needs).
func (t *Trainer) toEnvAction(dst, a []float64) {
	copy(dst, a)
	if t.space.Discrete() {
		return
	}
	for j := range dst {
		dst[j] = min(max(dst[j], t.space.Low[j]), t.space.High[j])
	}
}

// scaleInto returns obs scaled by ObsScale, written into dst (obs itself
// when there is no scaling).
func (t *Trainer) scaleInto(dst, obs []float64) []float64 {
	if len(t.cfg.ObsScale) == 0 {
		return obs
	}
	for i, o := range obs {
		dst[i] = o * t.cfg.ObsScale[i%t.obsDim]
	}
	return dst
}

// update takes one policy step and TrainVIters value steps on batch b
// (VPG), or PPO's passes over it.
func (t *Trainer) update(b *Batch, m *EpochMetrics) error {
	if t.cfg.Algo == PPO {
		return t.updatePPO(b, m)
	}
	start := time.Now()
	l := t.model.learner
	frac := t.lrFrac()
	s := &PolicySample{Obs: t.scaleInto(t.obsU, b.Obs), Act: b.Act, Psi: b.Weights, OldLogP: b.LogProb}
	before, err := l.PolicyStep(s, nil, t.cfg.PiLR*frac)
	if err != nil {
		return fmt.Errorf("vpg: policy step: %w", err)
	}
	after, err := l.PolicyEval(s, nil)
	if err != nil {
		return fmt.Errorf("vpg: policy evaluation: %w", err)
	}
	m.PiLoss, m.Entropy = before.Loss, before.Entropy
	m.DeltaPiLoss, m.KL, m.ApproxKL, m.ClipFrac, m.PolicySteps = after.Loss-before.Loss, after.KL, after.ApproxKL, after.ClipFrac, 1
	mid := time.Now()
	if m.ValueLosses, err = l.ValueFit(s.Obs, b.Returns, t.cfg.TrainVIters, t.cfg.VfLR*frac); err != nil {
		return err
	}
	m.PiUpdateSec, m.VUpdateSec = mid.Sub(start).Seconds(), time.Since(mid).Seconds()
	m.VLoss = m.ValueLosses[0]
	m.DeltaVLoss = m.ValueLosses[len(m.ValueLosses)-1] - m.VLoss
	return nil
}

// PolicyGradient returns ĝ = ∇θ 1/N Σ_t log π(a_t|s_t)·w_t on batch b
// with the weights w exactly as given (one per step, e.g. from Psi),
// flattened in Model.PolicyParams order, at the current parameters. It
// changes neither the model nor b.
func (t *Trainer) PolicyGradient(b *Batch, w []float64) ([]float64, error) {
	if err := t.checkBatch(b); err != nil {
		return nil, err
	}
	if len(w) != b.Len() {
		return nil, fmt.Errorf("vpg: %d weights for a batch of %d steps, want one per step", len(w), b.Len())
	}
	if err := pg.CheckFinite("weights", w); err != nil {
		return nil, fmt.Errorf("vpg: %w", err)
	}
	return t.model.policyGradient(t.scaleInto(t.obsU, b.Obs), b.Act, w)
}

// Act returns the action for one observation: sampled from π(·|s) (with the
// trainer's own seeded RNG) or its most likely action if greedy, clipped
// into the action box so it can go straight to Env.Step.
func (t *Trainer) Act(obs []float64, greedy bool) ([]float64, error) {
	if len(obs) != t.obsDim {
		return nil, fmt.Errorf("vpg: observation has %d numbers, %s's have %d", len(obs), t.cfg.Env, t.obsDim)
	}
	params, err := t.distParams(obs)
	if err != nil {
		return nil, err
	}
	a := make([]float64, t.actDim)
	t.model.policy.Sample(params, t.actRng, greedy, a)
	t.toEnvAction(a, a)
	return a, nil
}

// Values returns V(s) for a batch of raw observations (rows of ObsDim), in
// reward units (divided back by RewardScale).
func (t *Trainer) Values(obs []float64) ([]float64, error) {
	x, err := t.input(obs)
	if err != nil {
		return nil, err
	}
	v := make([]float64, len(obs)/t.obsDim)
	if err := t.model.learner.Act(nil, v, x); err != nil {
		return nil, err
	}
	for i := range v {
		v[i] /= t.cfg.RewardScale
	}
	return v, nil
}

// Probs returns the action distribution for a batch of raw observations
// (rows of ObsDim), one row per observation: π(a|s) for each action
// (Categorical) or μ‖σ (DiagGaussian).
func (t *Trainer) Probs(obs []float64) ([]float64, error) {
	p, err := t.distParams(obs)
	if err != nil {
		return nil, err
	}
	pd := t.model.policy.ParamDim()
	from := t.actDim // DiagGaussian: μ stays, log σ → σ
	if t.space.Discrete() {
		from = 0
	}
	for row := 0; row < len(p); row += pd {
		for i := row + from; i < row+pd; i++ {
			p[i] = math.Exp(p[i])
		}
	}
	return p, nil
}

// distParams is Dist.Params, one row per raw observation (rows of ObsDim).
func (t *Trainer) distParams(obs []float64) ([]float64, error) {
	x, err := t.input(obs)
	if err != nil {
		return nil, err
	}
	p := make([]float64, len(obs)/t.obsDim*t.model.policy.ParamDim())
	return p, t.model.learner.Act(p, nil, x)
}

// input checks raw observations (whole rows of ObsDim, finite) and returns
// them scaled by ObsScale.
func (t *Trainer) input(obs []float64) ([]float64, error) {
	if len(obs) == 0 || len(obs)%t.obsDim != 0 {
		return nil, fmt.Errorf("vpg: %d numbers is not a whole number of observations of length %d", len(obs), t.obsDim)
	}
	for i, x := range obs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("vpg: observation value %d is %v, want finite numbers", i, x)
		}
	}
	return t.scaleInto(make([]float64, len(obs)), obs), nil
}

// MaxEvalEpisodes bounds Evaluate's episodes (and vpg eval's --episodes).
const MaxEvalEpisodes = 100_000

// Evaluate plays episodes on a fresh environment (episode k starts from
// seed+k) and returns their raw returns.
func (t *Trainer) Evaluate(episodes int, greedy bool, seed uint64) ([]float64, error) {
	if episodes < 1 || episodes > MaxEvalEpisodes {
		return nil, fmt.Errorf("vpg: episodes = %d, want 1 … %d", episodes, MaxEvalEpisodes)
	}
	env, err := envs.Make(t.cfg.Env)
	if err != nil {
		return nil, err
	}
	rets := make([]float64, episodes)
	for k := range rets {
		obs := env.Reset(seed + uint64(k))
		for step := 0; step < t.maxEpLen; step++ {
			a, err := t.Act(obs, greedy)
			if err != nil {
				return nil, err
			}
			if err := envs.CheckAction(t.space, a); err != nil { // Step would panic
				return nil, fmt.Errorf("vpg: evaluating episode %d, step %d: %w", k, step, err)
			}
			var r float64
			var term, trunc bool
			obs, r, term, trunc = env.Step(a)
			rets[k] += r
			if term || trunc {
				break
			}
		}
	}
	return rets, nil
}

func episodeStats(m *EpochMetrics, b *Batch) {
	m.MeanReturn, m.StdReturn, m.MinReturn, m.MaxReturn, m.MeanLen = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if len(b.EpisodeReturns) == 0 {
		return
	}
	m.MeanReturn, m.StdReturn = pg.MeanStd(b.EpisodeReturns)
	m.MinReturn, m.MaxReturn = b.EpisodeReturns[0], b.EpisodeReturns[0]
	for _, r := range b.EpisodeReturns {
		m.MinReturn, m.MaxReturn = min(m.MinReturn, r), max(m.MaxReturn, r)
	}
	total := 0
	for _, l := range b.EpisodeLens {
		total += l
	}
	m.MeanLen = float64(total) / float64(len(b.EpisodeLens))
}

// explainedVariance is 1 − Var(y − ŷ)/Var(y): 1 for a perfect V, 0 for a constant one.
func explainedVariance(y, pred []float64) float64 {
	_, sy := pg.MeanStd(y)
	diff := make([]float64, len(y))
	for i := range y {
		diff[i] = y[i] - pred[i]
	}
	_, sd := pg.MeanStd(diff)
	if sy == 0 {
		return math.NaN()
	}
	return 1 - sd*sd/(sy*sy)
}
