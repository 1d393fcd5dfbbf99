package display

import (
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart layout is computed here, in pixels, from the texts a chart will show, instead of
// being left to ECharts' percentages: a legend that wraps onto two rows, a long title or
// a wide tick label then gets its own room rather than drawing over the plot.
const (
	titlePx, subtitlePx, labelPx = 16.0, 12.0, 12.0
	titleLine, subtitleLine      = 22.0, 16.0
	legendRow                    = 22.0
	pad                          = 10.0
)

// textWidth estimates the rendered width of s in pixels: wide (CJK) runes take a
// full em, digits and most letters a little over half of one.
func textWidth(s string, fontPx float64) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r):
			w += 1.0
		case unicode.IsUpper(r) || r == 'm' || r == 'w':
			w += 0.72
		case r == ' ' || r == '.' || r == ',' || r == 'i' || r == 'l' || r == '|':
			w += 0.32
		default:
			w += 0.6
		}
	}
	return w * fontPx
}

// wrap breaks s into lines no wider than maxPx at spaces; a word wider than a line
// gets a line of its own.
func wrap(s string, maxPx, fontPx float64) []string {
	if s == "" {
		return nil
	}
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		if line != "" && textWidth(line+" "+word, fontPx) > maxPx {
			lines = append(lines, line)
			line = word
			continue
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	return append(lines, line)
}

// legendRows is how many rows ECharts' legend takes for names in a strip maxPx wide:
// each item is its mark (25 px), a gap (5 px), its text and 10 px between items.
func legendRows(names []string, maxPx float64) int {
	if len(names) == 0 {
		return 0
	}
	rows, used := 1, 0.0
	for _, n := range names {
		item := 25 + 5 + textWidth(n, labelPx) + 10
		if used > 0 && used+item > maxPx {
			rows++
			used = 0
		}
		used += item
	}
	return rows
}

// tickLabelWidth estimates the widest tick label of a value axis spanning lo…hi:
// ECharts picks a step of 1, 2 or 5 × 10^k giving about five intervals and prints
// as many decimals as the step needs.
func tickLabelWidth(lo, hi float64, log bool) float64 {
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 30
	}
	if log {
		return textWidth(strconv.FormatFloat(math.Max(math.Abs(lo), math.Abs(hi)), 'f', -1, 64), labelPx)
	}
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(hi), 1)
	}
	step := math.Pow(10, math.Floor(math.Log10(span/5)))
	decimals := max(0, int(-math.Floor(math.Log10(step))))
	w := 0.0
	for _, v := range []float64{lo - step, hi + step} {
		// Axis labels round outward to the step; ECharts prints large values with a thousands separator.
		s := strconv.FormatFloat(v, 'f', decimals, 64)
		if math.Abs(v) >= 1000 {
			s += ","
		}
		w = math.Max(w, textWidth(s, labelPx))
	}
	return w
}

// layout is a chart's reserved strips, in pixels.
type layout struct {
	w, h                     int
	title, subtitle          string // wrapped with "\n"
	top, bottom, left, right float64
	xNameGap, yNameGap       float64
	xRotate                  float64 // degrees, category labels only
	xEvery                   string  // which category labels show: "0" all, "auto" as many as fit
	legendShown              bool
}

// extent is what a chart's frame needs to know about its data.
type extent struct {
	legend     []string // series names shown in the legend
	categories []string // x categories (bar charts)
	yLabels    []string // y categories (heatmaps)
	yLo, yHi   float64  // data range of a value y axis
	rightPx    float64  // room for a colour scale on the right
}

func newLayout(a Axes, e extent) layout {
	l := layout{w: a.Width, h: a.Height, xEvery: "0"}
	if l.w <= 0 {
		l.w = 760
	}
	if l.h <= 0 {
		l.h = 380
	}
	w := float64(l.w)
	tl, sl := wrap(a.Title, w-2*pad, titlePx*1.1), wrap(a.Subtitle, w-2*pad, subtitlePx) // titles are bold
	l.title, l.subtitle = strings.Join(tl, "\n"), strings.Join(sl, "\n")
	l.top = pad + titleLine*float64(len(tl)) + subtitleLine*float64(len(sl)) + 16
	if a.Y != "" {
		l.top += 4
	}
	// y: tick labels, then the axis name rotated along the left edge.
	yw := 30.0
	if e.yLabels != nil {
		for _, s := range e.yLabels {
			yw = math.Max(yw, textWidth(s, labelPx))
		}
	} else {
		lo, hi := e.yLo, e.yHi
		if a.YRange != [2]float64{} {
			lo, hi = a.YRange[0], a.YRange[1]
		}
		yw = math.Max(yw, tickLabelWidth(lo, hi, a.LogY))
	}
	l.yNameGap = yw + 12
	l.left = l.yNameGap + pad
	if a.Y != "" {
		l.left += 16
	}
	l.right = pad*2 + e.rightPx
	plotW := w - l.left - l.right
	// x: tick labels (rotated when categories crowd), the axis name, then the legend.
	xh := labelPx + 8
	if n := len(e.categories); n > 0 {
		widest := 0.0
		for _, c := range e.categories {
			widest = math.Max(widest, textWidth(c, labelPx))
		}
		// Rotated labels stand apart by slot·sin(angle): 30° while that leaves a line of
		// text between them, upright (90°) below that, and every other label when even
		// upright ones touch (58 parameters in 880 px).
		slot := plotW / float64(n)
		if widest > slot-8 {
			l.xRotate = 30
			if slot*math.Sin(l.xRotate*math.Pi/180) < labelPx+2 {
				l.xRotate = 90
			}
			if slot < labelPx {
				l.xEvery = "auto"
			}
			xh = widest*math.Sin(l.xRotate*math.Pi/180) + labelPx + 8
		}
	}
	l.xNameGap = xh + 6
	l.bottom = l.xNameGap + pad
	if a.X != "" {
		l.bottom += 16
	}
	if rows := legendRows(e.legend, w-2*pad); rows > 0 {
		l.legendShown = true
		l.bottom += legendRow*float64(rows) + 4
	}
	return l
}

