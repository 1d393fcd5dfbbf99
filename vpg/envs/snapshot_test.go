package envs

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomActions fills actions with uniformly random valid actions, one per copy.
func randomActions(rng *rand.Rand, s Space, actions []float64) {
	for i := range actions {
		if s.Discrete() {
			actions[i] = float64(rng.IntN(s.N))
		} else {
			d := i % len(s.Low)
			actions[i] = s.Low[d] + (s.High[d]-s.Low[d])*rng.Float64()
		}
	}
}

// snapshotRoundTrip takes a snapshot of v and returns it after a JSON round trip.
func snapshotRoundTrip(t *testing.T, v *VecEnv) VecEnvState {
	t.Helper()
	s, err := v.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back VecEnvState
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// sameBits compares float slices bit for bit (so −0 ≠ +0).
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestSnapshotRestoreContinuesExactly steps a VecEnv k steps, restores its
// JSON snapshot into a VecEnv made with another seed, and checks that both
// then step identically, across episode ends and automatic resets.
func TestSnapshotRestoreContinuesExactly(t *testing.T) {
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			const n, k, m = 4, 137, 1100 // m passes the longest time limit (999)
			a, err := NewVecEnv(id, n, 7)
			if err != nil {
				t.Fatal(err)
			}
			space := a.Env(0).ActionSpace()
			rng := rand.New(rand.NewPCG(1, 2))
			actions := make([]float64, n*a.ActDim())
			for range k {
				randomActions(rng, space, actions)
				if _, _, _, _, err := a.Step(actions); err != nil {
					t.Fatal(err)
				}
			}
			b, err := NewVecEnv(id, n, 99)
			if err != nil {
				t.Fatal(err)
			}
			envBefore := b.Env(2)
			if err := b.Restore(snapshotRoundTrip(t, a)); err != nil {
				t.Fatal(err)
			}
			if b.Env(2) != envBefore {
				t.Error("Restore replaced the environments instead of restoring them in place")
			}
			if !sameBits(a.Obs(), b.Obs()) {
				t.Fatal("observations differ right after Restore")
			}
			ends := 0
			for step := range m {
				randomActions(rng, space, actions)
				oa, ra, ta, ua, err := a.Step(actions)
				if err != nil {
					t.Fatal(err)
				}
				ob, rb, tb, ub, err := b.Step(actions)
				if err != nil {
					t.Fatal(err)
				}
				if !sameBits(oa, ob) || !sameBits(ra, rb) || !slices.Equal(ta, tb) || !slices.Equal(ua, ub) {
					t.Fatalf("step %d after Restore: the runs differ", step)
				}
				for i := range n {
					if !sameBits(a.FinalObs(i), b.FinalObs(i)) {
						t.Fatalf("step %d copy %d: FinalObs %v vs %v", step, i, a.FinalObs(i), b.FinalObs(i))
					}
					if ta[i] || ua[i] {
						ends++
					}
				}
			}
			if ends < n {
				t.Errorf("only %d episode ends in %d steps; the test should cross resets in every copy", ends, m)
			}
		})
	}
}

// TestSnapshotKeepsLatestStep checks that FinalObs and the latched
// terminal flag survive a snapshot taken right after an episode ended.
func TestSnapshotKeepsLatestStep(t *testing.T) {
	a, _ := NewVecEnv("CartPole-v1", 2, 3)
	actions := []float64{1, 1}
	for {
		_, _, term, _, err := a.Step(actions)
		if err != nil {
			t.Fatal(err)
		}
		if term[0] {
			break
		}
	}
	b, _ := NewVecEnv("CartPole-v1", 2, 4)
	if err := b.Restore(snapshotRoundTrip(t, a)); err != nil {
		t.Fatal(err)
	}
	if b.FinalObs(0) == nil || !sameBits(a.FinalObs(0), b.FinalObs(0)) {
		t.Errorf("FinalObs(0) = %v after Restore, want %v", b.FinalObs(0), a.FinalObs(0))
	}
}

func TestRestoreRejectsBadStates(t *testing.T) {
	v, _ := NewVecEnv("CartPole-v1", 2, 0)
	good, err := v.Snapshot()
	if err != nil {
		t.Fatal(err)
	}
	clone := func() VecEnvState {
		b, _ := json.Marshal(good)
		var s VecEnvState
		_ = json.Unmarshal(b, &s)
		return s
	}
	cases := []struct {
		name   string
		modify func(*VecEnvState)
		want   string
	}{
		{"id", func(s *VecEnvState) { s.ID = "Pendulum-v1" }, `"Pendulum-v1"`},
		{"copies", func(s *VecEnvState) { s.Copies = s.Copies[:1] }, "1 copies"},
		{"state length", func(s *VecEnvState) { s.Copies[1].State = s.Copies[1].State[:3] }, "got 3 values, want 4"},
		{"NaN state", func(s *VecEnvState) { s.Copies[0].State[2] = math.NaN() }, "NaN"},
		{"steps", func(s *VecEnvState) { s.Copies[0].Steps = 500 }, "steps = 500, want 0…499"},
		{"negative steps", func(s *VecEnvState) { s.Copies[0].Steps = -1 }, "steps = -1"},
		{"obs length", func(s *VecEnvState) { s.Copies[0].Obs = nil }, "obs has 0 values, want 4"},
		{"obs mismatch", func(s *VecEnvState) { s.Copies[0].Obs[0] += 0.25 }, "does not match state"},
		{"seed stream", func(s *VecEnvState) { s.Copies[1].SeedStream = []byte("junk") }, "copy 1: seed stream"},
		{"final obs without end", func(s *VecEnvState) { s.Copies[0].FinalObs = []float64{0, 0, 0, 0} }, "final_obs is set"},
		{"missing final obs", func(s *VecEnvState) { s.Copies[0].LastTruncated = true }, "final_obs has 0 values"},
	}
	for _, c := range cases {
		s := clone()
		c.modify(&s)
		before, _ := v.Snapshot()
		err := v.Restore(s)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Restore error %v, want one containing %q", c.name, err, c.want)
		}
		after, _ := v.Snapshot()
		if b1, _ := json.Marshal(before); string(b1) != string(must(json.Marshal(after))) {
			t.Errorf("%s: a failed Restore changed the VecEnv", c.name)
		}
	}
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}
