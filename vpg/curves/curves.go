package curves

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
)

// Run is one training run's learning curve, one entry per epoch.
type Run struct {
	Env, Algo string
	Seed      uint64
	Steps     []float64 // environment steps at the end of the epoch
	Wall      []float64 // seconds since the trainer was made
	Return    []float64 // mean return of the episodes that ended in the epoch; NaN where none did
	Episodes  []int     // episodes that ended in the epoch
}

// Record trains c to its last epoch and returns its curve, labelled with
// c's environment, algorithm and seed.
func Record(c vpg.Config) (Run, error) {
	t, err := vpg.NewTrainer(c)
	if err != nil {
		return Run{}, err
	}
	r := Run{Env: c.Env, Algo: c.Algo, Seed: c.Seed}
	if r.Algo == "" {
		r.Algo = vpg.VPG
	}
	err = t.Train(func(m vpg.EpochMetrics) bool {
		r.Steps = append(r.Steps, float64(m.TotalSteps))
		r.Wall = append(r.Wall, m.Wall)
		r.Return = append(r.Return, m.MeanReturn)
		r.Episodes = append(r.Episodes, m.Episodes)
		return true
	})
	return r, err
}

// header is the first line of a curves file.
var header = []string{"env", "algo", "seed", "total_steps", "wall_sec", "mean_return", "episodes"}

// Save writes runs to path as gzipped CSV, one line per epoch, atomically.
// Returns are written in Go's shortest form that reads back to the same
// float64, so a run retrained from its seed can be compared bit for bit.
func Save(path string, runs []Run) error {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	w := csv.NewWriter(z)
	w.Write(header)
	for _, r := range runs {
		for i := range r.Steps {
			w.Write([]string{r.Env, r.Algo, strconv.FormatUint(r.Seed, 10), strconv.FormatFloat(r.Steps[i], 'f', -1, 64),
				strconv.FormatFloat(r.Wall[i], 'f', 3, 64), strconv.FormatFloat(r.Return[i], 'g', -1, 64), strconv.Itoa(r.Episodes[i])})
		}
	}
	w.Flush()
	if err := errors.Join(w.Error(), z.Close()); err != nil {
		return fmt.Errorf("curves: %s: %w", path, err)
	}
	return atomicfile.Write(path, buf.Bytes())
}

// Load reads a file written by Save. Consecutive lines of one environment,
// algorithm and seed make one run, in the order of the file.
func Load(path string) ([]Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("curves: %w", err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("curves: %s is not a gzipped curves file: %w", path, err)
	}
	runs, err := read(z)
	if err != nil {
		return nil, fmt.Errorf("curves: %s: %w", path, err)
	}
	return runs, nil
}

func read(in io.Reader) ([]Run, error) {
	rd := csv.NewReader(in)
	rd.FieldsPerRecord = len(header)
	head, err := rd.Read()
	if err != nil {
		return nil, err
	}
	if fmt.Sprint(head) != fmt.Sprint(header) {
		return nil, fmt.Errorf("header %q, want %q", head, header)
	}
	var runs []Run
	for line := 2; ; line++ {
		rec, err := rd.Read()
		if err == io.EOF {
			return runs, nil
		}
		if err != nil {
			return nil, err
		}
		seed, err1 := strconv.ParseUint(rec[2], 10, 64)
		steps, err2 := strconv.ParseFloat(rec[3], 64)
		wall, err3 := strconv.ParseFloat(rec[4], 64)
		ret, err4 := strconv.ParseFloat(rec[5], 64)
		eps, err5 := strconv.Atoi(rec[6])
		if err := errors.Join(err1, err2, err3, err4, err5); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if n := len(runs); n == 0 || runs[n-1].Env != rec[0] || runs[n-1].Algo != rec[1] || runs[n-1].Seed != seed {
			runs = append(runs, Run{Env: rec[0], Algo: rec[1], Seed: seed})
		}
		r := &runs[len(runs)-1]
		r.Steps, r.Wall, r.Return, r.Episodes = append(r.Steps, steps), append(r.Wall, wall), append(r.Return, ret), append(r.Episodes, eps)
	}
}

// Select returns the runs of env and algo, in the order of runs.
func Select(runs []Run, env, algo string) []Run {
	var out []Run
	for _, r := range runs {
		if r.Env == env && r.Algo == algo {
			out = append(out, r)
		}
	}
	return out
}

// Score is where a run ended: the mean return of the episodes that ended in
// its last tail (a fraction in (0, 1]) of its environment steps, each
// episode counted once. NaN if none ended there.
func Score(r Run, tail float64) float64 {
	if len(r.Steps) == 0 {
		return math.NaN()
	}
	from := r.Steps[len(r.Steps)-1] * (1 - tail)
	sum, n := 0.0, 0
	for i, s := range r.Steps {
		if s >= from && r.Episodes[i] > 0 {
			sum += r.Return[i] * float64(r.Episodes[i])
			n += r.Episodes[i]
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// Scores is Score of each run, in order: where each seed ended.
func Scores(runs []Run, tail float64) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = Score(r, tail)
	}
	return out
}

// Resample is the curve y(x) read at each point of grid as a step
// function: the last finite y at an x ≤ the point, NaN before the first.
// x must be increasing (steps, or wall seconds).
func Resample(x, y, grid []float64) []float64 {
	out := make([]float64, len(grid))
	last, i := math.NaN(), 0
	for g, at := range grid {
		for ; i < len(x) && x[i] <= at; i++ {
			if !math.IsNaN(y[i]) {
				last = y[i]
			}
		}
		out[g] = last
	}
	return out
}

// Grid is n points evenly spaced over (0, hi]: hi/n, 2·hi/n, …, hi.
func Grid(hi float64, n int) []float64 {
	g := make([]float64, n)
	for i := range g {
		g[i] = hi * float64(i+1) / float64(n)
	}
	return g
}

// RaceConfig is the configuration Race trains: algo's preset for env
// (vpg.Preset for VPG, vpg.PPOPreset for PPO) with seed, for budget
// environment steps in whole epochs, at least one.
func RaceConfig(env, algo string, seed uint64, budget int) vpg.Config {
	c := vpg.Preset(env)
	if algo == vpg.PPO {
		c = vpg.PPOPreset(env)
	}
	c.Seed, c.Epochs = seed, max(1, budget/c.StepsPerEpoch)
	return c
}

// Race trains VPG (vpg.Preset) and PPO (vpg.PPOPreset, CleanRL's defaults)
// on each environment for seeds 0 … seeds−1, budget environment steps each
// (whole epochs, at least one), and returns their curves in that order:
// environment, then algorithm, then seed. done, if not nil, sees each run as
// it ends.
func Race(envs []string, seeds, budget int, done func(Run)) ([]Run, error) {
	if seeds < 1 || budget < 1 {
		return nil, fmt.Errorf("curves: race of %d seeds and %d steps, want ≥ 1 of each", seeds, budget)
	}
	var runs []Run
	for _, env := range envs {
		for _, algo := range []string{vpg.VPG, vpg.PPO} {
			for seed := range seeds {
				r, err := Record(RaceConfig(env, algo, uint64(seed), budget))
				if err != nil {
					return nil, fmt.Errorf("curves: %s %s seed %d: %w", env, algo, seed, err)
				}
				if done != nil {
					done(r)
				}
				runs = append(runs, r)
			}
		}
	}
	return runs, nil
}
