package nb

import (
	"math"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

func TestAgrees(t *testing.T) {
	lib := []float64{3, 2, 1}
	for _, c := range []struct {
		yours []float64
		ok    bool
		want  string
	}{
		{[]float64{3, 2, 1 + 1e-12}, true, "✓ mine equals vpg.X on a batch (largest difference 1e-12)"},
		{[]float64{3, 2.5, 1}, false, "⚠ mine differs from vpg.X on a batch: largest difference 0.5 at [1] (yours 2.5, built-in 2), 16.7% of the built-in's largest |value| 3."},
		{[]float64{3, 2}, false, "⚠ mine returned 2 numbers where vpg.X returns 3"},
		{[]float64{3, math.NaN(), 1}, false, "⚠ mine returned NaN at [1]"},
	} {
		var out strings.Builder
		ok := agrees(&out, "mine", c.yours, "vpg.X", lib, 1e-9, "on a batch")
		if ok != c.ok || !strings.HasPrefix(out.String(), c.want) {
			t.Errorf("agrees(%v) = %v,\n%s\nwant %v and a line starting %q", c.yours, ok, out.String(), c.ok, c.want)
		}
	}
}

func TestWeightsNamesABrokenPsi(t *testing.T) {
	tr := Must(vpg.NewTrainer(tinyConfig()))
	b := Must(tr.Collect())
	if w := Weights(tr, b, pg.FutureReturnPsi); len(w) != b.Len() {
		t.Errorf("Weights of pg.FutureReturnPsi: %d numbers for %d steps", len(w), b.Len())
	}
	if w := Weights(tr, b, myBrokenPsi); w != nil {
		t.Errorf("Weights of a broken Ψ = %d numbers, want nil", len(w))
	}
}
