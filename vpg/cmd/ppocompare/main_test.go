package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/curves"
)

// A small comparison writes both charts per environment and a curves file
// holding every run, whose scores are the ones a run recorded alone gets.
func TestCompareWritesCurvesAndCharts(t *testing.T) {
	out := t.TempDir()
	if err := compare([]string{"CartPole-v1"}, 2, 8000, 0.5, out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"CartPole-v1-steps.svg", "CartPole-v1-wall.svg"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || !strings.HasPrefix(string(b), "<svg") || !strings.Contains(string(b), "<polyline") {
			t.Errorf("%s: %v, %.60q", f, err, b)
		}
	}
	runs, err := curves.Load(filepath.Join(out, "curves.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 || len(curves.Select(runs, "CartPole-v1", vpg.PPO)) != 2 {
		t.Fatalf("%d runs, want 2 VPG and 2 PPO", len(runs))
	}
	c := vpg.PPOPreset("CartPole-v1")
	c.Seed, c.Epochs = 1, 8000/c.StepsPerEpoch
	alone, err := curves.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := curves.Score(curves.Select(runs, "CartPole-v1", vpg.PPO)[1], 0.5), curves.Score(alone, 0.5); got != want {
		t.Errorf("PPO seed 1 scores %v in the file, %v alone", got, want)
	}
	if err := compare([]string{"CartPole-v1"}, 0, 8000, 0.5, out); err == nil || !strings.Contains(err.Error(), "-seeds") {
		t.Errorf("0 seeds: error %v", err)
	}
}
