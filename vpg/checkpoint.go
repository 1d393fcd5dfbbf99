package vpg

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// checkpointFormat identifies our checkpoint files (JSON: readable and
// diffable; a 64×64 model is a few hundred kB).
const checkpointFormat = "govpg-vpg-checkpoint/1"

type checkpoint struct {
	Format string  `json:"format"`
	Config Config  `json:"config"`
	Epoch  int     `json:"epoch"`
	Steps  int     `json:"total_steps"`
	Params []Param `json:"params"`
}

// Save writes the configuration and the parameters of π and V (not the
// optimizer state) to path atomically: a temporary file in the same
// directory, synced, then renamed over path.
func (t *Trainer) Save(path string) error {
	ck := checkpoint{
		Format: checkpointFormat, Config: t.cfg, Epoch: t.epoch, Steps: t.totalSteps,
		Params: append(t.model.PolicyParams(), t.model.ValueParams()...),
	}
	data, err := json.Marshal(ck)
	if err != nil {
		return fmt.Errorf("vpg: encoding checkpoint: %w", err)
	}
	return WriteFileAtomic(path, data)
}

// WriteFileAtomic writes data to path so that readers see either the old
// file or the complete new one, never a partial write.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil { // CreateTemp makes 0600 files
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("vpg: writing %s: %w", path, err)
	}
	return nil
}

func readCheckpoint(path string) (*checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vpg: reading checkpoint: %w", err)
	}
	var ck checkpoint
	if err := json.Unmarshal(data, &ck); err != nil {
		return nil, fmt.Errorf("vpg: %s is not a readable checkpoint (corrupt or truncated?): %w", path, err)
	}
	if ck.Format != checkpointFormat {
		return nil, fmt.Errorf("vpg: %s has format %q, want %q", path, ck.Format, checkpointFormat)
	}
	if len(ck.Params) == 0 {
		return nil, fmt.Errorf("vpg: checkpoint %s holds no parameters", path)
	}
	return &ck, nil
}

// Load replaces the trainer's parameters with those saved at path. The
// checkpoint must come from the same environment and network sizes.
func (t *Trainer) Load(path string) error {
	ck, err := readCheckpoint(path)
	if err != nil {
		return err
	}
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

// Load makes a trainer from the configuration saved in a checkpoint and
// loads its parameters (for evaluating or rendering a trained agent).
func Load(path string) (*Trainer, error) {
	ck, err := readCheckpoint(path)
	if err != nil {
		return nil, err
	}
	t, err := NewTrainer(ck.Config)
	if err != nil {
		return nil, fmt.Errorf("vpg: checkpoint %s: %w", path, err)
	}
	if err := t.Load(path); err != nil {
		return nil, err
	}
	t.epoch, t.totalSteps = ck.Epoch, ck.Steps
	return t, nil
}
