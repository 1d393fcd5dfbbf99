package vpg

import (
	"flag"
	"math"
	"testing"
)

var long = flag.Bool("long", false, "run the full learning runs (minutes)")

// solvedAt is the first epoch whose mean return reaches threshold, or −1.
func solvedAt(h []EpochMetrics, threshold float64) int {
	for _, m := range h {
		if m.MeanReturn >= threshold {
			return m.Epoch
		}
	}
	return -1
}

// The CartPole-v1 preset reaches a mean epoch return ≥ 475 within 50 epochs
// for at least 2 of seeds 0–2 (the PyTorch peer: epochs 12, 18, 19).
func TestLongCartPolePreset(t *testing.T) {
	if !*long {
		t.Skip("needs -long")
	}
	solved := 0
	for seed := range uint64(3) {
		c := Preset("CartPole-v1")
		c.Seed = seed
		tr := newTrainer(t, c)
		if err := tr.Train(func(m EpochMetrics) bool { return m.MeanReturn < 475 }); err != nil {
			t.Fatal(err)
		}
		h := tr.History()
		at := solvedAt(h, 475)
		t.Logf("seed %d: first epoch ≥ 475: %d, wall %.1fs", seed, at, h[len(h)-1].Wall)
		if at >= 0 {
			solved++
		}
	}
	if solved < 2 {
		t.Errorf("solved %d of 3 seeds, want ≥ 2", solved)
	}
}

// Pendulum-v1 with the diagonal-Gaussian preset swings up — a mean return
// above −400 over the last 100 epochs (hanging: ≈ −900…−1500; the peer:
// ≈ −1080 after 100 epochs of 4000 steps) — for at least 2 of seeds 0–4:
// which seeds do is decided by rounding (see the README).
func TestLongPendulumPreset(t *testing.T) {
	if !*long {
		t.Skip("needs -long")
	}
	swung := 0
	for seed := range uint64(5) {
		c := Preset("Pendulum-v1")
		c.Seed = seed
		tr := newTrainer(t, c)
		if err := tr.Train(nil); err != nil {
			t.Fatal(err)
		}
		h := tr.History()
		sum, n := 0.0, 0
		for _, m := range h[len(h)-100:] {
			if !math.IsNaN(m.MeanReturn) { // NaN: an epoch in which no episode ended
				sum += m.MeanReturn
				n++
			}
		}
		t.Logf("seed %d: mean return over the last 100 epochs %.1f, entropy %.3f, wall %.0fs", seed, sum/float64(n), h[len(h)-1].Entropy, h[len(h)-1].Wall)
		if n > 0 && sum/float64(n) >= -400 {
			swung++
		}
	}
	if swung < 2 {
		t.Errorf("%d of seeds 0–4 swung up, want ≥ 2", swung)
	}
}
