package vpg

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
)

// checkpointFormat identifies our checkpoint files (JSON: readable and
// diffable; a 64×64 model with its optimizer state is under a megabyte).
// Format 3 holds the optimizer state in the learner's own names (see
// Checkpoint.Learner); format 2, written before learners, held it under
// GoMLX's names and still loads (see upgradeFormat2).
const (
	checkpointFormat  = "govpg-vpg-checkpoint/3"
	checkpointFormat2 = "govpg-vpg-checkpoint/2"
)

// MaxCheckpointBytes bounds the size of a checkpoint file that Load reads.
const MaxCheckpointBytes = 256 << 20

type checkpoint struct {
	Format    string    `json:"format"`
	Learner   string    `json:"learner"` // CPULearner or GraphLearner: whose names Optimizer uses
	Config    Config    `json:"config"`
	Epoch     int       `json:"epoch"`
	Steps     int       `json:"total_steps"`
	Params    []Param   `json:"params"`
	Optimizer []Param   `json:"optimizer"`
	Run       *runState `json:"run"`
}

// runState is where the rollout stands between two epochs: with the
// parameters and the optimizer state, what makes a resumed run continue
// exactly as the uninterrupted one.
type runState struct {
	RolloutRNG []byte           `json:"rollout_rng"` // PCG states (MarshalBinary)
	ActionRNG  []byte           `json:"action_rng"`
	Envs       envs.VecEnvState `json:"envs"`
	Obs        []float64        `json:"obs"`       // the trainer's current observation of every copy
	EpReturn   []float64        `json:"ep_return"` // each copy's episode so far: raw return and length
	EpLen      []int            `json:"ep_len"`
	Past       []float64        `json:"past"` // and its discounted return before this batch (see Segment)
	PastLen    []int            `json:"past_len"`
}

// Save writes everything needed to continue training exactly — the
// configuration, the epoch and step counters, the parameters of π and V,
// both optimizers' state, the random generators and the environments — to
// path atomically (a temporary file in the same directory, synced, then
// renamed over path). Save between epochs: a batch collected but not yet
// used by Update is not saved.
func (t *Trainer) Save(path string) error {
	params := append(t.model.PolicyParams(), t.model.ValueParams()...)
	for _, p := range params {
		if !finite(p.Values) {
			return fmt.Errorf("vpg: not saving %s: parameter %s is not finite (the run diverged)", path, p.Name)
		}
	}
	run, err := t.runState()
	if err != nil {
		return err
	}
	ck := checkpoint{
		Format: checkpointFormat, Learner: t.model.learner.Kind(), Config: t.cfg, Epoch: t.epoch, Steps: t.totalSteps,
		Params: params, Optimizer: t.model.OptimizerState(), Run: run,
	}
	data, err := json.Marshal(ck)
	if err != nil {
		return fmt.Errorf("vpg: encoding checkpoint: %w", err)
	}
	return atomicfile.Write(path, data)
}

func (t *Trainer) runState() (*runState, error) {
	roll, err := t.rollSrc.MarshalBinary()
	if err != nil {
		return nil, err
	}
	act, err := t.actSrc.MarshalBinary()
	if err != nil {
		return nil, err
	}
	es, err := t.venv.Snapshot()
	if err != nil {
		return nil, err
	}
	return &runState{
		RolloutRNG: roll, ActionRNG: act, Envs: es, Obs: slices.Clone(t.cur),
		EpReturn: slices.Clone(t.epRet), EpLen: slices.Clone(t.epLen),
		Past: slices.Clone(t.past), PastLen: slices.Clone(t.pastLen),
	}, nil
}

