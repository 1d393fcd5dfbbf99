package nb

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"reflect"
	"runtime"
	"strings"

	"github.com/govpg/govpg/vpg/pg"
	"github.com/govpg/govpg/vpg/tabular"
)

// The bias test's settings: three policies of the short corridor, on both
// sides of its optimum p ≈ 0.586 (θ ≈ 0.35), where ∇J is far from zero.
var biasThetas = []float64{-1, 0, 1.5}

const (
	biasEpisodes = 20000 // per θ: a standard error of a few percent of ∇J for R_t
	biasLambda   = 0.95  // the λ a GAE-style Ψ sees in Path.Lambda
	biasZ        = 4     // |mean − ∇J| above 4 standard errors is called a bias
)

// BiasTest runs the weight function psi on Sutton & Barto's short corridor
// (Example 13.1, vpg/tabular) at three policies, with γ = 1, and prints for
// each the exact ∇J, the mean of psi's gradient estimates
// ĝ = Σ_t Ψ_t ∇θ log π(a_t|s_t) over 20,000 episodes with its standard error,
// and the bias in standard errors; then a verdict. psi sees each whole episode
// as a pg.Path whose Values are the exact V^π(s_t). It reports true when no
// θ shows a bias beyond 4 standard errors. A psi that fails gets a ⚠, not a
// halted cell: it is the learner's function, not the library's claim.
//
//	nb.BiasTest(myReturn)
func BiasTest(psi pg.PsiFunc) bool { return biasTest(os.Stdout, psi, 1) }

// BiasTestGamma is BiasTest with discount γ: the truth is then the gradient of
// the discounted objective J_γ = E[Σ_t γ^t r_{t+1}], which needs the γ^t in
// front of each term (Nota & Thomas 2020); R_t alone is biased for it.
func BiasTestGamma(psi pg.PsiFunc, gamma float64) bool {
	if !(gamma > 0 && gamma <= 1) {
		fmt.Printf("⚠ nb.BiasTestGamma: γ = %v, want 0 < γ ≤ 1\n", gamma)
		return false
	}
	return biasTest(os.Stdout, psi, gamma)
}

func biasTest(w io.Writer, psi pg.PsiFunc, gamma float64) (ok bool) {
	name := FuncName(psi)
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(w, "⚠ %s panicked on the corridor: %v\n", name, p)
			ok = false
		}
	}()
	target := "∇J"
	if gamma < 1 {
		target = "∇J_γ"
	}
	fmt.Fprintf(w, "Bias test of %s on the short corridor (Sutton & Barto, Example 13.1): γ = %g, %d episodes per θ\n", name, gamma, biasEpisodes)
	fmt.Fprintf(w, "%6s %9s %11s %20s %10s %10s\n", "θ", "P(right)", "exact "+target, "mean ĝ ± SE", "bias", "in SE")
	ok = true
	worst, worstTheta := 0.0, 0.0
	for i, theta := range biasThetas {
		c := tabular.Corridor{Theta: theta}
		g, err := c.PsiGradients(psi, gamma, biasLambda, biasEpisodes, rand.New(rand.NewPCG(uint64(i)+1, 17)))
		if err != nil {
			fmt.Fprintf(w, "⚠ %s: %s\n", name, strings.TrimPrefix(err.Error(), "tabular: "))
			return false
		}
		exact, m, se := c.DiscountedGrad(gamma), Mean(g), StdErr(g)
		z := math.Inf(1)
		if se > 0 {
			z = (m - exact) / se
		} else if m == exact {
			z = 0
		}
		fmt.Fprintf(w, "%6.2g %9.3f %11.4f %12.4f ± %-7.4f %+10.4f %+10.1f\n", theta, c.PRight(), exact, m, se, m-exact, z)
		if math.Abs(z) > biasZ {
			ok = false
		}
		if math.Abs(z) > math.Abs(worst) {
			worst, worstTheta = z, theta
		}
	}
	if ok {
		fmt.Fprintf(w, "→ unbiased as far as %d episodes can tell: every mean is within %d standard errors of %s\n", biasEpisodes, biasZ, target)
	} else {
		fmt.Fprintf(w, "⚠ %s is biased: at θ = %g its mean is %.1f standard errors from the exact %s, more than chance explains\n", name, worstTheta, math.Abs(worst), target)
	}
	return ok
}

// FuncName is the name of function f as a learner wrote it: "myReturn" for a
// notebook's main.myReturn, "pg.FutureReturnPsi" for a library function.
func FuncName(f any) string {
	v := reflect.ValueOf(f)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Sprintf("%v", f)
	}
	fn := runtime.FuncForPC(v.Pointer())
	if fn == nil {
		return "your function"
	}
	return strings.TrimPrefix(path.Base(fn.Name()), "main.")
}
