package tabular

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// meanSE is the sample mean of xs and its standard error s/√n.
func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)-1) / float64(len(xs)))
}

// within4SE fails the test unless the sample mean of xs is within 4 standard
// errors of want (a fixed seed makes it deterministic; 4 SE is a 1-in-15,000
// event for a right estimator).
func within4SE(t *testing.T, what string, xs []float64, want float64) {
	t.Helper()
	m, se := meanSE(xs)
	if math.Abs(m-want) > 4*se {
		t.Errorf("%s: sample mean %.4f ± %.4f (SE, n = %d), want %.4f within 4 SE", what, m, se, len(xs), want)
	}
}

func play(t *testing.T, c Corridor, n int, seed uint64) []Episode {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	eps := make([]Episode, n)
	for i := range eps {
		ep, err := c.Play(rng)
		if err != nil {
			t.Fatal(err)
		}
		eps[i] = ep
	}
	return eps
}

// evaluate is iterative policy evaluation on the corridor's dynamics (Next),
// a slow reference that shares no algebra with Values.
func evaluate(c Corridor) []float64 {
	p := c.PRight()
	V := make([]float64, CorridorStates)
	for range 200000 {
		delta := 0.0
		for s := range CorridorTerminal {
			v := -1 + p*V[c.Next(s, Right)] + (1-p)*V[c.Next(s, Left)]
			delta = math.Max(delta, math.Abs(v-V[s]))
			V[s] = v
		}
		if delta < 1e-13 {
			break
		}
	}
	return V
}

func TestCorridorDynamics(t *testing.T) {
	// Example 13.1: right moves right except in the second state, where it moves left.
	c := Corridor{}
	for _, tc := range []struct{ s, a, want int }{
		{0, Right, 1}, {0, Left, 0}, {1, Right, 0}, {1, Left, 2}, {2, Right, 3}, {2, Left, 1},
	} {
		if got := c.Next(tc.s, tc.a); got != tc.want {
			t.Errorf("Next(%d, %d) = %d, want %d", tc.s, tc.a, got, tc.want)
		}
	}
}

func TestCorridorValuesSolveBellman(t *testing.T) {
	for _, theta := range []float64{-2, -0.5, 0, 0.3466, 1, 3} {
		c := Corridor{Theta: theta}
		got, want := c.Values(), evaluate(c)
		for s := range want {
			if math.Abs(got[s]-want[s]) > 1e-9*math.Max(1, math.Abs(want[s])) {
				t.Errorf("θ = %g: V(%d) = %.12g, iterative policy evaluation gives %.12g", theta, s, got[s], want[s])
			}
		}
		if math.Abs(c.J()-got[0]) > 1e-12*math.Abs(got[0]) {
			t.Errorf("θ = %g: J = %v, want V(start) = %v", theta, c.J(), got[0])
		}
	}
}

func TestCorridorHandValues(t *testing.T) {
	// p = 1/2 by hand: V(1) = −(3 − ½)/(¼) = −10, V(0) = −2·(3/2)/(¼) = −12,
	// V(2) = −1 + ½·(−10) = −6; dJ/dθ = 2(¼ − 2 + 2)/(¼) = 2.
	c := Corridor{Theta: 0}
	want := []float64{-12, -10, -6, 0}
	for s, v := range c.Values() {
		if math.Abs(v-want[s]) > 1e-12 {
			t.Errorf("V(%d) = %v at p = 1/2, want %v", s, v, want[s])
		}
	}
	if g := c.Grad(); math.Abs(g-2) > 1e-12 {
		t.Errorf("dJ/dθ = %v at p = 1/2, want 2", g)
	}
}

func TestCorridorGradMatchesFiniteDifference(t *testing.T) {
	// Central difference of the slow reference J (policy evaluation), h = 1e-4.
	const h = 1e-4
	for _, theta := range []float64{-2, -0.5, 0, 0.5, 1, 3} {
		c := Corridor{Theta: theta}
		fd := (evaluate(Corridor{Theta: theta + h})[0] - evaluate(Corridor{Theta: theta - h})[0]) / (2 * h)
		if g := c.Grad(); math.Abs(g-fd) > 1e-5*math.Max(1, math.Abs(fd)) {
			t.Errorf("θ = %g: Grad = %.9g, central difference %.9g", theta, g, fd)
		}
	}
}

func TestCorridorOptimumIsTheBooks(t *testing.T) {
	// Sutton & Barto: the best p is ≈ 0.59 with v(start) ≈ −11.6. A grid over p
	// finds it without the derivative; Grad must vanish there.
	bestP, bestJ := 0.0, math.Inf(-1)
	for i := 1; i < 100000; i++ {
		p := float64(i) / 100000
		if j := (Corridor{Theta: math.Log(p / (1 - p))}).J(); j > bestJ {
			bestP, bestJ = p, j
		}
	}
	if math.Abs(bestP-(2-math.Sqrt2)) > 1e-5 || math.Abs(bestJ+11.6569) > 1e-3 {
		t.Errorf("grid optimum p = %.5f, J = %.4f; want p = 2 − √2 ≈ 0.58579, J ≈ −11.657", bestP, bestJ)
	}
	star := Corridor{Theta: math.Log(math.Sqrt2)} // σ(θ) = 2 − √2 ⇔ e^θ = √2
	if g := star.Grad(); math.Abs(g) > 1e-12 {
		t.Errorf("dJ/dθ at the optimum = %v, want 0", g)
	}
}

