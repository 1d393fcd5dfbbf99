package pg

import (
	"fmt"
	"math"
)

// NonFinite is the index of the first NaN or ±Inf in xs, or −1 if every
// number is finite.
func NonFinite(xs []float64) int {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

// CheckFinite is nil if every number in xs is finite, and otherwise an
// error that names the first other one as name[i].
func CheckFinite(name string, xs []float64) error {
	if i := NonFinite(xs); i >= 0 {
		return fmt.Errorf("%s[%d] = %v, want finite numbers", name, i, xs[i])
	}
	return nil
}

// mustFinite panics with CheckFinite's error, prefixed with the function fn.
func mustFinite(fn, name string, xs []float64) {
	if err := CheckFinite(name, xs); err != nil {
		panic(fmt.Sprintf("pg.%s: %v", fn, err))
	}
}

func mustFiniteScalar(fn, name string, x float64) {
	if NonFinite([]float64{x}) >= 0 {
		panic(fmt.Sprintf("pg.%s: %s = %v, want a finite number", fn, name, x))
	}
}

func mustUnit(fn, name string, v float64) {
	if !(v >= 0 && v <= 1) { // also rejects NaN
		panic(fmt.Sprintf("pg.%s: %s = %v, want a number in [0, 1]", fn, name, v))
	}
}

func mustSameLen(fn, a string, la int, b string, lb int) {
	if la != lb {
		panic(fmt.Sprintf("pg.%s: len(%s) = %d but len(%s) = %d, want equal lengths", fn, a, la, b, lb))
	}
}
