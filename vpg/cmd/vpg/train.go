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

// Files of a run directory. The checkpoint is rewritten at every
// checkpoint, the report with it (at most every reportInterval, and at the
// end); the metrics get one line per epoch.
const (
	modelFile   = "model.json"
	metricsFile = "metrics.jsonl"
	reportFile  = "report.html"
)

// reportInterval is the least time between two writes of the report
// before the last.
const reportInterval = 5 * time.Second

// errInterrupted ends a run stopped by SIGINT or SIGTERM after saving.
var errInterrupted = errors.New("interrupted")

// configFlags are the flags that set one Config field each, applied in
// this order on top of the preset (or Spinning Up's defaults).
var configFlags = []struct {
	name, field, usage string // field: the Config field it sets, as Validate names it
	set                func(c *vpg.Config, v string) error
}{
	{"epochs", "Epochs", "epochs in all, counting those of a resumed run", intField(func(c *vpg.Config) *int { return &c.Epochs })},
	{"steps", "StepsPerEpoch", "environment steps per epoch, over all copies", intField(func(c *vpg.Config) *int { return &c.StepsPerEpoch })},
	{"envs", "NumEnvs", "vectorized environment copies (must divide --steps)", intField(func(c *vpg.Config) *int { return &c.NumEnvs })},
	{"gamma", "Gamma", "discount γ in [0, 1]", floatField(func(c *vpg.Config) *float64 { return &c.Gamma })},
	{"lambda", "Lambda", "GAE λ in [0, 1]", floatField(func(c *vpg.Config) *float64 { return &c.Lambda })},
	{"pi-lr", "PiLR", "policy learning rate", floatField(func(c *vpg.Config) *float64 { return &c.PiLR })},
	{"vf-lr", "VfLR", "value-function learning rate", floatField(func(c *vpg.Config) *float64 { return &c.VfLR })},
	{"train-v-iters", "TrainVIters", "value-function steps per epoch", intField(func(c *vpg.Config) *int { return &c.TrainVIters })},
	{"hidden", "Hidden", "hidden layer sizes of π and V, e.g. 64,64 (empty: linear)", func(c *vpg.Config, v string) (err error) {
		c.Hidden, err = parseInts(v)
		return err
	}},
	{"max-ep-len", "MaxEpLen", "episode cap (lowered to the environment's time limit)", intField(func(c *vpg.Config) *int { return &c.MaxEpLen })},
	{"normalize", "NormalizeAdvantages", "standardise the weights Ψ_t over each batch (true or false)", func(c *vpg.Config, v string) (err error) {
		if c.NormalizeAdvantages, err = strconv.ParseBool(v); err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		return nil
	}},
	{"optimizer", "Optimizer", "adam or sgd", func(c *vpg.Config, v string) error { c.Optimizer = v; return nil }},
	{"learner", "Learner", "cpu (nn.Engine + GoMLX objective) or graph (all GoMLX); empty: the backend's default", func(c *vpg.Config, v string) error { c.Learner = v; return nil }},
	{"estimator", "Estimator", "the weight Ψ_t: " + strings.Join(estimatorNames(), ", "), func(c *vpg.Config, v string) error {
		c.Estimator = vpg.Estimator(v)
		return nil
	}},
	{"log-std-init", "LogStdInit", "initial log σ of a Gaussian policy", floatField(func(c *vpg.Config) *float64 { return &c.LogStdInit })},
	{"reward-scale", "RewardScale", "multiplier of rewards for learning (metrics stay raw)", floatField(func(c *vpg.Config) *float64 { return &c.RewardScale })},
	// PPO and the core details of Huang et al. (2022); --algo ppo starts from CleanRL's defaults.
	{"update-epochs", "UpdateEpochs", "PPO: passes K over each batch", intField(func(c *vpg.Config) *int { return &c.UpdateEpochs })},
	{"minibatches", "Minibatches", "PPO: shuffled minibatches per pass", intField(func(c *vpg.Config) *int { return &c.Minibatches })},
	{"clip-ratio", "ClipRatio", "PPO: ε of clip(ρ, 1−ε, 1+ε); 0: the unclipped ratio surrogate", floatField(func(c *vpg.Config) *float64 { return &c.ClipRatio })},
	{"clip-value-loss", "ClipValueLoss", "PPO: clip V's change to ±clip-ratio (true or false)", boolField(func(c *vpg.Config) *bool { return &c.ClipValueLoss })},
	{"value-coef", "ValueCoef", "PPO: V's loss is value-coef·½·MSE", floatField(func(c *vpg.Config) *float64 { return &c.ValueCoef })},
	{"entropy-coef", "EntropyCoef", "entropy bonus coefficient in π's objective", floatField(func(c *vpg.Config) *float64 { return &c.EntropyCoef })},
	{"max-grad-norm", "MaxGradNorm", "clip each network's global gradient norm (0: off; cpu learner)", floatField(func(c *vpg.Config) *float64 { return &c.MaxGradNorm })},
	{"target-kl", "TargetKL", "PPO: stop reusing a batch once approx KL > 1.5·target-kl (0: off)", floatField(func(c *vpg.Config) *float64 { return &c.TargetKL })},
	{"adam-eps", "AdamEps", "Adam's ε (0: 1e-8)", floatField(func(c *vpg.Config) *float64 { return &c.AdamEps })},
	{"orthogonal-init", "OrthogonalInit", "orthogonal weights, gains √2, 0.01 (π out), 1 (V out) (true or false)", boolField(func(c *vpg.Config) *bool { return &c.OrthogonalInit })},
	{"anneal-lr", "AnnealLR", "learning rates fall linearly to 0 over the epochs (true or false)", boolField(func(c *vpg.Config) *bool { return &c.AnnealLR })},
	{"minibatch-normalize", "MinibatchNormalize", "PPO: standardise Ψ_t over each minibatch (true or false)", boolField(func(c *vpg.Config) *bool { return &c.MinibatchNormalize })},
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
		n, err := parseInt(v)
		*field(c) = n
		return err
	}
}

