package nn

import (
	"math"
	"testing"
	"time"
)

// Each peak kernel runs and reports a positive rate; the vector ones do
// what their flop count says: their accumulators start at 0 and add 0·0,
// so they return 0, and the Go one's value is the closed form of its
// recurrence.
func TestPeakKernels(t *testing.T) {
	for _, k := range peakKernels() {
		got := k.run(1000)
		if k.name != "Go scalar" && got != 0 {
			t.Errorf("%s returned %v, want 0", k.name, got)
		}
		if g := measurePeak(k, 1, 5*time.Millisecond); !(g > 0) {
			t.Errorf("%s: %v GFLOP/s", k.name, g)
		}
	}
	// s ← s·x + y from 0, 3 times: y·(1 + x + x²), for each of 12 sums
	// (to rounding: some targets fuse the multiply-add).
	x, y := 0.999999, 1e-7
	want := 12 * y * (1 + x + x*x)
	if got := float64(fmaGo(3)); math.Abs(got-want) > 1e-6*want {
		t.Errorf("fmaGo(3) = %v, want %v", got, want)
	}
}
