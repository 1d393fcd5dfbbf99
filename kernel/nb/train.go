package nb

import (
	"fmt"
	"math"

	"github.com/govpg/govpg/vpg"
)

// Train runs epochs epochs of VPG on t with psi as the weight Ψ_t of every
// step: Collect, psi on every path, Normalize if t's config normalises its
// advantages, Update. onEpoch (nil for none) sees every epoch's metrics. It
// returns the mean return of every epoch (NaN where no episode finished).
// With psi = t.Config().Estimator.Psi() it trains exactly as t.Train does.
func Train(t *vpg.Trainer, psi vpg.PsiFunc, epochs int, onEpoch func(vpg.EpochMetrics)) ([]float64, error) {
	if psi == nil {
		return nil, fmt.Errorf("nb.Train: the weight function psi is nil; pass a vpg.PsiFunc such as vpg.FutureReturnPsi")
	}
	curve := make([]float64, 0, epochs)
	for range epochs {
		b, err := t.Collect()
		if err != nil {
			return curve, err
		}
		w, err := t.Psi(b, psi)
		if err != nil {
			return curve, err
		}
		if t.Config().NormalizeAdvantages {
			vpg.Normalize(w)
		}
		copy(b.Weights, w)
		m, err := t.Update(b)
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

// Band summarises learning curves of several seeds epoch by epoch: the mean
// and mean ∓ one standard deviation over the curves that have a number at
// that epoch (NaN entries, epochs where no episode finished, are skipped).
func Band(curves [][]float64) (mean, lo, hi []float64) {
	n := 0
	for _, c := range curves {
		n = max(n, len(c))
	}
	mean, lo, hi = make([]float64, n), make([]float64, n), make([]float64, n)
	for k := range n {
		var xs []float64
		for _, c := range curves {
			if k < len(c) && !math.IsNaN(c[k]) {
				xs = append(xs, c[k])
			}
		}
		m, s := Mean(xs), Std(xs)
		mean[k], lo[k], hi[k] = m, m-s, m+s
	}
	return mean, lo, hi
}
