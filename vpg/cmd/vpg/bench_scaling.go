package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
	"github.com/govpg/govpg/vpg/nn"
)

// scaleAxis is one sweep of the scaling run: one setting varied, the others
// at CartPole's (hidden 64×64, 4096-step epochs, 1 environment copy).
type scaleAxis struct {
	name, unit string
	values     []int
	set        func(c *vpg.Config, v int)
	metric     string // what the chart shows for it: "update" or "rollout"
}

var scaleAxes = []scaleAxis{
	{"hidden width", "", []int{64, 256, 1024}, func(c *vpg.Config, v int) { c.Hidden = []int{v, v} }, "update"},
	{"batch", " steps", []int{1024, 4096, 16384, 65536}, func(c *vpg.Config, v int) { c.StepsPerEpoch = v }, "update"},
	{"environment copies", "", []int{1, 8, 64}, func(c *vpg.Config, v int) { c.NumEnvs = v }, "rollout"},
}

// scaleTimes is one trainer's times at one setting: each the best of the
// epochs after the first (which warms up, or compiles), since on a shared
// machine the others lost time to other programs.
type scaleTimes struct {
	stepsPerSec float64 // rollout
	piSec       float64 // the π step
	vStepSec    float64 // one V step (the epoch's V steps over their count)
}

// updatePerEpoch is π's step plus 80 V steps, as VPG's epoch takes them.
func (t scaleTimes) updatePerEpoch() float64 { return t.piSec + 80*t.vStepSec }

// scaleResult is a setting's times for govpg and each peer (missing: not run).
type scaleResult struct {
	axis  string
	value int
	flops float64               // floating-point operations of one V step
	times map[string]scaleTimes // by trainer: "govpg", "jax", "torch"
}

// vStepFLOPs counts one V step's multiply-adds ×2 over a batch: the forward
// pass, the weight gradients (as many), and the input gradients of every
// layer but the first (elementwise work not counted).
func vStepFLOPs(in int, hidden []int, batch int) float64 {
	sizes := append(append([]int{in}, hidden...), 1)
	macs := 0
	for i := range len(sizes) - 1 {
		macs += sizes[i] * sizes[i+1]
	}
	return 2 * float64(batch) * float64(3*macs-sizes[0]*sizes[1])
}

// runScaling times govpg and the peers in plans at each setting of
// scaleAxes with vIters V steps per epoch, prints a table against the
// measured FMA peak and writes the chart to svgPath (if not empty).
func runScaling(base vpg.Config, plans []peerPlan, vIters int, svgPath string, stdout io.Writer) error {
	procs := runtime.GOMAXPROCS(0)
	peaks := nn.MeasurePeaks(procs, time.Second)
	for _, p := range peaks {
		fmt.Fprintf(stdout, "peak: %s on %d threads: %.1f GFLOP/s\n", p.Kernel, p.Threads, p.GFLOPS)
	}
	peak := peaks[len(peaks)-1] // the widest kernels this build runs: those govpg's products use
	// One build per peer: the last planned (PyPI's torch over Debian's).
	byFamily := map[string]peerPlan{}
	for _, p := range plans {
		byFamily[p.family] = p
	}
	var results []scaleResult
	for _, ax := range scaleAxes {
		for _, v := range ax.values {
			cfg := base
			cfg.Hidden = []int{64, 64}
			cfg.StepsPerEpoch, cfg.NumEnvs, cfg.Epochs, cfg.TrainVIters = 4096, 1, 3, vIters
			ax.set(&cfg, v)
			if err := cfg.Validate(); err != nil {
				return err
			}
			r := scaleResult{ax.name, v, vStepFLOPs(4, cfg.Hidden, cfg.StepsPerEpoch), map[string]scaleTimes{}}
			fmt.Fprintf(stdout, "%s %d: govpg", ax.name, v)
			t, err := scaleOurs(cfg)
			if err != nil {
				return err
			}
			r.times["govpg"] = t
			for _, family := range scaleTrainers[1:] {
				p, ok := byFamily[family]
				if !ok || family == "torch" && cfg.NumEnvs > 1 {
					continue // the PyTorch peer steps one copy
				}
				fmt.Fprintf(stdout, ", %s", p.family)
				args := append(vpgPeerArgs(cfg, 1), "--hidden", hiddenArg(cfg.Hidden))
				if p.family == "jax" {
					args = jaxPeerArgs(cfg)
				}
				t, err := scalePeer(p.python, p.script, args, vIters)
				if err != nil {
					return err
				}
				r.times[p.family] = t
			}
			fmt.Fprintln(stdout)
			results = append(results, r)
		}
	}
	printScaling(stdout, results, peak, vIters)
	if svgPath == "" {
		return nil
	}
	if err := atomicfile.Write(svgPath, []byte(scalingChart(results, peak, vIters))); err != nil {
		return fmt.Errorf("writing the chart: %w", err)
	}
	fmt.Fprintf(stdout, "chart: %s\n", svgPath)
	return nil
}

