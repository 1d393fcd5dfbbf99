package anim

import (
	"fmt"
	"math"
	"regexp"
	"strings"

	"github.com/govpg/govpg/vpg/svg"
)

// Row is one estimator's weights Ψ_t, one per step of the episode.
type Row struct {
	Name   string // shown left of the bars, e.g. "R(τ)"
	Values []float64
}

// Credit is one episode and the credit each step's action gets.
type Credit struct {
	Frames []string  // the state s_t where a_t was taken, drawn (SVG documents, e.g. envs.Render), one per step
	Rows   []Row     // Ψ_t of each estimator, one value per step
	Delta  []float64 // log π(a_t|s_t) after one policy update minus before; nil draws no Δ row
}

// Timing of the credit animation beyond the episode itself, in seconds.
const (
	creditReveal = 1.0 // the Δ row sweeps in from the left
	creditHold   = 3.0 // the whole picture stays before the loop restarts
)

// Credit layout, in pixels.
const (
	creditW              = 760.0
	picW, picH           = 360.0, 240.0
	rowsTop              = 282.0
	rowH, rowGap         = 48.0, 14.0
	plotLeft, plotRight  = 200.0, creditW - 12
	creditCaptionY       = picH + 26
	creditBarPos         = "#4477aa" // Ψ_t > 0
	creditBarNeg         = "#ee7733" // Ψ_t < 0
	creditUp, creditDown = "#2e9e44", "#d62728"
)

// SVG returns the animation: the episode plays at fps frames per second with the
// current step's bars highlighted and its weights in the caption; then the Δ log π
// row sweeps in and everything stays for a few seconds before the loop restarts.
// It returns an error naming the problem for empty or mismatched input, non-finite
// values, a frame that is not an SVG document, or fps outside [svg.MinFPS, svg.MaxFPS].
func (c Credit) SVG(fps float64) (string, error) {
	if err := c.check(fps); err != nil {
		return "", err
	}
	static := c.staticPart()
	steps := len(c.Frames)
	var frames []string
	for k := range steps {
		caption := fmt.Sprintf("step t = %d of %d", k, steps)
		for _, r := range c.Rows {
			caption += fmt.Sprintf(" · %s = %s", r.Name, label(r.Values[k]))
		}
		frames = append(frames, c.frame(static, k, c.dynamic(k, caption, 0)))
	}
	if c.Delta != nil {
		reveal := max(1, int(math.Round(creditReveal*fps)))
		caption := "after one policy update: Δ log π(aₜ|sₜ) of every step, green up, red down"
		for r := 1; r <= reveal; r++ {
			frames = append(frames, c.frame(static, steps-1, c.dynamic(-1, caption, float64(r)/float64(reveal)*float64(steps))))
		}
	}
	last := frames[len(frames)-1]
	for range int(math.Round(creditHold * fps)) {
		frames = append(frames, last)
	}
	return svg.Animate(frames, fps), nil
}

func (c Credit) check(fps float64) error {
	steps := len(c.Frames)
	switch {
	case steps == 0:
		return fmt.Errorf("anim: Credit has no frames; want one drawing per step")
	case len(c.Rows) == 0:
		return fmt.Errorf("anim: Credit has no rows; want at least one Ψ row")
	case !(fps >= svg.MinFPS && fps <= svg.MaxFPS):
		return fmt.Errorf("anim: fps = %v, want a number in [%v, %v]", fps, svg.MinFPS, svg.MaxFPS)
	case c.Delta != nil && len(c.Delta) != steps:
		return fmt.Errorf("anim: Credit.Delta has %d values for %d frames; want one per step", len(c.Delta), steps)
	}
	for i, r := range c.Rows {
		if len(r.Values) != steps {
			return fmt.Errorf("anim: row %d (%q) has %d values for %d frames; want one per step", i, r.Name, len(r.Values), steps)
		}
		if err := checkFinite(fmt.Sprintf("row %q", r.Name), r.Values); err != nil {
			return err
		}
	}
	for i, f := range c.Frames {
		if _, _, err := splitFrame(f); err != nil {
			return fmt.Errorf("anim: frame %d: %w", i, err)
		}
	}
	return checkFinite("Delta", c.Delta)
}

// barX is the left edge and width of step k's bar.
func (c Credit) barX(k int) (x, w float64) {
	w = (plotRight - plotLeft) / float64(len(c.Frames))
	return plotLeft + float64(k)*w, w
}

