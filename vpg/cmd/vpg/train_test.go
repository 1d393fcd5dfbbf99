package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/govpg/govpg/vpg"
)

var small = []string{"--steps", "200", "--envs", "4", "--hidden", "16", "--train-v-iters", "3"}

func trainArgs(extra ...string) []string {
	return append(append([]string{"train"}, small...), extra...)
}

// `train --epochs 3` then `train --resume D --epochs 6` ends where
// `train --epochs 6` ends: parameters, optimizer state and metrics.
func TestTrainResume(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		straight, split := t.TempDir(), t.TempDir()
		var out bytes.Buffer
		if err := dispatch(trainArgs("--env", env, "--epochs", "6", "--out", straight), &out); err != nil {
			t.Fatal(err)
		}
		if err := dispatch(trainArgs("--env", env, "--epochs", "3", "--out", split), &out); err != nil {
			t.Fatal(err)
		}
		if err := dispatch([]string{"train", "--resume", split, "--epochs", "6"}, &out); err != nil {
			t.Fatal(err)
		}
		a, b := load(t, straight), load(t, split)
		if a.Epoch() != 6 || b.Epoch() != 6 {
			t.Fatalf("%s: epochs %d and %d, want 6", env, a.Epoch(), b.Epoch())
		}
		pa := append(append(a.Model().PolicyParams(), a.Model().ValueParams()...), a.Model().OptimizerState()...)
		pb := append(append(b.Model().PolicyParams(), b.Model().ValueParams()...), b.Model().OptimizerState()...)
		if !reflect.DeepEqual(pa, pb) {
			t.Errorf("%s: 3 + resume 3 epochs ended with other parameters than 6 epochs", env)
		}
		ma, mb := metricsWithoutTimes(t, straight), metricsWithoutTimes(t, split)
		if len(ma) != 6 || !reflect.DeepEqual(ma, mb) {
			t.Errorf("%s: metrics differ:\n%v\n%v", env, ma, mb)
		}
	}
}

func load(t *testing.T, dir string) *vpg.Trainer {
	t.Helper()
	tr, err := vpg.Load(filepath.Join(dir, modelFile))
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// metricsWithoutTimes reads metrics.jsonl without the wall-clock fields.
func metricsWithoutTimes(t *testing.T, dir string) []string {
	t.Helper()
	hist, err := readMetrics(filepath.Join(dir, metricsFile), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, m := range hist {
		m.StepsPerSec, m.RolloutSec, m.UpdateSec, m.PiUpdateSec, m.VUpdateSec, m.Wall = 0, 0, 0, 0, 0, 0
		line, err := json.Marshal(metricsRow(m))
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, string(line))
	}
	return rows
}

func TestTrainDivergenceKeepsCheckpoint(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	// SGD at V's largest learning rate runs V away while every number
	// stays finite (issue 21, item 3): caught by the value-loss bound.
	err := dispatch(trainArgs("--epochs", "5", "--optimizer", "sgd", "--vf-lr", "1", "--checkpoint-every", "1", "--out", dir), &out)
	var de *vpg.DivergenceError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "resume with vpg train --resume") || !strings.Contains(err.Error(), "beyond") {
		t.Fatalf("got %v, want a runaway error that says where the checkpoint is", err)
	}
	tr := load(t, dir)
	if tr.Epoch() != de.Epoch {
		t.Errorf("the checkpoint is at epoch %d, want the last good one, %d", tr.Epoch(), de.Epoch)
	}
	// The advice can be followed: resume with a smaller learning rate.
	out.Reset()
	if err := dispatch([]string{"train", "--resume", dir, "--vf-lr", "1e-3"}, &out); err != nil {
		t.Fatalf("resume with --vf-lr 1e-3: %v", err)
	}
	if !strings.Contains(out.String(), fmt.Sprintf("--vf-lr 0.001 applies from epoch %d on", de.Epoch)) {
		t.Errorf("resume did not say it applies the new learning rate:\n%s", out.String())
	}
	if tr := load(t, dir); tr.Epoch() != 5 || tr.Config().VfLR != 1e-3 {
		t.Errorf("after resuming: epoch %d, V lr %g; want 5 and 0.001", tr.Epoch(), tr.Config().VfLR)
	}
}

