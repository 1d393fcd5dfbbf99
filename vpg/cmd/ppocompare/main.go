// Command ppocompare trains VPG (vpg.Preset) and PPO (vpg.PPOPreset,
// CleanRL's defaults) on the same environments, seeds and step budget, and
// writes a Markdown table of final returns, the learning curves as CSV, and
// SVG charts of return against environment steps and against wall time
// (mean over seeds, band ± one standard deviation).
//
//	go run ./vpg/cmd/ppocompare -seeds 5 -out /tmp/ppo
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govpg/govpg/vpg"
)

// run is one training run's curve.
type run struct {
	steps, wall, ret []float64 // per epoch; ret NaN where no episode finished
	eps              []int     // episodes finished per epoch
}

func main() {
	envList := flag.String("envs", "CartPole-v1,Acrobot-v1,Pendulum-v1", "environments, comma-separated")
	seeds := flag.Int("seeds", 5, "seeds per environment and algorithm (0 … seeds−1)")
	budget := flag.Int("steps", 500_000, "environment steps per run (CleanRL's 500k)")
	tail := flag.Float64("tail", 0.05, "the final score averages the episodes of this last fraction of the steps")
	out := flag.String("out", "ppo-compare", "output directory")
	flag.Parse()
	if err := compare(strings.Split(*envList, ","), *seeds, *budget, *tail, *out); err != nil {
		fmt.Fprintln(os.Stderr, "ppocompare:", err)
		os.Exit(1)
	}
}

