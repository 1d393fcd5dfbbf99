package vpg

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/pg"
)

// Collect then Update is RunEpoch: same parameters and metrics, bit for bit.
func TestCollectUpdateIsRunEpoch(t *testing.T) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		c := smallConfig()
		c.Env, c.ObsScale, c.Epochs = env, nil, 4
		a, b := newTrainer(t, c), newTrainer(t, c)
		for range c.Epochs {
			if _, err := a.RunEpoch(); err != nil {
				t.Fatal(err)
			}
			batch, err := b.Collect()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.Update(batch); err != nil {
				t.Fatal(err)
			}
		}
		pa := flatten(append(a.model.PolicyParams(), a.model.ValueParams()...))
		pb := flatten(append(b.model.PolicyParams(), b.model.ValueParams()...))
		if !reflect.DeepEqual(pa, pb) {
			t.Errorf("%s: parameters differ after %d epochs", env, c.Epochs)
		}
		if fmt.Sprintf("%+v", withoutTimes(a.History())) != fmt.Sprintf("%+v", withoutTimes(b.History())) { // NaN ≠ NaN for DeepEqual
			t.Errorf("%s: metrics differ", env)
		}
	}
}

// Update uses b.Weights as given: training with a learner's PsiFunc equals
// training with the built-in one it reimplements, and differs from another.
func TestUpdateWithOwnPsi(t *testing.T) {
	c := smallConfig()
	c.Estimator, c.NormalizeAdvantages, c.Epochs = FutureReturn, false, 3
	// The reward-to-go written as a learner would, step by step.
	mine := func(p pg.Path) []float64 {
		psi := make([]float64, len(p.Rewards))
		for t := range psi {
			disc := 1.0
			for k := t; k < len(p.Rewards); k++ {
				psi[t] += disc * p.Rewards[k]
				disc *= p.Gamma
			}
			psi[t] += disc * p.LastValue
		}
		return psi
	}
	run := func(psi pg.PsiFunc) []float64 {
		tr := newTrainer(t, c)
		for range c.Epochs {
			b, err := tr.Collect()
			if err != nil {
				t.Fatal(err)
			}
			if psi != nil {
				w, err := tr.Psi(b, psi)
				if err != nil {
					t.Fatal(err)
				}
				copy(b.Weights, w)
			}
			if _, err := tr.Update(b); err != nil {
				t.Fatal(err)
			}
		}
		return flatten(tr.model.PolicyParams())
	}
	builtin, own, full := run(nil), run(mine), run(pg.FullReturnPsi)
	for i := range builtin {
		if math.Abs(builtin[i]-own[i]) > 1e-6*(1+math.Abs(builtin[i])) {
			t.Fatalf("θ[%d]: built-in reward-to-go %v, learner's %v", i, builtin[i], own[i])
		}
	}
	if reflect.DeepEqual(builtin, full) {
		t.Error("training with R(τ) gave the same parameters as with R_t")
	}
}

func TestUpdateErrors(t *testing.T) {
	c := smallConfig()
	tr, other := newTrainer(t, c), newTrainer(t, c)
	if _, err := tr.Update(nil); err == nil || !strings.Contains(err.Error(), "nil") {
		t.Errorf("nil batch: %v", err)
	}
	ob, err := other.Collect()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Update(ob); err == nil || !strings.Contains(err.Error(), "another trainer") {
		t.Errorf("batch of another trainer: %v", err)
	}
	b, err := tr.Collect()
	if err != nil {
		t.Fatal(err)
	}
	saved := b.Weights
	b.Weights = b.Weights[:10]
	if _, err := tr.Update(b); err == nil || !strings.Contains(err.Error(), "Weights has 10 steps, want 200") {
		t.Errorf("short weights: %v", err)
	}
	b.Weights = saved
	b.Weights[5] = math.NaN()
	if _, err := tr.Update(b); err == nil || !strings.Contains(err.Error(), "Weights[5] = NaN") {
		t.Errorf("NaN weight: %v", err)
	}
	b.Weights[5] = 0
	b.Returns[7] = math.Inf(1)
	if _, err := tr.Update(b); err == nil || !strings.Contains(err.Error(), "Returns[7] = +Inf") {
		t.Errorf("Inf return: %v", err)
	}
	b.Returns[7] = 0
	if _, err := tr.Update(b); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Update(b); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("batch used twice: %v", err)
	}
	if tr.Epoch() != 1 {
		t.Errorf("Epoch = %d after one successful Update, want 1", tr.Epoch())
	}
	if _, err := tr.Psi(b, func(p pg.Path) []float64 { return nil }); err == nil || !strings.Contains(err.Error(), "returned 0 numbers") {
		t.Errorf("PsiFunc of the wrong length: %v", err)
	}
	if _, err := tr.PolicyGradient(b, nil); err == nil || !strings.Contains(err.Error(), "0 weights") {
		t.Errorf("PolicyGradient without weights: %v", err)
	}
}

// FullReturnPsi weighs every step of an episode with the discounted return
// of the whole episode, also when it spans several batches: checked against
// the reward stream of each environment copy, recorded across batches.
func TestFullReturnAcrossBatches(t *testing.T) {
	c := smallConfig()
	c.Env, c.ObsScale = "Pendulum-v1", nil // episodes of 200 steps, batches of 25 per copy
	c.Gamma, c.RewardScale, c.Epochs = 0.97, 0.5, 12
	c.Estimator, c.NormalizeAdvantages = FullReturn, false
	tr := newTrainer(t, c)
	T := c.StepsPerEpoch / c.NumEnvs
	stream := make([][]float64, c.NumEnvs) // each copy's scaled rewards since its episode began
	checked := 0
	for range c.Epochs {
		b, err := tr.Collect()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range b.Segments {
			r := stream[s.Env]
			if s.Start == s.Env*T && len(r) != s.PastLen {
				t.Fatalf("segment %+v: PastLen %d, the copy has run %d steps of this episode", s, s.PastLen, len(r))
			}
			if s.Start != s.Env*T {
				r = nil // a segment that starts mid-batch starts its episode
			}
			for k := s.Start; k < s.End; k++ {
				r = append(r, b.Rewards[k]*c.RewardScale)
			}
			want := pg.Return(append(append([]float64{}, r...), s.LastValue), c.Gamma)
			for k := s.Start; k < s.End; k++ {
				if math.Abs(b.Weights[k]-want) > 1e-9*math.Abs(want) {
					t.Fatalf("step %d of %+v: Ψ = %v, want the episode's return %v", k, s, b.Weights[k], want)
				}
			}
			if s.PastLen > 0 {
				checked++
			}
			if s.Terminated || s.Truncated {
				r = nil
			}
			stream[s.Env] = r
		}
		if _, err := tr.Update(b); err != nil {
			t.Fatal(err)
		}
	}
	if checked == 0 {
		t.Fatal("no segment continued an episode from an earlier batch")
	}
}
