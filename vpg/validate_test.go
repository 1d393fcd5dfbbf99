package vpg

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// savedOneEpoch is the JSON of a checkpoint after one epoch of smallConfig
// (Adam) on learner, as a map to edit.
func savedOneEpoch(t *testing.T, learner string) map[string]any {
	t.Helper()
	c := smallConfig()
	c.Learner = learner
	return savedJSON(t, c)
}

// savedJSON is the JSON of a checkpoint after one epoch of c, as a map.
func savedJSON(t *testing.T, c Config) map[string]any {
	t.Helper()
	data, err := os.ReadFile(saveAfterEpoch(t, c))
	if err != nil {
		t.Fatal(err)
	}
	var ck map[string]any
	if err := json.Unmarshal(data, &ck); err != nil {
		t.Fatal(err)
	}
	return ck
}

// adamNames are, per learner, the names of Adam's first and second moment
// of parameter "/<net>/<rel>" and of net's step count.
var adamNames = map[string]func(net, rel string) (m, v, step string){
	CPULearner: func(net, rel string) (string, string, string) {
		return "/" + net + "/adam/m/" + rel, "/" + net + "/adam/v/" + rel, "/" + net + "/adam/step"
	},
	GraphLearner: func(net, rel string) (string, string, string) {
		return "/AdamOptimizer/" + net + "/" + rel + "_1st_moment", "/AdamOptimizer/" + net + "/" + rel + "_2nd_moment", "/" + net + "/AdamOptimizer/step"
	},
}

