package display

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// Axes is the frame every chart shares.
type Axes struct {
	Title, Subtitle string
	// X and Y name the axes.
	X, Y string
	// XRange and YRange fix an axis' bounds; the zero value means automatic.
	XRange, YRange [2]float64
	// ZRange fixes a heatmap's colour scale, so that several heatmaps compare; the zero
	// value means the range of the data.
	ZRange [2]float64
	// LogX and LogY use base-10 logarithmic axes.
	LogX, LogY bool
	// Width and Height are in pixels; zero means 760×380.
	Width, Height int
}

// Series is one named line or point set. X may be nil, meaning 0, 1, 2, …; a NaN in Y
// leaves a gap.
type Series struct {
	Name string
	X, Y []float64
	// Color is a CSS colour ("#08519c", "black"); empty takes the next of ECharts' palette.
	Color string
	// Dashed draws a Line series dashed, e.g. for a reference or a true value.
	Dashed bool
	// Lo and Hi, when set (both, as long as Y), shade a band from Lo to Hi around a
	// Line series, e.g. the spread over seeds (see kernel/nb's BandSeries).
	Lo, Hi []float64
}

// palette is ECharts' default series colours; a band takes its line's colour from it.
var palette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

// Samples is one named set of raw values for a histogram.
type Samples struct {
	Name   string
	Values []float64
}

// Line draws one or more series as lines over a numeric x axis.
func Line(a Axes, series ...Series) { showChart(NewLine(a, series...)) }

// Scatter draws one or more series as points.
func Scatter(a Axes, series ...Series) { showChart(NewScatter(a, series...)) }

// Bar draws one bar per category for each series (each series' Y has one value per
// category; X must be nil).
func Bar(a Axes, categories []string, series ...Series) {
	showChart(NewBar(a, categories, series...))
}

// Histogram bins the samples on shared bin edges (bins equal-width bins over the range
// of all values) and overlays their outlines, so distributions can be compared.
func Histogram(a Axes, bins int, samples ...Samples) {
	showChart(NewHistogram(a, bins, samples...))
}

// Heatmap colours a grid: z[i][j] is the value at row yLabels[i], column xLabels[j].
// NaN cells stay empty.
func Heatmap(a Axes, xLabels, yLabels []string, z [][]float64) {
	showChart(NewHeatmap(a, xLabels, yLabels, z))
}

func showChart[C Snippeter](c C, err error) {
	if err != nil {
		cellfail.Fail("%v", err)
		return
	}
	Chart(c)
}

// NewLine builds the chart Line displays, for callers who want to adjust it before
// passing it to Chart.
func NewLine(a Axes, series ...Series) (*charts.Line, error) {
	if err := checkSeries("display.Line", series, true); err != nil {
		return nil, err
	}
	lo, hi := yExtent(series)
	c := charts.NewLine()
	c.SetGlobalOptions(newLayout(a, extent{legend: names(series), yLo: lo, yHi: hi}).options(a, "value")...)
	for i, s := range series {
		if s.Lo != nil {
			if s.Color == "" {
				s.Color = palette[i%len(palette)]
			}
			addBand(c, i, s)
		}
		pts := make([]opts.LineData, len(s.Y))
		for i, v := range xy(s) {
			pts[i] = opts.LineData{Value: v}
		}
		o := append(style(s), charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.Y) <= 50)}))
		if s.Color != "" || s.Dashed {
			line := opts.LineStyle{Color: s.Color}
			if s.Dashed {
				line.Type = "dashed"
			}
			o = append(o, charts.WithLineStyleOpts(line))
		}
		c.AddSeries(s.Name, pts, o...)
	}
	return c, nil
}

// addBand shades s.Lo…s.Hi as two stacked series named like the line, so that its
// legend entry toggles the band too: an invisible lower edge and the band's height
// filled on top of it.
func addBand(c *charts.Line, i int, s Series) {
	lower, height := make([]opts.LineData, len(s.Y)), make([]opts.LineData, len(s.Y))
	for k, v := range xy(Series{X: s.X, Y: s.Lo}) {
		lower[k] = opts.LineData{Value: []any{v[1], v[0]}}
		height[k] = opts.LineData{Value: []any{number(s.Hi[k] - s.Lo[k]), v[0]}}
	}
	stack := fmt.Sprintf("band%d", i)
	hidden := charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)})
	flat := charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Stack: stack})
	yFirst := charts.WithEncodeOpts(bandEncode)
	c.AddSeries(s.Name, lower, hidden, flat, yFirst, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
	c.AddSeries(s.Name, height, hidden, flat, yFirst, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Color: s.Color, Opacity: opts.Float(0.2)}))
}

