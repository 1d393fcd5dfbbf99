package nb

import (
	"fmt"
	"math"
)

// Must returns v, or stops the cell with err.
func Must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Check stops the cell with err if it is not nil.
func Check(err error) {
	if err != nil {
		panic(err)
	}
}

// Mean is the arithmetic mean of x (NaN for an empty slice).
func Mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// Std is the population standard deviation of x (NaN for an empty slice).
func Std(x []float64) float64 {
	m := Mean(x)
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}

// Dot is Σ a_i b_i.
func Dot(a, b []float64) float64 {
	sameLen("Dot", a, b)
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Norm is the Euclidean length ‖x‖.
func Norm(x []float64) float64 { return math.Sqrt(Dot(x, x)) }

// Sub is a − b, element by element.
func Sub(a, b []float64) []float64 {
	sameLen("Sub", a, b)
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d
}

// RelDiff is ‖a − b‖ / ‖b‖: how far a is from the reference b.
func RelDiff(a, b []float64) float64 { return Norm(Sub(a, b)) / Norm(b) }

// Steps is 0, 1, …, n−1 as float64: the x axis of a per-step or per-epoch chart.
func Steps(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

func sameLen(fn string, a, b []float64) {
	if len(a) != len(b) {
		panic(fmt.Sprintf("nb.%s: lengths %d and %d differ", fn, len(a), len(b)))
	}
}
