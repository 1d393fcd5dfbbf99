package vpg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/numtest"
	"github.com/govpg/govpg/vpg/pg"
)

// smallConfig is a quick CartPole run for tests.
func smallConfig() Config {
	c := Preset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.NumEnvs = 2, 200, 4
	c.Hidden, c.TrainVIters = []int{16}, 3
	c.Seed = 7
	return c
}

func newTrainer(t *testing.T, c Config) *Trainer {
	t.Helper()
	tr, err := NewTrainer(c)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// withoutTimes blanks the wall-clock fields so metrics can be compared.
func withoutTimes(ms []EpochMetrics) []EpochMetrics {
	out := append([]EpochMetrics(nil), ms...)
	for i := range out {
		out[i].StepsPerSec, out[i].RolloutSec, out[i].UpdateSec, out[i].Wall = 0, 0, 0, 0
		out[i].PiUpdateSec, out[i].VUpdateSec = 0, 0
	}
	return out
}

func TestSameSeedSameMetrics(t *testing.T) {
	run := func(seed uint64) []EpochMetrics {
		c := smallConfig()
		c.Seed = seed
		tr := newTrainer(t, c)
		if err := tr.Train(nil); err != nil {
			t.Fatal(err)
		}
		return withoutTimes(tr.History())
	}
	a, b, other := run(3), run(3), run(4)
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Errorf("epoch %d differs with the same seed:\n%+v\n%+v", i, a[i], b[i])
		}
	}
	if reflect.DeepEqual(a[0], other[0]) {
		t.Error("a different seed gave identical metrics")
	}
}

// Segments tile each copy's block; Returns and Weights are the slice
// functions applied segment by segment; bootstraps follow the rules.
func TestBatchSegmentsAndBootstrap(t *testing.T) {
	c := smallConfig()
	c.MaxEpLen = 15 // below CartPole's 500: forces cut-offs
	c.NormalizeAdvantages = false
	tr := newTrainer(t, c)
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	covered := make([]int, b.Len())
	var truncated int
	for _, s := range b.Segments {
		T := c.StepsPerEpoch / c.NumEnvs
		if s.Start < s.Env*T || s.End > (s.Env+1)*T || s.Start >= s.End {
			t.Fatalf("segment %+v outside copy %d's block", s, s.Env)
		}
		if s.End-s.Start > c.MaxEpLen {
			t.Errorf("segment %+v longer than MaxEpLen %d", s, c.MaxEpLen)
		}
		for k := s.Start; k < s.End; k++ {
			covered[k]++
		}
		switch {
		case s.Terminated && s.LastValue != 0:
			t.Errorf("terminated segment %+v bootstraps with %v, want 0", s, s.LastValue)
		case s.Truncated:
			truncated++
		}
		r, v := b.Rewards[s.Start:s.End], b.Values[s.Start:s.End]
		adv, ret := pg.GAE(r, v, s.LastValue, c.Gamma, c.Lambda)
		numtest.Slices(t, "Returns", b.Returns[s.Start:s.End], ret, 1e-12)
		numtest.Slices(t, "Weights", b.Weights[s.Start:s.End], adv, 1e-12)
		boot := pg.RewardToGo(append(append([]float64{}, r...), s.LastValue), c.Gamma)
		numtest.Slices(t, "Returns vs RewardToGo", b.Returns[s.Start:s.End], boot[:len(r)], 1e-12)
	}
	for k, n := range covered {
		if n != 1 {
			t.Fatalf("step %d is in %d segments, want 1", k, n)
		}
	}
	if truncated == 0 {
		t.Error("no segment was cut off at MaxEpLen = 15")
	}
	for _, l := range b.EpisodeLens {
		if l > c.MaxEpLen {
			t.Errorf("episode of length %d > MaxEpLen", l)
		}
	}
	// Every episode that ended is a segment that ended it, at its vector step,
	// and EpisodeEnds lists them in time order.
	T := c.StepsPerEpoch / c.NumEnvs
	ends := map[int]int{}
	for _, s := range b.Segments {
		if s.Terminated || s.Truncated {
			ends[s.End-1-s.Env*T]++
		}
	}
	if len(b.EpisodeEnds) != len(b.EpisodeReturns) || len(b.EpisodeEnds) == 0 {
		t.Fatalf("%d episode ends for %d episodes", len(b.EpisodeEnds), len(b.EpisodeReturns))
	}
	for k, e := range b.EpisodeEnds {
		if k > 0 && e < b.EpisodeEnds[k-1] {
			t.Errorf("EpisodeEnds %v not in time order", b.EpisodeEnds)
		}
		ends[e]--
	}
	for step, n := range ends {
		if n != 0 {
			t.Errorf("vector step %d: %d more segments ended an episode than EpisodeEnds lists", step, n)
		}
	}
}

