package main

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"github.com/govpg/govpg/vpg"
)

// series is one line of a chart: y per epoch (NaN = gap).
type series struct {
	name  string
	color string
	y     []float64
}

// lineChart draws series against epoch as a self-contained SVG, with an
// optional shaded band (lo..hi) behind the first series; point i is epoch
// i×stride.
func lineChart(title, yLabel string, stride int, ss []series, lo, hi []float64) string {
	const w, h, left, right, top, bottom = 720.0, 320.0, 64.0, 16.0, 36.0, 44.0
	n := 0
	yMin, yMax := math.Inf(1), math.Inf(-1)
	for _, s := range append(ss, series{y: lo}, series{y: hi}) {
		n = max(n, len(s.y))
		for _, v := range s.y {
			if !math.IsNaN(v) {
				yMin, yMax = min(yMin, v), max(yMax, v)
			}
		}
	}
	if math.IsInf(yMin, 0) { // nothing to draw
		yMin, yMax = 0, 1
	}
	if yMax == yMin {
		yMin, yMax = yMin-1, yMax+1
	}
	pad := 0.05 * (yMax - yMin)
	yMin, yMax = yMin-pad, yMax+pad
	x := func(i int) float64 { return left + (w-left-right)*float64(i)/float64(max(n-1, 1)) }
	y := func(v float64) float64 { return top + (h-top-bottom)*(yMax-v)/(yMax-yMin) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`, w, h, w, h)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/><text x="%g" y="20" font-size="15" text-anchor="middle">%s</text>`, w/2, html.EscapeString(title))
	// Axes with 5 ticks each.
	for k := 0; k <= 4; k++ {
		v := yMin + (yMax-yMin)*float64(k)/4
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%g" y="%.1f" text-anchor="end">%.4g</text>`,
			left, w-right, y(v), y(v), left-4, y(v)+4, v)
		i := int(math.Round(float64(max(n-1, 1)) * float64(k) / 4))
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%d</text>`, x(i), h-bottom+16, i*stride)
	}
	fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%g" y2="%g" stroke="black"/><line x1="%g" x2="%g" y1="%g" y2="%g" stroke="black"/>`,
		left, w-right, h-bottom, h-bottom, left, left, top, h-bottom)
	fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle">epoch</text>`, (left+w-right)/2, h-6)
	fmt.Fprintf(&b, `<text transform="translate(14 %g) rotate(-90)" text-anchor="middle">%s</text>`, (top+h-bottom)/2, html.EscapeString(yLabel))
	if lo != nil && len(ss) > 0 {
		var up, down []string
		for i := range lo {
			if !math.IsNaN(lo[i]) && !math.IsNaN(hi[i]) {
				up = append(up, fmt.Sprintf("%.1f,%.1f", x(i), y(hi[i])))
				down = append(down, fmt.Sprintf("%.1f,%.1f", x(i), y(lo[i])))
			}
		}
		slices.Reverse(down)
		fmt.Fprintf(&b, `<polygon points="%s" fill="%s" fill-opacity="0.15" stroke="none"/>`, strings.Join(append(up, down...), " "), ss[0].color)
	}
	for k, s := range ss {
		var pts []string
		for i, v := range s.y {
			if !math.IsNaN(v) {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(v)))
			}
		}
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), s.color)
		fmt.Fprintf(&b, `<rect x="%g" y="%d" width="14" height="3" fill="%s"/><text x="%g" y="%d">%s</text>`,
			left+12, int(top)+8+16*k, s.color, left+30, int(top)+12+16*k, html.EscapeString(s.name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// A report's size does not grow with the run: its charts have at most
// maxChartPoints points (each the mean of consecutive epochs, the band
// their min and max) and its table the last maxTableRows epochs;
// metrics.jsonl has every epoch.
const (
	maxChartPoints = 1000
	maxTableRows   = 200
)

// htmlReport is a self-contained page: learning curve, losses, and the metrics table.
func htmlReport(cfg vpg.Config, hist []vpg.EpochMetrics) string {
	stride := (len(hist) + maxChartPoints - 1) / maxChartPoints
	stride = max(stride, 1)
	// col is f per chart point: the mean over each stride of epochs (NaN
	// epochs left out), or their min or max with agg.
	col := func(f func(m vpg.EpochMetrics) float64, agg func(a, b float64) float64) []float64 {
		out := make([]float64, 0, len(hist)/stride+1)
		for i := 0; i < len(hist); i += stride {
			acc, n := math.NaN(), 0
			for _, m := range hist[i:min(i+stride, len(hist))] {
				v := f(m)
				switch {
				case math.IsNaN(v):
				case n == 0:
					acc, n = v, 1
				case agg != nil:
					acc, n = agg(acc, v), n+1
				default:
					acc, n = acc+(v-acc)/float64(n+1), n+1 // running mean
				}
			}
			out = append(out, acc)
		}
		return out
	}
	ret := lineChart("Mean episode return per epoch (band: min–max)", "return", stride,
		[]series{{"mean return", "#1f77b4", col(func(m vpg.EpochMetrics) float64 { return m.MeanReturn }, nil)}},
		col(func(m vpg.EpochMetrics) float64 { return m.MinReturn }, math.Min), col(func(m vpg.EpochMetrics) float64 { return m.MaxReturn }, math.Max))
	diags := []series{
		{"entropy", "#2ca02c", col(func(m vpg.EpochMetrics) float64 { return m.Entropy }, nil)},
		{"explained variance of V", "#d62728", col(func(m vpg.EpochMetrics) float64 { return m.ExplainedVar }, nil)},
		{"KL ×100", "#9467bd", col(func(m vpg.EpochMetrics) float64 { return 100 * m.KL }, nil)},
	}
	if cfg.Algo == vpg.PPO {
		diags = append(diags, series{"approx KL ×100", "#8c564b", col(func(m vpg.EpochMetrics) float64 { return 100 * m.ApproxKL }, nil)},
			series{"clip fraction", "#ff7f0e", col(func(m vpg.EpochMetrics) float64 { return m.ClipFrac }, nil)})
	}
	diag := lineChart("Policy diagnostics", "value", stride, diags, nil, nil)
	var b strings.Builder
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title>", html.EscapeString(title(cfg)))
	b.WriteString(`<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:2px 8px;text-align:right;border-bottom:1px solid #eee}</style></head><body>`)
	fmt.Fprintf(&b, "<h1>%s</h1>\n<p>γ %g, λ %g, V lr %g, %d value steps, hidden %s, optimizer %s, advantages normalised: %v.</p>\n",
		html.EscapeString(title(cfg)), cfg.Gamma, cfg.Lambda, cfg.VfLR, cfg.TrainVIters, joinInts(cfg.Hidden), cfg.Optimizer, cfg.NormalizeAdvantages)
	b.WriteString(ret + "\n" + diag + "\n")
	if stride > 1 {
		fmt.Fprintf(&b, "<p>Each point of the charts is %d epochs: their mean (the band: their min and max).</p>\n", stride)
	}
	rows := hist[max(0, len(hist)-maxTableRows):]
	if len(rows) < len(hist) {
		fmt.Fprintf(&b, "<p>The last %d of %d epochs; %s has them all.</p>\n", len(rows), len(hist), metricsFile)
	}
	b.WriteString("<table><tr><th>epoch</th><th>episodes</th><th>mean return</th><th>min</th><th>max</th><th>mean length</th><th>loss π</th><th>loss V</th><th>entropy</th><th>KL</th><th>expl. var</th><th>steps/s</th><th>wall s</th></tr>\n")
	for _, m := range rows {
		fmt.Fprintf(&b, "<tr><td>%d</td><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%.4f</td><td>%.3f</td><td>%.4f</td><td>%.5f</td><td>%.3f</td><td>%.0f</td><td>%.1f</td></tr>\n",
			m.Epoch, m.Episodes, fmtFloat(m.MeanReturn), fmtFloat(m.MinReturn), fmtFloat(m.MaxReturn), fmtFloat(m.MeanLen),
			m.PiLoss, m.VLoss, m.Entropy, m.KL, m.ExplainedVar, m.StepsPerSec, m.Wall)
	}
	b.WriteString("</table></body></html>\n")
	return b.String()
}