// bandEncode puts y first in a band's data points. ECharts stacks the first numeric
// dimension of the data, which with two value axes would be x: the band would pile
// up along the x axis instead of on top of its lower edge.
var bandEncode = opts.Encode{X: 1, Y: 0}

// NewScatter builds the chart Scatter displays.
func NewScatter(a Axes, series ...Series) (*charts.Scatter, error) {
	return newScatter(a, series, series)
}

// NewScatterWithLines builds a scatter of points with lines drawn over them (an exact
// value, a fit), laid out for the names and values of both: the legend's rows and the
// y axis count the lines too.
func NewScatterWithLines(a Axes, points []Series, lines ...Series) (*charts.Scatter, error) {
	s, err := newScatter(a, append(append([]Series(nil), points...), lines...), points)
	if err != nil || len(lines) == 0 {
		return s, err
	}
	l, err := NewLine(a, lines...)
	if err != nil {
		return nil, err
	}
	s.Overlap(l)
	return s, nil
}

// newScatter draws points in the frame that all the chart's series need.
func newScatter(a Axes, all, series []Series) (*charts.Scatter, error) {
	if err := checkSeries("display.Scatter", series, true); err != nil {
		return nil, err
	}
	lo, hi := yExtent(all)
	c := charts.NewScatter()
	c.SetGlobalOptions(append(newLayout(a, extent{legend: names(all), yLo: lo, yHi: hi}).options(a, "value"), charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}))...)
	for _, s := range series {
		pts := make([]opts.ScatterData, len(s.Y))
		for i, v := range xy(s) {
			pts[i] = opts.ScatterData{Value: v}
		}
		c.AddSeries(s.Name, pts, append(style(s), charts.WithScatterChartOpts(opts.ScatterChart{SymbolSize: 6}))...)
	}
	return c, nil
}

// NewBar builds the chart Bar displays.
func NewBar(a Axes, categories []string, series ...Series) (*charts.Bar, error) {
	if err := checkSeries("display.Bar", series, false); err != nil {
		return nil, err
	}
	if len(categories) == 0 {
		return nil, errors.New("display.Bar: no categories")
	}
	lo, hi := yExtent(series)
	c := charts.NewBar()
	c.SetGlobalOptions(newLayout(a, extent{legend: names(series), categories: categories, yLo: math.Min(lo, 0), yHi: math.Max(hi, 0)}).options(a, "category")...)
	c.SetXAxis(categories)
	for _, s := range series {
		if s.X != nil {
			return nil, fmt.Errorf("display.Bar: series %q has X values; bars take one Y value per category", s.Name)
		}
		if len(s.Y) != len(categories) {
			return nil, fmt.Errorf("display.Bar: series %q has %d values for %d categories", s.Name, len(s.Y), len(categories))
		}
		data := make([]opts.BarData, len(s.Y))
		for i, y := range s.Y {
			data[i] = opts.BarData{Value: number(y)}
		}
		c.AddSeries(s.Name, data, style(s)...)
	}
	return c, nil
}

// NewHistogram builds the chart Histogram displays: each distribution is an outline
// that steps across the bins, filled lightly so overlaps stay visible.
func NewHistogram(a Axes, bins int, samples ...Samples) (*charts.Line, error) {
	if len(samples) == 0 {
		return nil, errors.New("display.Histogram: no samples")
	}
	values := make([][]float64, len(samples))
	for i, s := range samples {
		values[i] = s.Values
	}
	edges, counts, err := Bins(bins, values...)
	if err != nil {
		return nil, fmt.Errorf("display.Histogram: %v", err)
	}
	if a.Y == "" {
		a.Y = "count"
	}
	top := 0
	var legend []string
	for i, s := range samples {
		legend = append(legend, s.Name)
		for _, n := range counts[i] {
			top = max(top, n)
		}
	}
	c := charts.NewLine()
	c.SetGlobalOptions(newLayout(a, extent{legend: legend, yLo: 0, yHi: float64(top)}).options(a, "value")...)
	for i, s := range samples {
		c.AddSeries(s.Name, outline(edges, counts[i]),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.2)}))
	}
	return c, nil
}

// outline is the histogram's silhouette as a polyline: up the left edge, across each
// bin at its count, down the right edge.
func outline(edges []float64, counts []int) []opts.LineData {
	pts := []opts.LineData{{Value: []any{edges[0], 0}}}
	for i, n := range counts {
		pts = append(pts, opts.LineData{Value: []any{edges[i], n}}, opts.LineData{Value: []any{edges[i+1], n}})
	}
	return append(pts, opts.LineData{Value: []any{edges[len(edges)-1], 0}})
}

