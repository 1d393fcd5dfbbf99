package envs

import (
	"math"
	"slices"
	"testing"
)

func TestRandomWalkMoves(t *testing.T) {
	e := NewRandomWalk()
	obs := e.Reset(1)
	if e.State()[0] != 10 || obs[9] != 1 || sum(obs) != 1 {
		t.Fatalf("start: state %v obs %v", e.State(), obs)
	}
	tests := []struct {
		from, action, to, reward float64
		terminated               bool
	}{
		{10, 1, 11, 0, false},
		{10, 0, 9, 0, false},
		{1, 0, 0, -1, true},
		{19, 1, 20, 1, true},
		{2, 0, 1, 0, false},
		{18, 1, 19, 0, false},
	}
	for _, tt := range tests {
		if err := e.SetState(act(tt.from)); err != nil {
			t.Fatal(err)
		}
		obs, r, term, _ := e.Step(act(tt.action))
		if e.State()[0] != tt.to || r != tt.reward || term != tt.terminated {
			t.Errorf("from %v action %v: state %v reward %v terminated %v", tt.from, tt.action, e.State(), r, term)
		}
		want := make([]float64, RandomWalkStates)
		if !tt.terminated {
			want[int(tt.to)-1] = 1
		}
		if !slices.Equal(obs, want) {
			t.Errorf("from %v: obs %v", tt.from, obs)
		}
	}
}

// TestRandomWalkTrueValues evaluates the uniformly random policy by
// iterating the Bellman equation over the environment's own transitions
// (probed with SetState and Step), and compares with the book's values.
func TestRandomWalkTrueValues(t *testing.T) {
	want := RandomWalkTrueValues()
	if len(want) != 19 || want[0] != -0.9 || want[9] != 0 || want[18] != 0.9 {
		t.Fatalf("RandomWalkTrueValues() = %v", want)
	}
	type outcome struct {
		next   int
		reward float64
		done   bool
	}
	e := NewRandomWalk()
	model := make([][2]outcome, 21)
	for s := 1; s <= 19; s++ {
		for a := range 2 {
			if err := e.SetState(act(float64(s))); err != nil {
				t.Fatal(err)
			}
			_, r, term, _ := e.Step(act(float64(a)))
			model[s][a] = outcome{int(e.State()[0]), r, term}
		}
	}
	v := make([]float64, 21) // terminal values stay 0
	for range 5000 {
		for s := 1; s <= 19; s++ {
			x := 0.0
			for _, o := range model[s] {
				x += 0.5 * (o.reward + v[o.next])
			}
			v[s] = x
		}
	}
	for s := 1; s <= 19; s++ {
		if math.Abs(v[s]-want[s-1]) > 1e-9 {
			t.Errorf("v(%d) = %v, want %v", s, v[s], want[s-1])
		}
	}
}

// TestRandomWalkRandomPolicy checks that the random policy Record uses
// when given none drives the book's random walk: episodes end at one side
// with return ±1, last 100 steps on average and exit right half the time.
func TestRandomWalkRandomPolicy(t *testing.T) {
	e := NewRandomWalk()
	lengths, right := 0, 0
	const episodes = 400
	for seed := range uint64(episodes) {
		policy := randomPolicy(e.ActionSpace(), seed)
		obs := e.Reset(seed)
		for done := false; !done; lengths++ {
			var r float64
			var term, trunc bool
			obs, r, term, trunc = e.Step(policy(obs))
			if trunc {
				t.Fatalf("seed %d: truncated", seed)
			}
			right += int(r+1) / 2
			done = term
		}
	}
	// The mean duration from the middle is 10·10 = 100 steps (sd of the
	// mean here ≈ 4); the exit is fair (sd ≈ 10 episodes).
	if mean := float64(lengths) / episodes; mean < 80 || mean > 120 {
		t.Errorf("mean episode length %v, want about 100", mean)
	}
	if right < episodes*4/10 || right > episodes*6/10 {
		t.Errorf("%d of %d episodes exit right, want about half", right, episodes)
	}
	frames, ret := Record(e, nil, 5, 0)
	again, ret2 := Record(e, nil, 5, 0)
	if !slices.Equal(frames, again) || ret != ret2 || math.Abs(ret) != 1 {
		t.Errorf("Record(nil policy) not reproducible or return %v", ret)
	}
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}
