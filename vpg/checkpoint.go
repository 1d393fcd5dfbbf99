package vpg

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
	"github.com/govpg/govpg/vpg/pg"
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
	opt := t.model.OptimizerState()
	// What Load would refuse is not written: the run has diverged.
	if err := validateParams(params, params); err != nil {
		return fmt.Errorf("vpg: not saving %s: %w (the run diverged)", path, err)
	}
	if err := checkAdam(t.model.learner.Kind(), opt); err != nil {
		return fmt.Errorf("vpg: not saving %s: %w (the run diverged)", path, err)
	}
	run, err := t.runState()
	if err != nil {
		return err
	}
	ck := checkpoint{
		Format: checkpointFormat, Learner: t.model.learner.Kind(), Config: t.cfg, Epoch: t.epoch, Steps: t.totalSteps,
		Params: params, Optimizer: opt, Run: run,
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
	if pg.NonFinite(r.Obs) >= 0 || pg.NonFinite(r.EpReturn) >= 0 || pg.NonFinite(r.Past) >= 0 {
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

// checkpointBytesPerNumber bounds the JSON text of one number as Save
// writes it ("-1.2345678901234567e-100,").
const checkpointBytesPerNumber = 25

// openCheckpoint opens path for reading if it is a regular file of at most
// MaxCheckpointBytes (a FIFO or a device would block or never end).
func openCheckpoint(path string) (*os.File, int64, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, fmt.Errorf("vpg: no checkpoint at %s: %w", path, err)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("vpg: reading checkpoint: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("vpg: %s is not a regular file (mode %v), want a checkpoint written by Save", path, fi.Mode())
	}
	if fi.Size() > MaxCheckpointBytes {
		return nil, 0, fmt.Errorf("vpg: %s is larger than %d MiB, the most a checkpoint may be", path, MaxCheckpointBytes>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("vpg: reading checkpoint: %w", err)
	}
	return f, fi.Size(), nil
}

// rawParam is a Param whose values are not decoded yet, so that their
// number can be checked against the model before they are allocated.
type rawParam struct {
	Name   string
	Shape  []int
	Values json.RawMessage
	DType  string `json:",omitempty"`
}

// readCheckpoint reads and validates the checkpoint at path. The config,
// format and learner come first in the file: model makes the trainer the
// config describes (learner: the checkpoint's), or checks that an existing
// one fits, and only then are the tensors read, each checked against the
// model's own before it is decoded, so that loading needs a small multiple
// of the model's memory whatever the file says.
func readCheckpoint(path string, model func(cfg Config, learner string) (*Trainer, error)) (*checkpoint, *Trainer, error) {
	f, size, err := openCheckpoint(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	// Until the config is read, only its first MiB may be (a config is a
	// few hundred bytes).
	ck, t, err := decodeCheckpoint(&io.LimitedReader{R: f, N: 1 << 20}, size, model)
	if err != nil {
		return nil, nil, fmt.Errorf("vpg: checkpoint %s: %w", path, err)
	}
	return ck, t, nil
}

func decodeCheckpoint(r *io.LimitedReader, size int64, model func(cfg Config, learner string) (*Trainer, error)) (*checkpoint, *Trainer, error) {
	const unreadable = "not a readable checkpoint (corrupt or truncated?)"
	dec := json.NewDecoder(r)
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, nil, fmt.Errorf("%s: it does not start with a JSON object", unreadable)
	}
	var ck checkpoint
	var t *Trainer
	var want []Param
	seen := map[string]bool{}
	// The model is made when the tensors begin, from the config, format
	// and learner before them (Save writes them first).
	makeModel := func() error {
		if !seen["config"] || ck.Format == "" || ck.Learner == "" {
			return fmt.Errorf("%s: it holds no config, format or learner before its tensors", unreadable)
		}
		var err error
		if t, err = model(ck.Config, ck.Learner); err != nil {
			return err
		}
		want = append(t.model.PolicyParams(), t.model.ValueParams()...)
		if limit := checkpointLimit(t.cfg, want); size > limit {
			return fmt.Errorf("it is %d bytes, more than a checkpoint of its config can be (%d)", size, limit)
		}
		r.N = size
		return nil
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", unreadable, err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return nil, nil, fmt.Errorf("%s: field %q appears twice", unreadable, key)
		}
		seen[key] = true
		if t == nil && (key == "params" || key == "optimizer" || key == "run") {
			if err := makeModel(); err != nil {
				return nil, nil, err
			}
		}
		switch key {
		case "format":
			if err = dec.Decode(&ck.Format); err != nil {
				break
			}
			switch ck.Format {
			case checkpointFormat:
			case checkpointFormat2: // held its optimizer state in GoMLX's names; see upgradeFormat2
				ck.Learner = CPULearner
			default:
				return nil, nil, fmt.Errorf("it has format %q; this version reads %q and %q: train again with this version, or load it with the govpg that wrote it",
					ck.Format, checkpointFormat, checkpointFormat2)
			}
		case "learner":
			if err = dec.Decode(&ck.Learner); err == nil && ck.Learner != CPULearner && ck.Learner != GraphLearner {
				return nil, nil, fmt.Errorf("its optimizer state is of learner %q, want %q or %q", ck.Learner, CPULearner, GraphLearner)
			}
		case "config":
			if err = dec.Decode(&ck.Config); err != nil {
				if r.N <= 0 {
					return nil, nil, fmt.Errorf("its config is larger than 1 MiB; a config takes a few hundred bytes")
				}
				break
			}
			if err := ck.Config.Validate(); err != nil {
				return nil, nil, err
			}
		case "epoch":
			err = dec.Decode(&ck.Epoch)
		case "total_steps":
			err = dec.Decode(&ck.Steps)
		case "params":
			ck.Params, err = decodeTensors(dec, want, false)
		case "optimizer":
			ck.Optimizer, err = decodeTensors(dec, want, true)
		case "run":
			err = dec.Decode(&ck.Run)
		default:
			return nil, nil, fmt.Errorf("%s: unknown field %q", unreadable, key)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s%s: %w", unreadableIf(err), key, err)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", unreadable, err)
	}
	if t == nil {
		if err := makeModel(); err != nil {
			return nil, nil, err
		}
	}
	if ck.Format == checkpointFormat2 {
		if err := upgradeFormat2(&ck, want); err != nil {
			return nil, nil, err
		}
	}
	if ck.Epoch < 0 || ck.Epoch > ck.Config.Epochs || ck.Steps != ck.Epoch*ck.Config.StepsPerEpoch {
		return nil, nil, fmt.Errorf("it is at epoch %d with %d steps; want 0 … %d epochs (Config.Epochs) and epoch × %d steps",
			ck.Epoch, ck.Steps, ck.Config.Epochs, ck.Config.StepsPerEpoch)
	}
	if err := validateParams(ck.Params, want); err != nil {
		return nil, nil, err
	}
	if err := validateOptimizer(ck.Optimizer, want, ck.Config, ck.Epoch, ck.Learner); err != nil {
		return nil, nil, err
	}
	if err := validateRun(ck.Run); err != nil {
		return nil, nil, err
	}
	return &ck, t, nil
}

// unreadableIf is the prefix for err: a failure to parse JSON points at a
// damaged file; anything else names the field.
func unreadableIf(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return "not a readable checkpoint (corrupt or truncated?): "
	}
	return ""
}

// checkpointLimit is the most bytes a checkpoint of cfg with parameters
// params can take: parameters and two Adam moments, the rollout state (at
// most 4 KiB per environment copy besides the numbers) and the rest.
func checkpointLimit(cfg Config, params []Param) int64 {
	n := int64(0)
	for _, p := range params {
		n += int64(len(p.Values))
	}
	perCopy := int64(len(params)) // a generous count of one copy's numbers: observation, returns, lengths
	return checkpointBytesPerNumber*(3*n+perCopy*int64(cfg.NumEnvs)) + 4096*int64(cfg.NumEnvs) + 1<<20
}

// decodeTensors reads a JSON array of Params one at a time, refusing any
// whose number of values exceeds the largest tensor of the model (params),
// counted before the values are decoded, so that only one tensor's text is
// held at once. Optimizer state (opt) has up to two tensors per parameter
// and a few scalars.
func decodeTensors(dec *json.Decoder, params []Param, opt bool) ([]Param, error) {
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		if err == nil && tok == nil { // null: no tensors
			return nil, nil
		}
		return nil, fmt.Errorf("want an array of tensors: %v", err)
	}
	largest, most := 1, len(params)
	for _, p := range params {
		largest = max(largest, len(p.Values))
	}
	if opt {
		most = 2*len(params) + 8
	}
	var ps []Param
	for dec.More() {
		if len(ps) == most {
			return nil, fmt.Errorf("more than %d tensors, the most this model has", most)
		}
		var r rawParam
		if err := dec.Decode(&r); err != nil {
			return nil, err
		}
		n := 0
		if v := bytes.TrimSpace(r.Values); len(v) > 2 {
			n = bytes.Count(v, []byte(",")) + 1
		}
		if n > largest {
			return nil, fmt.Errorf("tensor %s has %d values, more than the model's largest tensor (%d)", r.Name, n, largest)
		}
		p := Param{Name: r.Name, Shape: r.Shape, DType: r.DType, Values: make([]float64, 0, n)}
		if err := json.Unmarshal(r.Values, &p.Values); err != nil {
			return nil, fmt.Errorf("tensor %s: %w", r.Name, err)
		}
		ps = append(ps, p)
	}
	if _, err := dec.Token(); err != nil { // ]
		return nil, err
	}
	return ps, nil
}

