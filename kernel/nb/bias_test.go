package nb

import (
	"math"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/pg"
)

func runBias(t *testing.T, psi pg.PsiFunc, gamma float64) (bool, string) {
	t.Helper()
	var out strings.Builder
	ok := biasTest(&out, psi, gamma)
	return ok, out.String()
}

// weighted is γ^t R_t, the unbiased weight for the discounted objective.
func weighted(p pg.Path) []float64 {
	psi := pg.RewardToGo(p.Rewards, p.Gamma)
	for t := range psi {
		psi[t] *= math.Pow(p.Gamma, float64(t))
	}
	return psi
}

func TestBiasTestAcceptsTheUnbiasedWeights(t *testing.T) {
	for _, psi := range []pg.PsiFunc{pg.FullReturnPsi, pg.FutureReturnPsi, pg.BaselinePsi, pg.GAEPsi} {
		if ok, out := runBias(t, psi, 1); !ok || strings.Contains(out, "⚠") {
			t.Errorf("%s at γ = 1 judged biased:\n%s", FuncName(psi), out)
		}
	}
	if ok, out := runBias(t, weighted, 0.9); !ok {
		t.Errorf("γ^t R_t at γ = 0.9 judged biased:\n%s", out)
	}
}

func TestBiasTestCatchesBiasedWeights(t *testing.T) {
	valueOnly := func(p pg.Path) []float64 { return append([]float64(nil), p.Values...) }
	undiscounted := func(p pg.Path) []float64 { return pg.RewardToGo(p.Rewards, 1) }
	for _, c := range []struct {
		name  string
		psi   pg.PsiFunc
		gamma float64
	}{
		{"V(s_t)", valueOnly, 1},
		{"R_t without γ^t", pg.FutureReturnPsi, 0.9},
		{"undiscounted R_t at γ = 0.9", undiscounted, 0.9},
	} {
		ok, out := runBias(t, c.psi, c.gamma)
		if ok || !strings.Contains(out, "⚠") || !strings.Contains(out, "is biased") {
			t.Errorf("%s passed the bias test:\n%s", c.name, out)
		}
	}
	// V(s_t) does not depend on the action: its estimates average to 0, so
	// the bias at θ = 0 is ∇J = 2 (exact: 2(p² − 4p + 2)/(p(1 − p)) at p = ½).
	_, out := runBias(t, valueOnly, 1)
	if !strings.Contains(out, "2.0000") {
		t.Errorf("the exact ∇J = 2 at θ = 0 is not printed:\n%s", out)
	}
}

func myBrokenPsi(p pg.Path) []float64 { return p.Rewards[:len(p.Rewards)-1] }

func myPanickingPsi(p pg.Path) []float64 { return []float64{p.Rewards[len(p.Rewards)]} }

func TestBiasTestNamesTheLearnersFunctionAndGoesOn(t *testing.T) {
	for _, c := range []struct {
		psi  pg.PsiFunc
		want string
	}{
		{myBrokenPsi, "⚠ nb.myBrokenPsi: the weight function returned"},
		{myPanickingPsi, "⚠ nb.myPanickingPsi panicked"},
	} {
		ok, out := runBias(t, c.psi, 1)
		if ok || !strings.Contains(out, c.want) {
			t.Errorf("got ok = %v and\n%s\nwant false and %q", ok, out, c.want)
		}
	}
	if got := FuncName(pg.FutureReturnPsi); got != "pg.FutureReturnPsi" {
		t.Errorf("FuncName(pg.FutureReturnPsi) = %q", got)
	}
}