// staticPart draws what every frame shares: the rows' names, scales and bars.
func (c Credit) staticPart() string {
	var d doc
	rows := append([]Row(nil), c.Rows...)
	if c.Delta != nil {
		rows = append(rows, Row{Name: "Δ log π(aₜ|sₜ)", Values: c.Delta})
	}
	for i, r := range rows {
		top := rowsTop + float64(i)*(rowH+rowGap)
		lo, hi := 0.0, 0.0
		for _, v := range r.Values {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		if hi == lo {
			hi = 1
		}
		y := func(v float64) float64 { return top + rowH*(hi-v)/(hi-lo) }
		d.text(plotLeft-40, top+rowH/2+5, 13, "end", "#222", r.Name)
		d.text(plotLeft-6, top+9, 10, "end", "#777", label(hi))
		d.text(plotLeft-6, top+rowH, 10, "end", "#777", label(lo))
		d.line(`<line x1="%s" y1="%s" x2="%s" y2="%[2]s" stroke="#999" stroke-width="0.5"/>`, num(plotLeft), num(y(0)), num(plotRight))
		isDelta := c.Delta != nil && i == len(rows)-1
		for k, v := range r.Values {
			x, w := c.barX(k)
			fill := creditBarPos
			switch {
			case isDelta && v >= 0:
				fill = creditUp
			case isDelta:
				fill = creditDown
			case v < 0:
				fill = creditBarNeg
			}
			y0, y1 := y(0), y(v)
			d.line(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
				num(x), num(math.Min(y0, y1)), num(math.Max(w*0.8, 0.5)), num(math.Max(math.Abs(y1-y0), 0.5)), fill)
		}
	}
	return d.b.String()
}

// dynamic draws what changes: the highlight on step k (none for k < 0), the
// caption, and the cover over the Δ row beyond `shown` steps.
func (c Credit) dynamic(k int, caption string, shown float64) string {
	var d doc
	psiRows := float64(len(c.Rows))
	if k >= 0 {
		x, w := c.barX(k)
		d.line(`<rect x="%s" y="%s" width="%s" height="%s" fill="#000" fill-opacity="0.18" stroke="#000" stroke-width="1"/>`,
			num(x-1), num(rowsTop-3), num(w+2), num(psiRows*(rowH+rowGap)-rowGap+6))
	}
	d.text(creditW/2, creditCaptionY, 13, "middle", "#222", caption)
	if c.Delta != nil && shown < float64(len(c.Frames)) {
		top := rowsTop + psiRows*(rowH+rowGap)
		x := plotLeft + shown/float64(len(c.Frames))*(plotRight-plotLeft)
		d.line(`<rect x="%s" y="%s" width="%s" height="%s" fill="#fff"/>`, num(x), num(top-1), num(plotRight-x+1), num(rowH+2))
		if k >= 0 {
			d.text((plotLeft+plotRight)/2, top+rowH/2+4, 12, "middle", "#999", "the change of log π after the update appears when the episode ends")
		}
	}
	return d.b.String()
}

// frame is one whole frame: shared part, picture k, then the dynamic part.
func (c Credit) frame(static string, k int, dynamic string) string {
	root, body, _ := splitFrame(c.Frames[k])
	d := newDoc(creditW, c.height())
	d.b.WriteString(static)
	// One line, so that svg.Animate never shares the opening tag without the closing one.
	d.line(`<svg x="%s" y="8" width="%s" height="%s" viewBox="%s">%s</svg>`,
		num((creditW-picW)/2), num(picW), num(picH), root, strings.ReplaceAll(body, "\n", ""))
	d.b.WriteString(dynamic)
	return d.end()
}

func (c Credit) height() float64 {
	n := float64(len(c.Rows))
	if c.Delta != nil {
		n++
	}
	return rowsTop + n*(rowH+rowGap)
}

var viewBoxAttr = regexp.MustCompile(`viewBox="([^"]*)"`)

// splitFrame returns the viewBox of SVG document f and the lines inside its root.
func splitFrame(f string) (viewBox, body string, err error) {
	start := strings.Index(f, "<svg")
	end := strings.LastIndex(f, "</svg>")
	if start < 0 || end < start {
		return "", "", fmt.Errorf("not an SVG document (no <svg …>…</svg>)")
	}
	open := strings.IndexByte(f[start:end], '>')
	if open < 0 {
		return "", "", fmt.Errorf("unterminated <svg> tag")
	}
	m := viewBoxAttr.FindStringSubmatch(f[start : start+open])
	if m == nil {
		return "", "", fmt.Errorf("the root <svg> has no viewBox, which scaling the picture needs")
	}
	return m[1], strings.Trim(f[start+open+1:end], "\n"), nil
}