// options turns a layout into go-echarts global options, for charts whose x axis has
// type xType ("value" or "category").
func (l layout) options(a Axes, xType string) []charts.GlobalOpts {
	edge := &opts.AxisLine{OnZero: opts.Bool(false)}
	plotH := float64(l.h) - l.top - l.bottom
	// About one y tick per 35 px keeps labels apart. A fixed bound that is not on a
	// tick would put its label next to a tick's (520 just above 500): it goes unlabelled.
	split := max(3, min(8, int(plotH/35)))
	yLabel := &opts.AxisLabel{HideOverlap: opts.Bool(true)}
	if lo, hi := a.YRange[0], a.YRange[1]; lo < hi && !a.LogY {
		step := niceStep((hi - lo) / float64(split))
		if !onTick(hi, step) {
			yLabel.ShowMaxLabel = opts.Bool(false)
		}
		if !onTick(lo, step) {
			yLabel.ShowMinLabel = opts.Bool(false)
		}
	}
	xLabel := &opts.AxisLabel{HideOverlap: opts.Bool(true)}
	if xType == "category" {
		xLabel = &opts.AxisLabel{Interval: l.xEvery, Rotate: l.xRotate}
	}
	x := opts.XAxis{Name: a.X, Type: xType, NameLocation: "middle", NameGap: int(l.xNameGap), AxisLine: edge, AxisLabel: xLabel}
	y := opts.YAxis{Name: a.Y, Type: "value", NameLocation: "middle", NameGap: int(l.yNameGap), AxisLine: edge, AxisLabel: yLabel,
		SplitNumber: split}
	if xType == "value" {
		x.Scale = opts.Bool(true)
		if a.LogX {
			x.Type = "log"
		}
		setRange(&x.Min, &x.Max, a.XRange)
	}
	// Lines and scatters zoom to their data; bars over categories keep zero in view, since
	// a bar's length is its value.
	y.Scale = opts.Bool(xType == "value")
	if a.LogY {
		y.Type = "log"
	}
	setRange(&y.Min, &y.Max, a.YRange)
	return []charts.GlobalOpts{
		charts.WithInitializationOpts(opts.Initialization{ChartID: newID(), Width: px(l.w), Height: px(l.h)}),
		charts.WithTitleOpts(opts.Title{Title: l.title, Subtitle: l.subtitle, Left: "center", Top: "6",
			// Explicit line heights: ECharts measures them on a CJK glyph, which some fonts lack.
			TitleStyle:    &opts.TextStyle{FontSize: int(titlePx), LineHeight: int(titleLine)},
			SubtitleStyle: &opts.TextStyle{FontSize: int(subtitlePx), LineHeight: int(subtitleLine)}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(l.legendShown), Bottom: "4", Left: "center", Width: px(l.w - 2*int(pad))}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithGridOpts(opts.Grid{Left: pxf(l.left), Right: pxf(l.right), Top: pxf(l.top), Bottom: pxf(l.bottom)}),
		charts.WithXAxisOpts(x),
		charts.WithYAxisOpts(y),
	}
}

func pxf(v float64) string { return strconv.Itoa(int(math.Round(v))) }

// yExtent is the range of every finite Y of the series.
func yExtent(series []Series) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, ys := range [][]float64{s.Y, s.Lo, s.Hi} {
			for _, y := range ys {
				if !math.IsNaN(y) && !math.IsInf(y, 0) {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
	}
	return lo, hi
}

func names(series []Series) []string {
	var out []string
	for _, s := range series {
		if s.Name != "" {
			out = append(out, s.Name)
		}
	}
	return out
}

// niceStep is the tick interval ECharts picks for a raw interval d: 1, 2, 3, 5 or
// 10 times a power of ten (its numberUtil.nice, rounding).
func niceStep(d float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(d)))
	switch f := d / p; {
	case f < 1.5:
		return p
	case f < 2.5:
		return 2 * p
	case f < 4:
		return 3 * p
	case f < 7:
		return 5 * p
	}
	return 10 * p
}

// onTick reports whether v is a multiple of step, up to rounding.
func onTick(v, step float64) bool {
	q := v / step
	return math.Abs(q-math.Round(q)) < 1e-9*math.Max(1, math.Abs(q))
}
