package vpg

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
)

// ownSurrogate is VPGObjective as a learner writes it in a cell.
func ownSurrogate(t PolicyTerms) *graph.Node {
	return graph.Neg(graph.ReduceAllMean(graph.Mul(t.LogP, t.Psi)))
}

// ownMSE is MSE as a learner writes it.
func ownMSE(v, target *graph.Node) *graph.Node {
	d := graph.Sub(v, target)
	return graph.ReduceAllMean(graph.Mul(d, d))
}

// A learner-written copy of the default objective and value loss trains to
// the same parameters, bit for bit, as the built-in ones, on each learner.
func TestOwnObjectiveTrainsLikeDefault(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		for _, learner := range []string{CPULearner, GraphLearner} {
			c := Preset(env)
			c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters, c.Learner = 3, 400, 4, []int{16}, 5, learner
			builtIn := newTrainer(t, c)
			c.Objective, c.ValueLoss = ownSurrogate, ownMSE
			own := newTrainer(t, c)
			for _, tr := range []*Trainer{builtIn, own} {
				if err := tr.Train(nil); err != nil {
					t.Fatal(err)
				}
			}
			if !reflect.DeepEqual(builtIn.model.learner.Params(), own.model.learner.Params()) {
				t.Errorf("%s, %s learner: the learner-written objective trained to other parameters", env, learner)
			}
			if builtIn.History()[2].KL == 0 {
				t.Errorf("%s, %s learner: π did not move", env, learner)
			}
		}
	}
}

