package pg

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/internal/numtest"
)

const tol = 1e-12

// Hand-computed with rewards (1, 2, 3), values (10, 20, 30), V(s_T) = 40, γ = λ = ½.
func TestHandComputed(t *testing.T) {
	r, v := []float64{1, 2, 3}, []float64{10, 20, 30}
	if got := Return(r, 0.5); got != 2.75 { // 1 + ½·2 + ¼·3
		t.Errorf("Return = %v, want 2.75", got)
	}
	numtest.Slices(t, "RewardToGo", RewardToGo(r, 0.5), []float64{2.75, 3.5, 3}, tol)
	numtest.Slices(t, "NStepReturns n=1", NStepReturns(r, v, 40, 1, 0.5), []float64{11, 17, 23}, tol)
	numtest.Slices(t, "NStepReturns n=2", NStepReturns(r, v, 40, 2, 0.5), []float64{9.5, 13.5, 23}, tol)
	// δ = (1, −3, −7); A_2 = −7, A_1 = −3 + ¼(−7), A_0 = 1 + ¼A_1.
	adv, ret := GAE(r, v, 40, 0.5, 0.5)
	numtest.Slices(t, "GAE advantages", adv, []float64{-0.1875, -4.75, -7}, tol)
	numtest.Slices(t, "GAE returns", ret, []float64{7.75, 13.5, 23}, tol)
}

// Constant reward c for T steps: R_t = c(1−γ^{T−t})/(1−γ), or c(T−t) when γ = 1.
func TestRewardToGoConstantClosedForm(t *testing.T) {
	const c, T = 1.5, 50
	r := make([]float64, T)
	for i := range r {
		r[i] = c
	}
	for _, g := range []float64{0, 0.5, 0.9, 0.99, 1} {
		want := make([]float64, T)
		for i := range want {
			if g == 1 {
				want[i] = c * float64(T-i)
			} else {
				want[i] = c * (1 - math.Pow(g, float64(T-i))) / (1 - g)
			}
		}
		numtest.Slices(t, "RewardToGo", RewardToGo(r, g), want, 1e-12)
		if got := Return(r, g); !numtest.Near(got, want[0], 1e-12) {
			t.Errorf("Return(γ=%v) = %v, want %v", g, got, want[0])
		}
	}
}

// slowGAE sums the definition A_t = Σ_l (γλ)^l δ_{t+l} term by term.
func slowGAE(r, v []float64, last, g, l float64) []float64 {
	T := len(r)
	next := func(i int) float64 {
		if i+1 < T {
			return v[i+1]
		}
		return last
	}
	adv := make([]float64, T)
	for t := range T {
		for k := t; k < T; k++ {
			delta := r[k] + g*next(k) - v[k]
			adv[t] += math.Pow(g*l, float64(k-t)) * delta
		}
	}
	return adv
}

// GAE is the λ-weighted average of n-step advantages (GAE paper, eq. 16):
// A_t = (1−λ) Σ_{n≥1} λ^{n−1} (G_{t:t+n} − V_t); past the end every n-step
// return equals G_{t:T}, so the tail weights sum to λ^{T−t−1}.
func TestGAEIsWeightedNStepAdvantages(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 20 {
		T := 1 + trial
		r, v := numtest.Normal(rng, T, 1), numtest.Normal(rng, T, 3)
		last := rng.NormFloat64()
		g, l := rng.Float64(), rng.Float64()
		adv, _ := GAE(r, v, last, g, l)
		numtest.Slices(t, "GAE vs slow sum", adv, slowGAE(r, v, last, g, l), 1e-10)
		want := make([]float64, T)
		for n := 1; n <= T; n++ {
			G := NStepReturns(r, v, last, n, g)
			for i := range T {
				w := (1 - l) * math.Pow(l, float64(n-1))
				if n == T-i { // the full-length return carries the tail weight
					w = math.Pow(l, float64(n-1))
				}
				if n <= T-i {
					want[i] += w * (G[i] - v[i])
				}
			}
		}
		numtest.Slices(t, "GAE vs n-step mixture", adv, want, 1e-10)
	}
}

func TestGAEProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r, v := numtest.Normal(rng, 30, 1), numtest.Normal(rng, 30, 5)
	last, g := 2.5, 0.97
	// λ = 0: the one-step TD residual δ_t.
	adv0, _ := GAE(r, v, last, g, 0)
	td := make([]float64, len(r))
	for i := range r {
		next := last
		if i+1 < len(r) {
			next = v[i+1]
		}
		td[i] = r[i] + g*next - v[i]
	}
	numtest.Slices(t, "GAE(λ=0) vs δ", adv0, td, 1e-12)
	// λ = 1: reward-to-go with the bootstrap appended, minus V.
	adv1, ret := GAE(r, v, last, g, 1)
	boot := RewardToGo(append(append([]float64{}, r...), last), g)[:len(r)]
	for i := range boot {
		boot[i] -= v[i]
	}
	numtest.Slices(t, "GAE(λ=1) vs RewardToGo − V", adv1, boot, 1e-10)
	// returns don't depend on λ and equal the bootstrapped reward-to-go.
	for i := range ret {
		ret[i] -= v[i]
	}
	numtest.Slices(t, "GAE returns − V", ret, boot, 1e-10)
	// n ≥ T: the n-step return is the bootstrapped reward-to-go.
	for _, n := range []int{len(r), len(r) + 7} {
		G := NStepReturns(r, v, last, n, g)
		for i := range G {
			G[i] -= v[i]
		}
		numtest.Slices(t, "NStepReturns(n≥T) − V", G, boot, 1e-10)
	}
}

func TestNStepSlow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	r, v := numtest.Normal(rng, 12, 1), numtest.Normal(rng, 12, 1)
	last, g := -1.25, 0.9
	// V extended with V(s_T) = last: G_{t:t+n} = Σ_{k<m} γ^k r_{t+k} + γ^m V(s_{t+m}), m = min(n, T−t).
	ext := append(append([]float64{}, v...), last)
	for n := 1; n <= 14; n++ {
		got := NStepReturns(r, v, last, n, g)
		for i := range r {
			m := min(n, len(r)-i)
			want := math.Pow(g, float64(m)) * ext[i+m]
			for k := range m {
				want += math.Pow(g, float64(k)) * r[i+k]
			}
			if !numtest.Near(got[i], want, 1e-12) {
				t.Errorf("n=%d: G[%d] = %v, want %v", n, i, got[i], want)
			}
		}
	}
}

func TestEmptyTrajectories(t *testing.T) {
	if Return(nil, 0.9) != 0 || len(RewardToGo(nil, 0.9)) != 0 || len(NStepReturns(nil, nil, 1, 3, 0.9)) != 0 {
		t.Error("empty input should give 0 / empty output")
	}
	if a, r := GAE(nil, nil, 1, 0.9, 0.9); len(a) != 0 || len(r) != 0 {
		t.Error("GAE of an empty trajectory should be empty")
	}
}

// mustPanic runs f and checks that it panics with a message containing every want.
func mustPanic(t *testing.T, f func(), want ...string) {
	t.Helper()
	defer func() {
		t.Helper()
		p := recover()
		if p == nil {
			t.Fatalf("no panic, want one mentioning %q", want)
		}
		msg, _ := p.(string)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("panic %q does not mention %q", msg, w)
			}
		}
	}()
	f()
}

func TestBadInputPanics(t *testing.T) {
	r, v := []float64{1, 2}, []float64{0, 0}
	mustPanic(t, func() { Return(r, 1.5) }, "gamma = 1.5", "[0, 1]")
	mustPanic(t, func() { RewardToGo(r, math.NaN()) }, "gamma = NaN")
	mustPanic(t, func() { RewardToGo([]float64{1, math.Inf(1)}, 0.9) }, "rewards[1] = +Inf", "finite")
	mustPanic(t, func() { NStepReturns(r, v, 0, 0, 0.9) }, "n = 0", "n ≥ 1")
	mustPanic(t, func() { NStepReturns(r, v[:1], 0, 1, 0.9) }, "len(values) = 1", "len(rewards) = 2")
	mustPanic(t, func() { GAE(r, v, math.NaN(), 0.9, 0.9) }, "lastValue = NaN")
	mustPanic(t, func() { GAE(r, v, 0, 0.9, -0.1) }, "lambda = -0.1")
	mustPanic(t, func() { LogSoftmax(nil) }, "no logits")
	mustPanic(t, func() { DiagGaussianLogProb([]float64{1}, []float64{0, 0}, []float64{0}) }, "len(mu) = 2")
	mustPanic(t, func() { NormalPDF(0, 0, 0) }, "sigma = 0")
}

// A huge n means "to the end of the segment": the same as n = T, with no
// overflow in t+n.
func TestNStepHugeN(t *testing.T) {
	r, v := []float64{1, 2, 3}, []float64{0.5, -1, 4}
	want := NStepReturns(r, v, 7, 3, 0.5)
	// By hand, G_t = Σ γ^k r + γ^(T−t)·7 with γ = ½: G_2 = 3 + 3.5, G_1 = 2 + 3.25, G_0 = 1 + 2.625.
	numtest.Slices(t, "NStepReturns(n = T)", want, []float64{3.625, 5.25, 6.5}, 1e-15)
	for _, n := range []int{4, math.MaxInt - 1, math.MaxInt} {
		numtest.Slices(t, fmt.Sprintf("NStepReturns(n = %d)", n), NStepReturns(r, v, 7, n, 0.5), want, 0)
	}
}