func floatField(field func(*vpg.Config) *float64) func(*vpg.Config, string) error {
	return func(c *vpg.Config, v string) error {
		x, err := parseFloat(v)
		*field(c) = x
		return err
	}
}

func estimatorNames() []string {
	var s []string
	for _, e := range vpg.Estimators() {
		s = append(s, string(e))
	}
	return s
}

// runFiles are the files of a run directory.
var runFiles = []string{modelFile, metricsFile, reportFile}

// resumable are the flags a resumed run applies; any other is refused
// with --resume rather than ignored. A new learning rate changes only the
// steps from the checkpoint on (the advice of a divergence error).
var resumable = []string{"resume", "epochs", "pi-lr", "vf-lr", "checkpoint-every"}

func runTrain(args []string, stdout io.Writer) error {
	fs := newFlagSet("train", stdout)
	env := fs.String("env", "CartPole-v1", "environment id")
	seed := fs.Uint64("seed", 0, "random seed")
	out := fs.String("out", "", "run directory (default runs/<env>-seed<seed>); must be new or empty unless --force")
	force := fs.Bool("force", false, "start afresh in a non-empty --out, replacing its "+strings.Join(runFiles, ", "))
	defaults := fs.Bool("defaults", false, "start from Spinning Up's defaults instead of the tuned preset")
	algo := fs.String("algo", "", "vpg (default), or ppo: start from CleanRL's PPO defaults (vpg.PPOPreset)")
	resume := fs.String("resume", "", "continue the run in this directory from its checkpoint (with it only --epochs, --pi-lr, --vf-lr and --checkpoint-every may be given)")
	every := fs.Int("checkpoint-every", 10, 1, 1_000_000, "save the checkpoint every N epochs, and at the end and on Ctrl-C, SIGTERM or SIGHUP (the report with it, at most every 5 s)")
	given := map[string]string{}
	for _, f := range configFlags {
		fs.Func(f.name, f.usage+" (default: the preset's)", func(v string) error {
			given[f.name] = v
			return nil
		})
	}
	fs.Usage = func() {
		fmt.Fprintf(stdout, "usage: vpg train [flags]\n\nTrains VPG (or PPO: --algo ppo) and writes %s (checkpoint), %s (one line per epoch) and %s into the run directory,\n", modelFile, metricsFile, reportFile)
		fmt.Fprintf(stdout, "which one process at a time may write (a lock names the holder's PID).\n")
		fmt.Fprintf(stdout, "Presets tuned for: %s; other environments start from Spinning Up's defaults.\nEstimators: %s.\n", strings.Join(vpg.Presets(), ", "), strings.Join(estimatorNames(), ", "))
		fmt.Fprintf(stdout, "A run stops as diverged at the first non-finite number or beyond these bounds: %s;\nthe last checkpoint stays. Config bounds: %s.\n\nflags:\n", vpg.Bounds(), configBounds)
		fs.PrintDefaults()
	}
	if err := fs.parse(args); err != nil {
		return err
	}
	var t *vpg.Trainer
	var hist []vpg.EpochMetrics
	var rd *runDir
	var err error
	if *resume != "" {
		if t, hist, rd, err = resumeRun(fs, *resume, given, stdout); err != nil {
			return err
		}
	} else {
		cfg := vpg.Preset(*env)
		switch {
		case *algo == vpg.PPO:
			cfg = vpg.PPOPreset(*env)
		case *algo != vpg.VPG && *algo != "":
			return fs.errorf("algo", "%q, want %s or %s", *algo, vpg.VPG, vpg.PPO)
		case *defaults:
			cfg = vpg.DefaultConfig()
			cfg.Env = *env
		}
		cfg.Seed = *seed
		for _, f := range configFlags {
			if v, ok := given[f.name]; ok {
				if err := f.set(&cfg, v); err != nil {
					return fs.errorf(f.name, "%v", err)
				}
			}
		}
		if t, err = vpg.NewTrainer(cfg); err != nil {
			return flagNames(fs, err)
		}
		dir := *out
		if dir == "" {
			dir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", cfg.Env, cfg.Seed))
		}
		if rd, err = openRunDir(dir); err != nil {
			return err
		}
		err = rd.cleanTemp(stdout)
		if err == nil {
			err = rd.claimFresh(*force)
		}
		if err != nil {
			rd.close()
			return err
		}
	}
	defer rd.close()
	// Rewrite the metrics up to the checkpoint: lines of epochs after it (a
	// run killed between checkpoints) would be a second history.
	if err := writeMetrics(filepath.Join(rd.path, metricsFile), hist); err != nil {
		return err
	}
	return train(t, rd.path, hist, *every, stdout)
}

