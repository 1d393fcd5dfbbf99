package nn

import (
	"math"
	"testing"
)

// ulps is the number of float32 values between a and b.
func ulps(a, b float32) int64 {
	ia, ib := int64(math.Float32bits(a)), int64(math.Float32bits(b))
	if a < 0 {
		ia = -(ia &^ (1 << 31))
	}
	if b < 0 {
		ib = -(ib &^ (1 << 31))
	}
	if ia > ib {
		return ia - ib
	}
	return ib - ia
}

// TestTanh32 compares tanh32 with math.Tanh rounded to float32 on every
// float32 of [−16, 16] whose last 5 bits are zero (a few million values, all
// exponents), and at the edges. The bounds are tanh32's measured accuracy on
// every float32 of [0, 16] (see its doc): a change to its arithmetic that
// loses accuracy fails here.
func TestTanh32(t *testing.T) {
	var worst int64
	var at float32
	off, all := 0, 0
	for bits := uint32(0); ; bits += 1 << 5 {
		x := math.Float32frombits(bits)
		if x > 16 {
			break
		}
		for _, v := range []float32{x, -x} {
			want := float32(math.Tanh(float64(v)))
			got := tanh32(v)
			if got > 1 || got < -1 {
				t.Fatalf("tanh32(%v) = %v, outside [−1, 1]", v, got)
			}
			d := ulps(got, want)
			if d > worst {
				worst, at = d, v
			}
			if d > 0 {
				off++
			}
			all++
		}
		if tanh32(-x) != -tanh32(x) {
			t.Fatalf("tanh32(−%v) = %v, not −tanh32(%v) = %v", x, tanh32(-x), x, -tanh32(x))
		}
	}
	if worst > 6 {
		t.Errorf("tanh32(%v) is %d float32 steps from math.Tanh's %v, want ≤ 6", at, worst, float32(math.Tanh(float64(at))))
	}
	if share := float64(off) / float64(all); share > 0.065 {
		t.Errorf("%.1f%% of values differ from math.Tanh's rounding, want ≤ 6.5%%", 100*share)
	}
	t.Logf("%d of %d values off math.Tanh's rounding, at most by %d float32 steps", off, all, worst)
	for _, c := range []struct{ x, want float32 }{
		{0, 0}, {float32(math.Inf(1)), 1}, {float32(math.Inf(-1)), -1}, {1e30, 1}, {-1e30, -1}, {1e-30, 1e-30},
	} {
		if got := tanh32(c.x); got != c.want && ulps(got, c.want) > 1 {
			t.Errorf("tanh32(%v) = %v, want %v", c.x, got, c.want)
		}
	}
	if got := tanh32(float32(math.NaN())); !math.IsNaN(float64(got)) {
		t.Errorf("tanh32(NaN) = %v, want NaN", got)
	}
}

func BenchmarkTanh(b *testing.B) {
	xs := make([]float32, 4096)
	for i := range xs {
		xs[i] = float32(i-2048) / 512 // [−4, 4)
	}
	ys := make([]float32, len(xs))
	b.Run("tanh32", func(b *testing.B) {
		for b.Loop() {
			for i, x := range xs {
				ys[i] = tanh32(x)
			}
		}
	})
	b.Run("math.Tanh", func(b *testing.B) {
		for b.Loop() {
			for i, x := range xs {
				ys[i] = float32(math.Tanh(float64(x)))
			}
		}
	})
}