func TestEstimatorWeights(t *testing.T) {
	c := smallConfig()
	c.NormalizeAdvantages = false
	tr := newTrainer(t, c)
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, est := range []Estimator{FullReturn, FutureReturn, FutureReturnBaseline} {
		w, err := tr.Psi(b, est.Psi())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range b.Segments {
			r, v := b.Rewards[s.Start:s.End], b.Values[s.Start:s.End]
			full := append(append([]float64{}, r...), s.LastValue)
			rtg := pg.RewardToGo(full, c.Gamma)[:len(r)]
			for k := range r {
				var want float64
				switch est {
				case FullReturn:
					want = pg.Return(full, c.Gamma)
				case FutureReturn:
					want = rtg[k]
				case FutureReturnBaseline:
					want = rtg[k] - v[k]
				}
				if !numtest.Near(w[s.Start+k], want, 1e-12) {
					t.Fatalf("%s: Ψ[%d] = %v, want %v", est, s.Start+k, w[s.Start+k], want)
				}
			}
		}
	}
}

// With plain SGD one policy step moves θ by exactly α·ĝ: checks the sign of
// the loss and PolicyGradient together.
func TestPolicyStepIsLearningRateTimesGradient(t *testing.T) {
	c := smallConfig()
	c.Optimizer, c.PiLR, c.TrainVIters = SGD, 0.05, 0
	tr := newTrainer(t, c)
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	g, err := tr.PolicyGradient(b, b.Weights)
	if err != nil {
		t.Fatal(err)
	}
	before := flatten(tr.model.PolicyParams())
	var m EpochMetrics
	if err := tr.update(b, &m); err != nil {
		t.Fatal(err)
	}
	after := flatten(tr.model.PolicyParams())
	if len(g) != len(before) {
		t.Fatalf("gradient has %d entries, θ has %d", len(g), len(before))
	}
	for i := range g {
		if d := after[i] - before[i]; math.Abs(d-c.PiLR*g[i]) > 1e-5*(1+math.Abs(c.PiLR*g[i])) {
			t.Fatalf("θ[%d] moved by %v, want α·ĝ = %v", i, d, c.PiLR*g[i])
		}
	}
	if !(m.KL != 0 && m.DeltaPiLoss < 0) {
		t.Errorf("after a small step along ĝ want KL ≠ 0 and the loss to fall, got KL %v ΔL %v", m.KL, m.DeltaPiLoss)
	}
}

func flatten(ps []Param) []float64 {
	var out []float64
	for _, p := range ps {
		out = append(out, p.Values...)
	}
	return out
}

