// Command ppocompare trains VPG (vpg.Preset) and PPO (vpg.PPOPreset,
// CleanRL's defaults) on the same environments, seeds and step budget, and
// writes a Markdown table of final returns, the learning curves
// (curves.csv.gz, read by vpg/curves and by notebook 11), and
// SVG charts of return against environment steps and against wall time
// (mean over seeds, band ± one standard deviation).
//
//	go run ./vpg/cmd/ppocompare -seeds 5 -out /tmp/ppo
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/curves"
	"github.com/govpg/govpg/vpg/pg"
)

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
	all, err := curves.Race(envIDs, seeds, budget, func(r curves.Run) {
		fmt.Fprintf(os.Stderr, "%s %s seed %d: %.0f s\n", r.Env, r.Algo, r.Seed, r.Wall[len(r.Wall)-1])
	})
	if err != nil {
		return err
	}
	fmt.Printf("| environment | VPG (preset) | PPO (CleanRL defaults) | VPG wall s | PPO wall s |\n|---|---|---|---|---|\n")
	for _, env := range envIDs {
		runs := map[string][]curves.Run{vpg.VPG: curves.Select(all, env, vpg.VPG), vpg.PPO: curves.Select(all, env, vpg.PPO)}
		fmt.Printf("| %s | %s | %s | %.0f | %.0f |\n", env, score(runs[vpg.VPG], tail), score(runs[vpg.PPO], tail),
			meanWall(runs[vpg.VPG]), meanWall(runs[vpg.PPO]))
		for _, x := range []string{"steps", "wall"} {
			svg := chart(env+": return against "+x, x, runs)
			if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("%s-%s.svg", env, x)), []byte(svg), 0o644); err != nil {
				return err
			}
		}
	}
	return curves.Save(filepath.Join(out, "curves.csv.gz"), all)
}

// score is "mean ± std over seeds" of each seed's curves.Score.
func score(rs []curves.Run, tail float64) string {
	m, sd := pg.MeanStd(curves.Scores(rs, tail))
	return fmt.Sprintf("%.2f ± %.2f", m, sd)
}

// meanWall is the mean over runs of their wall seconds.
func meanWall(rs []curves.Run) float64 {
	s := 0.0
	for _, r := range rs {
		s += r.Wall[len(r.Wall)-1]
	}
	return s / float64(len(rs))
}

// chart draws mean ± std over seeds of each algorithm's return against
// steps or wall seconds as a self-contained SVG.
func chart(title, xName string, runs map[string][]curves.Run) string {
	const w, h, l, r, t, b, points = 640.0, 300.0, 60.0, 110.0, 30.0, 40.0, 100
	xOf := func(r curves.Run) []float64 {
		if xName == "wall" {
			return r.Wall
		}
		return r.Steps
	}
	xMax := 0.0
	for _, rs := range runs {
		for _, run := range rs {
			xMax = max(xMax, xOf(run)[len(run.Steps)-1])
		}
	}
	grid := curves.Grid(xMax, points)
	type band struct{ mean, lo, hi []float64 }
	bands := map[string]band{}
	yMin, yMax := math.Inf(1), math.Inf(-1)
	for algo, rs := range runs {
		var ys [][]float64
		for _, run := range rs {
			ys = append(ys, curves.Resample(xOf(run), run.Return, grid))
		}
		var bd band
		for g := range grid {
			var col []float64
			for _, y := range ys {
				if !math.IsNaN(y[g]) {
					col = append(col, y[g])
				}
			}
			m, sd := math.NaN(), 0.0
			if len(col) > 0 {
				m, sd = pg.MeanStd(col)
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
