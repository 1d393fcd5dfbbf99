package vpg

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// TrainSeeds trains one fresh Trainer of cfg per seed (cfg.Seed replaced)
// for cfg.Epochs epochs, as one call, and returns each seed's metrics in
// the order of seeds.
//
// The seeds are the outer dimension of the work, as PureJaxRL vmaps them:
// GOMAXPROCS runs go at once, each on its own goroutine, and each run's
// matrix products spread their chunks over the cores as they do alone.
// One run leaves cores idle (its rollout and its small steps are
// sequential), so several fill them: on 2 cores, 8 to 32 seeds train 1.27–2.1×
// as fast as one after another (vpg bench -seeds). A seed's run is the same
// bits as when trained alone, since the products add their chunks in a
// fixed order whatever the goroutines; only the seconds in its metrics
// (time shared with the other runs) differ.
//
// epoch, if not nil, replaces (*Trainer).RunEpoch, e.g. with an open loop
// that edits each batch; it and cfg's functions (Psi, Objective, ValueLoss)
// are called from several goroutines at once and must not share state.
// onEpoch, if not nil, sees every epoch's metrics with the index of its
// seed in seeds, one call at a time; returning false stops every run after
// its current epoch, and TrainSeeds returns the epochs finished. An error in
// one run stops the others; TrainSeeds returns it, naming the seed.
func TrainSeeds(cfg Config, seeds []uint64, epoch func(*Trainer) (EpochMetrics, error), onEpoch func(run int, m EpochMetrics) bool) ([][]EpochMetrics, error) {
	if len(seeds) == 0 {
		return nil, errors.New("vpg: TrainSeeds with no seeds, want at least one")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if epoch == nil {
		epoch = (*Trainer).RunEpoch
	}
	runs := make([][]EpochMetrics, len(seeds))
	errs := make([]error, len(seeds))
	var (
		mu      sync.Mutex // serializes onEpoch and guards stopped
		stopped bool
		next    = make(chan int, len(seeds))
		wg      sync.WaitGroup
	)
	for i := range seeds {
		next <- i
	}
	close(next)
	stop := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stopped
	}
	train := func(i int) error {
		c := cfg
		c.Seed = seeds[i]
		t, err := newValidTrainer(c)
		if err != nil {
			return err
		}
		for e := 0; e < c.Epochs && !stop(); e++ {
			m, err := epoch(t)
			if err != nil {
				return err
			}
			runs[i] = append(runs[i], m)
			if onEpoch != nil {
				mu.Lock()
				if !onEpoch(i, m) {
					stopped = true
				}
				mu.Unlock()
			}
		}
		return nil
	}
	for range min(runtime.GOMAXPROCS(0), len(seeds)) {
		wg.Go(func() {
			for i := range next {
				if stop() {
					return
				}
				if err := train(i); err != nil {
					errs[i] = fmt.Errorf("seed %d: %w", seeds[i], err)
					mu.Lock()
					stopped = true
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return runs, err
		}
	}
	return runs, nil
}
