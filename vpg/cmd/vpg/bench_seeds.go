package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

// seedsResult is one trainer's run of S seeds at once.
type seedsResult struct {
	compile, train, wall float64   // seconds; compile is part of wall
	finals               []float64 // each seed's mean return in its last epoch
}

// seedsPerMinute is S over the wall time, what a user waits for.
func (r seedsResult) seedsPerMinute() float64 { return 60 * float64(len(r.finals)) / r.wall }

// runSeeds trains counts[i] seeds (cfg.Seed onwards) at once with govpg
// (vpg.TrainSeeds) and, when jax is not nil, the JAX peer (vmapped over the
// seeds, PureJaxRL's way), and prints seeds per minute side by side.
func runSeeds(cfg vpg.Config, counts []int, jax *peerPlan, stdout io.Writer) error {
	type row struct {
		s           int
		ours, peers seedsResult
	}
	var rows []row
	for _, s := range counts {
		fmt.Fprintf(stdout, "%d seeds × %d epochs: govpg", s, cfg.Epochs)
		r := row{s: s}
		var err error
		if r.ours, err = seedsOurs(cfg, s); err != nil {
			return err
		}
		if jax != nil {
			fmt.Fprint(stdout, ", jax")
			args := append(jaxPeerArgs(cfg), "--seeds", strconv.Itoa(s))
			if r.peers, err = seedsPeer(jax.python, jax.script, args); err != nil {
				return err
			}
		}
		fmt.Fprintln(stdout)
		rows = append(rows, r)
	}
	fmt.Fprintf(stdout, "\nseeds/min = seeds ÷ wall minutes (jax's wall: Python start, compile and the run; compile on its own column); final = mean over seeds of the last epoch's return\n")
	fmt.Fprintf(stdout, "%5s | %8s %10s %8s %7s | %9s %8s %8s %10s %8s | %s\n", "seeds",
		"govpg s", "seeds/min", fmt.Sprintf("vs %d", rows[0].s), "final", "jax comp", "jax run", "jax s", "seeds/min", "final", "govpg ÷ jax (seeds/min)")
	base := rows[0].ours.seedsPerMinute()
	for _, r := range rows {
		fmt.Fprintf(stdout, "%5d | %8.2f %10.1f %7.2f× %7.1f", r.s, r.ours.wall, r.ours.seedsPerMinute(),
			r.ours.seedsPerMinute()/base, meanOf(r.ours.finals))
		if r.peers.finals == nil {
			fmt.Fprintf(stdout, " | %9s %8s %8s %10s %8s | -\n", "-", "-", "-", "-", "-")
			continue
		}
		fmt.Fprintf(stdout, " | %9.2f %8.2f %8.2f %10.1f %8.1f | %.2f×\n", r.peers.compile, r.peers.train, r.peers.wall,
			r.peers.seedsPerMinute(), meanOf(r.peers.finals), r.ours.seedsPerMinute()/r.peers.seedsPerMinute())
	}
	return nil
}

// seedsOurs trains s seeds of cfg with vpg.TrainSeeds; the GoMLX graphs
// each trainer compiles are part of its run.
func seedsOurs(cfg vpg.Config, s int) (seedsResult, error) {
	seeds := make([]uint64, s)
	for i := range seeds {
		seeds[i] = cfg.Seed + uint64(i)
	}
	start := time.Now()
	runs, err := vpg.TrainSeeds(cfg, seeds, nil, nil)
	if err != nil {
		return seedsResult{}, err
	}
	wall := time.Since(start).Seconds()
	r := seedsResult{train: wall, wall: wall}
	for _, run := range runs {
		r.finals = append(r.finals, run[len(run)-1].MeanReturn)
	}
	return r, nil
}

// seedsPeer runs the JAX peer script with --seeds and reads its SEEDS line.
func seedsPeer(python, script string, args []string) (seedsResult, error) {
	js, err := peerLine(python, script, args, "SEEDS")
	if err != nil {
		return seedsResult{}, err
	}
	var s struct {
		Compile float64      `json:"compile_s"`
		Train   float64      `json:"train_s"`
		Wall    float64      `json:"wall_s"`
		Curves  [][]*float64 `json:"curves"` // null: no episode finished in that epoch
	}
	if err := json.Unmarshal(js, &s); err != nil {
		return seedsResult{}, fmt.Errorf("%s's SEEDS line: %w", filepath.Base(script), err)
	}
	if len(s.Curves) == 0 || s.Wall <= 0 {
		return seedsResult{}, fmt.Errorf("%s reported no seeds or no wall time", filepath.Base(script))
	}
	r := seedsResult{compile: s.Compile, train: s.Train, wall: s.Wall}
	for _, c := range s.Curves {
		final := math.NaN()
		if len(c) > 0 && c[len(c)-1] != nil {
			final = *c[len(c)-1]
		}
		r.finals = append(r.finals, final)
	}
	return r, nil
}

func meanOf(x []float64) float64 {
	m, _ := pg.MeanStd(x)
	return m
}