// scaleOurs trains cfg for its epochs and returns their times.
func scaleOurs(cfg vpg.Config) (scaleTimes, error) {
	t, err := vpg.NewTrainer(cfg)
	if err != nil {
		return scaleTimes{}, err
	}
	var epochs [][3]float64
	err = t.Train(func(m vpg.EpochMetrics) bool {
		epochs = append(epochs, [3]float64{m.RolloutSec, m.PiUpdateSec, m.VUpdateSec})
		return true
	})
	return bestTimes(epochs, cfg.StepsPerEpoch, cfg.TrainVIters), err
}

// bestTimes takes the fastest of each time (rollout, π step, V steps)
// over the epochs after the first.
func bestTimes(epochs [][3]float64, steps, vIters int) scaleTimes {
	best := epochs[len(epochs)-1]
	for _, e := range epochs[1:] {
		for i := range best {
			best[i] = min(best[i], e[i])
		}
	}
	return scaleTimes{float64(steps) / best[0], best[1], best[2] / float64(vIters)}
}

// scalePeer runs a VPG peer script (with vIters V steps per epoch) and
// returns its epochs' times.
func scalePeer(python, script string, args []string, vIters int) (scaleTimes, error) {
	js, err := peerLine(python, script, args, "SUMMARY")
	if err != nil {
		return scaleTimes{}, err
	}
	var s struct {
		StepsPerEpoch int          `json:"steps_per_epoch"`
		EpochTimes    [][3]float64 `json:"epoch_times"` // rollout, π step, V steps
	}
	if err := json.Unmarshal([]byte(strings.ReplaceAll(string(js), "NaN", "null")), &s); err != nil {
		return scaleTimes{}, fmt.Errorf("%s's SUMMARY line: %w", filepath.Base(script), err)
	}
	if len(s.EpochTimes) == 0 {
		return scaleTimes{}, fmt.Errorf("%s reported no epoch times", filepath.Base(script))
	}
	return bestTimes(s.EpochTimes, s.StepsPerEpoch, vIters), nil
}

var scaleTrainers = []string{"govpg", "jax", "torch"}

// printScaling prints one row per setting: update seconds per epoch (π + 80
// V steps), V-step GFLOP/s (and its share of the peak), rollout steps/s.
func printScaling(w io.Writer, results []scaleResult, peak nn.Peak, vIters int) {
	fmt.Fprintf(w, "\nupdate s/epoch = π step + 80 × (one V step, timed over %d); GFLOP/s of the V steps against the %s peak, %.0f GFLOP/s on %d threads\n",
		vIters, peak.Kernel, peak.GFLOPS, peak.Threads)
	fmt.Fprintf(w, "%-24s | %-26s | %-41s | %s\n", "", "update s/epoch", "V step GFLOP/s (% of peak)", "rollout steps/s")
	fmt.Fprintf(w, "%-24s | %8s %8s %8s | %13s %13s %13s | %9s %9s %9s\n", "setting", "govpg", "jax", "torch", "govpg", "jax", "torch", "govpg", "jax", "torch")
	for _, r := range results {
		cells := func(f func(t scaleTimes) string) []any {
			var c []any
			for _, name := range scaleTrainers {
				t, ok := r.times[name]
				if !ok {
					c = append(c, "-")
					continue
				}
				c = append(c, f(t))
			}
			return c
		}
		row := []any{fmt.Sprintf("%s %d", r.axis, r.value)}
		row = append(row, cells(func(t scaleTimes) string { return fmt.Sprintf("%.3f", t.updatePerEpoch()) })...)
		row = append(row, cells(func(t scaleTimes) string {
			g := r.flops / t.vStepSec / 1e9
			return fmt.Sprintf("%.1f (%.0f%%)", g, 100*g/peak.GFLOPS)
		})...)
		row = append(row, cells(func(t scaleTimes) string { return fmt.Sprintf("%.0f", t.stepsPerSec) })...)
		fmt.Fprintf(w, "%-24s | %8s %8s %8s | %13s %13s %13s | %9s %9s %9s\n", row...)
	}
}

