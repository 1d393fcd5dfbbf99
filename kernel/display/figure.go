package display

import (
	"html"
	"strings"

	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// Figure collects charts and text that show as one output, side by side where they
// fit. Show displays one once; Slider precomputes one per slider position.
type Figure struct {
	parts []part
}

// part is one piece of a figure: its markup and, for a chart, the chart's id and
// ECharts option (JSON), which a Slider switches in the page.
type part struct {
	html, id, style, option string
}

// Line adds the chart display.Line draws.
func (f *Figure) Line(a Axes, series ...Series) { f.chart(NewLine(a, series...)) }

// Scatter adds the chart display.Scatter draws.
func (f *Figure) Scatter(a Axes, series ...Series) { f.chart(NewScatter(a, series...)) }

// Bar adds the chart display.Bar draws.
func (f *Figure) Bar(a Axes, categories []string, series ...Series) {
	f.chart(NewBar(a, categories, series...))
}

// Histogram adds the chart display.Histogram draws.
func (f *Figure) Histogram(a Axes, bins int, samples ...Samples) {
	f.chart(NewHistogram(a, bins, samples...))
}

// Heatmap adds the chart display.Heatmap draws.
func (f *Figure) Heatmap(a Axes, xLabels, yLabels []string, z [][]float64) {
	f.chart(NewHeatmap(a, xLabels, yLabels, z))
}

// Chart adds any go-echarts chart.
func (f *Figure) Chart(c Snippeter) { f.chart(c, nil) }

// HTML adds raw HTML, such as an SVG drawing.
func (f *Figure) HTML(h string) { f.parts = append(f.parts, part{html: h}) }

// Text adds a line of text, HTML special characters escaped.
func (f *Figure) Text(s string) {
	f.HTML(`<div style="font-family:sans-serif;margin:4px 0">` + html.EscapeString(s) + `</div>`)
}

// chart renders c, or stops the cell program with err's message.
func (f *Figure) chart(c Snippeter, err error) {
	if err == nil {
		var p part
		if p, err = chartPart(c.RenderSnippet()); err == nil {
			f.parts = append(f.parts, p)
			return
		}
	}
	cellfail.Fail("%v", err)
}

// HTMLString is the figure's markup: its parts in a row that wraps.
func (f *Figure) HTMLString() string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start">`)
	for _, p := range f.parts {
		b.WriteString(p.html + "\n")
	}
	return b.String() + `</div>`
}

// Show displays the figure once.
func (f *Figure) Show() {
	if err := ensureECharts(); err != nil {
		cellfail.Fail("%v", err)
		return
	}
	show(f.HTMLString())
}
