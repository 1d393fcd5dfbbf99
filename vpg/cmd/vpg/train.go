package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govpg/govpg/vpg"
)

func runTrain(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	env := fs.String("env", "CartPole-v1", "environment id")
	epochs := fs.Int("epochs", 0, "epochs (0: the preset's)")
	seed := fs.Uint64("seed", 0, "random seed")
	out := fs.String("out", "", "output directory (default runs/<env>-seed<seed>)")
	steps := fs.Int("steps", 0, "environment steps per epoch (0: the preset's)")
	numEnvs := fs.Int("envs", 0, "vectorized environment copies (0: the preset's)")
	piLR := fs.Float64("pi-lr", 0, "policy learning rate (0: the preset's)")
	vfLR := fs.Float64("vf-lr", 0, "value learning rate (0: the preset's)")
	est := fs.String("estimator", "", "policy-gradient weight: full-return, future-return, future-return-baseline, gae (default: the preset's)")
	defaults := fs.Bool("defaults", false, "start from Spinning Up's defaults instead of the tuned preset")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("train: unexpected arguments %q", fs.Args())
	}
	cfg := vpg.Preset(*env)
	if *defaults {
		cfg = vpg.DefaultConfig()
		cfg.Env = *env
	}
	cfg.Seed = *seed
	setIf(&cfg.Epochs, *epochs)
	setIf(&cfg.StepsPerEpoch, *steps)
	setIf(&cfg.NumEnvs, *numEnvs)
	setIf(&cfg.PiLR, *piLR)
	setIf(&cfg.VfLR, *vfLR)
	if *est != "" {
		cfg.Estimator = vpg.Estimator(*est)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("runs", fmt.Sprintf("%s-seed%d", cfg.Env, cfg.Seed))
	}
	t, err := vpg.NewTrainer(cfg)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%5s %9s %9s %9s %7s %8s %8s %7s %7s %6s %8s %7s\n",
		"epoch", "return", "min", "max", "len", "lossPi", "lossV", "entropy", "KL", "ExpVar", "steps/s", "wall")
	err = t.Train(func(m vpg.EpochMetrics) bool {
		fmt.Fprintf(stdout, "%5d %9.2f %9.2f %9.2f %7.1f %8.4f %8.3f %7.4f %7.4f %6.3f %8.0f %6.1fs\n",
			m.Epoch, m.MeanReturn, m.MinReturn, m.MaxReturn, m.MeanLen, m.PiLoss, m.VLoss, m.Entropy, m.KL,
			m.ExplainedVar, m.StepsPerSec, m.Wall)
		return true
	})
	if err != nil {
		return err
	}
	ckpt := filepath.Join(dir, "model.json")
	if err := t.Save(ckpt); err != nil {
		return err
	}
	hist := t.History()
	metrics, err := json.MarshalIndent(jsonMetrics(hist), "", " ")
	if err != nil {
		return err
	}
	if err := vpg.WriteFileAtomic(filepath.Join(dir, "metrics.json"), metrics); err != nil {
		return err
	}
	report := filepath.Join(dir, "report.html")
	if err := vpg.WriteFileAtomic(report, []byte(htmlReport(cfg, hist))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "saved %s, %s\n", ckpt, report)
	return nil
}

func setIf[T int | float64](dst *T, v T) {
	if v != 0 {
		*dst = v
	}
}

// jsonMetrics replaces NaN (epochs where no episode finished) by null.
func jsonMetrics(hist []vpg.EpochMetrics) []map[string]any {
	var rows []map[string]any
	for _, m := range hist {
		row := map[string]any{}
		for k, v := range map[string]float64{
			"mean_return": m.MeanReturn, "min_return": m.MinReturn, "max_return": m.MaxReturn, "std_return": m.StdReturn,
			"mean_len": m.MeanLen, "loss_pi": m.PiLoss, "delta_loss_pi": m.DeltaPiLoss, "loss_v": m.VLoss,
			"delta_loss_v": m.DeltaVLoss, "entropy": m.Entropy, "kl": m.KL, "explained_var": m.ExplainedVar,
			"steps_per_sec": m.StepsPerSec, "rollout_sec": m.RolloutSec, "update_sec": m.UpdateSec,
			"pi_update_sec": m.PiUpdateSec, "v_update_sec": m.VUpdateSec, "wall_sec": m.Wall,
		} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				row[k] = nil
			} else {
				row[k] = v
			}
		}
		row["epoch"], row["episodes"], row["total_steps"] = m.Epoch, m.Episodes, m.TotalSteps
		rows = append(rows, row)
	}
	return rows
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