// The gradient a policy step follows is the objective's gradient: with SGD
// and learning rate 1 a step moves θ by −∇L, which must match central
// finite differences of PolicyEval's L, in float64, for an objective that
// uses every term (surrogate, entropy bonus, a penalty on the change of
// log π, one on the raw outputs), on both learners and both policy families.
func TestObjectiveGradientMatchesFiniteDifferences(t *testing.T) {
	objective := func(t PolicyTerms) *graph.Node {
		surrogate := graph.Neg(graph.ReduceAllMean(graph.Mul(t.LogP, t.Psi)))
		bonus := graph.MulScalar(graph.ReduceAllMean(t.Entropy), -0.05)
		change := graph.MulScalar(graph.ReduceAllMean(graph.Square(graph.Sub(t.LogP, t.OldLogP))), 0.5)
		outs := graph.MulScalar(graph.ReduceAllMean(graph.Square(t.Out)), 0.01)
		return graph.Add(graph.Add(surrogate, bonus), graph.Add(change, outs))
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for _, space := range []struct {
		name string
		sp   any
	}{{"categorical", discrete3}, {"gaussian", box2}} {
		for _, learner := range []string{CPULearner, GraphLearner} {
			cfg := ModelConfig{ObsDim: 3, Hidden: []int{6}, LogStdInit: -0.3, Seed: 2, Optimizer: SGD,
				PiLR: 1, VfLR: 1, Float64: true, Learner: learner, Objective: objective}
			if space.name == "categorical" {
				cfg.Action = discrete3
			} else {
				cfg.Action = box2
			}
			m, err := NewModel(cfg)
			if err != nil {
				t.Fatal(err)
			}
			const n = 20
			ad := m.Policy().ActDim()
			s := &PolicySample{Obs: randSlice(rng, n*3, 1), Act: make([]float64, n*ad), Psi: randSlice(rng, n, 1), OldLogP: randSlice(rng, n, 1)}
			for i := range s.Act {
				if cfg.Action.Discrete() {
					s.Act[i] = float64(rng.IntN(3))
				} else {
					s.Act[i] = rng.NormFloat64()
				}
			}
			l := m.Learner()
			theta := l.Params()[:m.numPolicyParams()]
			loss := func(ps []Param) float64 {
				if err := l.SetParams(ps); err != nil {
					t.Fatal(err)
				}
				st, err := l.PolicyEval(s, nil)
				if err != nil {
					t.Fatal(err)
				}
				return st.Loss
			}
			loss(theta)
			if _, err := l.PolicyStep(s, nil, 1); err != nil {
				t.Fatal(err)
			}
			stepped := l.Params()
			const h = 1e-6
			for i, p := range theta {
				for j := 0; j < len(p.Values); j += 3 {
					plus, minus := cloneParams(theta), cloneParams(theta)
					plus[i].Values[j] += h
					minus[i].Values[j] -= h
					fd := (loss(plus) - loss(minus)) / (2 * h)
					got := p.Values[j] - stepped[i].Values[j] // θ − θ' = ∇L with lr 1
					if math.Abs(got-fd) > 1e-6*(1+math.Abs(fd)) {
						t.Fatalf("%s, %s learner, %s[%d]: step's gradient %v, finite differences %v", space.name, learner, p.Name, j, got, fd)
					}
				}
			}
		}
	}
}

func cloneParams(ps []Param) []Param {
	out := make([]Param, len(ps))
	for i, p := range ps {
		out[i] = Param{Name: p.Name, Shape: p.Shape, Values: append([]float64(nil), p.Values...)}
	}
	return out
}

// A minibatch step uses only its rows: stepping on rows r of a sample is
// stepping on the sample made of those rows.
func TestPolicyStepRows(t *testing.T) {
	for _, learner := range []string{CPULearner, GraphLearner} {
		c := smallConfig()
		c.Learner = learner
		a, b := newTrainer(t, c), newTrainer(t, c)
		batch, err := a.Collect()
		if err != nil {
			t.Fatal(err)
		}
		full := &PolicySample{Obs: batch.Obs, Act: batch.Act, Psi: batch.Weights, OldLogP: batch.LogProb}
		rows := []int{5, 17, 3, 120, 121, 64}
		sub := &PolicySample{Obs: gather(nil, full.Obs, 4, rows), Act: gather(nil, full.Act, 1, rows),
			Psi: gather(nil, full.Psi, 1, rows), OldLogP: gather(nil, full.OldLogP, 1, rows)}
		sa, err := a.model.learner.PolicyStep(full, rows, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := b.model.learner.PolicyStep(sub, nil, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if sa != sb || !reflect.DeepEqual(a.model.learner.Params(), b.model.learner.Params()) {
			t.Errorf("%s learner: a step on rows %v differs from a step on those rows alone (%+v, %+v)", learner, rows, sa, sb)
		}
		if _, err := a.model.learner.PolicyStep(full, []int{0, 200}, 0.05); err == nil || !strings.Contains(err.Error(), "200") {
			t.Errorf("%s learner: row 200 of a 200-row sample: error %v, want one naming it", learner, err)
		}
	}
}

// A checkpoint of format 2 (optimizer state under GoMLX's names) resumes on
// the CPU learner exactly as format 3; an unknown format fails naming it.
func TestCheckpointFormat2Loads(t *testing.T) {
	c := smallConfig()
	c.Epochs = 4
	straight := newTrainer(t, c)
	if err := straight.Train(nil); err != nil {
		t.Fatal(err)
	}
	first := newTrainer(t, c)
	if err := first.Train(func(m EpochMetrics) bool { return m.Epoch < 1 }); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ck.json")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	var ck map[string]any
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &ck); err != nil {
		t.Fatal(err)
	}
	// What format 2 wrote: no learner, GoMLX's names, an Int64 step count.
	ck["format"] = checkpointFormat2
	delete(ck, "learner")
	for _, p := range ck["optimizer"].([]any) {
		p := p.(map[string]any)
		name := p["Name"].(string)
		net, rest, _ := strings.Cut(strings.TrimPrefix(name, "/"), "/adam/")
		switch {
		case rest == "step":
			p["Name"], p["DType"] = "/"+net+"/AdamOptimizer/global_step", "Int64"
		case strings.HasPrefix(rest, "m/"):
			p["Name"] = "/AdamOptimizer/" + net + "/" + strings.TrimPrefix(rest, "m/") + "_1st_moment"
		case strings.HasPrefix(rest, "v/"):
			p["Name"] = "/AdamOptimizer/" + net + "/" + strings.TrimPrefix(rest, "v/") + "_2nd_moment"
		}
	}
	old := filepath.Join(dir, "old.json")
	writeJSON(t, old, ck)
	resumed, err := Load(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := resumed.Train(nil); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(straight.model.learner.Params(), resumed.model.learner.Params()) {
		t.Error("a run resumed from format 2 differs from the run uninterrupted")
	}
	ck["format"] = "govpg-vpg-checkpoint/1"
	writeJSON(t, old, ck)
	if _, err := Load(old); err == nil || !strings.Contains(err.Error(), `"govpg-vpg-checkpoint/1"`) || !strings.Contains(err.Error(), checkpointFormat) {
		t.Errorf("format 1: error %v, want one naming the format and the ones this version reads", err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// An objective or value loss that is not a scalar is an error naming what
// it returned, on either learner, not a panic.
func TestNonScalarObjectiveIsError(t *testing.T) {
	for _, learner := range []string{CPULearner, GraphLearner} {
		for _, tc := range []struct {
			what string
			set  func(*Config)
		}{
			{"policy objective", func(c *Config) { c.Objective = func(t PolicyTerms) *graph.Node { return t.LogP } }},
			{"value loss", func(c *Config) { c.ValueLoss = func(v, _ *graph.Node) *graph.Node { return v } }},
		} {
			c := smallConfig()
			c.Learner = learner
			tc.set(&c)
			_, err := newTrainer(t, c).RunEpoch()
			if err == nil || !strings.Contains(err.Error(), "the "+tc.what+" returned (Float32)[200], want a scalar") {
				t.Errorf("%s learner, %s of shape [200]: error %v, want one naming the shape", learner, tc.what, err)
			}
		}
	}
}

// A checkpoint resumes on the learner whose optimizer state it holds: by
// default (Config.Learner empty), or with an error naming both learners
// when the configuration asks for the other one.
func TestCheckpointLearner(t *testing.T) {
	c := smallConfig()
	c.Learner = GraphLearner
	tr := newTrainer(t, c)
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ck.json")
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	auto, err := LoadWith(path, func(c *Config) { c.Learner = "" })
	if err != nil {
		t.Fatal(err)
	}
	if k := auto.model.learner.Kind(); k != GraphLearner {
		t.Errorf("a graph learner's checkpoint with Config.Learner empty resumed on the %s learner", k)
	}
	_, err = LoadWith(path, func(c *Config) { c.Learner = CPULearner })
	if err == nil || !strings.Contains(err.Error(), "optimizer state of the graph learner") || !strings.Contains(err.Error(), "uses the cpu learner") {
		t.Errorf("graph checkpoint on the CPU learner: error %v, want one naming both learners", err)
	}
}
