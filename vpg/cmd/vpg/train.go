package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
)

// Files of a run directory. The checkpoint and the report are rewritten
// together at every checkpoint; the metrics get one line per epoch.
const (
	modelFile   = "model.json"
	metricsFile = "metrics.jsonl"
	reportFile  = "report.html"
)

// errInterrupted ends a run stopped by SIGINT or SIGTERM after saving.
var errInterrupted = errors.New("interrupted")

// configFlags are the flags that set one Config field each, applied in
// this order on top of the preset (or Spinning Up's defaults).
var configFlags = []struct {
	name, usage string
	set         func(c *vpg.Config, v string) error
}{
	{"epochs", "epochs in all, counting those of a resumed run", intField(func(c *vpg.Config) *int { return &c.Epochs })},
	{"steps", "environment steps per epoch, over all copies", intField(func(c *vpg.Config) *int { return &c.StepsPerEpoch })},
	{"envs", "vectorized environment copies (must divide --steps)", intField(func(c *vpg.Config) *int { return &c.NumEnvs })},
	{"gamma", "discount γ in [0, 1]", floatField(func(c *vpg.Config) *float64 { return &c.Gamma })},
	{"lambda", "GAE λ in [0, 1]", floatField(func(c *vpg.Config) *float64 { return &c.Lambda })},
	{"pi-lr", "policy learning rate", floatField(func(c *vpg.Config) *float64 { return &c.PiLR })},
	{"vf-lr", "value-function learning rate", floatField(func(c *vpg.Config) *float64 { return &c.VfLR })},
	{"train-v-iters", "value-function steps per epoch", intField(func(c *vpg.Config) *int { return &c.TrainVIters })},
	{"hidden", "hidden layer sizes of π and V, e.g. 64,64 (empty: linear)", func(c *vpg.Config, v string) error {
		c.Hidden = nil
		for f := range strings.SplitSeq(v, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(f)
			if err != nil {
				return fmt.Errorf("layer size %q is not an integer", f)
			}
			c.Hidden = append(c.Hidden, n)
		}
		return nil
	}},
	{"max-ep-len", "episode cap (lowered to the environment's time limit)", intField(func(c *vpg.Config) *int { return &c.MaxEpLen })},
	{"normalize", "standardise the weights Ψ_t over each batch (true or false)", func(c *vpg.Config, v string) (err error) {
		c.NormalizeAdvantages, err = strconv.ParseBool(v)
		return err
	}},
	{"optimizer", "adam or sgd", func(c *vpg.Config, v string) error { c.Optimizer = v; return nil }},
	{"learner", "cpu (nn.Engine + GoMLX objective) or graph (all GoMLX); empty: the backend's default", func(c *vpg.Config, v string) error { c.Learner = v; return nil }},
	{"estimator", "the weight Ψ_t: " + strings.Join(estimatorNames(), ", "), func(c *vpg.Config, v string) error {
		c.Estimator = vpg.Estimator(v)
		return nil
	}},
	{"log-std-init", "initial log σ of a Gaussian policy", floatField(func(c *vpg.Config) *float64 { return &c.LogStdInit })},
	{"reward-scale", "multiplier of rewards for learning (metrics stay raw)", floatField(func(c *vpg.Config) *float64 { return &c.RewardScale })},
	// PPO and the core details of Huang et al. (2022); --algo ppo starts from CleanRL's defaults.
	{"update-epochs", "PPO: passes K over each batch", intField(func(c *vpg.Config) *int { return &c.UpdateEpochs })},
	{"minibatches", "PPO: shuffled minibatches per pass", intField(func(c *vpg.Config) *int { return &c.Minibatches })},
	{"clip-ratio", "PPO: ε of clip(ρ, 1−ε, 1+ε); 0: the unclipped ratio surrogate", floatField(func(c *vpg.Config) *float64 { return &c.ClipRatio })},
	{"clip-value-loss", "PPO: clip V's change to ±clip-ratio (true or false)", boolField(func(c *vpg.Config) *bool { return &c.ClipValueLoss })},
	{"value-coef", "PPO: V's loss is value-coef·½·MSE", floatField(func(c *vpg.Config) *float64 { return &c.ValueCoef })},
	{"entropy-coef", "entropy bonus coefficient in π's objective", floatField(func(c *vpg.Config) *float64 { return &c.EntropyCoef })},
	{"max-grad-norm", "clip each network's global gradient norm (0: off; cpu learner)", floatField(func(c *vpg.Config) *float64 { return &c.MaxGradNorm })},
	{"target-kl", "PPO: stop reusing a batch once approx KL > 1.5·target-kl (0: off)", floatField(func(c *vpg.Config) *float64 { return &c.TargetKL })},
	{"adam-eps", "Adam's ε (0: 1e-8)", floatField(func(c *vpg.Config) *float64 { return &c.AdamEps })},
	{"orthogonal-init", "orthogonal weights, gains √2, 0.01 (π out), 1 (V out) (true or false)", boolField(func(c *vpg.Config) *bool { return &c.OrthogonalInit })},
	{"anneal-lr", "learning rates fall linearly to 0 over the epochs (true or false)", boolField(func(c *vpg.Config) *bool { return &c.AnnealLR })},
	{"minibatch-normalize", "PPO: standardise Ψ_t over each minibatch (true or false)", boolField(func(c *vpg.Config) *bool { return &c.MinibatchNormalize })},
}