// saveAfterEpoch is the path of a checkpoint of c after one epoch.
func saveAfterEpoch(t *testing.T, c Config) string {
	t.Helper()
	tr := newTrainer(t, c)
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// optParam is the optimizer tensor of ck whose name ends in suffix.
func optParam(t *testing.T, ck map[string]any, suffix string) map[string]any {
	t.Helper()
	for _, p := range ck["optimizer"].([]any) {
		if p := p.(map[string]any); strings.HasSuffix(p["Name"].(string), suffix) {
			return p
		}
	}
	t.Fatalf("no optimizer state %s", suffix)
	return nil
}

// Every edit below made a checkpoint load and then fail late, or load and
// silently break exactness (issue 21, item 5); each now fails at Load and
// names what is wrong.
func TestLoadValidatesCheckpoint(t *testing.T) {
	for _, learner := range []string{CPULearner, GraphLearner} {
		piM, _, piStep := adamNames[learner](PolicyScope, "dense_0/weights")
		_, vV, _ := adamNames[learner](ValueScope, "dense_0/biases")
		cases := []struct {
			name string
			edit func(ck map[string]any)
			want string
		}{
			{"Adam moment 1e39", func(ck map[string]any) {
				optParam(t, ck, piM)["Values"].([]any)[0] = 1e39
			}, piM + "[0] is 1e+39, outside"},
			{"negative second moment", func(ck map[string]any) {
				optParam(t, ck, vV)["Values"].([]any)[0] = -1
			}, vV + "[0] is -1, outside [0,"},
			{"step count −5", func(ck map[string]any) {
				optParam(t, ck, piStep)["Values"] = []any{-5}
			}, piStep + " = [-5], want one whole number of steps in 0 … 1"},
			{"observation 1e308", func(ck map[string]any) {
				ck["run"].(map[string]any)["obs"].([]any)[2] = 1e308
			}, "rollout state obs[2] = 1e+308"},
			{"empty optimizer", func(ck map[string]any) { ck["optimizer"] = []any{} }, "holds no optimizer state"},
			{"run null", func(ck map[string]any) { ck["run"] = nil }, "holds no rollout state"},
			{"unknown optimizer variable", func(ck map[string]any) {
				ck["optimizer"] = append(ck["optimizer"].([]any), map[string]any{"Name": "/evil/x", "Shape": []int{1}, "Values": []float64{0}})
			}, "/evil/x is not a variable of this model's adam optimizer on the " + learner + " learner"},
			{"the other learner's names", func(ck map[string]any) {
				ck["learner"] = map[string]string{CPULearner: GraphLearner, GraphLearner: CPULearner}[learner]
			}, "is not a variable of this model's adam optimizer"},
			{"an unknown learner", func(ck map[string]any) { ck["learner"] = "gpu" }, `learner "gpu", want "cpu" or "graph"`},
			{"a moment missing", func(ck map[string]any) {
				var opt []any
				for _, p := range ck["optimizer"].([]any) {
					if p.(map[string]any)["Name"] != piM {
						opt = append(opt, p)
					}
				}
				ck["optimizer"] = opt
			}, "moment tensors for π and"},
			{"negative epoch", func(ck map[string]any) { ck["epoch"] = -1 }, "at epoch -1"},
			{"steps that do not match the epoch", func(ck map[string]any) { ck["total_steps"] = 5 }, "with 5 steps"},
			{"a parameter too long", func(ck map[string]any) {
				p := ck["params"].([]any)[1].(map[string]any)
				p["Values"] = append(p["Values"].([]any), 0.5)
			}, "the model's is /pi/dense_0/biases"},
			{"a tensor longer than any of the model's", func(ck map[string]any) {
				ck["params"].([]any)[0].(map[string]any)["Values"] = make([]int, 50_000)
			}, "more than the model's largest tensor"},
			{"runaway parameters", func(ck map[string]any) {
				ck["params"].([]any)[1].(map[string]any)["Values"].([]any)[0] = 2e6
			}, "norm 2e+06, beyond 1e+06"},
		}
		if learner == GraphLearner { // GoMLX's own variables: both networks' steps (1 + 3 value steps), the rates
			cases = append(cases, []struct {
				name string
				edit func(ck map[string]any)
				want string
			}{
				{"global step 4.5", func(ck map[string]any) {
					optParam(t, ck, "/global_step")["Values"] = []any{4.5}
				}, "/global_step = [4.5], want one whole number of steps in 0 … 4"},
				{"global step 5", func(ck map[string]any) {
					optParam(t, ck, "/global_step")["Values"] = []any{5}
				}, "in 0 … 4"},
				{"learning rate 0", func(ck map[string]any) {
					optParam(t, ck, "/pi/optimizers/learning_rate")["Values"] = []any{0}
				}, "/pi/optimizers/learning_rate = [0], want one learning rate in (0, 1]"},
			}...)
		}
		for _, tc := range cases {
			ck := savedOneEpoch(t, learner)
			tc.edit(ck)
			path := filepath.Join(t.TempDir(), "model.json")
			writeJSON(t, path, ck)
			if _, err := Load(path); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s learner, %s: Load: %v, want an error with %q", learner, tc.name, err, tc.want)
			}
		}
		// The edits above start from a checkpoint that loads.
		path := filepath.Join(t.TempDir(), "model.json")
		writeJSON(t, path, savedOneEpoch(t, learner))
		if _, err := Load(path); err != nil {
			t.Fatalf("%s learner, unedited: %v", learner, err)
		}
	}
}

// A file far larger than its config allows (here 32 MiB of zeros for a
// 16-unit network) is refused from its size, before its tensors are read.
func TestLoadRefusesOversizedCheckpoint(t *testing.T) {
	ck := savedOneEpoch(t, CPULearner)
	data, _ := json.Marshal(ck)
	zeros := strings.Repeat("0,", 16<<20) + "0"
	big := strings.Replace(string(data), `"params":[{"Name":"/pi/dense_0/weights","Shape":[4,16],"Values":[`,
		`"params":[{"Name":"/pi/dense_0/weights","Shape":[4,16],"Values":[`+zeros+",", 1)
	if big == string(data) {
		t.Fatal("the edit did not apply")
	}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(path, []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "more than a checkpoint of its config can be") {
		t.Errorf("Load: %v", err)
	}
	t.Logf("refused in %v", time.Since(start))
}

// A FIFO in place of a checkpoint is refused, not waited on.
func TestLoadRefusesFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.json")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(path); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(FIFO): %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load(FIFO) still waiting after 10 s")
	}
}