func compare(envIDs []string, seeds, budget int, tail float64, out string) error {
	if seeds < 1 || budget < 1 || !(tail > 0 && tail <= 1) {
		return fmt.Errorf("want -seeds ≥ 1, -steps ≥ 1 and -tail in (0, 1]; got %d, %d, %v", seeds, budget, tail)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(out, "curves.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write([]string{"env", "algo", "seed", "total_steps", "wall_sec", "mean_return", "episodes"})
	fmt.Printf("| environment | VPG (preset) | PPO (CleanRL defaults) | VPG wall s | PPO wall s |\n|---|---|---|---|---|\n")
	for _, env := range envIDs {
		runs := map[string][]run{}
		for _, algo := range []string{vpg.VPG, vpg.PPO} {
			for seed := range seeds {
				c := vpg.Preset(env)
				if algo == vpg.PPO {
					c = vpg.PPOPreset(env)
				}
				c.Seed = uint64(seed)
				c.Epochs = max(1, budget/c.StepsPerEpoch)
				r, err := train(c)
				if err != nil {
					return fmt.Errorf("%s %s seed %d: %w", env, algo, seed, err)
				}
				runs[algo] = append(runs[algo], r)
				for i := range r.steps {
					w.Write([]string{env, algo, strconv.Itoa(seed), fmt.Sprint(r.steps[i]), fmt.Sprintf("%.3f", r.wall[i]), fmt.Sprint(r.ret[i]), strconv.Itoa(r.eps[i])})
				}
			}
		}
		fmt.Printf("| %s | %s | %s | %.0f | %.0f |\n", env, score(runs[vpg.VPG], tail), score(runs[vpg.PPO], tail),
			meanWall(runs[vpg.VPG]), meanWall(runs[vpg.PPO]))
		for _, x := range []string{"steps", "wall"} {
			svg := chart(env+": return against "+x, x, runs)
			if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%s-%s.svg", env, x)), []byte(svg), 0o644); err != nil {
				return err
			}
		}
	}
	w.Flush()
	return w.Error()
}

func train(c vpg.Config) (run, error) {
	t, err := vpg.NewTrainer(c)
	if err != nil {
		return run{}, err
	}
	var r run
	err = t.Train(func(m vpg.EpochMetrics) bool {
		r.steps = append(r.steps, float64(m.TotalSteps))
		r.wall = append(r.wall, m.Wall)
		r.ret = append(r.ret, m.MeanReturn)
		r.eps = append(r.eps, m.Episodes)
		return true
	})
	return r, err
}

// score is "mean ± std over seeds" of each seed's mean episode return over
// the last tail of its steps.
func score(rs []run, tail float64) string {
	var finals []float64
	for _, r := range rs {
		from := r.steps[len(r.steps)-1] * (1 - tail)
		sum, n := 0.0, 0
		for i, s := range r.steps {
			if s >= from && r.eps[i] > 0 {
				sum += r.ret[i] * float64(r.eps[i])
				n += r.eps[i]
			}
		}
		finals = append(finals, sum/float64(n))
	}
	m, sd := meanStd(finals)
	return fmt.Sprintf("%.2f ± %.2f", m, sd)
}

func meanWall(rs []run) float64 {
	s := 0.0
	for _, r := range rs {
		s += r.wall[len(r.wall)-1]
	}
	return s / float64(len(rs))
}

func meanStd(x []float64) (float64, float64) {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	v := 0.0
	for _, a := range x {
		v += (a - m) * (a - m)
	}
	return m, math.Sqrt(v / float64(len(x)))
}

// resample returns each run's latest finished-episode mean return at grid
// points of x (steps or wall seconds): a step function, NaN before the first.
func resample(r run, x []float64, grid []float64) []float64 {
	y := make([]float64, len(grid))
	last, i := math.NaN(), 0
	for g, at := range grid {
		for ; i < len(x) && x[i] <= at; i++ {
			if !math.IsNaN(r.ret[i]) {
				last = r.ret[i]
			}
		}
		y[g] = last
	}
	return y
}

// chart draws mean ± std over seeds of each algorithm's return against
// steps or wall seconds as a self-contained SVG.
func chart(title, xName string, runs map[string][]run) string {
	const w, h, l, r, t, b, points = 640.0, 300.0, 60.0, 110.0, 30.0, 40.0, 100
	xMax := 0.0
	for _, rs := range runs {
		for _, run := range rs {
			xs := run.steps
			if xName == "wall" {
				xs = run.wall
			}
			xMax = max(xMax, xs[len(xs)-1])
		}
	}
	grid := make([]float64, points)
	for i := range grid {
		grid[i] = xMax * float64(i+1) / points
	}
	type band struct{ mean, lo, hi []float64 }
	bands := map[string]band{}
	yMin, yMax := math.Inf(1), math.Inf(-1)
	for algo, rs := range runs {
		var bd band
		for g := range grid {
			var ys []float64
			for _, run := range rs {
				xs := run.steps
				if xName == "wall" {
					xs = run.wall
				}
				if y := resample(run, xs, grid)[g]; !math.IsNaN(y) {
					ys = append(ys, y)
				}
			}
			m, sd := math.NaN(), 0.0
			if len(ys) > 0 {
				m, sd = meanStd(ys)
				yMin, yMax = min(yMin, m-sd), max(yMax, m+sd)
			}
			bd.mean, bd.lo, bd.hi = append(bd.mean, m), append(bd.lo, m-sd), append(bd.hi, m+sd)
		}
		bands[algo] = bd
	}
	if !(yMax > yMin) {
		yMin, yMax = 0, 1
	}
	px := func(x float64) float64 { return l + x/xMax*(w-l-r) }
	py := func(y float64) float64 { return t + (yMax-y)/(yMax-yMin)*(h-t-b) }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" font-family="sans-serif" font-size="12">`, w, h)
	fmt.Fprintf(&s, `<rect width="100%%" height="100%%" fill="white"/><text x="%.0f" y="18">%s</text>`, l, title)
	fmt.Fprintf(&s, `<text x="4" y="%.0f">%.0f</text><text x="4" y="%.0f">%.0f</text>`, py(yMax)+4, yMax, py(yMin), yMin)
	fmt.Fprintf(&s, `<text x="%.0f" y="%.0f">0</text><text x="%.0f" y="%.0f" text-anchor="end">%.4g %s</text>`, l, h-b+16, w-r, h-b+16, xMax, map[string]string{"steps": "env steps", "wall": "s wall"}[xName])
	fmt.Fprintf(&s, `<rect x="%.0f" y="%.0f" width="%.0f" height="%.0f" fill="none" stroke="#999"/>`, l, t, w-l-r, h-t-b)
	for k, algo := range []string{vpg.VPG, vpg.PPO} {
		bd, ok := bands[algo]
		if !ok {
			continue
		}
		color := []string{"#1f77b4", "#d62728"}[k]
		var up, down, line []string
		for g, x := range grid {
			if math.IsNaN(bd.mean[g]) {
				continue
			}
			up = append(up, fmt.Sprintf("%.1f,%.1f", px(x), py(bd.hi[g])))
			down = append([]string{fmt.Sprintf("%.1f,%.1f", px(x), py(bd.lo[g]))}, down...)
			line = append(line, fmt.Sprintf("%.1f,%.1f", px(x), py(bd.mean[g])))
		}
		fmt.Fprintf(&s, `<polygon points="%s" fill="%s" fill-opacity="0.2"/>`, strings.Join(append(up, down...), " "), color)
		fmt.Fprintf(&s, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(line, " "), color)
		fmt.Fprintf(&s, `<text x="%.0f" y="%.0f" fill="%s">%s</text>`, w-r+8, t+16+16*float64(k), color, strings.ToUpper(algo))
	}
	s.WriteString("</svg>\n")
	return s.String()
}
