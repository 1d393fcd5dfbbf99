package curves_test

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/curves"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	runs := []curves.Run{
		{Env: "CartPole-v1", Algo: vpg.VPG, Seed: 0, Steps: []float64{4000, 8000}, Wall: []float64{0.25, 0.5},
			Return: []float64{math.NaN(), 1.0 / 3}, Episodes: []int{0, 3}},
		{Env: "CartPole-v1", Algo: vpg.PPO, Seed: 0, Steps: []float64{512}, Wall: []float64{0.125},
			Return: []float64{-1e-300}, Episodes: []int{7}},
		{Env: "CartPole-v1", Algo: vpg.PPO, Seed: 1, Steps: []float64{512}, Wall: []float64{0.5},
			Return: []float64{22.700000000000003}, Episodes: []int{1}},
	}
	path := filepath.Join(t.TempDir(), "c.csv.gz")
	if err := curves.Save(path, runs); err != nil {
		t.Fatal(err)
	}
	got, err := curves.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !math.IsNaN(got[0].Return[0]) {
		t.Fatalf("loaded %+v", got)
	}
	got[0].Return[0], runs[0].Return[0] = 0, 0 // NaN ≠ NaN for DeepEqual
	if !reflect.DeepEqual(got, runs) {
		t.Errorf("loaded %+v\nwant %+v", got, runs)
	}
}

func TestLoadRejectsOtherFiles(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.csv")
	os.WriteFile(plain, []byte("env,algo\n"), 0o644)
	if _, err := curves.Load(plain); err == nil || !strings.Contains(err.Error(), "not a gzipped curves file") {
		t.Errorf("plain CSV: error %v", err)
	}
	if _, err := curves.Load(filepath.Join(dir, "missing.csv.gz")); err == nil {
		t.Error("missing file: no error")
	}
}

// Score counts each episode once: epochs weigh by their episodes.
func TestScore(t *testing.T) {
	r := curves.Run{Steps: []float64{100, 200, 300, 400}, Return: []float64{1000, 10, math.NaN(), 40}, Episodes: []int{1, 1, 0, 3}}
	// The last 50% of 400 steps starts at step 200: episodes 10, and 3 × 40.
	if got, want := curves.Score(r, 0.5), (10+3*40)/4.0; got != want {
		t.Errorf("Score(tail 0.5) = %v, want %v", got, want)
	}
	if got := curves.Score(r, 0.01); got != 40 {
		t.Errorf("Score(tail 0.01) = %v, want 40", got)
	}
	if got := curves.Scores([]curves.Run{r, r}, 0.01); !reflect.DeepEqual(got, []float64{40, 40}) {
		t.Errorf("Scores(tail 0.01) = %v, want [40 40]", got)
	}
	r.Episodes[3] = 0
	if got := curves.Score(r, 0.2); !math.IsNaN(got) {
		t.Errorf("no episode in the tail: %v, want NaN", got)
	}
}

func TestResample(t *testing.T) {
	x, y := []float64{1, 2, 3, 5}, []float64{math.NaN(), 20, math.NaN(), 50}
	got := curves.Resample(x, y, []float64{0.5, 1, 2, 2.5, 3, 4.9, 5, 9})
	want := []float64{math.NaN(), math.NaN(), 20, 20, 20, 20, 50, 50}
	for i := range want {
		if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("Resample = %v, want %v", got, want)
			break
		}
	}
	if g := curves.Grid(10, 4); !reflect.DeepEqual(g, []float64{2.5, 5, 7.5, 10}) {
		t.Errorf("Grid(10, 4) = %v", g)
	}
}

// A seed fixes a run: Record twice gives the same curve, and one saved and
// loaded compares equal bit for bit.
func TestRecordIsReproducible(t *testing.T) {
	c := vpg.PPOPreset("CartPole-v1")
	c.Epochs = 3
	a, err := curves.Record(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := curves.Record(c)
	path := filepath.Join(t.TempDir(), "c.csv.gz")
	if err := curves.Save(path, []curves.Run{a}); err != nil {
		t.Fatal(err)
	}
	l, err := curves.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Algo != vpg.PPO || len(a.Steps) != 3 || a.Steps[2] != float64(3*c.StepsPerEpoch) {
		t.Fatalf("recorded %+v", a)
	}
	for _, r := range []curves.Run{b, l[0]} {
		if !reflect.DeepEqual(r.Return, a.Return) || !reflect.DeepEqual(r.Episodes, a.Episodes) {
			t.Errorf("returns %v, want %v", r.Return, a.Return)
		}
	}
}

// Race runs VPG then PPO per environment, whole epochs, at least one.
func TestRace(t *testing.T) {
	var seen []string
	runs, err := curves.Race([]string{"CartPole-v1"}, 1, 1000, func(r curves.Run) { seen = append(seen, r.Algo) })
	if err != nil {
		t.Fatal(err)
	}
	ppo := vpg.PPOPreset("CartPole-v1").StepsPerEpoch
	if len(runs) != 2 || runs[0].Algo != vpg.VPG || len(runs[0].Steps) != 1 || runs[1].Algo != vpg.PPO ||
		len(runs[1].Steps) != 1000/ppo || fmt.Sprint(seen) != "[vpg ppo]" {
		t.Errorf("race: %d runs, %v seen", len(runs), seen)
	}
	if _, err := curves.Race([]string{"CartPole-v1"}, 0, 1000, nil); err == nil || !strings.Contains(err.Error(), "0 seeds") {
		t.Errorf("0 seeds: error %v", err)
	}
}
