package vpg

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// A run saved after 3 epochs and resumed for 3 more ends exactly where the
// same run uninterrupted ends: parameters, optimizer state and metrics.
func TestResumeIsExact(t *testing.T) {
	for _, run := range []struct {
		env, learner string
		ppo          bool
	}{
		{"CartPole-v1", "", false}, {"Pendulum-v1", "", false}, {"Pendulum-v1", GraphLearner, false},
		{"CartPole-v1", "", true}, {"Pendulum-v1", "", true}, // PPO: shuffles, annealing, clipping carry over
	} {
		env := fmt.Sprintf("%s/%s/ppo=%v", run.env, run.learner, run.ppo)
		c := Preset(run.env)
		if run.ppo {
			c = PPOPreset(run.env)
		}
		c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters, c.Seed = 6, 240, 4, []int{16, 8}, 5, 3
		c.Learner = run.learner
		if run.env == "CartPole-v1" {
			c.Estimator = FullReturn // the estimator that carries state across batches
		}
		straight := newTrainer(t, c)
		if err := straight.Train(nil); err != nil {
			t.Fatal(err)
		}
		first := newTrainer(t, c)
		if err := first.Train(func(m EpochMetrics) bool { return m.Epoch < 2 }); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ck.json")
		if err := first.Save(path); err != nil {
			t.Fatal(err)
		}
		resumed, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if resumed.Epoch() != 3 || resumed.TotalSteps() != 3*c.StepsPerEpoch {
			t.Fatalf("%s: resumed at epoch %d with %d steps, want 3 and %d", env, resumed.Epoch(), resumed.TotalSteps(), 3*c.StepsPerEpoch)
		}
		if err := resumed.Train(nil); err != nil {
			t.Fatal(err)
		}
		all := func(tr *Trainer) []Param {
			return append(append(tr.model.PolicyParams(), tr.model.ValueParams()...), tr.model.OptimizerState()...)
		}
		if !reflect.DeepEqual(all(straight), all(resumed)) {
			t.Errorf("%s: parameters or optimizer state differ after 3 + 3 epochs and after 6", env)
		}
		want := fmt.Sprintf("%+v", withoutTimes(straight.History()[3:]))
		if got := fmt.Sprintf("%+v", withoutTimes(resumed.History())); got != want {
			t.Errorf("%s: metrics of the resumed epochs differ:\n%s\nwant\n%s", env, got, want)
		}
	}
}

// Without the optimizer state and the rollout state a resumed run differs:
// the test above would catch a checkpoint that forgot them.
func TestResumeNeedsState(t *testing.T) {
	c := smallConfig()
	c.Epochs = 4
	a := newTrainer(t, c)
	if err := a.Train(nil); err != nil {
		t.Fatal(err)
	}
	b := newTrainer(t, c)
	if err := b.Train(func(m EpochMetrics) bool { return m.Epoch < 1 }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ck.json")
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	fresh := newTrainer(t, c) // parameters only, like the old checkpoints
	if err := fresh.Load(path); err != nil {
		t.Fatal(err)
	}
	fresh.epoch = 2
	if err := fresh.Train(nil); err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a.model.PolicyParams(), fresh.model.PolicyParams()) {
		t.Error("a run resumed from the parameters alone matched the uninterrupted one")
	}
}

func TestCheckpointErrors(t *testing.T) {
	c := smallConfig()
	tr := newTrainer(t, c)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	if err := tr.Save(good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	big := strings.Replace(string(data), `"StepsPerEpoch":200`, `"StepsPerEpoch":8000000000`, 1)
	wide := strings.Replace(string(data), `"Hidden":[16]`, `"Hidden":[100000,100000]`, 1)
	huge := regexp.MustCompile(`"Values":\[[^,\]]+`).ReplaceAllString(string(data), `"Values":[1e300`)
	for _, tc := range []struct{ path, want string }{
		{write("truncated.json", string(data[:len(data)/2])), "not a readable checkpoint"},
		{big, "StepsPerEpoch = 8000000000, want 1 … 1048576"},
		{wide, "Hidden[0] = 100000, want 1 … 1024"},
		{huge, "have norm +Inf, beyond 1e+06"},
		{filepath.Join(dir, "missing.json"), "no such file"},
	} {
		path := tc.path
		if !strings.HasSuffix(path, ".json") {
			path = write("edited.json", tc.path)
		}
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Load: got %v, want an error with %q", err, tc.want)
		}
	}
	if big == string(data) || wide == string(data) || huge == string(data) {
		t.Fatal("the test's edits of the checkpoint did not apply")
	}
}

func TestCheckpointSizeCap(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	if _, err := Load("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("Load(/dev/zero): %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(MaxCheckpointBytes + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than 256 MiB") {
		t.Errorf("Load(%s): %v", big, err)
	}
}

// A learning rate that blows up stops training with an error that names
// the epoch and the quantity, instead of training on NaN: SGD with V's
// learning rate at its bound runs V away while every number is finite.
func TestDivergenceStops(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		c := Preset(env)
		c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters = 5, 200, 4, []int{16}, 3
		c.Optimizer, c.VfLR, c.RewardScale = SGD, MaxLR, 10
		tr := newTrainer(t, c)
		err := tr.Train(nil)
		de, ok := err.(*DivergenceError)
		if !ok {
			t.Fatalf("%s: Train returned %v, want a *DivergenceError", env, err)
		}
		if !strings.Contains(err.Error(), "diverged in epoch") || !strings.Contains(err.Error(), "VfLR = 1)") {
			t.Errorf("%s: %v", env, err)
		}
		if tr.Epoch() != de.Epoch {
			t.Errorf("%s: the trainer counts %d epochs, the error names epoch %d", env, tr.Epoch(), de.Epoch)
		}
		if err := tr.Save(filepath.Join(t.TempDir(), "x.json")); err == nil || !strings.Contains(err.Error(), "diverged") {
			t.Errorf("%s: Save after divergence: %v", env, err)
		}
	}
}