// configBounds states the bounds of the real-valued config flags.
var configBounds = fmt.Sprintf("--gamma and --lambda in [0, 1], --pi-lr and --vf-lr in (0, %g], --reward-scale in [%g, %g], |--log-std-init| ≤ %g",
	float64(vpg.MaxLR), vpg.MinRewardScale, vpg.MaxRewardScale, float64(vpg.MaxAbsLogStd))

// resumeRun loads the run in dir, applying the flags that a resumed run
// may change and refusing every other.
func resumeRun(fs *flagSet, dir string, given map[string]string, stdout io.Writer) (*vpg.Trainer, []vpg.EpochMetrics, *runDir, error) {
	var refused []string
	fs.Visit(func(f *flag.Flag) {
		if !slices.Contains(resumable, f.Name) {
			refused = append(refused, fs.typed(f.Name))
		}
	})
	if len(refused) > 0 {
		return nil, nil, nil, fmt.Errorf("%s cannot change a resumed run, which keeps its environment, seed, directory and sizes; with %s only --epochs, --pi-lr, --vf-lr and --checkpoint-every may be given",
			strings.Join(refused, ", "), fs.typed("resume"))
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, nil, nil, fmt.Errorf("%s %s: there is no run directory there", fs.typed("resume"), dir)
	}
	lr := map[string]float64{}
	for _, name := range []string{"pi-lr", "vf-lr"} {
		if v, ok := given[name]; ok {
			x, err := parseFloat(v)
			if err != nil {
				return nil, nil, nil, fs.errorf(name, "%v", err)
			}
			if !(x > 0 && x <= vpg.MaxLR) {
				return nil, nil, nil, fs.errorf(name, "%g is out of range, want a number in (0, %g]", x, float64(vpg.MaxLR))
			}
			lr[name] = x
		}
	}
	rd, err := openRunDir(dir)
	if err != nil {
		return nil, nil, nil, err
	}
	fail := func(err error) (*vpg.Trainer, []vpg.EpochMetrics, *runDir, error) {
		rd.close()
		return nil, nil, nil, err
	}
	if err := rd.cleanTemp(stdout); err != nil {
		return fail(err)
	}
	ckpt, err := rd.checkpoint()
	if err != nil {
		return fail(err)
	}
	t, err := vpg.LoadWithLR(ckpt, lr["pi-lr"], lr["vf-lr"])
	if err != nil {
		return fail(err)
	}
	if v, ok := given["epochs"]; ok {
		n, err := parseInt(v)
		if err != nil {
			return fail(fs.errorf("epochs", "%v", err))
		}
		if err := t.SetEpochs(n); err != nil {
			return fail(fs.errorf("epochs", "%v", strings.TrimPrefix(err.Error(), "vpg: epochs = ")))
		}
	}
	for name, x := range lr {
		fmt.Fprintf(stdout, "%s %g applies from epoch %d on\n", fs.typed(name), x, t.Epoch())
	}
	hist, err := readMetrics(filepath.Join(dir, metricsFile), t.Epoch())
	if err != nil {
		return fail(err)
	}
	return t, hist, rd, nil
}