// The runaway bounds fire on finite numbers: parameters of norm beyond
// MaxParamNorm, Adam moments beyond MaxAdamMoment.
func TestRunawayBounds(t *testing.T) {
	tr := newTrainer(t, smallConfig())
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	m := tr.History()[0]
	if err := tr.checkRunaway(m, tr.LastBatch().Returns); err != nil {
		t.Fatalf("a normal epoch: %v", err)
	}
	ps := tr.Model().ValueParams()
	orig := ps[0].Values[0]
	ps[0].Values[0] = 2 * MaxParamNorm
	if err := tr.Model().SetParams(ps[:1]); err != nil {
		t.Fatal(err)
	}
	var de *DivergenceError
	if err := tr.checkRunaway(m, tr.LastBatch().Returns); !errors.As(err, &de) || !strings.Contains(err.Error(), "norm of V's parameters is 2e+06") {
		t.Errorf("V norm 2e6: %v", err)
	}
	if err := tr.Save(filepath.Join(t.TempDir(), "x.json")); err == nil || !strings.Contains(err.Error(), "diverged") {
		t.Errorf("Save of a runaway model: %v", err)
	}
	for learner, names := range adamNames {
		m, v, _ := names(PolicyScope, "w")
		for _, tc := range []struct {
			name string
			x    float64
			ok   bool
		}{
			{m, -MaxAdamMoment, true},
			{m, -2 * MaxAdamMoment, false},
			{v, MaxAdamMoment * MaxAdamMoment, true},
			{v, 2 * MaxAdamMoment * MaxAdamMoment, false},
			{v, -1e-30, false},
			{v, math.NaN(), false},
		} {
			if err := checkAdam(learner, []Param{{Name: tc.name, Values: []float64{tc.x}}}); (err == nil) != tc.ok {
				t.Errorf("%s learner: %s = %v: %v, want ok = %v", learner, tc.name, tc.x, err, tc.ok)
			}
		}
	}
	// A value loss 1e6 times its targets' mean square (+1) is a runaway.
	ps[0].Values[0] = orig
	if err := tr.Model().SetParams(ps[:1]); err != nil {
		t.Fatal(err)
	}
	m.ValueLosses = []float64{1, MaxValueLossRatio * 3}
	if err := tr.checkRunaway(m, []float64{1, -1}); err == nil || !strings.Contains(err.Error(), "value loss at value step 1") {
		t.Errorf("value loss 3e6 for targets ±1: %v", err)
	}
}

// LoadWithLR's learning rate is the one the next steps take, on either
// learner (the CPU learner's Adam takes it per step; the graph learner's
// GoMLX optimizer keeps one in its saved state, which must not win), for a
// discrete and a Gaussian policy: with π lr 1e-12 the policy stays put,
// with the saved one it moves.
func TestLoadWithLR(t *testing.T) {
	for _, learner := range []string{CPULearner, GraphLearner} {
		for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
			c := Preset(env)
			c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters, c.Learner = 3, 200, 4, []int{16}, 2, learner
			path := saveAfterEpoch(t, c)
			moved := func(piLR float64) float64 {
				r, err := LoadWithLR(path, piLR, 0)
				if err != nil {
					t.Fatal(err)
				}
				before := r.Model().PolicyParams()
				if _, err := r.RunEpoch(); err != nil {
					t.Fatal(err)
				}
				d := 0.0
				for i, p := range r.Model().PolicyParams() {
					for k, x := range p.Values {
						d = math.Max(d, math.Abs(x-before[i].Values[k]))
					}
				}
				return d
			}
			if tiny, saved := moved(1e-12), moved(0); !(tiny < 1e-9 && saved > 1e-5) {
				t.Errorf("%s learner, %s: π moved by %g with lr 1e-12 and by %g with the saved %g", learner, env, tiny, saved, c.PiLR)
			}
		}
	}
}