func TestTrainFlagErrors(t *testing.T) {
	var out bytes.Buffer
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{trainArgs("--steps", "9223372036854775800"), "vpg train: --steps = 9223372036854775800, want 1 … 1048576"},
		{trainArgs("--steps", "1e9"), `vpg train: --steps "1e9" is not a decimal integer`},
		{trainArgs("--gamma", "1.5"), "vpg train: --gamma = 1.5, want a number in [0, 1]"},
		{trainArgs("--hidden", "64,x"), `--hidden item 2 of "64,x": "x" is not a decimal integer`},
		{trainArgs("--hidden", "100000"), "--hidden[0] = 100000, want 1 … 1024"},
		{trainArgs("--estimator", "magic"), `--estimator = "magic"`},
		{trainArgs("--optimizer", "rmsprop"), `--optimizer = "rmsprop"`},
		{trainArgs("--normalize", "maybe"), `--normalize "maybe" is not true or false`},
		{trainArgs("--out", filepath.Join(file, "sub")), "cannot create the run directory"},
		{[]string{"train", "--resume", t.TempDir()}, "the run never saved one"},
		{trainArgs("--checkpoint-every", "0"), "vpg train: --checkpoint-every 0 is out of range, want 1 … 1000000"},
	} {
		if err := dispatch(tc.args, &out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want an error with %q", tc.args, err, tc.want)
		}
	}
}

func TestTrainHelp(t *testing.T) {
	var out bytes.Buffer
	err := dispatch([]string{"train", "-h"}, &out)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("train -h returned %v, want flag.ErrHelp (exit 0)", err)
	}
	if n := strings.Count(out.String(), "usage: vpg train"); n != 1 {
		t.Errorf("usage printed %d times", n)
	}
	for _, want := range []string{"CartPole-v1, Pendulum-v1", "full-return, future-return, future-return-baseline, gae", "-gamma", "-hidden", "-resume",
		"-algo", "-update-epochs", "-minibatches", "-clip-ratio", "-clip-value-loss", "-value-coef", "-entropy-coef", "-max-grad-norm",
		"-target-kl", "-adam-eps", "-orthogonal-init", "-anneal-lr", "-minibatch-normalize"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("usage lacks %q:\n%s", want, out.String())
		}
	}
}

// SIGINT, and SIGHUP (a closed terminal or SSH connection), during
// training save a loadable checkpoint and the metrics so far, say where,
// and exit with 130.
func TestTrainInterrupt(t *testing.T) {
	bin := vpgBinary(t)
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGHUP} {
		dir := t.TempDir()
		cmd, stdout := startTrain(t, bin, "--env", "Pendulum-v1", "--epochs", "100000", "--out", dir, "--checkpoint-every", "1000")
		sc := bufio.NewScanner(stdout)
		var lines []string
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if len(lines) == 4 { // the header and three epochs
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
			}
		}
		err := waitFor(t, cmd)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Fatalf("%v: exit %v, want status 130", sig, err)
		}
		last := lines[len(lines)-1]
		if !strings.Contains(last, "interrupted after epoch") || !strings.Contains(last, "--resume "+dir) {
			t.Errorf("%v: last line %q does not say where the checkpoint is", sig, last)
		}
		tr := load(t, dir)
		hist, err := readMetrics(filepath.Join(dir, metricsFile), 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		if tr.Epoch() < 3 || len(hist) != tr.Epoch() {
			t.Errorf("%v: checkpoint at epoch %d with %d metrics lines, want the same number ≥ 3", sig, tr.Epoch(), len(hist))
		}
	}
}