func TestConfigErrors(t *testing.T) {
	c := DefaultConfig()
	c.Env, c.Gamma, c.NumEnvs, c.StepsPerEpoch, c.Estimator = "Nope-v0", 1.5, 3, 100, "magic"
	err := c.Validate()
	if err == nil {
		t.Fatal("bad config accepted")
	}
	for _, want := range []string{"Nope-v0", "Gamma = 1.5", "StepsPerEpoch = 100", "NumEnvs = 3", `"magic"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if _, err := NewTrainer(c); err == nil {
		t.Error("NewTrainer accepted a bad config")
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("DefaultConfig invalid: %v", err)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.json")
	tr := newTrainer(t, smallConfig())
	if _, err := tr.RunEpoch(); err != nil {
		t.Fatal(err)
	}
	if err := tr.Save(path); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("Save left %d files, want only model.json", len(entries))
	}
	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Epoch() != 1 || loaded.TotalSteps() != smallConfig().StepsPerEpoch {
		t.Errorf("loaded trainer at epoch %d after %d steps, want 1 and %d", loaded.Epoch(), loaded.TotalSteps(), smallConfig().StepsPerEpoch)
	}
	obs := []float64{0.01, -0.2, 0.03, 0.1, -0.02, 0.5, 0.1, -0.3}
	v1, _ := tr.Values(obs)
	v2, _ := loaded.Values(obs)
	numtest.Slices(t, "V after reload", v2, v1, 0)
	p1, _ := tr.Probs(obs[:4])
	p2, _ := loaded.Probs(obs[:4])
	numtest.Slices(t, "π after reload", p2, p1, 0)

	// A model of another shape refuses the checkpoint, naming both.
	other := smallConfig()
	other.Hidden = []int{8}
	err = newTrainer(t, other).Load(path)
	if err == nil || !strings.Contains(err.Error(), "[16]") || !strings.Contains(err.Error(), "[8]") {
		t.Errorf("mismatched load: %v", err)
	}
	// A truncated file is reported as such.
	data, _ := os.ReadFile(path)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, data[:len(data)/2], 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("corrupt checkpoint: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing checkpoint loaded")
	}
}

func TestEvaluateAndAct(t *testing.T) {
	tr := newTrainer(t, smallConfig())
	rets, err := tr.Evaluate(2, true, 0)
	if err != nil || len(rets) != 2 || rets[0] < 1 {
		t.Fatalf("Evaluate = %v, %v", rets, err)
	}
	if _, err := tr.Act([]float64{0, 0}, true); err == nil {
		t.Error("Act accepted a short observation")
	}
	a, err := tr.Act([]float64{0, 0, 0, 0}, false)
	if err != nil || (a[0] != 0 && a[0] != 1) {
		t.Errorf("Act = %v, %v; want action 0 or 1", a, err)
	}
}

// Short learning check: CartPole's mean return rises within a few small epochs.
func TestCartPoleLearns(t *testing.T) {
	c := Preset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.TrainVIters, c.Seed = 6, 1000, 10, 0
	tr := newTrainer(t, c)
	if err := tr.Train(nil); err != nil {
		t.Fatal(err)
	}
	h := tr.History()
	first, last := h[0].MeanReturn, h[len(h)-1].MeanReturn
	t.Logf("CartPole mean return %.1f → %.1f", first, last)
	if !(last > 1.5*first) {
		t.Errorf("mean return went %.1f → %.1f, want a clear rise", first, last)
	}
}

// ValueLosses holds the value loss before each value step and after the
// last; its ends are the MSE of V against R̂ with the rollout's values and
// with V after the update.
func TestValueLosses(t *testing.T) {
	c := smallConfig()
	c.TrainVIters, c.RewardScale = 5, 0.5
	tr := newTrainer(t, c)
	m, err := tr.RunEpoch()
	if err != nil {
		t.Fatal(err)
	}
	if len(m.ValueLosses) != c.TrainVIters+1 {
		t.Fatalf("%d value losses, want TrainVIters+1 = %d", len(m.ValueLosses), c.TrainVIters+1)
	}
	b := tr.LastBatch()
	mse := func(v []float64) float64 {
		s := 0.0
		for i, r := range b.Returns {
			s += (v[i] - r) * (v[i] - r)
		}
		return s / float64(len(v))
	}
	after, err := tr.Values(b.Obs)
	if err != nil {
		t.Fatal(err)
	}
	for i := range after {
		after[i] *= c.RewardScale // learning units, as Returns
	}
	first, last := m.ValueLosses[0], m.ValueLosses[c.TrainVIters]
	if !numtest.Near(first, mse(b.Values), 1e-5) || !numtest.Near(last, mse(after), 1e-5) {
		t.Errorf("value losses %v; want first %v (rollout V) and last %v (updated V)", m.ValueLosses, mse(b.Values), mse(after))
	}
	if m.VLoss != first || m.DeltaVLoss != last-first {
		t.Errorf("VLoss %v, DeltaVLoss %v; want %v and %v", m.VLoss, m.DeltaVLoss, first, last-first)
	}
	if !(last < first) {
		t.Errorf("value loss went %v → %v over %d Adam steps, want it to fall", first, last, c.TrainVIters)
	}
}

// An episode cut at MaxEpLen restarts through the VecEnv: with a cap of one
// step every observation of copy i is a fresh start drawn from the copy's
// own seed stream PCG(seed, i), and the VecEnv's observations stay those
// the trainer acts on.
func TestMaxEpLenRestartsThroughVecEnv(t *testing.T) {
	c := smallConfig()
	c.MaxEpLen = 1
	tr := newTrainer(t, c)
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	T := c.StepsPerEpoch / c.NumEnvs
	for i := range c.NumEnvs {
		stream := rand.NewPCG(c.Seed, uint64(i))
		env, err := envs.Make(c.Env)
		if err != nil {
			t.Fatal(err)
		}
		for k := range T {
			idx := i*T + k
			numtest.Slices(t, fmt.Sprintf("copy %d step %d", i, k), b.Obs[idx*4:(idx+1)*4], env.Reset(stream.Uint64()), 0)
		}
	}
	if len(b.EpisodeLens) != c.StepsPerEpoch {
		t.Errorf("%d episodes, want one per step", len(b.EpisodeLens))
	}
	numtest.Slices(t, "trainer obs vs VecEnv obs", tr.cur, tr.venv.Obs(), 0)
}

// TestProbsBatch: Probs of a batch is the rows of Probs of each
// observation; categorical rows are distributions, Gaussian σ > 0.
func TestProbsBatch(t *testing.T) {
	for _, tc := range []struct {
		env string
		obs []float64
	}{
		{"CartPole-v1", []float64{0.01, -0.2, 0.03, 0.1, -0.02, 0.5, 0.1, -0.3, 0, 0, 0.2, 1}},
		{"Pendulum-v1", []float64{1, 0, 0, 0, 1, 2, -1, 0, -8}},
	} {
		c := Preset(tc.env)
		c.Hidden = []int{8}
		tr := newTrainer(t, c)
		batch, err := tr.Probs(tc.obs)
		if err != nil {
			t.Fatal(err)
		}
		dim := len(tc.obs) / 3
		pd := len(batch) / 3
		for r := range 3 {
			one, err := tr.Probs(tc.obs[r*dim : (r+1)*dim])
			if err != nil {
				t.Fatal(err)
			}
			numtest.Slices(t, fmt.Sprintf("%s row %d", tc.env, r), batch[r*pd:(r+1)*pd], one, 0)
			if tc.env == "CartPole-v1" {
				if s := one[0] + one[1]; math.Abs(s-1) > 1e-12 || one[0] <= 0 || one[1] <= 0 {
					t.Errorf("%s row %d: π = %v, want positive probabilities summing to 1", tc.env, r, one)
				}
			} else if len(one) != 2 || one[1] <= 0 {
				t.Errorf("%s row %d: μ‖σ = %v, want σ > 0", tc.env, r, one)
			}
		}
		if _, err := tr.Probs(tc.obs[:dim+1]); err == nil || !strings.Contains(err.Error(), "not a whole number") {
			t.Errorf("%s: a partial observation gave err = %v", tc.env, err)
		}
	}
}
