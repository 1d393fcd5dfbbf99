package nb

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/display"
	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// failure runs f and returns the exit code and the stderr line of a failure,
// or -1 and "" if f returned normally.
func failure(t *testing.T, f func()) (code int, msg string) {
	t.Helper()
	return cellfail.Capture(f)
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestStatistics(t *testing.T) {
	// By hand: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5 and Σ(x − 5)² = 32, so the
	// sample variance is 32/7 and the standard error √(32/7)/√8.
	xs := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"Sum", Sum(xs), 40},
		{"Mean", Mean(xs), 5},
		{"Var", Var(xs), 32.0 / 7},
		{"Std", Std(xs), math.Sqrt(32.0 / 7)},
		{"StdErr", StdErr(xs), math.Sqrt(32.0/7) / math.Sqrt(8)},
		{"Correlation", Correlation([]float64{1, 2, 3}, []float64{2, 4, 6}), 1},
		{"Correlation", Correlation([]float64{1, 2, 3}, []float64{3, 1, 2}), -0.5},
	} {
		if !near(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestVectors(t *testing.T) {
	a, b := []float64{3, 4}, []float64{3, 1}
	if Dot(a, b) != 13 || Norm(a) != 5 || MaxAbsDiff(a, b) != 3 || RelDiff(a, b) != 3.0/5 {
		t.Errorf("Dot %v, Norm %v, MaxAbsDiff %v, RelDiff %v; want 13, 5, 3, 0.6", Dot(a, b), Norm(a), MaxAbsDiff(a, b), RelDiff(a, b))
	}
	if i := Argmax([]float64{1, 7, 3, 7}); i != 1 {
		t.Errorf("Argmax = %d, want 1 (the first of the ties)", i)
	}
}

func TestAxes(t *testing.T) {
	if r := Range(3); len(r) != 3 || r[0] != 0 || r[2] != 2 {
		t.Errorf("Range(3) = %v", r)
	}
	if g := Grid(-1, 1, 5); len(g) != 5 || g[0] != -1 || g[2] != 0 || g[4] != 1 {
		t.Errorf("Grid(−1, 1, 5) = %v, want −1, −0.5, 0, 0.5, 1", g)
	}
	type row struct{ R float64 }
	if m := Map([]row{{1}, {2.5}}, func(r row) float64 { return r.R }); len(m) != 2 || m[1] != 2.5 {
		t.Errorf("Map = %v", m)
	}
	if l := Labels([]float64{0.26, 1}, "%.1f"); strings.Join(l, " ") != "0.3 1.0" {
		t.Errorf("Labels = %v", l)
	}
	t.Setenv("GONB_TMP_DIR", "/some/dir")
	if p := TempPath("x.json"); p != filepath.Join("/some/dir", "x.json") {
		t.Errorf("TempPath = %q", p)
	}
}

func TestMust(t *testing.T) {
	if v := Must(42, nil); v != 42 {
		t.Errorf("Must(42, nil) = %v", v)
	}
	code, msg := failure(t, func() { Must(0, errors.New("vpg: bad config")) })
	if code != 1 || msg != "✗ vpg: bad config" {
		t.Errorf("Must with an error: exit %d, stderr %q; want 1 and the error on one line", code, msg)
	}
	code, msg = failure(t, func() { NoError(errors.New("disk full")) })
	if code != 1 || msg != "✗ disk full" {
		t.Errorf("NoError: exit %d, stderr %q", code, msg)
	}
	if code, _ := failure(t, func() { NoError(nil) }); code != -1 {
		t.Errorf("NoError(nil) exited with %d", code)
	}
}

func TestBadInput(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func()
		want string
	}{
		{"empty mean", func() { Mean(nil) }, "nb.Mean: 0 values, want at least 1"},
		{"one-value std", func() { Std([]float64{1}) }, "nb.Std: 1 values, want at least 2"},
		{"NaN", func() { Mean([]float64{1, math.NaN()}) }, "nb.Mean: value [1] is NaN"},
		{"Inf", func() { Norm([]float64{math.Inf(1)}) }, "nb.Norm: value [0] is +Inf"},
		{"lengths", func() { Dot([]float64{1}, []float64{1, 2}) }, "nb.Dot: slices of 1 and 2 values"},
		{"constant", func() { Correlation([]float64{1, 1}, []float64{1, 2}) }, "constant"},
		{"zero a", func() { RelDiff([]float64{0}, []float64{1}) }, "all zeros"},
		{"range", func() { Range(-1) }, "n = -1"},
		{"grid", func() { Grid(0, 1, 1) }, "n = 1, want n ≥ 2"},
		{"no points", func() { PointsWithLines(display.Axes{}, nil) }, "nb.PointsWithLines: display.Scatter: no series"},
	} {
		code, msg := failure(t, c.f)
		if code != 1 || !strings.HasPrefix(msg, "✗ ") || !strings.Contains(msg, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want 1 and a line containing %q", c.name, code, msg, c.want)
		}
	}
}