// `train --algo ppo` starts from CleanRL's defaults and applies each PPO flag.
func TestTrainPPOFlags(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	args := trainArgs("--algo", "ppo", "--epochs", "2", "--out", dir, "--update-epochs", "3", "--minibatches", "2",
		"--clip-ratio", "0.1", "--clip-value-loss", "false", "--value-coef", "1", "--entropy-coef", "0.02", "--max-grad-norm", "0.7",
		"--target-kl", "0.5", "--adam-eps", "1e-6", "--orthogonal-init", "false", "--anneal-lr", "false", "--minibatch-normalize", "false")
	if err := dispatch(args, &out); err != nil {
		t.Fatal(err)
	}
	got := load(t, dir).Config()
	want := vpg.PPOPreset("CartPole-v1")
	want.Epochs, want.StepsPerEpoch, want.NumEnvs, want.Hidden, want.TrainVIters = 2, 200, 4, []int{16}, 3
	want.UpdateEpochs, want.Minibatches, want.ClipRatio, want.ClipValueLoss, want.ValueCoef = 3, 2, 0.1, false, 1
	want.EntropyCoef, want.MaxGradNorm, want.TargetKL, want.AdamEps = 0.02, 0.7, 0.5, 1e-6
	want.OrthogonalInit, want.AnnealLR, want.MinibatchNormalize = false, false, false
	got.ObsScale, want.ObsScale = nil, nil
	want.Learner = got.Learner // the resolved learner is recorded (not a PPO flag)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("config\n%+v\nwant\n%+v", got, want)
	}
	hist, err := readMetrics(filepath.Join(dir, metricsFile), 2)
	if err != nil || len(hist) != 2 {
		t.Fatalf("metrics: %d epochs, %v", len(hist), err)
	}
	for _, m := range hist { // 3 passes × 2 minibatches, unless approx KL passed 1.5 × 0.5
		if m.PolicySteps < 1 || m.PolicySteps > 6 || m.EarlyStop != (m.PolicySteps < 6) || !(m.ApproxKL >= 0) || !(m.ClipFrac >= 0 && m.ClipFrac <= 1) {
			t.Errorf("epoch %d in metrics.jsonl: %d policy steps, early stop %v, approx KL %v, clip fraction %v", m.Epoch, m.PolicySteps, m.EarlyStop, m.ApproxKL, m.ClipFrac)
		}
	}
	for _, bad := range [][]string{{"--algo", "trpo"}, {"--anneal-lr", "maybe"}} {
		if err := dispatch(trainArgs(append(bad, "--out", t.TempDir())...), &out); err == nil || !strings.Contains(err.Error(), bad[1]) {
			t.Errorf("%v: error %v, want one naming %q", bad, err, bad[1])
		}
	}
	if err := dispatch([]string{"train", "--resume", dir, "--algo", "ppo"}, &out); err == nil || !strings.Contains(err.Error(), "--algo") {
		t.Errorf("--resume with --algo: error %v, want one naming --algo", err)
	}
}

// metrics.jsonl keeps every field that metricsRow writes, NaN as null.
func TestMetricsRowRoundTrips(t *testing.T) {
	m := vpg.EpochMetrics{Epoch: 4, Episodes: 3, MeanReturn: math.NaN(), KL: 0.25, ApproxKL: 0.125, ClipFrac: 0.5,
		PolicySteps: 13, EarlyStop: true, TotalSteps: 2048, Wall: 1.5}
	line, err := json.Marshal(metricsRow(m))
	if err != nil {
		t.Fatal(err)
	}
	var row map[string]any
	json.Unmarshal(line, &row)
	got, err := metricsFromRow(row)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.MeanReturn) || got.Epoch != 4 || got.Episodes != 3 || got.KL != 0.25 || got.ApproxKL != 0.125 ||
		got.ClipFrac != 0.5 || got.PolicySteps != 13 || !got.EarlyStop || got.TotalSteps != 2048 || got.Wall != 1.5 {
		t.Errorf("%s read back as %+v", line, got)
	}
	row["clip_frac"] = "half"
	if _, err := metricsFromRow(row); err == nil || !strings.Contains(err.Error(), "clip_frac") {
		t.Errorf("a string clip_frac: error %v, want one naming clip_frac", err)
	}
}

// A PPO run's progress lines add approx KL, clip fraction and π steps, an
// early stop marked; a VPG run's do not.
func TestProgressPPOColumns(t *testing.T) {
	m := vpg.EpochMetrics{Epoch: 3, Episodes: 2, MeanReturn: 20, ApproxKL: 0.0123, ClipFrac: 0.25, PolicySteps: 7, EarlyStop: true}
	var ppo, plain bytes.Buffer
	newProgress(&ppo, 10, 0, true).epoch(m)
	newProgress(&plain, 10, 0, false).epoch(m)
	header, row, _ := strings.Cut(ppo.String(), "\n")
	if !strings.Contains(header, "apprxKL clipFrac πsteps") || !strings.Contains(row, "  0.0123    0.250     7* ") {
		t.Errorf("PPO progress:\n%s", ppo.String())
	}
	if strings.Contains(plain.String(), "clipFrac") || strings.Contains(plain.String(), "0.0123") {
		t.Errorf("VPG progress has PPO columns:\n%s", plain.String())
	}
}
