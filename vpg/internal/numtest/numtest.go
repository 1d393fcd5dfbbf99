// Package numtest holds what the numeric tests of vpg and vpg/pg share:
// a relative comparison of floats, element by element for slices, and
// random inputs.
package numtest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Near reports whether a is within eps·(1+|b|) of b.
func Near(a, b, eps float64) bool { return math.Abs(a-b) <= eps*(1+math.Abs(b)) }

// Slices fails t unless got and want have the same length and every got[i]
// is Near want[i]; what names the quantity in the message.
func Slices(t testing.TB, what string, got, want []float64, eps float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !Near(got[i], want[i], eps) {
			t.Errorf("%s[%d] = %.15g, want %.15g", what, i, got[i], want[i])
		}
	}
}

// Normal is n draws of scale·N(0, 1) from r.
func Normal(r *rand.Rand, n int, scale float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = scale * r.NormFloat64()
	}
	return x
}
