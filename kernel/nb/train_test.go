package nb

import (
	"math"
	"testing"

	"github.com/govpg/govpg/vpg"
)

func smallConfig() vpg.Config {
	c := vpg.Preset("CartPole-v1")
	c.StepsPerEpoch, c.TrainVIters, c.Seed = 160, 2, 5
	return c
}

// Train with the config's own estimator must be the trainer's RunEpoch, bit for bit.
func TestTrainIsRunEpoch(t *testing.T) {
	for _, normalize := range []bool{false, true} {
		c := smallConfig()
		c.Estimator, c.NormalizeAdvantages = vpg.GAEAdvantage, normalize
		ours, ref := Must(vpg.NewTrainer(c)), Must(vpg.NewTrainer(c))
		var seen int
		curve, err := Train(ours, vpg.GAEPsi, 3, func(vpg.EpochMetrics) { seen++ })
		if err != nil {
			t.Fatal(err)
		}
		for k := range 3 {
			m := Must(ref.RunEpoch())
			if !same(curve[k], m.MeanReturn) {
				t.Errorf("normalize=%v epoch %d: mean return %v, RunEpoch %v", normalize, k, curve[k], m.MeanReturn)
			}
		}
		if seen != 3 {
			t.Errorf("onEpoch called %d times, want 3", seen)
		}
		a, b := ours.Model().PolicyParams(), ref.Model().PolicyParams()
		for i := range a {
			for j := range a[i].Values {
				if a[i].Values[j] != b[i].Values[j] {
					t.Fatalf("normalize=%v: parameter %s[%d] = %v, RunEpoch's %v", normalize, a[i].Name, j, a[i].Values[j], b[i].Values[j])
				}
			}
		}
	}
}

func same(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

func TestTrainNilPsi(t *testing.T) {
	tr := Must(vpg.NewTrainer(smallConfig()))
	if _, err := Train(tr, nil, 1, nil); err == nil {
		t.Error("Train with a nil psi gave no error")
	}
}

func TestBand(t *testing.T) {
	nan := math.NaN()
	mean, lo, hi := Band([][]float64{{1, 10, 4}, {3, nan, 4}, {2, 20}})
	// epoch 0: 1, 2, 3 → mean 2, σ √(2/3); epoch 1: 10, 20 → 15 ± 5; epoch 2: 4, 4 → 4 ± 0
	s := math.Sqrt(2.0 / 3)
	want := [][3]float64{{2, 2 - s, 2 + s}, {15, 10, 20}, {4, 4, 4}}
	for k, w := range want {
		if math.Abs(mean[k]-w[0]) > 1e-12 || math.Abs(lo[k]-w[1]) > 1e-12 || math.Abs(hi[k]-w[2]) > 1e-12 {
			t.Errorf("epoch %d: %v, %v, %v; want %v", k, mean[k], lo[k], hi[k], w)
		}
	}
}
