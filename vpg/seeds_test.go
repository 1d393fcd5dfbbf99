package vpg

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// Training seeds at once gives each seed the run it has alone, bit for bit,
// in the order asked, whatever the goroutines; the PPO epoch included.
func TestTrainSeedsMatchesSolo(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3)) // more runs at once than this machine may have cores
	for _, cfg := range []Config{smallConfig(), smallPPO()} {
		seeds := []uint64{5, 2, 9, 2}
		got, err := TrainSeeds(cfg, seeds, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(seeds) {
			t.Fatalf("%d runs for %d seeds", len(got), len(seeds))
		}
		for i, seed := range seeds {
			c := cfg
			c.Seed = seed
			solo := newTrainer(t, c)
			if err := solo.Train(nil); err != nil {
				t.Fatal(err)
			}
			want := fmt.Sprintf("%+v", withoutTimes(solo.History())) // NaN ≠ NaN for DeepEqual
			if g := fmt.Sprintf("%+v", withoutTimes(got[i])); g != want {
				t.Errorf("%s seed %d: at once\n%s\nalone\n%s", c.Algo, seed, g, want)
			}
		}
	}
}

// smallPPO is a quick CartPole run of PPO for tests.
func smallPPO() Config {
	c := PPOPreset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.Hidden = 2, 200, []int{16}
	return c
}

func TestTrainSeedsCallbacks(t *testing.T) {
	cfg := smallConfig()
	cfg.Epochs = 3
	seen := map[int]int{} // epochs per run; onEpoch is called one at a time (go test -race)
	runs, err := TrainSeeds(cfg, []uint64{1, 2, 3}, func(tr *Trainer) (EpochMetrics, error) {
		b, err := tr.Collect()
		if err != nil {
			return EpochMetrics{}, err
		}
		for i := range b.Weights {
			b.Weights[i] = 1 // Ψ_t = 1: an open loop that edits the batch
		}
		return tr.Update(b)
	}, func(run int, m EpochMetrics) bool {
		if m.Epoch != seen[run] {
			t.Errorf("run %d: epoch %d after %d epochs", run, m.Epoch, seen[run])
		}
		seen[run]++
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range runs {
		if len(r) != 3 || seen[i] != 3 {
			t.Errorf("run %d: %d epochs returned, %d seen, want 3", i, len(r), seen[i])
		}
	}

	calls := 0
	runs, err = TrainSeeds(cfg, []uint64{1, 2, 3, 4, 5, 6}, nil, func(int, EpochMetrics) bool { calls++; return calls < 2 })
	total := 0
	for _, r := range runs {
		total += len(r)
	}
	// Each run under way finishes the epoch it is in; none starts after.
	if err != nil || total != calls || total < 2 || total > 1+runtime.GOMAXPROCS(0) {
		t.Errorf("stopped after the 2nd epoch: %d epochs returned, onEpoch called %d times, error %v", total, calls, err)
	}
}

func TestTrainSeedsErrors(t *testing.T) {
	cfg := smallConfig()
	if _, err := TrainSeeds(cfg, nil, nil, nil); err == nil || !strings.Contains(err.Error(), "no seeds") {
		t.Errorf("no seeds: error %v", err)
	}
	bad := cfg
	bad.Gamma = 1.5
	if _, err := TrainSeeds(bad, []uint64{1}, nil, nil); err == nil || !strings.Contains(err.Error(), "1.5") {
		t.Errorf("γ = 1.5: error %v", err)
	}
	boom := errors.New("boom")
	_, err := TrainSeeds(cfg, []uint64{4, 8, 15}, func(tr *Trainer) (EpochMetrics, error) {
		if tr.Config().Seed == 8 {
			return EpochMetrics{}, boom
		}
		return tr.RunEpoch()
	}, nil)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "seed 8") {
		t.Errorf("a run failing: error %v, want boom naming seed 8", err)
	}
}