// scalingChart draws one panel per axis: grouped bars per setting, one per
// trainer, on a log scale (update s/epoch, or rollout steps/s for the
// environment copies).
func scalingChart(results []scaleResult, peak nn.Peak, vIters int) string {
	const pw, ph, left, top, bottom, gap = 300.0, 260.0, 56.0, 48.0, 48.0, 44.0
	colors := map[string]string{"govpg": "#1f77b4", "jax": "#ff7f0e", "torch": "#2ca02c"}
	width := left + float64(len(scaleAxes))*(pw+gap)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="11">`,
		width, ph+top+bottom+24, width, ph+top+bottom+24)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%g" y="16" font-size="14" text-anchor="middle">%s</text>`, width/2,
		html.EscapeString(fmt.Sprintf("CartPole VPG: govpg, JAX (jitted), PyTorch — one run; update = π step + 80 V steps (timed over %d); peak %s %.0f GFLOP/s", vIters, peak.Kernel, peak.GFLOPS)))
	for i, name := range scaleTrainers {
		x := left + float64(i)*110
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="12" height="12" fill="%s"/><text x="%g" y="%g">%s</text>`, x, ph+top+bottom+6, colors[name], x+16, ph+top+bottom+16, name)
	}
	for ai, ax := range scaleAxes {
		x0 := left + float64(ai)*(pw+gap)
		var rs []scaleResult
		for _, r := range results {
			if r.axis == ax.name {
				rs = append(rs, r)
			}
		}
		value := func(t scaleTimes) float64 {
			if ax.metric == "rollout" {
				return t.stepsPerSec
			}
			return t.updatePerEpoch()
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, r := range rs {
			for _, t := range r.times {
				lo, hi = min(lo, value(t)), max(hi, value(t))
			}
		}
		dLo, dHi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
		if dHi == dLo {
			dHi++
		}
		y := func(v float64) float64 { return top + ph*(dHi-math.Log10(v))/(dHi-dLo) }
		for d := dLo; d <= dHi; d++ {
			fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%g" y="%.1f" text-anchor="end">%g</text>`,
				x0, x0+pw, y(math.Pow(10, d)), y(math.Pow(10, d)), x0-4, y(math.Pow(10, d))+4, math.Pow(10, d))
		}
		label := "update s/epoch (log)"
		if ax.metric == "rollout" {
			label = "rollout env steps/s (log)"
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="12">%s</text>`, x0+pw/2, top-8, html.EscapeString(label))
		fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="12">%s</text>`, x0+pw/2, top+ph+34, html.EscapeString(ax.name))
		slot := pw / float64(len(rs))
		for ri, r := range rs {
			bw := slot * 0.8 / float64(len(scaleTrainers))
			for ti, name := range scaleTrainers {
				t, ok := r.times[name]
				if !ok {
					continue
				}
				bx := x0 + float64(ri)*slot + slot*0.1 + float64(ti)*bw
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s %d: %.4g</title></rect>`,
					bx, y(value(t)), bw, top+ph-y(value(t)), colors[name], name, ax.name, r.value, value(t))
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%d%s</text>`, x0+float64(ri)*slot+slot/2, top+ph+16, r.value, ax.unit)
		}
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="black"/>`, x0, x0+pw, top+ph, top+ph)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
