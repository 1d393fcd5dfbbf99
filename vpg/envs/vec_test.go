package envs

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestVecEnvMatchesSeparateEnvs replays the documented behaviour with plain
// Envs: copy i takes its episode seeds from PCG(seed, i), resets as soon as
// an episode ends, and reports that episode's last observation in FinalObs.
func TestVecEnvMatchesSeparateEnvs(t *testing.T) {
	for _, id := range IDs() {
		t.Run(id, func(t *testing.T) {
			const n, seed, steps = 3, 42, 1100 // past the longest time limit (999)
			v, err := NewVecEnv(id, n, seed)
			if err != nil {
				t.Fatal(err)
			}
			ref := make([]Env, n)
			streams := make([]*rand.PCG, n)
			obs := make([][]float64, n)
			for i := range ref {
				ref[i] = mustMake(t, id)
				streams[i] = rand.NewPCG(seed, uint64(i))
				obs[i] = ref[i].Reset(streams[i].Uint64())
			}
			if !slices.Equal(v.Obs(), slices.Concat(obs...)) {
				t.Fatal("initial observations differ")
			}
			space := ref[0].ActionSpace()
			actions := make([]float64, n*v.ActDim())
			ends := 0
			for step := range steps {
				for i := range n {
					benchAction(space, step*(i+1), actions[i*v.ActDim():(i+1)*v.ActDim()])
				}
				gotObs, rewards, term, trunc, err := v.Step(actions)
				if err != nil {
					t.Fatal(err)
				}
				for i := range n {
					o, r, te, tr := ref[i].Step(actions[i*v.ActDim() : (i+1)*v.ActDim()])
					if r != rewards[i] || te != term[i] || tr != trunc[i] {
						t.Fatalf("step %d copy %d: got %v %v %v, want %v %v %v", step, i, rewards[i], term[i], trunc[i], r, te, tr)
					}
					if te || tr {
						ends++
						if !slices.Equal(v.FinalObs(i), o) {
							t.Fatalf("step %d copy %d: FinalObs %v, want %v", step, i, v.FinalObs(i), o)
						}
						o = ref[i].Reset(streams[i].Uint64())
					} else if v.FinalObs(i) != nil {
						t.Fatalf("FinalObs(%d) set without an episode end", i)
					}
					if !slices.Equal(gotObs[i*v.ObsDim():(i+1)*v.ObsDim()], o) {
						t.Fatalf("step %d copy %d: obs differ", step, i)
					}
				}
			}
			if ends == 0 {
				t.Error("no episode ended; auto-reset untested")
			}
		})
	}
}

