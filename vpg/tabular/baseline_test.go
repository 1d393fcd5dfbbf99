package tabular

import (
	"math"
	"testing"
)

// sampleVar is the sample variance, n·SE².
func sampleVar(xs []float64) float64 {
	_, se := meanSE(xs)
	return se * se * float64(len(xs))
}

// b* minimises the sample variance on its own sample: moving any one of its
// entries either way increases it, and V^π (a different baseline) does not beat it.
func TestMinVarianceBaselineIsTheMinimum(t *testing.T) {
	c := Corridor{Theta: -1}
	eps := play(t, c, 20000, 11)
	best := MinVarianceBaseline(eps)
	vBest := sampleVar(BaselineGradients(eps, best))
	for s := range 3 {
		for _, d := range []float64{-0.5, 0.5} {
			b := append([]float64(nil), best...)
			b[s] += d
			if v := sampleVar(BaselineGradients(eps, b)); v <= vBest {
				t.Errorf("b* + %g in state %d: variance %.6f, not above b*'s %.6f", d, s, v, vBest)
			}
		}
	}
	if v := sampleVar(BaselineGradients(eps, c.Values())); v < vBest {
		t.Errorf("V^π has variance %.4f below b*'s %.4f", v, vBest)
	}
}

// Any baseline keeps the mean at ∇J, b* (fitted on other episodes) included.
func TestBaselinesAreUnbiased(t *testing.T) {
	c := Corridor{Theta: 0.8}
	best := MinVarianceBaseline(play(t, c, 20000, 12))
	fresh := play(t, c, 20000, 13)
	for _, b := range [][]float64{{0, 0, 0}, c.Values(), best, {50, -20, 7}} {
		within4SE(t, "baseline", BaselineGradients(fresh, b), c.Grad())
	}
	if math.IsNaN(best[0]) {
		t.Fatal("b* is NaN")
	}
}
