package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

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
	err := dispatch(trainArgs("--env", "Pendulum-v1", "--epochs", "5", "--pi-lr", "1e300", "--checkpoint-every", "1", "--out", dir), &out)
	var de *vpg.DivergenceError
	if !errors.As(err, &de) || !strings.Contains(err.Error(), "resume with vpg train --resume") {
		t.Fatalf("got %v, want a divergence error that says where the checkpoint is", err)
	}
	tr := load(t, dir)
	if tr.Epoch() != de.Epoch {
		t.Errorf("the checkpoint is at epoch %d, want the last good one, %d", tr.Epoch(), de.Epoch)
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
		{trainArgs("--steps", "9223372036854775800"), "StepsPerEpoch = 9223372036854775800, want 1 … 1048576"},
		{trainArgs("--steps", "1e9"), `--steps: "1e9" is not an integer`},
		{trainArgs("--gamma", "1.5"), "Gamma = 1.5, want a number in [0, 1]"},
		{trainArgs("--hidden", "64,x"), `layer size "x" is not an integer`},
		{trainArgs("--hidden", "100000"), "Hidden[0] = 100000, want 1 … 1024"},
		{trainArgs("--estimator", "magic"), `Estimator = "magic"`},
		{trainArgs("--optimizer", "rmsprop"), `Optimizer = "rmsprop"`},
		{trainArgs("--normalize", "maybe"), "--normalize"},
		{trainArgs("--out", filepath.Join(file, "sub")), "cannot create the run directory"},
		{[]string{"train", "--resume", t.TempDir()}, "no such file"},
		{trainArgs("--checkpoint-every", "0"), "--checkpoint-every = 0"},
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

// SIGINT during training saves a loadable checkpoint and the metrics so far,
// says where, and exits with 130.
func TestTrainInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "vpg")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cmd := exec.Command(bin, append(trainArgs("--env", "Pendulum-v1", "--epochs", "100000", "--out", dir), "--checkpoint-every", "1000")[1:]...)
	cmd.Args = append([]string{bin, "train"}, cmd.Args[1:]...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) == 4 { // the header and three epochs
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("still running a minute after SIGINT")
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 130 {
		t.Fatalf("exit: %v, want status 130", err)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "interrupted after epoch") || !strings.Contains(last, "--resume "+dir) {
		t.Errorf("last line %q does not say where the checkpoint is", last)
	}
	tr := load(t, dir)
	hist, err := readMetrics(filepath.Join(dir, metricsFile), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Epoch() < 3 || len(hist) != tr.Epoch() {
		t.Errorf("checkpoint at epoch %d with %d metrics lines, want the same number ≥ 3", tr.Epoch(), len(hist))
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
	for _, bad := range [][]string{{"--algo", "trpo"}, {"--anneal-lr", "maybe"}} {
		if err := dispatch(trainArgs(append(bad, "--out", t.TempDir())...), &out); err == nil || !strings.Contains(err.Error(), bad[1]) {
			t.Errorf("%v: error %v, want one naming %q", bad, err, bad[1])
		}
	}
	if err := dispatch([]string{"train", "--resume", dir, "--algo", "ppo"}, &out); err == nil || !strings.Contains(err.Error(), "--algo") {
		t.Errorf("--resume with --algo: error %v, want one naming --algo", err)
	}
}
