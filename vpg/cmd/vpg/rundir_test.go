package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/govpg/govpg/vpg"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// vpgBinary builds the command once for the tests that need a real
// process (signals, a second writer).
func vpgBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "vpg-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "vpg")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// startTrain starts `vpg train` with the small sizes and args.
func startTrain(t *testing.T, bin string, args ...string) (*exec.Cmd, io.Reader) {
	t.Helper()
	cmd := exec.Command(bin, trainArgs(args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stdout
}

// waitFor waits for cmd to end, at most a minute.
func waitFor(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		t.Fatal("still running after a minute")
		return nil
	}
}

// A run directory has one writer (issue 21, item 1): a second `train
// --out` or `--resume` while a run writes it is refused naming the
// holder's PID; after the holder is killed (a stale lock) a resume takes
// the directory over and removes the temporary files a killed save left.
func TestRunDirLock(t *testing.T) {
	bin := vpgBinary(t)
	dir := t.TempDir()
	first, stdout := startTrain(t, bin, "--env", "Pendulum-v1", "--epochs", "100000", "--checkpoint-every", "1000", "--out", dir)
	sc := bufio.NewScanner(stdout)
	for i := 0; i < 3 && sc.Scan(); i++ { // the header and two epochs: the run holds the directory
	}
	go io.Copy(io.Discard, stdout)
	pid := strconv.Itoa(first.Process.Pid)
	for _, args := range [][]string{
		trainArgs("--env", "CartPole-v1", "--out", dir, "--force"),
		trainArgs("--out", dir),
		{"train", "--resume", dir, "--epochs", "100001"},
	} {
		out, err := exec.Command(bin, args...).CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(string(out), "in use by process "+pid) {
			t.Errorf("%v while %s runs: %v\n%s", args, pid, err, out)
		}
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	first.Wait()
	// A save killed midway leaves a temporary file beside the checkpoint.
	tmp := filepath.Join(dir, ".model.json.tmp123456")
	if err := os.WriteFile(tmp, []byte(`{"format":`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "train", "--resume", dir, "--epochs", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("resume after the holder was killed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "removed temporary files left by a killed save: .model.json.tmp123456") {
		t.Errorf("resume did not report the leftover file:\n%s", out)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover %s is still there: %v", tmp, err)
	}
	if tr := load(t, dir); tr.Epoch() != 2 || tr.Config().Env != "Pendulum-v1" {
		t.Errorf("after the resume: %s at epoch %d, want Pendulum-v1 at 2", tr.Config().Env, tr.Epoch())
	}
}

// A fresh run does not replace an existing one unless --force (item 1).
func TestFreshRunRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := dispatch(trainArgs("--epochs", "2", "--out", dir), &out); err != nil {
		t.Fatal(err)
	}
	err := dispatch(trainArgs("--env", "Acrobot-v1", "--epochs", "1", "--out", dir), &out)
	if err == nil || !strings.Contains(err.Error(), "is not empty") || !strings.Contains(err.Error(), "--resume "+dir) {
		t.Fatalf("a second fresh run into %s: %v", dir, err)
	}
	if tr := load(t, dir); tr.Config().Env != "CartPole-v1" || tr.Epoch() != 2 {
		t.Errorf("the refused run changed the checkpoint: %s at epoch %d", tr.Config().Env, tr.Epoch())
	}
	if err := dispatch(trainArgs("--env", "Acrobot-v1", "--epochs", "1", "--out", dir, "--force"), &out); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if tr := load(t, dir); tr.Config().Env != "Acrobot-v1" || tr.Epoch() != 1 {
		t.Errorf("after --force: %s at epoch %d, want Acrobot-v1 at 1", tr.Config().Env, tr.Epoch())
	}
	if hist, err := readMetrics(filepath.Join(dir, metricsFile), 1<<30); err != nil || len(hist) != 1 {
		t.Errorf("after --force: %d metrics lines (%v), want the new run's 1", len(hist), err)
	}
	// A directory holding only what a killed first save left is empty.
	fresh := t.TempDir()
	if err := os.WriteFile(filepath.Join(fresh, ".report.html.tmp42"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := dispatch(trainArgs("--epochs", "1", "--out", fresh), &out); err != nil || !strings.Contains(out.String(), "removed temporary files left by a killed save: .report.html.tmp42") {
		t.Errorf("a fresh run beside a leftover temporary file: %v\n%s", err, out.String())
	}
}

// --resume refuses every flag it would ignore, naming each as typed, and
// applies the learning rates (item 1 and 3).
func TestResumeFlags(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := dispatch(trainArgs("--epochs", "2", "--out", dir), &out); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--resume", dir, "--seed", "99", "--env", "Pendulum-v1", "--out", "elsewhere"}, "--env, --out, --seed cannot change a resumed run"},
		{[]string{"train", "--resume", dir, "-steps", "400"}, "-steps cannot change a resumed run"},
		{[]string{"train", "--resume", dir, "--force"}, "--force cannot change"},
		{[]string{"train", "--resume", dir, "--pi-lr", "2"}, "--pi-lr 2 is out of range, want a number in (0, 1]"},
		{[]string{"train", "--resume", dir, "--epochs", "1"}, "--epochs 1, want 2 (already trained)"},
		{[]string{"train", "--resume", filepath.Join(dir, "none")}, "there is no run directory there"},
	} {
		if err := dispatch(tc.args, &out); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
	out.Reset()
	if err := dispatch([]string{"train", "--resume", dir, "--epochs", "3", "--pi-lr", "0.005", "--checkpoint-every", "1"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "--pi-lr 0.005 applies from epoch 2 on") {
		t.Errorf("resume did not say it applies --pi-lr:\n%s", out.String())
	}
	if tr := load(t, dir); tr.Config().PiLR != 0.005 || tr.Epoch() != 3 {
		t.Errorf("π lr %g at epoch %d, want 0.005 at 3", tr.Config().PiLR, tr.Epoch())
	}
}

// Lines of metrics.jsonl past the checkpoint (a torn line from a full
// disk, a blank line) do not block a resume, which drops them (item 2);
// a damaged line before the checkpoint is an error naming it.
func TestResumeDropsMetricsPastCheckpoint(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := dispatch(trainArgs("--epochs", "3", "--out", dir), &out); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, metricsFile)
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	torn := string(good) + "\n" + `{"epoch":3,"mean_ret`
	if err := os.WriteFile(path, []byte(torn), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := dispatch([]string{"train", "--resume", dir, "--epochs", "5"}, &out); err != nil {
		t.Fatalf("resume with a torn line past the checkpoint: %v", err)
	}
	hist, err := readMetrics(path, 1<<30)
	if err != nil || len(hist) != 5 {
		t.Fatalf("after the resume: %d metrics lines (%v), want 5", len(hist), err)
	}
	lines := strings.Split(string(good), "\n")
	broken := strings.Join(append([]string{lines[0], `{"epoch":1,`}, lines[2:]...), "\n")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readMetrics(path, 3); err == nil || !strings.Contains(err.Error(), "line 2 (epoch 1, before the checkpoint's 3)") {
		t.Errorf("a torn line before the checkpoint: %v", err)
	}
}

// A run killed before its first save has no checkpoint; resume says so and
// what to do (item 8). A FIFO in place of the checkpoint is refused, not
// waited on (item 5).
func TestResumeWithoutCheckpoint(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, metricsFile), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	err := dispatch([]string{"train", "--resume", dir}, &out)
	if err == nil || !strings.Contains(err.Error(), "the run never saved one") || !strings.Contains(err.Error(), "--out "+dir+" --force") {
		t.Errorf("resume without model.json: %v", err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, modelFile), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { done <- dispatch([]string{"train", "--resume", dir}, io.Discard) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "is not a regular file") {
			t.Errorf("resume with a FIFO model.json: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("resume with a FIFO model.json still waiting after 10 s")
	}
}

// Flags (item 6): one integer syntax, empty list items, bounded finite
// floats, errors that name the flag as typed, one prefix.
func TestFlagSyntax(t *testing.T) {
	ckpt := filepath.Join(t.TempDir(), "model.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{trainArgs("--steps", "0x10"), `vpg train: --steps "0x10" is not a decimal integer`},
		{trainArgs("-steps", "1_000"), `vpg train: -steps "1_000" is not a decimal integer`},
		{trainArgs("--checkpoint-every", "0x10"), `vpg train: --checkpoint-every "0x10" is not a decimal integer`},
		{trainArgs("--seed", "1_0"), `vpg train: --seed "1_0" is not a decimal integer`},
		{[]string{"eval", "--ckpt", ckpt, "--episodes", "0x10"}, `vpg eval: --episodes "0x10" is not a decimal integer`},
		{[]string{"render", "--ckpt", ckpt, "-max-steps", "1_000"}, `vpg render: -max-steps "1_000" is not a decimal integer`},
		{trainArgs("--hidden", "64,,64"), `vpg train: --hidden "64,,64" has an empty item 2`},
		{trainArgs("--hidden", ","), `vpg train: --hidden "," has an empty item 1`},
		{trainArgs("--log-std-init", "1e308"), "vpg train: --log-std-init = 1e+308, want a number in [−20, 20]"},
		{trainArgs("--reward-scale", "1e308"), "vpg train: --reward-scale = 1e+308, want a number in [1e-06, 1000]"},
		{trainArgs("--reward-scale", "1e30"), "--reward-scale = 1e+30"},
		{trainArgs("--pi-lr", "1e6"), "vpg train: --pi-lr = 1e+06, want a number in (0, 1]"},
		{trainArgs("--vf-lr", "1e9"), "vpg train: --vf-lr = 1e+09"},
		{trainArgs("--pi-lr", "9.2e18"), "--pi-lr = 9.2e+18"},
		{trainArgs("--gamma", "NaN"), `vpg train: --gamma "NaN" is not a finite number`},
		{trainArgs("--lambda", "Inf"), `vpg train: --lambda "Inf" is not a finite number`},
		{trainArgs("--steps", "0"), "vpg train: --steps = 0, want 1 … 1048576"},
		{trainArgs("--epochs", "x"), `vpg train: --epochs "x" is not a decimal integer`},
		{[]string{"render", "--ckpt", ckpt, "--fps", "Inf"}, `vpg render: --fps "Inf" is not a finite number`},
		{trainArgs("--hidden", "1024,1024,1024"), "vpg train: --hidden = [1024 1024 1024] has 4211715 parameters in π and V together, want at most 3000000"},
		{trainArgs("--steps", "16384", "--envs", "4096", "--hidden", "1024,1024,1024,1024,1024,1024,1024,1024"), "--steps × Σ --hidden = 16384 × 8192, want at most 16777216"},
	} {
		var out bytes.Buffer
		err := dispatch(tc.args, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error with %q", tc.args, err, tc.want)
			continue
		}
		if msg := err.Error(); strings.Count(msg, "vpg") != 1 || strings.Contains(msg, "vpg:") {
			t.Errorf("%v: %q has more than the one prefix", tc.args, msg)
		}
		for _, field := range []string{"StepsPerEpoch", "NumEnvs", "PiLR", "VfLR", "RewardScale", "LogStdInit", "Hidden"} {
			if strings.Contains(err.Error(), field) {
				t.Errorf("%v: %q names the Config field %s, not the flag", tc.args, err, field)
			}
		}
	}
}

// An epoch in which no episode ended shows that, not NaN (item 8):
// Pendulum's 200-step episodes span 5 epochs of 40 steps per copy.
func TestProgressNoEpisodeEnded(t *testing.T) {
	var out bytes.Buffer
	if err := dispatch([]string{"train", "--env", "Pendulum-v1", "--epochs", "5", "--steps", "400", "--envs", "10",
		"--hidden", "8", "--train-v-iters", "1", "--out", t.TempDir()}, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "NaN") || strings.Count(out.String(), noEpisode) != 4 {
		t.Errorf("want 4 epochs that say %q and no NaN:\n%s", noEpisode, out.String())
	}
}

// The report's size does not grow with the run (item 8: a 4.5 MB report
// rebuilt every 10 epochs slowed long runs 5×): 20 000 epochs make a
// report no larger than 2 000 do, give or take the digits of the labels.
func TestReportSizeBounded(t *testing.T) {
	hist := func(n int) []vpg.EpochMetrics {
		h := make([]vpg.EpochMetrics, n)
		for i := range h {
			h[i] = vpg.EpochMetrics{Epoch: i, Episodes: 1, MeanReturn: math.Sin(float64(i)), MinReturn: -2, MaxReturn: 2}
		}
		return h
	}
	cfg := vpg.Preset("CartPole-v1")
	small, large := htmlReport(cfg, hist(2000)), htmlReport(cfg, hist(20_000))
	if float64(len(large)) > 1.1*float64(len(small)) {
		t.Errorf("the report of 20 000 epochs is %d bytes, of 2 000 %d: want about the same", len(large), len(small))
	}
	if !strings.Contains(large, "Each point of the charts is 20 epochs") || !strings.Contains(large, "The last 200 of 20000 epochs") {
		t.Error("the report of 20 000 epochs does not say how it summarises them")
	}
	if !strings.Contains(large, ">10000</text>") { // the x axis counts epochs, not points
		t.Error("the x axis of 20 000 epochs lacks the tick 10000")
	}
}

// Whatever train can save, eval and --resume can load (item 4): the
// widest network the bounds allow, with a minimal batch.
func TestLargestNetworkRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 140 MB checkpoint")
	}
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"train", "--hidden", "1024,1024", "--steps", "8", "--envs", "1", "--train-v-iters", "1", "--epochs", "1", "--out", dir}
	if err := dispatch(args, &out); err != nil {
		t.Fatal(err)
	}
	if err := dispatch([]string{"eval", "--ckpt", filepath.Join(dir, modelFile), "--episodes", "1"}, &out); err != nil {
		t.Errorf("eval: %v", err)
	}
	if err := dispatch([]string{"train", "--resume", dir, "--epochs", "2"}, &out); err != nil {
		t.Errorf("resume: %v", err)
	}
}
