package pg

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
		panic("pg.LogSoftmax: no logits, want at least one")
	}
	mustFinite(fn, "logits", logits)
	out := append([]float64(nil), logits...)
	LogSoftmaxInPlace(out)
	return out
}

// LogSoftmaxInPlace is [LogSoftmax] without its checks and allocation, for
// a trainer's inner loop: it replaces z with z − log Σ_b e^{z_b}. z must
// hold at least one number; a NaN or +Inf in z makes every result NaN.
func LogSoftmaxInPlace(z []float64) {
	top := z[0]
	for _, x := range z[1:] {
		top = max(top, x)
	}
	sum := 0.0
	for _, x := range z {
		sum += math.Exp(x - top)
	}
	logSum := math.Log(sum)
	for i, x := range z {
		z[i] = (x - top) - logSum // exact for the largest logit
	}
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
//
//	log π(a|s) = −½ ( n log 2π + Σ_i [ (a_i − μ_i)²/σ_i² + 2 log σ_i ] ),
//
// computed per dimension as −½ z_i² − log σ_i − ½ log 2π with
// z_i = (a_i − μ_i)·exp(−log σ_i), never forming σ² (which under- or
// overflows for |log σ| beyond about 354). It is +Inf or −Inf only when the
// true value lies beyond float64's range: −Inf when a_i ≠ μ_i under a
// vanishing σ_i, since the density there is 0.
func DiagGaussianLogProb(a, mu, logStd []float64) float64 {
	const fn = "DiagGaussianLogProb"
	mustSameLen(fn, "a", len(a), "mu", len(mu))
	mustSameLen(fn, "a", len(a), "logStd", len(logStd))
	if len(a) == 0 {
		panic("pg.DiagGaussianLogProb: empty action, want dimension n ≥ 1")
	}
	mustFinite(fn, "a", a)
	mustFinite(fn, "mu", mu)
	mustFinite(fn, "logStd", logStd)
	halfLog2Pi := 0.5 * math.Log(2*math.Pi)
	sum := 0.0
	for i := range a {
		z := 0.0
		switch d := a[i] - mu[i]; {
		case math.IsInf(d, 0): // a − μ overflowed; halves cannot
			z = 2 * ((a[i]/2 - mu[i]/2) * math.Exp(-logStd[i]))
		case d != 0: // d = 0 stays 0 even when exp(−log σ) = +Inf
			z = d * math.Exp(-logStd[i])
		}
		zz := z * z
		if math.IsInf(zz, 0) {
			return math.Inf(-1) // this dimension's density is 0 in float64
		}
		sum += -0.5*zz - logStd[i] - halfLog2Pi
	}
	return sum
}

// NormalPDF is the 1-D normal density N(x; μ, σ) = exp(−(x−μ)²/2σ²)/(σ√(2π)).
// It is +Inf only when the density exceeds float64's range (x = μ with σ
// below about 4·10⁻³⁰⁹) and 0 when it underflows.
func NormalPDF(x, mu, sigma float64) float64 {
	const fn = "NormalPDF"
	if !(sigma > 0) || math.IsInf(sigma, 0) {
		panic(fmt.Sprintf("pg.NormalPDF: sigma = %v, want a finite number > 0", sigma))
	}
	mustFiniteScalar(fn, "x", x)
	mustFiniteScalar(fn, "mu", mu)
	z := (x - mu) / sigma
	// Dividing by σ and √(2π) separately keeps the density of a huge σ
	// from underflowing through their product overflowing.
	return math.Exp(-0.5*z*z) / sigma / math.Sqrt(2*math.Pi)
}
