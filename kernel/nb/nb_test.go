package nb

import (
	"errors"
	"math"
	"testing"
)

func TestStats(t *testing.T) {
	x := []float64{2, 4, 4, 4, 5, 5, 7, 9} // the textbook example: mean 5, σ 2
	if Mean(x) != 5 || Std(x) != 2 {
		t.Errorf("Mean, Std = %v, %v; want 5, 2", Mean(x), Std(x))
	}
	if !math.IsNaN(Mean(nil)) {
		t.Error("Mean of nothing should be NaN")
	}
	if Norm([]float64{3, 4}) != 5 || Dot([]float64{1, 2}, []float64{3, 4}) != 11 {
		t.Error("Norm or Dot wrong")
	}
	if d := RelDiff([]float64{3, 4.5}, []float64{3, 4}); d != 0.1 {
		t.Errorf("RelDiff = %v, want 0.1", d)
	}
	if s := Steps(3); len(s) != 3 || s[2] != 2 {
		t.Errorf("Steps(3) = %v", s)
	}
}

func TestMust(t *testing.T) {
	if Must(3, nil) != 3 {
		t.Error("Must changed the value")
	}
	defer func() {
		if r := recover(); r == nil || r.(error).Error() != "boom" {
			t.Errorf("Must(err) panicked with %v, want the error", r)
		}
	}()
	Must(0, errors.New("boom"))
}

func TestLengthMismatch(t *testing.T) {
	defer func() {
		if r := recover(); r != "nb.Dot: lengths 1 and 2 differ" {
			t.Errorf("panic %v", r)
		}
	}()
	Dot([]float64{1}, []float64{1, 2})
}