// restoreRun puts the rollout back where runState found it.
func (t *Trainer) restoreRun(r *runState) error {
	n := t.n
	if len(r.Obs) != n*t.obsDim || len(r.EpReturn) != n || len(r.EpLen) != n || len(r.Past) != n || len(r.PastLen) != n {
		return fmt.Errorf("the rollout state is for a different number of environment copies (NumEnvs = %d)", n)
	}
	if !finite(r.Obs) || !finite(r.EpReturn) || !finite(r.Past) {
		return fmt.Errorf("the rollout state holds numbers that are not finite")
	}
	for i := range n {
		if r.EpLen[i] < 0 || r.EpLen[i] > t.maxEpLen || r.PastLen[i] < 0 || r.PastLen[i] > r.EpLen[i] {
			return fmt.Errorf("the rollout state has episode length %d (%d before this batch) for copy %d; want 0 … %d",
				r.EpLen[i], r.PastLen[i], i, t.maxEpLen)
		}
	}
	if err := t.rollSrc.UnmarshalBinary(r.RolloutRNG); err != nil {
		return fmt.Errorf("rollout random state: %w", err)
	}
	if err := t.actSrc.UnmarshalBinary(r.ActionRNG); err != nil {
		return fmt.Errorf("action random state: %w", err)
	}
	if err := t.venv.Restore(r.Envs); err != nil {
		return err
	}
	copy(t.cur, r.Obs)
	copy(t.epRet, r.EpReturn)
	copy(t.epLen, r.EpLen)
	copy(t.past, r.Past)
	copy(t.pastLen, r.PastLen)
	return nil
}

func readCheckpoint(path string) (*checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vpg: reading checkpoint: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxCheckpointBytes+1))
	if err != nil {
		return nil, fmt.Errorf("vpg: reading checkpoint %s: %w", path, err)
	}
	if len(data) > MaxCheckpointBytes {
		return nil, fmt.Errorf("vpg: %s is larger than %d MiB, the most a checkpoint may be", path, MaxCheckpointBytes>>20)
	}
	var ck checkpoint
	if err := json.Unmarshal(data, &ck); err != nil {
		return nil, fmt.Errorf("vpg: %s is not a readable checkpoint (corrupt or truncated?): %w", path, err)
	}
	switch ck.Format {
	case checkpointFormat:
	case checkpointFormat2:
		upgradeFormat2(&ck)
	default:
		return nil, fmt.Errorf("vpg: %s has format %q; this version reads %q and %q: train again with this version, or load it with the govpg that wrote it",
			path, ck.Format, checkpointFormat, checkpointFormat2)
	}
	if ck.Learner != CPULearner && ck.Learner != GraphLearner {
		return nil, fmt.Errorf("vpg: checkpoint %s names learner %q, want %q or %q", path, ck.Learner, CPULearner, GraphLearner)
	}
	if len(ck.Params) == 0 {
		return nil, fmt.Errorf("vpg: checkpoint %s holds no parameters", path)
	}
	// Validate before anything is allocated from the file's sizes.
	if err := ck.Config.Validate(); err != nil {
		return nil, fmt.Errorf("vpg: checkpoint %s: %w", path, err)
	}
	if ck.Epoch < 0 || ck.Epoch > ck.Config.Epochs || ck.Steps < 0 {
		return nil, fmt.Errorf("vpg: checkpoint %s is at epoch %d with %d steps; want 0 … %d epochs (Config.Epochs) and steps ≥ 0",
			path, ck.Epoch, ck.Steps, ck.Config.Epochs)
	}
	return &ck, nil
}

// Load replaces the trainer's parameters with those saved at path (and
// nothing else: for a warm start or to evaluate). The checkpoint must come
// from the same environment and network sizes. vpg.Load resumes a run.
func (t *Trainer) Load(path string) error {
	ck, err := readCheckpoint(path)
	if err != nil {
		return err
	}
	return t.loadParams(path, ck)
}

func (t *Trainer) loadParams(path string, ck *checkpoint) error {
	if ck.Config.Env != t.cfg.Env || !slices.Equal(ck.Config.Hidden, t.cfg.Hidden) {
		return fmt.Errorf("vpg: checkpoint %s is for %s with hidden layers %v; this trainer is %s with hidden layers %v",
			path, ck.Config.Env, ck.Config.Hidden, t.cfg.Env, t.cfg.Hidden)
	}
	want := append(t.model.PolicyParams(), t.model.ValueParams()...)
	if len(ck.Params) != len(want) {
		return fmt.Errorf("vpg: checkpoint %s has %d parameter tensors, the model has %d", path, len(ck.Params), len(want))
	}
	if err := t.model.SetParams(ck.Params); err != nil {
		return fmt.Errorf("vpg: loading %s: %w", path, err)
	}
	return nil
}