// Load replaces the trainer's parameters with those saved at path (and
// nothing else: for a warm start or to evaluate). The checkpoint must come
// from the same environment and network sizes. vpg.Load resumes a run.
func (t *Trainer) Load(path string) error {
	ck, _, err := readCheckpoint(path, func(cfg Config, _ string) (*Trainer, error) {
		if cfg.Env != t.cfg.Env || !slices.Equal(cfg.Hidden, t.cfg.Hidden) {
			return nil, fmt.Errorf("it is for %s with hidden layers %v; this trainer is %s with hidden layers %v",
				cfg.Env, cfg.Hidden, t.cfg.Env, t.cfg.Hidden)
		}
		return t, nil
	})
	if err != nil {
		return err
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
// checkpoints cannot hold, or to continue with other learning rates (see
// LoadWithLR). The edited configuration must make the same model.
func LoadWith(path string, edit func(*Config)) (*Trainer, error) {
	ck, t, err := readCheckpoint(path, func(cfg Config, learner string) (*Trainer, error) {
		newT := newValidTrainer // readCheckpoint validated cfg
		if edit != nil {
			edit(&cfg)
			newT = NewTrainer // and it must be again after edit
		}
		// "" (the backend's default): resume on the learner whose state this is.
		cfg.Learner = cmp.Or(cfg.Learner, learner)
		return newT(cfg)
	})
	if err != nil {
		return nil, err
	}
	if err := t.model.SetParams(ck.Params); err != nil {
		return nil, fmt.Errorf("vpg: loading %s: %w", path, err)
	}
	if kind := t.model.learner.Kind(); ck.Learner != kind {
		return nil, fmt.Errorf("vpg: checkpoint %s holds the optimizer state of the %s learner, this trainer uses the %s learner: resume with Config.Learner = %q, or load only the parameters with Trainer.Load",
			path, ck.Learner, kind, ck.Learner)
	}
	if err := t.model.SetOptimizerState(ck.Optimizer); err != nil {
		return nil, fmt.Errorf("vpg: loading %s: %w", path, err)
	}
	if err := t.restoreRun(ck.Run); err != nil {
		return nil, fmt.Errorf("vpg: loading %s: %w", path, err)
	}
	t.epoch, t.totalSteps = ck.Epoch, ck.Steps
	return t, nil
}

// LoadWithLR is Load with new learning rates for π and V (0 keeps the
// saved one): the advice of a DivergenceError. Everything else continues
// exactly; only the steps from here on are scaled differently (the
// learners take the rate of each step from the config).
func LoadWithLR(path string, piLR, vfLR float64) (*Trainer, error) {
	return LoadWith(path, func(c *Config) {
		c.PiLR = cmp.Or(piLR, c.PiLR)
		c.VfLR = cmp.Or(vfLR, c.VfLR)
	})
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
// GoMLX's names whichever engine ran the step, with GoMLX's learning rates
// and step counts besides, which the CPU learner does not keep. Any other
// name is refused. Where V never stepped, or before the first epoch, format
// 2 held no Adam state for it: the CPU learner's is Adam's start, zeros.
func upgradeFormat2(ck *checkpoint, params []Param) error {
	for _, p := range ck.Optimizer {
		scope, rest, _ := strings.Cut(strings.TrimPrefix(p.Name, "/"), "/")
		dropped := (scope == PolicyScope || scope == ValueScope) && (rest == gomlxLR || rest == gomlxGlobalStep)
		if !dropped && cpuAdamNames([]Param{p}) == nil {
			return fmt.Errorf("optimizer state %s is not a variable of a format-2 checkpoint", p.Name)
		}
	}
	ck.Format = checkpointFormat
	ck.Optimizer = cpuAdamNames(ck.Optimizer)
	if ck.Config.Optimizer != Adam || len(ck.Optimizer) == 0 && ck.Epoch > 0 {
		return nil // validateOptimizer names what is missing
	}
	have := map[string]bool{}
	for _, p := range ck.Optimizer {
		have[p.Name] = true
	}
	add := func(name string, shape []int, n int) {
		if !have[name] {
			ck.Optimizer = append(ck.Optimizer, Param{Name: name, Shape: shape, Values: make([]float64, n)})
		}
	}
	for _, scope := range []string{PolicyScope, ValueScope} {
		if ck.Epoch == 0 || scope == ValueScope && ck.Config.TrainVIters == 0 {
			add("/"+scope+"/"+adamName+"/step", []int{}, 1)
			for _, p := range params {
				if rel, ok := strings.CutPrefix(p.Name, "/"+scope+"/"); ok {
					add("/"+scope+"/"+adamName+"/m/"+rel, p.Shape, len(p.Values))
					add("/"+scope+"/"+adamName+"/v/"+rel, p.Shape, len(p.Values))
				}
			}
		}
	}
	return nil
}

// cpuAdamNames returns the Adam state among ps held under GoMLX's names
// (see optVar; format 2 named the step count "global_step" rather than
// "step") under the CPU learner's, sorted by name; anything else in ps is
// left out.
func cpuAdamNames(ps []Param) []Param {
	var out []Param
	for _, p := range ps {
		name := p.Name
		if before, ok := strings.CutSuffix(name, "/"+gomlxAdam+"/"+gomlxGlobalStep); ok {
			name = before + "/" + gomlxStep
		}
		kind, scope, param := optVar(GraphLearner, name)
		rel := strings.TrimPrefix(param, "/"+scope+"/")
		switch kind {
		case stepCount:
			name = "/" + scope + "/" + adamName + "/step"
		case firstMoment:
			name = "/" + scope + "/" + adamName + "/m/" + rel
		case secondMoment:
			name = "/" + scope + "/" + adamName + "/v/" + rel
		default:
			continue
		}
		out = append(out, Param{Name: name, Shape: p.Shape, Values: p.Values})
	}
	slices.SortStableFunc(out, func(a, b Param) int { return strings.Compare(a.Name, b.Name) })
	return out
}