func TestVecEnvDoesNotAllocate(t *testing.T) {
	for _, id := range IDs() {
		v, err := NewVecEnv(id, 8, 1)
		if err != nil {
			t.Fatal(err)
		}
		actions := make([]float64, 8*v.ActDim())
		space := v.Env(0).ActionSpace()
		step := 0
		allocs := testing.AllocsPerRun(300, func() {
			for i := range 8 {
				benchAction(space, step+i, actions[i*v.ActDim():(i+1)*v.ActDim()])
			}
			step++
			if _, _, _, _, err := v.Step(actions); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per Step", id, allocs)
		}
	}
}

func TestVecEnvErrors(t *testing.T) {
	if _, err := NewVecEnv("Nope-v0", 2, 0); err == nil || !strings.Contains(err.Error(), "CartPole-v1") {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := NewVecEnv("CartPole-v1", 0, 0); err == nil || !strings.Contains(err.Error(), "n = 0") {
		t.Errorf("n = 0: %v", err)
	}
	v, err := NewVecEnv("CartPole-v1", 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	before := slices.Clone(v.Obs())
	if _, _, _, _, err := v.Step([]float64{1, 0}); err == nil || !strings.Contains(err.Error(), "got 2 action values, want 3") {
		t.Errorf("short actions: %v", err)
	}
	_, _, _, _, err = v.Step([]float64{1, 0, 7})
	var ae *ActionError
	if !errors.As(err, &ae) || ae.Env != "CartPole-v1" || !strings.Contains(err.Error(), "(VecEnv copy 2)") || !strings.Contains(err.Error(), "index 7") {
		t.Errorf("bad action: %v", err)
	}
	if !slices.Equal(v.Obs(), before) || v.Env(0).(*CartPole).Steps() != 0 {
		t.Error("a rejected batch moved some copies")
	}
}

func TestVecEnvReset(t *testing.T) {
	v, err := NewVecEnv("Pendulum-v1", 4, 9)
	if err != nil {
		t.Fatal(err)
	}
	if v.N() != 4 || v.ObsDim() != 3 || v.ActDim() != 1 || len(v.Obs()) != 12 {
		t.Fatalf("N %d ObsDim %d ActDim %d len %d", v.N(), v.ObsDim(), v.ActDim(), len(v.Obs()))
	}
	first := slices.Clone(v.Obs())
	if slices.Equal(first[:3], first[3:6]) {
		t.Error("copies 0 and 1 start alike")
	}
	v.Step(make([]float64, 4))
	if !slices.Equal(v.Reset(9), first) {
		t.Error("Reset(9) does not restore NewVecEnv(…, 9)'s start")
	}
	if slices.Equal(v.Reset(10), first) {
		t.Error("Reset(10) gives seed 9's start")
	}
}

// ResetCopy restarts one copy with the next seed of its own stream, as an
// automatic reset would, and leaves the other copies alone.
func TestVecEnvResetCopy(t *testing.T) {
	const n, seed = 3, 5
	v, err := NewVecEnv("CartPole-v1", n, seed)
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]Env, n)
	streams := make([]*rand.PCG, n)
	for i := range ref {
		ref[i] = mustMake(t, "CartPole-v1")
		streams[i] = rand.NewPCG(seed, uint64(i))
		ref[i].Reset(streams[i].Uint64())
	}
	actions := []float64{1, 0, 1}
	check := func(when string) {
		t.Helper()
		for i, e := range ref {
			want := e.State()
			got := v.Env(i).State()
			if !slices.Equal(got, want) {
				t.Fatalf("%s: copy %d state %v, want %v", when, i, got, want)
			}
		}
	}
	for range 5 {
		v.Step(actions)
		for i, e := range ref {
			e.Step(actions[i : i+1])
		}
	}
	others := slices.Clone(v.Obs())
	got := v.ResetCopy(1)
	want := ref[1].Reset(streams[1].Uint64())
	if !slices.Equal(got, want) {
		t.Fatalf("ResetCopy(1) = %v, want %v", got, want)
	}
	if !slices.Equal(v.Obs()[4:8], want) || !slices.Equal(v.Obs()[:4], others[:4]) || !slices.Equal(v.Obs()[8:], others[8:]) {
		t.Errorf("Obs after ResetCopy(1) = %v; want copy 1's slot replaced by %v, the rest %v", v.Obs(), want, others)
	}
	if c := v.Env(1).(*CartPole); c.Steps() != 0 {
		t.Errorf("copy 1 has %d steps after ResetCopy, want 0", c.Steps())
	}
	check("after ResetCopy")
	for range 20 { // later steps, and automatic resets, continue each copy's stream
		v.Step(actions)
		for i, e := range ref {
			if _, _, term, trunc := e.Step(actions[i : i+1]); term || trunc {
				e.Reset(streams[i].Uint64())
			}
		}
	}
	check("20 steps later")
	for _, i := range []int{-1, n} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "[0, 3)") {
					t.Errorf("ResetCopy(%d): panic %v, want one naming the range [0, 3)", i, r)
				}
			}()
			v.ResetCopy(i)
		}()
	}
}

// TestVecEnvIndexPanics: a bad copy index panics with a message that names
// the method and the valid range, not a raw index-out-of-range error.
func TestVecEnvIndexPanics(t *testing.T) {
	v, err := NewVecEnv("CartPole-v1", 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string]func(int){
		"FinalObs":  func(i int) { v.FinalObs(i) },
		"Env":       func(i int) { v.Env(i) },
		"ResetCopy": func(i int) { v.ResetCopy(i) },
	}
	for name, call := range calls {
		for _, i := range []int{-1, 3, 5, math.MaxInt} {
			want := fmt.Sprintf("envs: VecEnv.%s(%d), want a copy index in [0, 3)", name, i)
			func() {
				defer func() {
					if r := recover(); fmt.Sprint(r) != want {
						t.Errorf("%s(%d): panic %v, want %q", name, i, r, want)
					}
				}()
				call(i)
			}()
		}
	}
	if _, err := NewVecEnv("CartPole-v1", MaxCopies+1, 0); err == nil || !strings.Contains(err.Error(), "n = 65537 copies, want 1…65536") {
		t.Errorf("too many copies: %v", err)
	}
}
