package nb

import (
	"fmt"
	"math"
	"strings"

	"github.com/govpg/govpg/kernel/display"
	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

// Epoch runs one epoch of VPG on t with the weights Ψ_t of psi: Collect a
// batch, weigh every step with psi (standardised over the batch when the
// trainer's config has NormalizeAdvantages), and Update.
func Epoch(t *vpg.Trainer, psi pg.PsiFunc) (vpg.EpochMetrics, error) {
	return epoch(t, psi, nil)
}

// epoch is Epoch with prepare (nil for none) changing the batch before Ψ is computed.
func epoch(t *vpg.Trainer, psi pg.PsiFunc, prepare func(*vpg.Batch)) (vpg.EpochMetrics, error) {
	b, err := t.Collect()
	if err != nil {
		return vpg.EpochMetrics{}, err
	}
	if prepare != nil {
		prepare(b)
	}
	w, err := t.Psi(b, psi)
	if err != nil {
		return vpg.EpochMetrics{}, err
	}
	if t.Config().NormalizeAdvantages {
		pg.Normalize(w)
	}
	copy(b.Weights, w)
	return t.Update(b)
}

// Train runs epochs epochs of Epoch on t with psi and returns the mean
// return of each (NaN where no episode finished); onEpoch (nil for none)
// sees every epoch's metrics.
func Train(t *vpg.Trainer, psi pg.PsiFunc, epochs int, onEpoch func(vpg.EpochMetrics)) ([]float64, error) {
	curve := make([]float64, 0, epochs)
	for range epochs {
		m, err := Epoch(t, psi)
		if err != nil {
			return curve, err
		}
		curve = append(curve, m.MeanReturn)
		if onEpoch != nil {
			onEpoch(m)
		}
	}
	return curve, nil
}

// DashboardEpoch is what a display.Dashboard shows of one epoch's metrics.
func DashboardEpoch(m vpg.EpochMetrics) display.Epoch {
	return display.Epoch{
		Epoch: m.Epoch, MeanReturn: m.MeanReturn, MinReturn: m.MinReturn, MaxReturn: m.MaxReturn,
		VLoss: m.VLoss, Entropy: m.Entropy, KL: m.KL, ClipFrac: m.ClipFrac, Seconds: m.RolloutSec + m.UpdateSec,
	}
}

// Curves trains one fresh trainer of cfg per seed for cfg.Epochs epochs with
// Ψ_t from psi (see Epoch), the seeds side by side (vpg.TrainSeeds: psi is
// called from several goroutines), and returns each run's mean return per
// epoch (NaN in an epoch where no episode ended). done, if not nil, is
// called after every epoch with the number of epochs finished so far.
func Curves(cfg vpg.Config, psi pg.PsiFunc, seeds []uint64, done func(epochs int)) ([][]float64, error) {
	runs, err := runMetrics(cfg, psi, seeds, done, nil)
	curves := make([][]float64, len(runs))
	for i, r := range runs {
		curves[i] = Map(r, func(m vpg.EpochMetrics) float64 { return m.MeanReturn })
	}
	return curves, err
}

// runMetrics trains one fresh trainer of cfg per seed with Ψ_t from psi,
// prepare changing every batch (see epoch), and returns every epoch's
// metrics. The seeds train side by side (vpg.TrainSeeds): each run is the
// one it is alone.
func runMetrics(cfg vpg.Config, psi pg.PsiFunc, seeds []uint64, done func(epochs int), prepare func(*vpg.Batch)) ([][]vpg.EpochMetrics, error) {
	var step func(*vpg.Trainer) (vpg.EpochMetrics, error)
	if prepare == nil {
		cfg.Psi = psi // the trainer's own epoch; the open loop only where the batch changes first
	} else {
		step = func(t *vpg.Trainer) (vpg.EpochMetrics, error) { return epoch(t, psi, prepare) }
	}
	finished := 0
	runs, err := vpg.TrainSeeds(cfg, seeds, step, func(int, vpg.EpochMetrics) bool {
		finished++
		if done != nil {
			done(finished)
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("%s, %w", FuncName(psi), err)
	}
	return runs, nil
}

// Band is the mean and the mean ± one (sample) standard deviation of
// several runs, point by point. NaN entries (epochs without a finished
// episode) are left out; a point with no number in any run is NaN.
func Band(runs [][]float64) (mean, lo, hi []float64) {
	if len(runs) == 0 {
		panic("nb.Band: no runs")
	}
	n := len(runs[0])
	mean, lo, hi = make([]float64, n), make([]float64, n), make([]float64, n)
	for j := range n {
		var col []float64
		for i, r := range runs {
			if len(r) != n {
				panic(fmt.Sprintf("nb.Band: run %d has %d points, run 0 has %d", i, len(r), n))
			}
			if !math.IsNaN(r[j]) {
				col = append(col, r[j])
			}
		}
		if len(col) == 0 {
			mean[j], lo[j], hi[j] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		m, s := Mean(col), 0.0
		if len(col) > 1 {
			s = Std(col)
		}
		mean[j], lo[j], hi[j] = m, m-s, m+s
	}
	return mean, lo, hi
}

// BandSeries draws runs as their mean, a line named name, in a shaded band
// of ± one standard deviation.
func BandSeries(name, color string, runs [][]float64) display.Series {
	mean, lo, hi := Band(runs)
	return display.Series{Name: name, X: Range(len(mean)), Y: mean, Lo: lo, Hi: hi, Color: color}
}

// Last is the mean of the last k finite entries of curve: where a learning
// curve ended, less noisy than its last point.
func Last(curve []float64, k int) float64 {
	var tail []float64
	for i := len(curve) - 1; i >= 0 && len(tail) < k; i-- {
		if !math.IsNaN(curve[i]) {
			tail = append(tail, curve[i])
		}
	}
	return Mean(tail)
}

// DrawBands draws the runs of each named weight (or setting) as a band on
// one chart, with a in the frame, and a table of where they ended.
func DrawBands(a display.Axes, names []string, runs [][][]float64) {
	var series []display.Series
	for i, name := range names {
		series = append(series, BandSeries(name, bandColors[i%len(bandColors)], runs[i]))
	}
	display.Line(a, series...)
	display.Markdown(BandTable(names, runs))
}

// bandColors tells up to six bands apart.
var bandColors = []string{"#e15759", "#4e79a7", "#59a14f", "#b07aa1", "#f28e2b", "#76b7b2"}

// BandTable is a Markdown table with, for each name, the mean and the std
// over its runs of the mean return of each run's last 3 epochs.
func BandTable(names []string, runs [][][]float64) string {
	var md strings.Builder
	md.WriteString("| | mean return of the last 3 epochs (mean ± std over runs) | runs |\n|---|---|---|\n")
	for i, name := range names {
		last := make([]float64, len(runs[i]))
		for k, r := range runs[i] {
			last[k] = Last(r, 3)
		}
		fmt.Fprintf(&md, "| %s | %.0f ± %.0f | %d |\n", name, Mean(last), Std(last), len(last))
	}
	return md.String()
}
