package nb

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/display"
	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

func tinyConfig() vpg.Config {
	c := vpg.Preset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.NumEnvs = 2, 200, 4
	c.Hidden, c.TrainVIters = []int{8}, 2
	return c
}

func params(t *vpg.Trainer) []float64 {
	var out []float64
	for _, p := range append(t.Model().PolicyParams(), t.Model().ValueParams()...) {
		out = append(out, p.Values...)
	}
	return out
}

// Epoch with the config's own estimator is RunEpoch, bit for bit, with and
// without standardised weights; Curves records those runs' mean returns.
func TestEpochIsRunEpoch(t *testing.T) {
	for _, normalize := range []bool{true, false} {
		c := tinyConfig()
		c.NormalizeAdvantages = normalize
		a, b := Must(vpg.NewTrainer(c)), Must(vpg.NewTrainer(c))
		var want []float64
		for range c.Epochs {
			m := Must(a.RunEpoch())
			want = append(want, m.MeanReturn)
			Must(Epoch(b, c.Estimator.Psi()))
		}
		if !reflect.DeepEqual(params(a), params(b)) {
			t.Errorf("normalize=%v: parameters after Epoch differ from RunEpoch's", normalize)
		}
		calls := 0
		runs := Must(Curves(c, c.Estimator.Psi(), []uint64{c.Seed}, func(int) { calls++ }))
		if len(runs) != 1 || !reflect.DeepEqual(runs[0], want) || calls != c.Epochs {
			t.Errorf("Curves = %v (%d calls), want [%v] (%d calls)", runs, calls, want, c.Epochs)
		}
		seen := 0
		curve := Must(Train(Must(vpg.NewTrainer(c)), c.Estimator.Psi(), c.Epochs, func(vpg.EpochMetrics) { seen++ }))
		if !reflect.DeepEqual(curve, want) || seen != c.Epochs {
			t.Errorf("Train = %v (%d epochs seen), want %v", curve, seen, want)
		}
	}
}

// A weight function that returns the wrong number of steps reaches the caller as an error.
func TestEpochBadPsi(t *testing.T) {
	tr := Must(vpg.NewTrainer(tinyConfig()))
	if _, err := Epoch(tr, func(p pg.Path) []float64 { return nil }); err == nil {
		t.Error("a Ψ with no numbers trained without an error")
	}
	// Curves names the learner's function in its error.
	if _, err := Curves(tinyConfig(), myBrokenPsi, []uint64{0}, nil); err == nil || !strings.HasPrefix(err.Error(), "nb.myBrokenPsi, seed 0: ") {
		t.Errorf("Curves with a broken Ψ: error %v, want one naming nb.myBrokenPsi", err)
	}
}

func TestBand(t *testing.T) {
	nan := math.NaN()
	mean, lo, hi := Band([][]float64{{1, 2, nan}, {3, nan, nan}, {5, 2, nan}})
	// column 0: 1, 3, 5 → mean 3, sample std 2; column 1: 2, 2 → 2 ± 0; column 2: nothing.
	s := 2.0
	if mean[0] != 3 || math.Abs(lo[0]-(3-s)) > 1e-15 || math.Abs(hi[0]-(3+s)) > 1e-15 {
		t.Errorf("column 0: %v %v %v", mean[0], lo[0], hi[0])
	}
	if mean[1] != 2 || lo[1] != 2 || hi[1] != 2 || !math.IsNaN(mean[2]) {
		t.Errorf("columns 1, 2: %v %v %v", mean, lo, hi)
	}
	ss := BandSeries("R", "#000", [][]float64{{1, 2}, {3, 4}})
	if ss.Y[1] != 3 || math.Abs(ss.Lo[1]-(3-math.Sqrt2)) > 1e-15 || math.Abs(ss.Hi[1]-(3+math.Sqrt2)) > 1e-15 || ss.Name != "R" {
		t.Errorf("BandSeries = %+v", ss)
	}
}

func TestMaxAbsDiffLast(t *testing.T) {
	if d := MaxAbsDiff([]float64{1, -2, 3}, []float64{1, 2, 2.5}); d != 4 {
		t.Errorf("MaxAbsDiff = %v, want 4", d)
	}
	if l := Last([]float64{9, 1, math.NaN(), 3}, 2); l != 2 {
		t.Errorf("Last = %v, want 2 (mean of 3 and 1, skipping NaN)", l)
	}
}

func TestBandTable(t *testing.T) {
	got := BandTable([]string{"a"}, [][][]float64{{{0, 1, 2, 3}, {0, 5, 5, 5}}})
	// run 0 ends at mean(1, 2, 3) = 2, run 1 at 5: 3.5 ± 1.5
	want := "| | mean return of the last 3 epochs (mean ± std over runs) | runs |\n|---|---|---|\n| a | 4 ± 2 | 2 |\n"
	if got != want {
		t.Errorf("BandTable =\n%s\nwant\n%s", got, want)
	}
}

func TestDashboardEpoch(t *testing.T) {
	m := vpg.EpochMetrics{Epoch: 3, MeanReturn: 20, MinReturn: 9, MaxReturn: 31, VLoss: 4, Entropy: 0.6, KL: 0.01, RolloutSec: 0.25, UpdateSec: 0.5}
	want := display.Epoch{Epoch: 3, MeanReturn: 20, MinReturn: 9, MaxReturn: 31, VLoss: 4, Entropy: 0.6, KL: 0.01, Seconds: 0.75}
	if got := DashboardEpoch(m); got != want {
		t.Errorf("DashboardEpoch = %+v, want %+v", got, want)
	}
}