func boolField(field func(*vpg.Config) *bool) func(*vpg.Config, string) error {
	return func(c *vpg.Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		*field(c) = b
		return nil
	}
}

func intField(field func(*vpg.Config) *int) func(*vpg.Config, string) error {
	return func(c *vpg.Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not an integer", v)
		}
		*field(c) = n
		return nil
	}
}

func floatField(field func(*vpg.Config) *float64) func(*vpg.Config, string) error {
	return func(c *vpg.Config, v string) error {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
		*field(c) = x
		return nil
	}
}

func estimatorNames() []string {
	var s []string
	for _, e := range vpg.Estimators() {
		s = append(s, string(e))
	}
	return s
}

func runTrain(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stdout)
	env := fs.String("env", "CartPole-v1", "environment id")
	seed := fs.Uint64("seed", 0, "random seed")
	out := fs.String("out", "", "run directory (default runs/<env>-seed<seed>)")
	defaults := fs.Bool("defaults", false, "start from Spinning Up's defaults instead of the tuned preset")
	algo := fs.String("algo", "", "vpg (default), or ppo: start from CleanRL's PPO defaults (vpg.PPOPreset)")
	resume := fs.String("resume", "", "continue the run in this directory from its checkpoint (only --epochs and --checkpoint-every may be given)")
	every := fs.Int("checkpoint-every", 10, "save the checkpoint and report every N epochs (and at the end, on Ctrl-C)")
	given := map[string]string{}
	for _, f := range configFlags {
		fs.Func(f.name, f.usage+" (default: the preset's)", func(v string) error {
			given[f.name] = v
			return nil
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: vpg train [flags]\n\nTrains VPG and writes %s (checkpoint), %s (one line per epoch) and %s into the run directory.\n", modelFile, metricsFile, reportFile)
		fmt.Fprintf(stdout, "Presets tuned for: %s; other environments start from Spinning Up's defaults.\nEstimators: %s.\n\nflags:\n",
			strings.Join(vpg.Presets(), ", "), strings.Join(estimatorNames(), ", "))
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train: unexpected arguments %q", fs.Args())
	}
	if *every < 1 || *every > 1_000_000 {
		return fmt.Errorf("train: --checkpoint-every = %d, want 1 … 1000000", *every)
	}
	var t *vpg.Trainer
	var hist []vpg.EpochMetrics
	dir := *resume
	if dir != "" {
		if *algo != "" {
			return fmt.Errorf("train: --algo cannot change a resumed run (only --epochs and --checkpoint-every can)")
		}
		for name := range given {
			if name != "epochs" {
				return fmt.Errorf("train: --%s cannot change a resumed run (only --epochs and --checkpoint-every can)", name)
			}
		}
		var err error
		if t, err = vpg.Load(filepath.Join(dir, modelFile)); err != nil {
			return err
		}
		if v, ok := given["epochs"]; ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("train: --epochs %q is not an integer", v)
			}
			if err := t.SetEpochs(n); err != nil {
				return fmt.Errorf("train: --epochs: %w", err)
			}
		}
		if hist, err = readMetrics(filepath.Join(dir, metricsFile), t.Epoch()); err != nil {
			return err
		}
	} else {
		cfg := vpg.Preset(*env)
		switch {
		case *algo == vpg.PPO:
			cfg = vpg.PPOPreset(*env)
		case *algo != vpg.VPG && *algo != "":
			return fmt.Errorf("train: --algo %q, want %s or %s", *algo, vpg.VPG, vpg.PPO)
		case *defaults:
			cfg = vpg.DefaultConfig()
			cfg.Env = *env
		}
		cfg.Seed = *seed
		for _, f := range configFlags {
			if v, ok := given[f.name]; ok {
				if err := f.set(&cfg, v); err != nil {
					return fmt.Errorf("train: --%s: %w", f.name, err)
				}
			}
		}
		var err error
		if t, err = vpg.NewTrainer(cfg); err != nil {
			return err
		}
		if dir = *out; dir == "" {
			dir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", cfg.Env, cfg.Seed))
		}
	}
	if err := checkWritable(dir); err != nil {
		return err
	}
	// Rewrite the metrics up to the checkpoint: lines of epochs after it (a
	// run killed between checkpoints) would be a second history.
	if err := writeMetrics(filepath.Join(dir, metricsFile), hist); err != nil {
		return err
	}
	return train(t, dir, hist, *every, stdout)
}

