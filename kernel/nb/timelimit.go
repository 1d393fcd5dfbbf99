package nb

import (
	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

// TimeLimitAsTermination changes batch b as if every episode that the time
// limit cut off had ended in a terminal state there: no bootstrap V(s_T) for
// the weights Ψ_t (LastValue 0) nor for the value targets R̂_t. This is what
// a trainer does when it treats "truncated" like "terminated" (CleanRL's
// choice); Pardo et al. (2018) show why it is wrong: the time left is not in
// the observation, so the same state gets targets that depend on the clock.
// Pieces cut off by the end of the batch keep their bootstrap.
func TimeLimitAsTermination(b *vpg.Batch, cfg vpg.Config) {
	for i, s := range b.Segments {
		if !s.Truncated {
			continue
		}
		b.Segments[i].LastValue, b.Segments[i].Terminated, b.Segments[i].Truncated = 0, true, false
		scaled := make([]float64, s.End-s.Start)
		for k := range scaled {
			scaled[k] = b.Rewards[s.Start+k] * cfg.RewardScale
		}
		copy(b.Returns[s.Start:s.End], pg.RewardToGo(scaled, cfg.Gamma))
	}
}

// TimeLimitRuns trains one fresh trainer of cfg per seed with the config's
// own Ψ_t, once as the trainer does (bootstrapping V at the time limit) and
// once with TimeLimitAsTermination applied to every batch, and returns every
// epoch's metrics of each: [0] bootstrapped, [1] as termination.
func TimeLimitRuns(cfg vpg.Config, seeds []uint64, done func(epochs int)) ([2][][]vpg.EpochMetrics, error) {
	var runs [2][][]vpg.EpochMetrics
	psi := cfg.Estimator.Psi()
	var err error
	if runs[0], err = runMetrics(cfg, psi, seeds, done, nil); err != nil {
		return runs, err
	}
	shift := func(n int) {
		if done != nil {
			done(len(seeds)*cfg.Epochs + n)
		}
	}
	runs[1], err = runMetrics(cfg, psi, seeds, shift, func(b *vpg.Batch) { TimeLimitAsTermination(b, cfg) })
	return runs, err
}
