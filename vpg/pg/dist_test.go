package pg

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govpg/govpg/vpg/internal/numtest"
)

func TestLogSoftmax(t *testing.T) {
	// logits (0, ln 3): probabilities (¼, ¾).
	numtest.Slices(t, "Softmax", Softmax([]float64{0, math.Log(3)}), []float64{0.25, 0.75}, 1e-15)
	numtest.Slices(t, "LogSoftmax", LogSoftmax([]float64{2, 2, 2, 2}), []float64{-math.Log(4), -math.Log(4), -math.Log(4), -math.Log(4)}, 1e-15)
	// Large logits: log(softmax) computed naively overflows to NaN; ours is exact.
	numtest.Slices(t, "LogSoftmax large", LogSoftmax([]float64{1000, 0}), []float64{0, -1000}, 1e-15)
	if naive := math.Exp(1000) / (math.Exp(1000) + 1); !math.IsNaN(naive) {
		t.Fatalf("expected the naive softmax to overflow, got %v", naive)
	}
	// Property: shifting all logits leaves the distribution unchanged and probabilities sum to 1.
	rng := rand.New(rand.NewPCG(7, 8))
	z := numtest.Normal(rng, 6, 3)
	shifted := make([]float64, len(z))
	for i := range z {
		shifted[i] = z[i] + 123.4
	}
	numtest.Slices(t, "shift invariance", LogSoftmax(shifted), LogSoftmax(z), 1e-12)
	sum := 0.0
	for _, p := range Softmax(z) {
		sum += p
	}
	if !numtest.Near(sum, 1, 1e-15) {
		t.Errorf("Σ softmax = %v, want 1", sum)
	}
}

// The diagonal-Gaussian formula equals the log of a product of 1-D normal densities.
func TestDiagGaussianLogProbIsProductOfNormals(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 1; n <= 5; n++ {
		a, mu, logStd := numtest.Normal(rng, n, 1), numtest.Normal(rng, n, 1), numtest.Normal(rng, n, 0.5)
		prod := 1.0
		for i := range a {
			prod *= NormalPDF(a[i], mu[i], math.Exp(logStd[i]))
		}
		if got := DiagGaussianLogProb(a, mu, logStd); !numtest.Near(got, math.Log(prod), 1e-12) {
			t.Errorf("n=%d: %v, want log Π N = %v", n, got, math.Log(prod))
		}
	}
	// Hand value: standard normal at its mean, log N(0;0,1) = −½ log 2π.
	if got := DiagGaussianLogProb([]float64{0}, []float64{0}, []float64{0}); !numtest.Near(got, -0.5*math.Log(2*math.Pi), 1e-15) {
		t.Errorf("log N(0;0,1) = %v", got)
	}
}

// NormalPDF integrates to 1 (trapezoid rule over ±10σ).
func TestNormalPDFIntegratesToOne(t *testing.T) {
	const mu, sigma, steps = 0.3, 0.7, 20000
	lo, hi := mu-10*sigma, mu+10*sigma
	h := (hi - lo) / steps
	sum := 0.0
	for i := 0; i <= steps; i++ {
		w := 1.0
		if i == 0 || i == steps {
			w = 0.5
		}
		sum += w * NormalPDF(lo+float64(i)*h, mu, sigma)
	}
	if !numtest.Near(sum*h, 1, 1e-9) {
		t.Errorf("∫N = %v, want 1", sum*h)
	}
}

// Extreme log σ: with σ² under- or overflowing, the log-density stays the
// hand-derived −½z² − log σ − ½ log 2π, and is −Inf only where the density
// is 0 in float64 (a ≠ μ under a vanishing σ), never NaN.
func TestDiagGaussianLogProbExtremeLogStd(t *testing.T) {
	halfLog2Pi := 0.5 * math.Log(2*math.Pi) // 0.91893853320467274…
	tests := []struct {
		a, mu, logStd float64
		want          float64
	}{
		{0, 0, -400, 400 - halfLog2Pi}, // 399.0810614667953…, the probe
		{1.5, 1.5, -800, 800 - halfLog2Pi},
		{0, 0, 800, -800 - halfLog2Pi},
		{1e300, 0, 800, -0.5*math.Pow(1e300*math.Exp(-800), 2) - 800 - halfLog2Pi},
		{1, 0, -400, math.Inf(-1)},
		{1, 0, -800, math.Inf(-1)},
		{math.MaxFloat64, -math.MaxFloat64, 0, math.Inf(-1)},
		// a − μ overflows float64, but z = 2·max·e⁻⁷⁰⁰ ≈ 3.5·10⁴ does not; z² from logs.
		{math.MaxFloat64, -math.MaxFloat64, 700, -0.5*math.Exp(2*(math.Log(2)+math.Log(math.MaxFloat64)-700)) - 700 - halfLog2Pi},
	}
	for _, tt := range tests {
		got := DiagGaussianLogProb([]float64{tt.a}, []float64{tt.mu}, []float64{tt.logStd})
		if !(got == tt.want || numtest.Near(got, tt.want, 1e-12)) {
			t.Errorf("log N(%v; %v, e^%v) = %v, want %v", tt.a, tt.mu, tt.logStd, got, tt.want)
		}
	}
	// Two dimensions, by hand: z = (1, 1), log σ = (0, log 2).
	want := -1 - math.Log(2) - 2*halfLog2Pi
	if got := DiagGaussianLogProb([]float64{1, 3}, []float64{0, 1}, []float64{0, math.Log(2)}); !numtest.Near(got, want, 1e-15) {
		t.Errorf("two dimensions: %v, want %v", got, want)
	}
}

// NormalPDF at extreme σ: finite where the density is representable.
func TestNormalPDFExtremeSigma(t *testing.T) {
	// 1/√(2π) = 0.3989422804014327…, so the density at the mean is 3.989…e-309 (subnormal).
	if got, want := NormalPDF(2, 2, 1e308), 3.989422804014327e-309; !numtest.Near(got/want, 1, 1e-12) {
		t.Errorf("N(2; 2, 1e308) = %v, want %v", got, want)
	}
	if got := NormalPDF(0, 0, 5e-324); !math.IsInf(got, 1) {
		t.Errorf("N(0; 0, 5e-324) = %v, want +Inf (beyond float64)", got)
	}
	if got := NormalPDF(math.MaxFloat64, -math.MaxFloat64, 1); got != 0 {
		t.Errorf("N(max; −max, 1) = %v, want 0", got)
	}
	mustPanic(t, func() { NormalPDF(math.NaN(), 0, 1) }, "NormalPDF", "x = NaN")
}