// Load makes a trainer from a checkpoint that continues the saved run
// exactly: Train goes on from the saved epoch, and a run saved after k
// epochs and resumed ends with the same parameters and metrics as the same
// run uninterrupted. Raise Config.Epochs (see Trainer.SetEpochs) to train
// beyond the saved run's length.
func Load(path string) (*Trainer, error) { return LoadWith(path, nil) }

// LoadWith is Load with the saved configuration passed through edit (if
// not nil) first: to give back a run's own Objective or ValueLoss, which
// checkpoints cannot hold.
func LoadWith(path string, edit func(*Config)) (*Trainer, error) {
	ck, err := readCheckpoint(path)
	if err != nil {
		return nil, err
	}
	newT := newValidTrainer // readCheckpoint validated the configuration
	if edit != nil {
		edit(&ck.Config)
		newT = NewTrainer // and it must be again after edit
	}
	if ck.Config.Learner == "" { // the backend's default: resume on the learner whose state this is
		ck.Config.Learner = ck.Learner
	}
	t, err := newT(ck.Config)
	if err != nil {
		return nil, fmt.Errorf("vpg: checkpoint %s: %w", path, err)
	}
	if err := t.loadParams(path, ck); err != nil {
		return nil, err
	}
	if kind := t.model.learner.Kind(); ck.Learner != kind {
		return nil, fmt.Errorf("vpg: checkpoint %s holds the optimizer state of the %s learner, this trainer uses the %s learner: resume with Config.Learner = %q, or load only the parameters with Trainer.Load",
			path, ck.Learner, kind, ck.Learner)
	}
	if err := t.model.SetOptimizerState(ck.Optimizer); err != nil {
		return nil, fmt.Errorf("vpg: loading %s: %w", path, err)
	}
	if ck.Run != nil {
		if err := t.restoreRun(ck.Run); err != nil {
			return nil, fmt.Errorf("vpg: loading %s: %w", path, err)
		}
	}
	t.epoch, t.totalSteps = ck.Epoch, ck.Steps
	return t, nil
}

// SetEpochs changes the number of epochs Train runs to in all (for
// resuming a run for longer than it was configured); it must be at least
// the epochs already trained.
func (t *Trainer) SetEpochs(n int) error {
	if n < t.epoch || n > maxEpochs {
		return fmt.Errorf("vpg: epochs = %d, want %d (already trained) … %d", n, t.epoch, maxEpochs)
	}
	t.cfg.Epochs = n
	return nil
}

// upgradeFormat2 renames a format-2 checkpoint's optimizer state to the
// CPU learner's names (see cpuAdamNames): format 2 kept Adam's state under
// GoMLX's names whichever engine ran the step.
func upgradeFormat2(ck *checkpoint) {
	ck.Format, ck.Learner = checkpointFormat, CPULearner
	ck.Optimizer = cpuAdamNames(ck.Optimizer)
}

// cpuAdamNames returns the Adam state among ps held under GoMLX's names —
// the moments "/AdamOptimizer/<net>/<param>_1st_moment" (and _2nd_), the
// step count "/<net>/AdamOptimizer/step" (format 2: "global_step") — under
// the CPU learner's, sorted by name; anything else in ps is left out.
func cpuAdamNames(ps []Param) []Param {
	var out []Param
	rename := func(p Param, name string) { out = append(out, Param{Name: name, Shape: p.Shape, Values: p.Values}) }
	for _, p := range ps {
		if before, ok := strings.CutSuffix(p.Name, "/AdamOptimizer/global_step"); ok {
			rename(p, before+"/"+adamName+"/step")
			continue
		}
		if before, ok := strings.CutSuffix(p.Name, "/AdamOptimizer/step"); ok {
			rename(p, before+"/"+adamName+"/step")
			continue
		}
		net, rest, _ := strings.Cut(strings.TrimPrefix(p.Name, "/AdamOptimizer/"), "/")
		for suffix, which := range map[string]string{"_1st_moment": "m", "_2nd_moment": "v"} {
			if param, ok := strings.CutSuffix(rest, suffix); ok && strings.HasPrefix(p.Name, "/AdamOptimizer/") {
				rename(p, "/"+net+"/"+adamName+"/"+which+"/"+param)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return out
}