// The size bounds of Config keep every checkpoint that Save can write
// under MaxCheckpointBytes, the most Load reads: maxParams parameters (and
// their two Adam moments) in 8 layers on 4096 copies.
func TestLargestCheckpointFitsTheCap(t *testing.T) {
	c := DefaultConfig()
	c.NumEnvs = maxNumEnvs
	params := make([]Param, 2*(maxHiddenLayers+1)+1) // weights and biases of π and V, log σ
	params[0].Values = make([]float64, maxParams)
	if limit := checkpointLimit(c, params); limit > MaxCheckpointBytes {
		t.Errorf("a checkpoint of %d parameters on %d copies may take %d bytes, more than the %d Load reads",
			maxParams, maxNumEnvs, limit, MaxCheckpointBytes)
	}
}

// What Save writes, Load reads, on either learner, also where an optimizer
// leaves some of its state out: V without value steps (no V moments on the
// graph learner, zeros on the CPU learner), SGD (no moments at all).
func TestSaveLoadWithoutSomeOptimizerState(t *testing.T) {
	for _, tc := range []struct {
		env, opt string
		iters    int
	}{{"CartPole-v1", Adam, 0}, {"Pendulum-v1", Adam, 0}, {"CartPole-v1", SGD, 2}, {"Pendulum-v1", SGD, 0}} {
		for _, learner := range []string{CPULearner, GraphLearner} {
			c := Preset(tc.env)
			c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters, c.Optimizer, c.Learner = 2, 200, 4, []int{8}, tc.iters, tc.opt, learner
			path := saveAfterEpoch(t, c)
			if _, err := Load(path); err != nil {
				t.Errorf("%s, %s, %d value steps, %s learner: %v", tc.env, tc.opt, tc.iters, learner, err)
			}
		}
	}
}

// A format-2 checkpoint of a run whose V never stepped held no Adam state
// for V, and GoMLX's learning rates besides: it resumes on the CPU learner
// exactly as the run uninterrupted. A name format 2 never wrote is refused.
func TestFormat2WithoutValueState(t *testing.T) {
	c := smallConfig()
	c.Epochs, c.TrainVIters = 3, 0
	straight := newTrainer(t, c)
	if err := straight.Train(nil); err != nil {
		t.Fatal(err)
	}
	ck := savedJSON(t, c)
	toFormat2(ck)
	var opt []any
	for _, p := range ck["optimizer"].([]any) {
		if name := p.(map[string]any)["Name"].(string); !strings.HasPrefix(name, "/AdamOptimizer/v/") && name != "/v/AdamOptimizer/global_step" {
			opt = append(opt, p)
		}
	}
	for _, scope := range []string{PolicyScope, ValueScope} {
		opt = append(opt, map[string]any{"Name": "/" + scope + "/optimizers/learning_rate", "Shape": []int{}, "Values": []float64{0.5}})
	}
	ck["optimizer"] = opt
	path := filepath.Join(t.TempDir(), "old.json")
	writeJSON(t, path, ck)
	resumed, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := resumed.Train(nil); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(straight.model.learner.Params(), resumed.model.learner.Params()) {
		t.Error("a run resumed from format 2 without V's state differs from the run uninterrupted")
	}
	ck["optimizer"] = append(opt, map[string]any{"Name": "/pi/evil", "Shape": []int{}, "Values": []float64{0}})
	writeJSON(t, path, ck)
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "/pi/evil is not a variable of a format-2 checkpoint") {
		t.Errorf("an unknown name in format 2: %v", err)
	}
}

// The model is made from the config, format and learner before the
// tensors are read: a file whose tensors come first is refused, saying so.
func TestLoadRefusesTensorsBeforeConfig(t *testing.T) {
	ck := savedOneEpoch(t, CPULearner)
	params, err := json.Marshal(ck["params"])
	if err != nil {
		t.Fatal(err)
	}
	delete(ck, "params")
	rest, err := json.Marshal(ck)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(path, []byte(`{"params":`+string(params)+`,`+string(rest[1:])), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "no config, format or learner before its tensors") {
		t.Errorf("params first: %v", err)
	}
}
