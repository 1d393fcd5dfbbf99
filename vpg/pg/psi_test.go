package pg

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/internal/numtest"
)

// S_t = x_t + f·S_{t+1} with S_T = last, by hand for x = (1, 2, 3), last = 4,
// f = ½: S_2 = 3 + 2, S_1 = 2 + 2.5, S_0 = 1 + 2.25.
func TestDiscountedSumByHand(t *testing.T) {
	x := []float64{1, 2, 3}
	sums := make([]float64, 3)
	if got := DiscountedSum(sums, x, 4, 0.5); got != 3.25 {
		t.Errorf("S_0 = %v, want 3.25", got)
	}
	numtest.Slices(t, "sums", sums, []float64{3.25, 4.5, 5}, 0)
	if got := DiscountedSum(nil, x, 4, 0.5); got != 3.25 {
		t.Errorf("without sums: S_0 = %v, want 3.25", got)
	}
	if got := DiscountedSum(nil, nil, 4, 0.5); got != 4 {
		t.Errorf("empty: %v, want last = 4", got)
	}
	DiscountedSum(x, x, 4, 0.5) // in place
	numtest.Slices(t, "in place", x, sums, 0)
	mustPanic(t, func() { DiscountedSum(nil, x, 0, 1.5) }, "f = 1.5", "[0, 1]")
	mustPanic(t, func() { DiscountedSum(make([]float64, 2), x, 0, 0.5) }, "len(sums) = 2", "len(xs) = 3")
}

// The recursion equals its closed form S_t = Σ_{k≥t} f^{k−t} x_k + f^{T−t}·last.
func TestDiscountedSumClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, f := range []float64{0, 0.3, 0.99, 1} {
		x, last := numtest.Normal(rng, 25, 2), rng.NormFloat64()
		want := make([]float64, len(x))
		for i := range x {
			want[i] = math.Pow(f, float64(len(x)-i)) * last
			for k := i; k < len(x); k++ {
				want[i] += math.Pow(f, float64(k-i)) * x[k]
			}
		}
		got := make([]float64, len(x))
		DiscountedSum(got, x, last, f)
		numtest.Slices(t, "DiscountedSum", got, want, 1e-12)
	}
}

// The built-in Ψ functions on one path, by hand: rewards (1, 2, 3), values
// (10, 20, 30), V(s_T) = 40, γ = λ = ½, after two earlier steps worth 5.
func TestPsiByHand(t *testing.T) {
	p := Path{Rewards: []float64{1, 2, 3}, Values: []float64{10, 20, 30}, LastValue: 40,
		Gamma: 0.5, Lambda: 0.5, PastReturn: 5, PastLen: 2}
	// R_2 = 3 + ½·40, R_1 = 2 + ½R_2, R_0 = 1 + ½R_1.
	numtest.Slices(t, "FutureReturnPsi", FutureReturnPsi(p), []float64{7.75, 13.5, 23}, tol)
	numtest.Slices(t, "BaselinePsi", BaselinePsi(p), []float64{-2.25, -6.5, -7}, tol)
	// δ = (1, −3, −7); A_2 = −7, A_1 = −3 + ¼(−7), A_0 = 1 + ¼A_1.
	numtest.Slices(t, "GAEPsi", GAEPsi(p), []float64{-0.1875, -4.75, -7}, tol)
	// R(τ) = 5 + γ²·R_0: the piece's return discounted by the two steps before it.
	numtest.Slices(t, "FullReturnPsi", FullReturnPsi(p), []float64{6.9375, 6.9375, 6.9375}, tol)
	// The same as Return over the whole episode, earlier rewards (2, 6) and bootstrap included.
	if want := Return([]float64{2, 6, 1, 2, 3, 40}, 0.5); want != 6.9375 {
		t.Errorf("Return of the whole episode = %v, want 6.9375", want)
	}
	// A terminated path: FutureReturnPsi is RewardToGo, GAEPsi is GAE's advantages.
	p.LastValue, p.Terminal = 0, true
	numtest.Slices(t, "FutureReturnPsi, terminal", FutureReturnPsi(p), RewardToGo(p.Rewards, p.Gamma), 0)
	adv, _ := GAE(p.Rewards, p.Values, 0, p.Gamma, p.Lambda)
	numtest.Slices(t, "GAEPsi, terminal", GAEPsi(p), adv, 0)
}

func TestNormalizeAndMeanStd(t *testing.T) {
	if m, s := MeanStd([]float64{2, 4, 4, 4, 5, 5, 7, 9}); m != 5 || s != 2 {
		t.Errorf("MeanStd = %v, %v; want 5, 2", m, s)
	}
	w := Normalize([]float64{1, 2, 3, 4}) // mean 2.5, std √1.25
	s := math.Sqrt(1.25) + 1e-8
	numtest.Slices(t, "Normalize", w, []float64{-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, 1e-15)
	if m, sd := MeanStd(w); math.Abs(m) > 1e-15 || math.Abs(sd-1) > 1e-7 {
		t.Errorf("normalised: mean %v, std %v; want 0, 1", m, sd)
	}
}

func TestFiniteChecks(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		want int
	}{{nil, -1}, {[]float64{1, -2}, -1}, {[]float64{1, math.NaN(), math.Inf(1)}, 1}, {[]float64{math.Inf(-1)}, 0}} {
		if got := NonFinite(tt.xs); got != tt.want {
			t.Errorf("NonFinite(%v) = %d, want %d", tt.xs, got, tt.want)
		}
	}
	if err := CheckFinite("w", []float64{0, 1}); err != nil {
		t.Errorf("finite: %v", err)
	}
	if err := CheckFinite("w", []float64{0, 1, math.Inf(1)}); err == nil || !strings.Contains(err.Error(), "w[2] = +Inf, want finite numbers") {
		t.Errorf("CheckFinite: %v", err)
	}
}