// flagNames rewrites a config error to name the flags the user typed
// rather than Config's fields.
func flagNames(fs *flagSet, err error) error {
	var ce *vpg.ConfigError
	if !errors.As(err, &ce) {
		return err
	}
	var pairs []string
	for _, f := range configFlags {
		pairs = append(pairs, f.field, fs.typed(f.name))
	}
	r := strings.NewReplacer(append(pairs, "Env", fs.typed("env"))...)
	msgs := make([]string, len(ce.Problems))
	for i, p := range ce.Problems {
		msgs[i] = r.Replace(p)
	}
	return errors.New(strings.Join(msgs, "; "))
}

// train runs the remaining epochs, appending metrics, saving every `every`
// epochs, at the end, and when SIGINT, SIGTERM or SIGHUP (a closed
// terminal) arrives.
func train(t *vpg.Trainer, dir string, hist []vpg.EpochMetrics, every int, stdout io.Writer) error {
	metrics, err := os.OpenFile(filepath.Join(dir, metricsFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer metrics.Close()
	var stop atomic.Bool
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)
	go func() {
		if _, ok := <-signals; ok {
			stop.Store(true)
			signal.Stop(signals) // a second Ctrl-C ends the process at once
		}
	}()
	cfg := t.Config()
	// The report follows the checkpoint at most every reportInterval (its
	// charts cost milliseconds, which would dominate runs of tiny epochs
	// saved every few epochs), and always when the run ends.
	var reportedAt time.Time
	reportedLen := -1
	report := func() error {
		reportedAt, reportedLen = time.Now(), len(hist)
		return atomicfile.Write(filepath.Join(dir, reportFile), []byte(htmlReport(cfg, hist)))
	}
	save := func() error {
		if err := t.Save(filepath.Join(dir, modelFile)); err != nil {
			return err
		}
		if time.Since(reportedAt) < reportInterval {
			return nil
		}
		return report()
	}
	// finish saves what the run has not saved yet as it ends.
	finish := func(saved int) error {
		if saved != t.Epoch() {
			if err := t.Save(filepath.Join(dir, modelFile)); err != nil {
				return err
			}
		}
		if reportedLen != len(hist) {
			return report()
		}
		return nil
	}
	if err := save(); err != nil { // the starting point, so that a divergence always leaves a checkpoint
		return err
	}
	saved := t.Epoch()
	progress := newProgress(stdout, cfg.Epochs, t.Epoch(), cfg.Algo == vpg.PPO)
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
		if rerr := report(); rerr != nil {
			return fmt.Errorf("%w (and writing the report: %v)", err, rerr)
		}
		return fmt.Errorf("%w\nthe last checkpoint, %s, is at epoch %d: resume with vpg train --resume %s", err, ckpt, saved, dir)
	case t.Epoch() < cfg.Epochs: // stopped by a signal
		if err := finish(saved); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "interrupted after epoch %d of %d: saved %s; continue with: vpg train --resume %s\n", t.Epoch(), cfg.Epochs, ckpt, dir)
		return errInterrupted
	}
	if err := finish(saved); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "saved %s, %s, %s\n", ckpt, filepath.Join(dir, metricsFile), filepath.Join(dir, reportFile))
	return nil
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
	for k, v := range intMetrics(&m) {
		row[k] = *v
	}
	row["early_stop"] = m.EarlyStop
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
		"approx_kl": &m.ApproxKL, "clip_frac": &m.ClipFrac,
	}
}

// intMetrics names the integer fields of m as metrics.jsonl does.
func intMetrics(m *vpg.EpochMetrics) map[string]*int {
	return map[string]*int{"epoch": &m.Epoch, "episodes": &m.Episodes, "total_steps": &m.TotalSteps, "policy_steps": &m.PolicySteps}
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
// metrics.jsonl. Lines after those belong to epochs past the checkpoint
// and are dropped: a torn last line (a full disk, a kill) among them is no
// error, nor is a blank line anywhere.
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
	for line := 1; len(hist) < upTo && sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("%s line %d (epoch %d, before the checkpoint's %d): %w", path, line, len(hist), upTo, err)
		}
		m, err := metricsFromRow(row)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		if m.Epoch != len(hist) {
			return nil, fmt.Errorf("%s line %d is epoch %d, want epoch %d (the lines must follow the epochs)", path, line, m.Epoch, len(hist))
		}
		hist = append(hist, m)
	}
	if err := sc.Err(); err != nil && len(hist) < upTo {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return hist, nil
}