// train runs the remaining epochs, appending metrics, saving every `every`
// epochs, at the end, and when SIGINT or SIGTERM arrives.
func train(t *vpg.Trainer, dir string, hist []vpg.EpochMetrics, every int, stdout io.Writer) error {
	metrics, err := os.OpenFile(filepath.Join(dir, metricsFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer metrics.Close()
	var stop atomic.Bool
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		if _, ok := <-signals; ok {
			stop.Store(true)
			signal.Stop(signals) // a second Ctrl-C ends the process at once
		}
	}()
	cfg := t.Config()
	save := func() error {
		if err := t.Save(filepath.Join(dir, modelFile)); err != nil {
			return err
		}
		return atomicfile.Write(filepath.Join(dir, reportFile), []byte(htmlReport(cfg, hist)))
	}
	if err := save(); err != nil { // the starting point, so that a divergence always leaves a checkpoint
		return err
	}
	saved := t.Epoch()
	progress := newProgress(stdout, cfg.Epochs, t.Epoch())
	var writeErr error
	err = t.Train(func(m vpg.EpochMetrics) bool {
		hist = append(hist, m)
		progress.epoch(m)
		if writeErr = appendMetrics(metrics, m); writeErr != nil {
			return false
		}
		if t.Epoch()%every == 0 || t.Epoch() == cfg.Epochs {
			if writeErr = save(); writeErr != nil {
				return false
			}
			saved = t.Epoch()
		}
		return !stop.Load()
	})
	progress.done()
	ckpt := filepath.Join(dir, modelFile)
	switch {
	case writeErr != nil:
		return writeErr
	case err != nil:
		return fmt.Errorf("%w\nthe last checkpoint, %s, is at epoch %d: resume with vpg train --resume %s", err, ckpt, saved, dir)
	case t.Epoch() < cfg.Epochs: // stopped by a signal
		if saved != t.Epoch() {
			if err := save(); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "interrupted after epoch %d of %d: saved %s; continue with: vpg train --resume %s\n", t.Epoch(), cfg.Epochs, ckpt, dir)
		return errInterrupted
	}
	if saved != t.Epoch() {
		if err := save(); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "saved %s, %s, %s\n", ckpt, filepath.Join(dir, metricsFile), filepath.Join(dir, reportFile))
	return nil
}

// checkWritable makes dir and checks that files can be created in it, so
// that a bad --out fails before training rather than after.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("train: cannot create the run directory: %w", err)
	}
	f, err := os.CreateTemp(dir, ".writable*")
	if err != nil {
		return fmt.Errorf("train: the run directory %s is not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// metricsRow is one line of metrics.jsonl; NaN (epochs where no episode
// finished) is written as null.
func metricsRow(m vpg.EpochMetrics) map[string]any {
	row := map[string]any{}
	for k, v := range floatMetrics(&m) {
		if math.IsNaN(*v) || math.IsInf(*v, 0) {
			row[k] = nil
		} else {
			row[k] = *v
		}
	}
	row["epoch"], row["episodes"], row["total_steps"] = m.Epoch, m.Episodes, m.TotalSteps
	return row
}

// floatMetrics names the float fields of m as metrics.jsonl does.
func floatMetrics(m *vpg.EpochMetrics) map[string]*float64 {
	return map[string]*float64{
		"mean_return": &m.MeanReturn, "min_return": &m.MinReturn, "max_return": &m.MaxReturn, "std_return": &m.StdReturn,
		"mean_len": &m.MeanLen, "loss_pi": &m.PiLoss, "delta_loss_pi": &m.DeltaPiLoss, "loss_v": &m.VLoss,
		"delta_loss_v": &m.DeltaVLoss, "entropy": &m.Entropy, "kl": &m.KL, "explained_var": &m.ExplainedVar,
		"steps_per_sec": &m.StepsPerSec, "rollout_sec": &m.RolloutSec, "update_sec": &m.UpdateSec,
		"pi_update_sec": &m.PiUpdateSec, "v_update_sec": &m.VUpdateSec, "wall_sec": &m.Wall,
	}
}

func appendMetrics(f *os.File, m vpg.EpochMetrics) error {
	line, err := json.Marshal(metricsRow(m))
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

// writeMetrics replaces path with hist, atomically.
func writeMetrics(path string, hist []vpg.EpochMetrics) error {
	var b bytes.Buffer
	for _, m := range hist {
		line, err := json.Marshal(metricsRow(m))
		if err != nil {
			return err
		}
		b.Write(append(line, '\n'))
	}
	return atomicfile.Write(path, b.Bytes())
}

// readMetrics reads the metrics of epochs 0 … upTo−1 from a run's
// metrics.jsonl (later lines belong to epochs after the checkpoint).
func readMetrics(path string, upTo int) ([]vpg.EpochMetrics, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hist []vpg.EpochMetrics
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var row map[string]*float64
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("train: %s line %d: %w", path, line, err)
		}
		var m vpg.EpochMetrics
		for k, dst := range floatMetrics(&m) {
			*dst = math.NaN()
			if v := row[k]; v != nil {
				*dst = *v
			}
		}
		for k, dst := range map[string]*int{"epoch": &m.Epoch, "episodes": &m.Episodes, "total_steps": &m.TotalSteps} {
			if v := row[k]; v != nil {
				*dst = int(*v)
			}
		}
		if m.Epoch < upTo {
			hist = append(hist, m)
		}
	}
	slices.SortStableFunc(hist, func(a, b vpg.EpochMetrics) int { return a.Epoch - b.Epoch })
	return hist, sc.Err()
}

// progress prints one line per epoch, or one line redrawn in place when
// stdout is a terminal.
type progress struct {
	w           io.Writer
	tty         bool
	total, from int
	start       time.Time
}

func newProgress(w io.Writer, total, from int) *progress {
	p := &progress{w: w, total: total, from: from, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	if !p.tty {
		fmt.Fprintf(w, "%5s %9s %9s %9s %7s %8s %8s %7s %7s %6s %8s %7s\n",
			"epoch", "return", "min", "max", "len", "lossPi", "lossV", "entropy", "KL", "ExpVar", "steps/s", "wall")
	}
	return p
}

func (p *progress) epoch(m vpg.EpochMetrics) {
	if !p.tty {
		fmt.Fprintf(p.w, "%5d %9.2f %9.2f %9.2f %7.1f %8.4f %8.3f %7.4f %7.4f %6.3f %8.0f %6.1fs\n",
			m.Epoch, m.MeanReturn, m.MinReturn, m.MaxReturn, m.MeanLen, m.PiLoss, m.VLoss, m.Entropy, m.KL,
			m.ExplainedVar, m.StepsPerSec, m.Wall)
		return
	}
	done := m.Epoch + 1 - p.from
	eta := time.Duration(float64(time.Since(p.start)) / float64(done) * float64(p.total-m.Epoch-1)).Round(time.Second)
	fmt.Fprintf(p.w, "\r\033[Kepoch %d/%d  return %s  KL %.4f  %.0f steps/s  ETA %s", m.Epoch+1, p.total,
		fmtFloat(m.MeanReturn), m.KL, m.StepsPerSec, eta)
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}

func fmtFloat(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

func title(cfg vpg.Config) string {
	return fmt.Sprintf("VPG on %s (seed %d, %s, π lr %g, %d×%d steps)", cfg.Env, cfg.Seed,
		cfg.Estimator, cfg.PiLR, cfg.NumEnvs, cfg.StepsPerEpoch/cfg.NumEnvs)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "×")
}
