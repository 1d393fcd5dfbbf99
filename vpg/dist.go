package vpg

import (
	"fmt"
	"math"
)

// LogSoftmax maps logits to log-probabilities of a categorical policy,
// log π(a|s) = z_a − log Σ_b e^{z_b}, computed stably by subtracting the
// largest logit first (the tutorial's "For categorical distributions": the
// network outputs log-probabilities, never probabilities to take a log of).
func LogSoftmax(logits []float64) []float64 {
	const fn = "LogSoftmax"
	if len(logits) == 0 {
		panic("vpg.LogSoftmax: no logits, want at least one")
	}
	checkFinite(fn, "logits", logits)
	out := append([]float64(nil), logits...)
	logSoftmaxInPlace(out)
	return out
}

// Softmax maps logits to the categorical probabilities π(a|s) = e^{z_a}/Σ_b e^{z_b}
// (exp of [LogSoftmax], so it never overflows).
func Softmax(logits []float64) []float64 {
	out := LogSoftmax(logits)
	for i, l := range out {
		out[i] = math.Exp(l)
	}
	return out
}

// DiagGaussianLogProb is the log-likelihood of action a under a diagonal
// Gaussian with means mu and log standard deviations logStd, the tutorial's
// formula written literally:
//
//	log π(a|s) = −½ ( n log 2π + Σ_i [ (a_i − μ_i)²/σ_i² + 2 log σ_i ] ).
func DiagGaussianLogProb(a, mu, logStd []float64) float64 {
	const fn = "DiagGaussianLogProb"
	checkSameLen(fn, "a", len(a), "mu", len(mu))
	checkSameLen(fn, "a", len(a), "logStd", len(logStd))
	if len(a) == 0 {
		panic("vpg.DiagGaussianLogProb: empty action, want dimension n ≥ 1")
	}
	checkFinite(fn, "a", a)
	checkFinite(fn, "mu", mu)
	checkFinite(fn, "logStd", logStd)
	n := float64(len(a))
	sum := 0.0
	for i := range a {
		sigma := math.Exp(logStd[i])
		d := a[i] - mu[i]
		sum += d*d/(sigma*sigma) + 2*logStd[i]
	}
	return -0.5 * (n*math.Log(2*math.Pi) + sum)
}

// NormalPDF is the 1-D normal density N(x; μ, σ) = exp(−(x−μ)²/2σ²)/(σ√(2π)).
func NormalPDF(x, mu, sigma float64) float64 {
	if !(sigma > 0) || math.IsInf(sigma, 0) {
		panic(fmt.Sprintf("vpg.NormalPDF: sigma = %v, want a finite number > 0", sigma))
	}
	z := (x - mu) / sigma
	return math.Exp(-0.5*z*z) / (sigma * math.Sqrt(2*math.Pi))
}
