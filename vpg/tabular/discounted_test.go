package tabular

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/govpg/govpg/vpg/pg"
)

// seriesValues is V_γ = Σ_k γ^k P^k r summed term by term: a reference that
// shares no algebra with the linear solve.
func seriesValues(c Corridor, gamma float64) []float64 {
	p := c.PRight()
	V := make([]float64, CorridorStates)
	term := []float64{-1, -1, -1, 0} // γ^k P^k r
	for range 100000 {
		next := make([]float64, CorridorStates)
		for s := range CorridorTerminal {
			V[s] += term[s]
			next[s] = gamma * (p*term[c.Next(s, Right)] + (1-p)*term[c.Next(s, Left)])
		}
		term = next
		if math.Abs(term[0])+math.Abs(term[1])+math.Abs(term[2]) < 1e-15 {
			break
		}
	}
	return V
}

func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, got, want)
	}
}

func TestDiscountedValuesMatchTheSeries(t *testing.T) {
	for _, th := range []float64{-1, 0, 0.7} {
		c := Corridor{Theta: th}
		for _, gamma := range []float64{0.5, 0.9, 0.99, 1} {
			got, want := c.DiscountedValues(gamma), seriesValues(c, gamma)
			for s := range CorridorStates {
				near(t, "V_γ", got[s], want[s], 1e-9)
			}
		}
		// γ = 1 is the book's closed form.
		for s, v := range c.Values() {
			near(t, "V_1", c.DiscountedValues(1)[s], v, 1e-12)
		}
	}
}

func TestDiscountedGradMatchesFiniteDifferenceAndTheorem(t *testing.T) {
	const h = 1e-5
	for _, th := range []float64{-1.5, 0, 0.3, 1.2} {
		c := Corridor{Theta: th}
		near(t, "DiscountedGrad(1)", c.DiscountedGrad(1), c.Grad(), 1e-10)
		for _, gamma := range []float64{0.5, 0.9, 1} {
			fd := (Corridor{Theta: th + h}.DiscountedJ(gamma) - Corridor{Theta: th - h}.DiscountedJ(gamma)) / (2 * h)
			near(t, "DiscountedGrad", c.DiscountedGrad(gamma), fd, 1e-7)
			near(t, "TheoremGrad", c.TheoremGrad(gamma), c.DiscountedGrad(gamma), 1e-10)
		}
	}
}

func TestVisitsAtGammaOneAreExpectedVisits(t *testing.T) {
	// Σ_s d₁(s) is the expected episode length, −J.
	c := Corridor{Theta: -0.4}
	d := c.Visits(1)
	near(t, "Σ visits", d[0]+d[1]+d[2], -c.J(), 1e-12)
	if d[0] < 1 {
		t.Errorf("visits of the start %.4f, want at least 1", d[0])
	}
}

// discountedFromStart weighs step t with γ^t R_t: the unbiased estimator of ∇J_γ.
func discountedFromStart(p pg.Path) []float64 {
	psi := pg.RewardToGo(p.Rewards, p.Gamma)
	for t := range psi {
		psi[t] *= math.Pow(p.Gamma, float64(t))
	}
	return psi
}

func valuesOnly(p pg.Path) []float64 { return append([]float64(nil), p.Values...) }

func sampleGrads(t *testing.T, c Corridor, psi pg.PsiFunc, gamma float64) []float64 {
	t.Helper()
	g, err := c.PsiGradients(psi, gamma, 0.9, 20000, rand.New(rand.NewPCG(7, 8)))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestPsiGradientsKnownCases(t *testing.T) {
	c := Corridor{Theta: -1}
	for _, tc := range []struct {
		name string
		psi  pg.PsiFunc
	}{{"R(τ)", pg.FullReturnPsi}, {"R_t", pg.FutureReturnPsi}, {"R_t − V", pg.BaselinePsi}, {"GAE", pg.GAEPsi}} {
		within4SE(t, tc.name+" at γ = 1", sampleGrads(t, c, tc.psi, 1), c.Grad())
	}
	// Ψ_t = V(s_t) does not depend on a_t: the estimate averages to zero, far from ∇J.
	g := sampleGrads(t, c, valuesOnly, 1)
	within4SE(t, "V(s_t)", g, 0)
	if m, se := meanSE(g); math.Abs(m-c.Grad()) < 10*se {
		t.Errorf("V(s_t): mean %.3f ± %.3f, want far from ∇J = %.3f", m, se, c.Grad())
	}
	// γ < 1: γ^t R_t is unbiased for ∇J_γ; R_t without γ^t averages to the
	// undiscounted-visits sum, a different number (Nota & Thomas 2020).
	const gamma = 0.8
	within4SE(t, "γ^t R_t", sampleGrads(t, c, discountedFromStart, gamma), c.DiscountedGrad(gamma))
	g = sampleGrads(t, c, pg.FutureReturnPsi, gamma)
	within4SE(t, "R_t at γ = 0.8", g, c.UndiscountedWeightGrad(gamma))
	if m, se := meanSE(g); math.Abs(m-c.DiscountedGrad(gamma)) < 10*se {
		t.Errorf("R_t at γ = %g: mean %.3f ± %.3f, want far from ∇J_γ = %.3f", gamma, m, se, c.DiscountedGrad(gamma))
	}
}

func TestPsiGradientsBadWeights(t *testing.T) {
	c := Corridor{}
	short := func(p pg.Path) []float64 { return p.Rewards[1:] }
	if _, err := c.PsiGradients(short, 1, 0.9, 10, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("a weight function returning one number too few: no error")
	}
	inf := func(p pg.Path) []float64 { w := make([]float64, len(p.Rewards)); w[0] = math.Inf(1); return w }
	if _, err := c.PsiGradients(inf, 1, 0.9, 10, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("a weight function returning +Inf: no error")
	}
	if _, err := c.PsiGradients(pg.FutureReturnPsi, 1, 1.5, 10, rand.New(rand.NewPCG(1, 1))); err == nil {
		t.Error("λ = 1.5: no error")
	}
}