func TestCorridorMonteCarlo(t *testing.T) {
	// J against sampled returns from the start, V against the returns that
	// follow each visit of each state.
	c := Corridor{Theta: 0.4}
	V := c.Values()
	var returns []float64
	perState := make([][]float64, CorridorTerminal)
	for _, ep := range play(t, c, 20000, 11) {
		returns = append(returns, ep.FullReturnWeights()[0])
		for i, R := range ep.RewardToGoWeights() {
			perState[ep.States[i]] = append(perState[ep.States[i]], R)
		}
	}
	within4SE(t, "R(τ) as an estimate of J", returns, c.J())
	for s, Rs := range perState {
		within4SE(t, fmt.Sprintf("V(%d) from every-visit returns", s), Rs, V[s])
	}
}

func TestCorridorGradLogProbHasMeanZero(t *testing.T) {
	// The expected-grad-log-prob lemma: Σ_a π(a) ∇log π(a) = 0 exactly, and sampled.
	c := Corridor{Theta: -0.7}
	p := c.PRight()
	if e := p*c.GradLogProb(Right) + (1-p)*c.GradLogProb(Left); math.Abs(e) > 1e-15 {
		t.Errorf("Σ_a π(a)·∇log π(a) = %v, want 0", e)
	}
	var scores []float64
	for _, ep := range play(t, c, 5000, 5) {
		scores = append(scores, ep.GradLogProbs...)
	}
	within4SE(t, "∇θ log π(a_t|s_t) over all steps", scores, 0)
	// GradLogProb is the derivative of LogProb.
	const h = 1e-6
	for _, a := range []int{Left, Right} {
		fd := (Corridor{Theta: c.Theta + h}.LogProb(a) - Corridor{Theta: c.Theta - h}.LogProb(a)) / (2 * h)
		if math.Abs(fd-c.GradLogProb(a)) > 1e-8 {
			t.Errorf("action %d: GradLogProb = %v, central difference of LogProb %v", a, c.GradLogProb(a), fd)
		}
	}
}

func TestCorridorEstimatorsAreUnbiased(t *testing.T) {
	for _, theta := range []float64{-1, 0, math.Log(math.Sqrt2), 1.5} {
		c := Corridor{Theta: theta}
		estimators := map[string]func(Episode) []float64{
			"R(τ)":      Episode.FullReturnWeights,
			"R_t":       Episode.RewardToGoWeights,
			"R_t − V":   c.AdvantageWeights,
			"GAE λ=0":   func(ep Episode) []float64 { return c.GAEWeights(ep, 0) },
			"GAE λ=0.9": func(ep Episode) []float64 { return c.GAEWeights(ep, 0.9) },
		}
		eps := play(t, c, 20000, 3)
		for name, psi := range estimators {
			g := make([]float64, len(eps))
			for i, ep := range eps {
				g[i] = ep.Gradient(psi(ep))
			}
			within4SE(t, fmt.Sprintf("%s at θ = %.3g", name, theta), g, c.Grad())
		}
	}
}

func TestCorridorBiasIsDetected(t *testing.T) {
	// The same test flags a biased estimator: a weight that depends on the
	// action taken (R_t − 3·a_t) is not a baseline, and its mean is off by
	// −3·E[Σ_t a_t ∇log π(a_t)] = −3·T̄·p(1 − p).
	c := Corridor{Theta: 0}
	eps := play(t, c, 20000, 3)
	g := make([]float64, len(eps))
	for i, ep := range eps {
		psi := ep.RewardToGoWeights()
		for t, a := range ep.Actions {
			psi[t] -= 3 * float64(a)
		}
		g[i] = ep.Gradient(psi)
	}
	m, se := meanSE(g)
	if math.Abs(m-c.Grad()) < 4*se {
		t.Errorf("an action-dependent weight went unnoticed: mean %.3f ± %.3f vs exact %.3f", m, se, c.Grad())
	}
	// Expected length −J = 12, p(1 − p) = 1/4: bias −9.
	if want := c.Grad() - 3*12*0.25; math.Abs(m-want) > 4*se {
		t.Errorf("biased mean %.3f ± %.3f, want %.3f", m, se, want)
	}
}

func TestGAEWithLambdaOneIsTheAdvantage(t *testing.T) {
	c := Corridor{Theta: 0.2}
	for _, ep := range play(t, c, 50, 9) {
		a, g := c.AdvantageWeights(ep), c.GAEWeights(ep, 1)
		for i := range a {
			if math.Abs(a[i]-g[i]) > 1e-9 {
				t.Fatalf("step %d: GAE(λ = 1) = %v, R_t − V(s_t) = %v", i, g[i], a[i])
			}
		}
	}
}

func TestCorridorBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func()
		want string
	}{
		{"NaN θ", func() { Corridor{Theta: math.NaN()}.J() }, "θ = NaN"},
		{"θ = 40", func() { Corridor{Theta: 40}.Grad() }, "strictly between 0 and 1"},
		{"state 3", func() { Corridor{}.Next(3, Right) }, "non-terminal"},
		{"action 2", func() { Corridor{}.Next(0, 2) }, "0 (left) or 1 (right)"},
		{"weights", func() { Episode{GradLogProbs: []float64{1}}.Gradient(nil) }, "one per step"},
	} {
		msg := func() (msg string) {
			defer func() { msg, _ = recover().(string) }()
			tc.f()
			return ""
		}()
		if !strings.Contains(msg, tc.want) {
			t.Errorf("%s: panic %q, want one containing %q", tc.name, msg, tc.want)
		}
	}
	// p = σ(−30) ≈ 1e-13: an episode would take ~10¹³ steps.
	_, err := Corridor{Theta: -30}.Play(rand.New(rand.NewPCG(1, 1)))
	if err == nil || !strings.Contains(err.Error(), "θ = -30") {
		t.Errorf("Play at θ = −30: error %v, want one naming θ", err)
	}
}
