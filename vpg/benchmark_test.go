package vpg

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/gomlx/gomlx/core/graph"
)

// benchTrainer is the CartPole preset (4000 steps, 64×64) with n copies
// (the preset's own number when n is 0), after one rollout.
func benchTrainer(b *testing.B, n int) *Trainer {
	b.Helper()
	c := Preset("CartPole-v1")
	if n > 0 {
		c.NumEnvs = n
	}
	tr, err := NewTrainer(c)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tr.Collect(); err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkRolloutCartPole: one batch of 4000 steps with 1 to 32 copies,
// with the policy after 5 epochs of training (the initial weights keep
// every tanh near 0, where it is cheapest); reports env steps per wall
// second and per CPU second of the process (the second is steadier on a
// machine shared with other work).
func BenchmarkRolloutCartPole(b *testing.B) {
	for _, n := range []int{1, 8, 16, 32} {
		b.Run(fmt.Sprintf("envs=%d", n), func(b *testing.B) {
			tr := benchTrainer(b, n)
			for range 5 {
				if _, err := tr.RunEpoch(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				if _, err := tr.Collect(); err != nil {
					b.Fatal(err)
				}
			}
			steps := float64(b.N * tr.cfg.StepsPerEpoch)
			b.ReportMetric(steps/b.Elapsed().Seconds(), "steps/s")
			b.ReportMetric(steps/(cpuTime()-cpu0).Seconds(), "steps/cpu-s")
		})
	}
}

// reportCPU adds the process's CPU milliseconds per operation since cpu0.
func reportCPU(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPolicyStep: one Adam step on VPGObjective at batch 4000, as
// the trainer takes it (the backend's default learner).
func BenchmarkPolicyStep(b *testing.B) {
	tr := benchTrainer(b, 0)
	bt := tr.batch
	s := &PolicySample{Obs: bt.Obs, Act: bt.Act, Psi: bt.Weights, OldLogP: bt.LogProb}
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := tr.model.learner.PolicyStep(s, nil, tr.cfg.PiLR); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkValueSteps: an epoch's TrainVIters (80) Adam steps on
// MSE at batch 4000, as the trainer takes them (the backend's default
// learner), with ms/step reported.
func BenchmarkValueSteps(b *testing.B) {
	tr := benchTrainer(b, 0)
	iters := tr.cfg.TrainVIters
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := tr.model.learner.ValueFit(tr.batch.Obs, tr.batch.Returns, iters, tr.cfg.VfLR); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N*iters), "ms/step")
	reportCPU(b, cpu0)
}

// BenchmarkEpochCartPole: a full epoch (rollout, 1 policy step, 80 value steps).
func BenchmarkEpochCartPole(b *testing.B) {
	tr := benchTrainer(b, 0)
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := tr.RunEpoch(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}

// BenchmarkObjectiveGraphs: what the CPU learner's GoMLX graphs cost per
// step at batch 4000 (the objective with its gradient with respect to the
// outputs, the objective alone as PolicyEval runs it, and the value loss
// with its gradient), inputs and outputs converted included: CartPole's
// categorical head (4000×2 logits) and Pendulum's Gaussian head (4000×1
// means and log σ).
func BenchmarkObjectiveGraphs(b *testing.B) {
	for _, env := range []string{"CartPole-v1", "Pendulum-v1"} {
		c := Preset(env)
		c.StepsPerEpoch, c.NumEnvs, c.Learner = 4000, 8, CPULearner
		tr, err := NewTrainer(c)
		if err != nil {
			b.Fatal(err)
		}
		bt, err := tr.Collect()
		if err != nil {
			b.Fatal(err)
		}
		l := tr.model.learner.(*cpuLearner)
		s := &PolicySample{Obs: tr.scaleInto(make([]float64, len(bt.Obs)), bt.Obs), Act: bt.Act, Psi: bt.Weights, OldLogP: bt.LogProb}
		out := l.pi.Forward(nil, s.Obs)
		for _, g := range []struct {
			name string
			exec *graph.Exec
		}{{"objective", l.piObj}, {"objective-eval", l.piEval}} {
			b.Run(env+"/"+g.name, func(b *testing.B) {
				cpu0 := cpuTime()
				for b.Loop() {
					if _, err := l.runObjective(g.exec, out, s.Act, s.Psi, s.OldLogP); err != nil {
						b.Fatal(err)
					}
				}
				reportCPU(b, cpu0)
			})
		}
		v := l.v.Forward(nil, s.Obs)
		b.Run(env+"/value-loss", func(b *testing.B) {
			targets := l.vin.set(1, l.m.dtype, bt.Returns, 0)
			cpu0 := cpuTime()
			for b.Loop() {
				if _, _, err := l.valueGradient(v, targets); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
		})
	}
}

// BenchmarkEpochPendulum: a full epoch of the Pendulum-v1 preset (400
// steps from 10 copies, 1 policy step, 20 value steps).
func BenchmarkEpochPendulum(b *testing.B) {
	tr, err := NewTrainer(Preset("Pendulum-v1"))
	if err != nil {
		b.Fatal(err)
	}
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := tr.RunEpoch(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu0)
}