// metricsFromRow is the inverse of metricsRow; a field missing from the
// row (a run written before it existed) is NaN, or 0 for counts.
func metricsFromRow(row map[string]any) (vpg.EpochMetrics, error) {
	var m vpg.EpochMetrics
	for k, dst := range floatMetrics(&m) {
		*dst = math.NaN()
		switch v := row[k].(type) {
		case float64:
			*dst = v
		case nil:
		default:
			return m, fmt.Errorf("%s is %v, want a number or null", k, v)
		}
	}
	for k, dst := range intMetrics(&m) {
		switch v := row[k].(type) {
		case float64:
			*dst = int(v)
		case nil:
		default:
			return m, fmt.Errorf("%s is %v, want an integer", k, v)
		}
	}
	m.EarlyStop, _ = row["early_stop"].(bool)
	return m, nil
}

// progress prints one line per epoch, or one line redrawn in place when
// stdout is a terminal. A PPO run's lines add how far the policy moved:
// CleanRL's approx KL, the clip fraction and the π steps taken on the batch
// (marked * when the target KL stopped them early).
type progress struct {
	w           io.Writer
	tty, ppo    bool
	total, from int
	start       time.Time
}

func newProgress(w io.Writer, total, from int, ppo bool) *progress {
	p := &progress{w: w, total: total, from: from, ppo: ppo, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	if !p.tty {
		ppoCols := ""
		if ppo {
			ppoCols = fmt.Sprintf(" %8s %8s %6s", "apprxKL", "clipFrac", "πsteps")
		}
		fmt.Fprintf(w, "%5s %9s %9s %9s %7s %8s %8s %7s %7s%s %6s %8s %7s\n",
			"epoch", "return", "min", "max", "len", "lossPi", "lossV", "entropy", "KL", ppoCols, "ExpVar", "steps/s", "wall")
	}
	return p
}

func (p *progress) epoch(m vpg.EpochMetrics) {
	stop := ""
	if m.EarlyStop {
		stop = "*"
	}
	if !p.tty {
		returns := fmt.Sprintf("%9.2f %9.2f %9.2f %7.1f", m.MeanReturn, m.MinReturn, m.MaxReturn, m.MeanLen)
		if m.Episodes == 0 {
			returns = fmt.Sprintf("%37s", noEpisode)
		}
		ppoCols := ""
		if p.ppo {
			ppoCols = fmt.Sprintf(" %8.4f %8.3f %6s", m.ApproxKL, m.ClipFrac, fmt.Sprint(m.PolicySteps, stop))
		}
		fmt.Fprintf(p.w, "%5d %s %8.4f %8.3f %7.4f %7.4f%s %6.3f %8.0f %6.1fs\n",
			m.Epoch, returns, m.PiLoss, m.VLoss, m.Entropy, m.KL, ppoCols, m.ExplainedVar, m.StepsPerSec, m.Wall)
		return
	}
	done := m.Epoch + 1 - p.from
	eta := time.Duration(float64(time.Since(p.start)) / float64(done) * float64(p.total-m.Epoch-1)).Round(time.Second)
	ret := "return " + fmtFloat(m.MeanReturn)
	if m.Episodes == 0 {
		ret = noEpisode
	}
	moved := fmt.Sprintf("KL %.4f", m.KL)
	if p.ppo {
		moved = fmt.Sprintf("approx KL %.4f  clip %.3f  π steps %d%s", m.ApproxKL, m.ClipFrac, m.PolicySteps, stop)
	}
	fmt.Fprintf(p.w, "\r\033[Kepoch %d/%d  %s  %s  %.0f steps/s  ETA %s", m.Epoch+1, p.total,
		ret, moved, m.StepsPerSec, eta)
}

// noEpisode stands for the returns of an epoch in which no episode ended.
const noEpisode = "no episode ended"

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
	algo := "VPG"
	if cfg.Algo == vpg.PPO {
		algo = fmt.Sprintf("PPO (%d passes × %d minibatches, ε %g)", cfg.UpdateEpochs, cfg.Minibatches, cfg.ClipRatio)
	}
	return fmt.Sprintf("%s on %s (seed %d, %s, π lr %g, %d×%d steps)", algo, cfg.Env, cfg.Seed,
		cfg.Estimator, cfg.PiLR, cfg.NumEnvs, cfg.StepsPerEpoch/cfg.NumEnvs)
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, "×")
}
