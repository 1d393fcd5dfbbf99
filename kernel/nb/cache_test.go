package nb

import (
	"math"
	"testing"
)

func TestCachedComputesOncePerSettings(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	calls := 0
	curve := func() []float64 { calls++; return []float64{1, 2.5, float64(calls)} }
	a := Cached("test curves", curve, 3, []uint64{0, 1})
	b := Cached("test curves", curve, 3, []uint64{0, 1})
	if calls != 1 || a[2] != 1 || b[2] != 1 || b[1] != 2.5 {
		t.Errorf("same key and settings: %d computations, results %v and %v; want 1 and equal results", calls, a, b)
	}
	if c := Cached("test curves", curve, 3, []uint64{0, 2}); calls != 2 || c[2] != 2 {
		t.Errorf("other seeds: %d computations, result %v; want a second computation", calls, c)
	}
	if Cached("other curves", curve, 3, []uint64{0, 1}); calls != 3 {
		t.Errorf("other key: %d computations, want 3", calls)
	}
}

// NaN (an epoch in which no episode ended) and structs come back as stored.
func TestCachedKeepsNaNAndStructs(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	type epoch struct {
		Return float64
		Losses []float64
	}
	calls := 0
	runs := func() [2][]epoch {
		calls++
		return [2][]epoch{{{math.NaN(), []float64{1, 0.5}}}, {{7, nil}, {-1, []float64{2}}}}
	}
	Cached("nan runs", runs)
	got := Cached("nan runs", runs)
	if calls != 1 || !math.IsNaN(got[0][0].Return) || got[0][0].Losses[1] != 0.5 || len(got[1]) != 2 || got[1][1].Losses[0] != 2 {
		t.Errorf("%d computations, read back %+v", calls, got)
	}
}