// NewHeatmap builds the chart Heatmap displays.
func NewHeatmap(a Axes, xLabels, yLabels []string, z [][]float64) (*charts.HeatMap, error) {
	if len(z) != len(yLabels) {
		return nil, fmt.Errorf("display.Heatmap: %d rows of values for %d y labels", len(z), len(yLabels))
	}
	if len(z) == 0 || len(xLabels) == 0 {
		return nil, errors.New("display.Heatmap: empty grid")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var data []opts.HeatMapData
	for i, row := range z {
		if len(row) != len(xLabels) {
			return nil, fmt.Errorf("display.Heatmap: row %d has %d values for %d x labels", i, len(row), len(xLabels))
		}
		for j, v := range row {
			if math.IsInf(v, 0) {
				return nil, fmt.Errorf("display.Heatmap: z[%d][%d] is %v; values must be finite (NaN leaves the cell empty)", i, j, v)
			}
			if math.IsNaN(v) {
				continue
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			data = append(data, opts.HeatMapData{Value: [3]any{j, i, v}})
		}
	}
	if len(data) == 0 {
		return nil, errors.New("display.Heatmap: every value is NaN")
	}
	if a.ZRange != [2]float64{} {
		lo, hi = a.ZRange[0], a.ZRange[1]
		if !(lo < hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
			return nil, fmt.Errorf("display.Heatmap: ZRange %v, want finite bounds with low < high", a.ZRange)
		}
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	l := newLayout(a, extent{categories: xLabels, yLabels: yLabels, rightPx: 90})
	c := charts.NewHeatMap()
	// HeatMap, unlike Line and Bar, does not copy SetXAxis data into the axis.
	c.SetGlobalOptions(append(l.options(a, "category"),
		charts.WithXAxisOpts(opts.XAxis{Name: a.X, Type: "category", Data: xLabels, NameLocation: "middle", NameGap: int(l.xNameGap),
			AxisLabel: &opts.AxisLabel{Interval: "auto", Rotate: l.xRotate}}),
		charts.WithYAxisOpts(opts.YAxis{Name: a.Y, Type: "category", Data: yLabels, NameLocation: "middle", NameGap: int(l.yNameGap)}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			Orient: "vertical", Right: "2%", Top: "middle",
			InRange: &opts.VisualMapInRange{Color: []string{"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"}},
		}))...)
	c.AddSeries(a.Title, data)
	return c, nil
}

// style is a series' colour, when it has one: the item style colours points, bars and
// the legend mark.
func style(s Series) []charts.SeriesOpts {
	if s.Color == "" {
		return nil
	}
	return []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color})}
}

func setRange(lo, hi *any, r [2]float64) {
	if r == [2]float64{} {
		return
	}
	*lo, *hi = r[0], r[1]
}

func px(n int) string { return strconv.Itoa(n) + "px" }

// number encodes a value for ECharts, where "-" marks a missing one.
func number(v float64) any {
	if math.IsNaN(v) {
		return "-"
	}
	return v
}

// xy turns a series into ECharts [x, y] data values.
func xy(s Series) [][]any {
	out := make([][]any, len(s.Y))
	for i, y := range s.Y {
		x := float64(i)
		if s.X != nil {
			x = s.X[i]
		}
		out[i] = []any{x, number(y)}
	}
	return out
}

// checkSeries rejects what ECharts cannot draw or would draw misleadingly.
func checkSeries(fn string, series []Series, needFiniteX bool) error {
	if len(series) == 0 {
		return fmt.Errorf("%s: no series", fn)
	}
	for _, s := range series {
		if len(s.Y) == 0 {
			return fmt.Errorf("%s: series %q has no values", fn, s.Name)
		}
		if s.X != nil && len(s.X) != len(s.Y) {
			return fmt.Errorf("%s: series %q has %d x values and %d y values; give as many of each (or X nil for 0, 1, 2, …)", fn, s.Name, len(s.X), len(s.Y))
		}
		if (s.Lo == nil) != (s.Hi == nil) || (s.Lo != nil && (len(s.Lo) != len(s.Y) || len(s.Hi) != len(s.Y))) {
			return fmt.Errorf("%s: series %q has a band of %d low and %d high values for %d y values; give both, as many as Y", fn, s.Name, len(s.Lo), len(s.Hi), len(s.Y))
		}
		for i, y := range s.Y {
			if math.IsInf(y, 0) {
				return fmt.Errorf("%s: series %q has y[%d] = %v; values must be finite (NaN leaves a gap)", fn, s.Name, i, y)
			}
		}
		if needFiniteX {
			for i, x := range s.X {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					return fmt.Errorf("%s: series %q has x[%d] = %v; x values must be finite", fn, s.Name, i, x)
				}
			}
		}
	}
	return nil
}
