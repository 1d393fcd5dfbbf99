package nb

import (
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/govpg/govpg/kernel/display"
	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// Must returns v, or ends the cell with err's message when err is not nil:
//
//	t := nb.Must(vpg.NewTrainer(cfg))
func Must[T any](v T, err error) T {
	if err != nil {
		cellfail.Fail("%v", err)
	}
	return v
}

// NoError ends the cell with err's message when err is not nil, for calls that
// return only an error:
//
//	nb.NoError(t.Save(path))
func NoError(err error) {
	if err != nil {
		cellfail.Fail("%v", err)
	}
}

// Mean is the average of xs.
func Mean(xs []float64) float64 {
	check("Mean", xs, 1)
	return mean(xs)
}

// Var is the sample variance Σ(x − x̄)²/(n − 1), the unbiased estimate from n ≥ 2 values.
func Var(xs []float64) float64 {
	check("Var", xs, 2)
	m, ss := mean(xs), 0.0
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	return ss / float64(len(xs)-1)
}

// Std is the sample standard deviation √Var(xs).
func Std(xs []float64) float64 {
	check("Std", xs, 2)
	return math.Sqrt(Var(xs))
}

// StdErr is the standard error of the mean, Std(xs)/√n: how far Mean(xs) typically
// is from the true mean.
func StdErr(xs []float64) float64 {
	check("StdErr", xs, 2)
	return Std(xs) / math.Sqrt(float64(len(xs)))
}

// Correlation is Pearson's correlation coefficient of x and y, in [−1, 1].
func Correlation(x, y []float64) float64 {
	checkPair("Correlation", x, y, 2)
	mx, my := mean(x), mean(y)
	var sxy, sxx, syy float64
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
		syy += (y[i] - my) * (y[i] - my)
	}
	if sxx == 0 || syy == 0 {
		cellfail.Fail("nb.Correlation: one of the slices is constant, so the correlation is undefined")
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Dot is Σ a[i]·b[i].
func Dot(a, b []float64) float64 {
	checkPair("Dot", a, b, 0)
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// Norm is the Euclidean length ‖xs‖.
func Norm(xs []float64) float64 {
	check("Norm", xs, 0)
	return math.Sqrt(Dot(xs, xs))
}

// MaxAbsDiff is the largest |a[i] − b[i]|.
func MaxAbsDiff(a, b []float64) float64 {
	checkPair("MaxAbsDiff", a, b, 0)
	worst := 0.0
	for i := range a {
		worst = math.Max(worst, math.Abs(a[i]-b[i]))
	}
	return worst
}

// Sub is a − b, element by element.
func Sub(a, b []float64) []float64 {
	checkPair("Sub", a, b, 0)
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	return d
}

// RelDiff is ‖a − b‖/‖a‖: the size of the difference relative to a.
func RelDiff(a, b []float64) float64 {
	checkPair("RelDiff", a, b, 1)
	na := Norm(a)
	if na == 0 {
		cellfail.Fail("nb.RelDiff: a is all zeros, so a difference relative to it is undefined")
	}
	return Norm(Sub(a, b)) / na
}

// Argmax is the index of the largest value (the first one on ties).
func Argmax(xs []float64) int {
	check("Argmax", xs, 1)
	best := 0
	for i, x := range xs {
		if x > xs[best] {
			best = i
		}
	}
	return best
}

// Range is 0, 1, …, n−1 as float64: the x axis of a per-step or per-epoch chart.
func Range(n int) []float64 {
	if n < 0 {
		cellfail.Fail("nb.Range: n = %d, want n ≥ 0", n)
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(i)
	}
	return xs
}

// Grid is n evenly spaced values from lo to hi, both included.
func Grid(lo, hi float64, n int) []float64 {
	if n < 2 {
		cellfail.Fail("nb.Grid: n = %d, want n ≥ 2 (the grid includes both ends)", n)
	}
	if math.IsNaN(lo) || math.IsInf(lo, 0) || math.IsNaN(hi) || math.IsInf(hi, 0) {
		cellfail.Fail("nb.Grid: ends %v and %v, want finite numbers", lo, hi)
	}
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return xs
}

// Map applies f to every element of xs, e.g. one field of every epoch's metrics:
//
//	returns := nb.Map(t.History(), func(m vpg.EpochMetrics) float64 { return m.MeanReturn })
func Map[T any](xs []T, f func(T) float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// Labels formats every value with format (e.g. "%.1f"), for chart categories.
func Labels(xs []float64, format string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf(format, x)
	}
	return out
}

// TempPath is a path for a file that a later cell reads back (every cell is a
// separate program): name inside GoNB's temporary directory, which lives as long
// as the kernel, or inside the system's when not running under GoNB.
func TempPath(name string) string {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, name)
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// check ends the cell unless xs has at least minLen values, all finite.
func check(fn string, xs []float64, minLen int) {
	if len(xs) < minLen {
		cellfail.Fail("nb.%s: %d values, want at least %d", fn, len(xs), minLen)
	}
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			cellfail.Fail("nb.%s: value [%d] is %v, want finite numbers", fn, i, x)
		}
	}
}

// checkPair is check of both slices, which must also have the same length.
func checkPair(fn string, a, b []float64, minLen int) {
	check(fn, a, minLen)
	check(fn, b, minLen)
	if len(a) != len(b) {
		cellfail.Fail("nb.%s: slices of %d and %d values, want equal lengths", fn, len(a), len(b))
	}
}

// PointsWithLines draws points (a scatter, e.g. clouds of samples) and lines over
// them on the same axes (e.g. a dashed true value), which display.Scatter alone
// cannot.
func PointsWithLines(a display.Axes, points []display.Series, lines ...display.Series) {
	s, err := display.NewScatterWithLines(a, points, lines...)
	if err != nil {
		cellfail.Fail("nb.PointsWithLines: %v", err)
	}
	display.Chart(s)
}

// Sum is Σ xs.
func Sum(xs []float64) float64 {
	check("Sum", xs, 0)
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s
}
