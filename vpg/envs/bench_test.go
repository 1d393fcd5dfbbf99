package envs

import (
	"fmt"
	"testing"
)

// benchAction returns a cheap, valid, varying action for step t.
func benchAction(s Space, t int, a []float64) {
	for j := range a {
		if s.Discrete() {
			a[j] = float64((t / 7) % s.N)
		} else {
			a[j] = s.Low[j] + (s.High[j]-s.Low[j])*float64(t%11)/10
		}
	}
}

// BenchmarkStep measures one environment stepped through the public Env
// API (Step allocates its observation), resetting when an episode ends.
func BenchmarkStep(b *testing.B) {
	for _, id := range IDs() {
		b.Run(id, func(b *testing.B) {
			e, _ := Make(id)
			a := make([]float64, e.ActionSpace().Dim())
			space := e.ActionSpace()
			b.ReportAllocs()
			t := 0
			for b.Loop() {
				benchAction(space, t, a)
				t++
				if _, _, term, trunc := e.Step(a); term || trunc {
					e.Reset(uint64(t))
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// BenchmarkVecEnv measures VecEnv.Step with 16 copies (auto-reset included);
// steps/s counts single-copy transitions.
func BenchmarkVecEnv(b *testing.B) {
	const n = 16
	for _, id := range IDs() {
		b.Run(fmt.Sprintf("%s/n=%d", id, n), func(b *testing.B) {
			v, err := NewVecEnv(id, n, 1)
			if err != nil {
				b.Fatal(err)
			}
			space := v.Env(0).ActionSpace()
			actions := make([]float64, n*v.ActDim())
			b.ReportAllocs()
			t := 0
			for b.Loop() {
				for i := range n {
					benchAction(space, t+i, actions[i*v.ActDim():(i+1)*v.ActDim()])
				}
				t++
				if _, _, _, _, err := v.Step(actions); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "steps/s")
		})
	}
}

// BenchmarkRolloutCartPole is the trainer's inner loop without the network:
// 16 CartPole copies driven by a hand-written policy that reads the flat
// observation batch, with the final observations of finished episodes read
// as a bootstrapping trainer would.
func BenchmarkRolloutCartPole(b *testing.B) {
	const n = 16
	v, err := NewVecEnv("CartPole-v1", n, 1)
	if err != nil {
		b.Fatal(err)
	}
	actions := make([]float64, n)
	sink := 0.0
	b.ReportAllocs()
	for b.Loop() {
		obs := v.Obs()
		for i := range n {
			actions[i] = 0
			if obs[i*4+2]+0.5*obs[i*4+3] > 0 { // push towards the lean
				actions[i] = 1
			}
		}
		_, rewards, term, trunc, err := v.Step(actions)
		if err != nil {
			b.Fatal(err)
		}
		for i := range n {
			sink += rewards[i]
			if term[i] || trunc[i] {
				sink += v.FinalObs(i)[0]
			}
		}
	}
	b.ReportMetric(float64(b.N)*n/b.Elapsed().Seconds(), "steps/s")
	_ = sink
}
