package nb

import (
	"math"
	"testing"

	"github.com/govpg/govpg/vpg"
)

func TestTimeLimitAsTermination(t *testing.T) {
	cfg := tinyConfig()
	cfg.MaxEpLen = 20 // most CartPole episodes of an untrained policy last longer: the limit cuts them
	tr := Must(vpg.NewTrainer(cfg))
	b := Must(tr.Collect())
	before := append([]vpg.Segment(nil), b.Segments...)
	returns := append([]float64(nil), b.Returns...)
	TimeLimitAsTermination(b, cfg)
	cut := 0
	for i, s := range before {
		got := b.Segments[i]
		if !s.Truncated {
			if got != s {
				t.Errorf("segment %d (not cut by the time limit) changed: %+v → %+v", i, s, got)
			}
			for k := s.Start; k < s.End; k++ {
				if b.Returns[k] != returns[k] {
					t.Errorf("segment %d: target %d changed", i, k)
				}
			}
			continue
		}
		cut++
		if got.LastValue != 0 || !got.Terminated || got.Truncated {
			t.Errorf("segment %d cut by the time limit: %+v, want LastValue 0 and Terminated", i, got)
		}
		// By hand: CartPole pays 1 a step, so R̂_t = Σ_{k<n} γ^k over the n steps left.
		for k := s.Start; k < s.End; k++ {
			n := float64(s.End - k)
			want := cfg.RewardScale * (1 - math.Pow(cfg.Gamma, n)) / (1 - cfg.Gamma)
			if math.Abs(b.Returns[k]-want) > 1e-9 {
				t.Errorf("segment %d, step %d: target %.6f, want %.6f", i, k, b.Returns[k], want)
			}
		}
	}
	if cut == 0 {
		t.Fatal("no segment was cut by the time limit; the test checks nothing")
	}
	if _, err := tr.Update(b); err != nil {
		t.Fatalf("Update after TimeLimitAsTermination: %v", err)
	}
}
