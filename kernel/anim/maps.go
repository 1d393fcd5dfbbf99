package anim

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/govpg/govpg/vpg/svg"
)

// Map is one heatmap panel: a quantity over the grid, one grid per frame.
type Map struct {
	Title   string // above the panel, e.g. "π(push right | θ, θ̇)"
	Palette Palette
	Lo, Hi  float64       // the colour range; Lo == Hi: the range of all frames' values
	Frames  [][][]float64 // Frames[f][i][j] is the value at (X[j], Y[i]) in frame f
}

// Curve is a line drawn over every panel in the last frame, such as the boundary
// of a hand-written rule, in grid coordinates (clipped to the panels).
type Curve struct {
	Label string // shown in the last frame's caption
	X, Y  []float64
}

// Maps is a set of heatmap panels over one grid of states, animated frame by frame
// (say epoch by epoch through a training run).
type Maps struct {
	XName, YName string
	X, Y         []float64 // the grid: cell centres, ascending and equally spaced
	Panels       []Map
	Captions     []string // one per frame, above the panels
	Curve        *Curve   // nil: none
}

// mapsHold is how long the last frame (with the curve) stays, in seconds.
const mapsHold = 3.0

// Maps layout, in pixels: each panel is a square plot with its y axis on the
// left and its colour bar on the right.
const (
	mapsPlot              = 230.0
	mapsLeft              = 64.0
	mapsPanelW            = mapsLeft + mapsPlot + 16 + 12 + 48
	mapsTop               = 56.0
	mapsH                 = mapsTop + mapsPlot + 48
	mapsCurveDash         = "6 4"
	mapsUniformTolerance  = 1e-6
	mapsMinGridPoints     = 2
	mapsCaptionY, mapsTtl = 20.0, 44.0
)

// SVG returns the animation: one frame per grid at fps frames per second, then the
// last one with the curve drawn, held for a few seconds. It returns an error naming
// the problem for an empty, uneven or mismatched grid, non-finite values, or fps
// outside [svg.MinFPS, svg.MaxFPS].
func (m Maps) SVG(fps float64) (string, error) {
	if err := m.check(fps); err != nil {
		return "", err
	}
	nf := len(m.Captions)
	lo, hi := make([]float64, len(m.Panels)), make([]float64, len(m.Panels))
	images := make([][]string, nf)
	h := fnv.New64a()
	for p, pm := range m.Panels {
		lo[p], hi[p] = pm.colourRange()
		for f := range nf {
			img := gridPNG(pm.Frames[f], lo[p], hi[p], pm.Palette)
			images[f] = append(images[f], img)
			h.Write([]byte(img))
		}
	}
	id := fmt.Sprintf("m%x", h.Sum64()&(1<<40-1))
	static := m.staticPart(id, lo, hi)
	var frames []string
	for f := range nf {
		frames = append(frames, m.frame(static, id, images[f], m.Captions[f], false))
	}
	if m.Curve != nil {
		caption := m.Captions[nf-1] + " · dashed: " + m.Curve.Label
		last := m.frame(static, id, images[nf-1], caption, true)
		for range max(1, int(math.Round(mapsHold*fps))) {
			frames = append(frames, last)
		}
	}
	return svg.Animate(frames, fps), nil
}

func (m Maps) check(fps float64) error {
	nf := len(m.Captions)
	switch {
	case len(m.X) < mapsMinGridPoints || len(m.Y) < mapsMinGridPoints:
		return fmt.Errorf("anim: the grid is %d×%d points; want at least %d along each axis", len(m.X), len(m.Y), mapsMinGridPoints)
	case len(m.Panels) == 0:
		return fmt.Errorf("anim: Maps has no panels")
	case nf == 0:
		return fmt.Errorf("anim: Maps has no captions; want one per frame")
	case !(fps >= svg.MinFPS && fps <= svg.MaxFPS):
		return fmt.Errorf("anim: fps = %v, want a number in [%v, %v]", fps, svg.MinFPS, svg.MaxFPS)
	}
	for _, axis := range []struct {
		name string
		v    []float64
	}{{"X", m.X}, {"Y", m.Y}} {
		if err := checkFinite(axis.name, axis.v); err != nil {
			return err
		}
		step := axis.v[1] - axis.v[0]
		for i := 1; i < len(axis.v); i++ {
			if d := axis.v[i] - axis.v[i-1]; !(d > 0) || math.Abs(d-step) > mapsUniformTolerance*math.Abs(step) {
				return fmt.Errorf("anim: %s[%d] = %v after %v: want ascending, equally spaced grid points", axis.name, i, axis.v[i], axis.v[i-1])
			}
		}
	}
	for p, pm := range m.Panels {
		if len(pm.Frames) != nf {
			return fmt.Errorf("anim: panel %d (%q) has %d frames for %d captions; want one caption per frame", p, pm.Title, len(pm.Frames), nf)
		}
		if len(pm.Palette) < 2 {
			return fmt.Errorf("anim: panel %d (%q) has a palette of %d colours; want at least 2", p, pm.Title, len(pm.Palette))
		}
		if math.IsNaN(pm.Lo) || math.IsNaN(pm.Hi) || pm.Lo > pm.Hi {
			return fmt.Errorf("anim: panel %d (%q) has colour range [%v, %v]; want Lo ≤ Hi (equal: from the data)", p, pm.Title, pm.Lo, pm.Hi)
		}
		for f, z := range pm.Frames {
			if len(z) != len(m.Y) {
				return fmt.Errorf("anim: panel %q frame %d has %d rows; want %d (one per Y)", pm.Title, f, len(z), len(m.Y))
			}
			for i, row := range z {
				if len(row) != len(m.X) {
					return fmt.Errorf("anim: panel %q frame %d row %d has %d values; want %d (one per X)", pm.Title, f, i, len(row), len(m.X))
				}
				if err := checkFinite(fmt.Sprintf("panel %q frame %d row %d", pm.Title, f, i), row); err != nil {
					return err
				}
			}
		}
	}
	if c := m.Curve; c != nil {
		if len(c.X) != len(c.Y) || len(c.X) < 2 {
			return fmt.Errorf("anim: the curve has %d x and %d y values; want the same number, at least 2", len(c.X), len(c.Y))
		}
		if err := checkFinite("Curve.X", c.X); err != nil {
			return err
		}
		return checkFinite("Curve.Y", c.Y)
	}
	return nil
}

// colourRange is [Lo, Hi], or the data's range over all frames when they are equal.
func (pm Map) colourRange() (lo, hi float64) {
	if pm.Lo < pm.Hi {
		return pm.Lo, pm.Hi
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, z := range pm.Frames {
		for _, row := range z {
			for _, v := range row {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	return lo, hi
}

// px maps a grid coordinate to the plot's pixels: cells are centred on the grid points.
func px(v []float64, x float64) float64 {
	step := v[1] - v[0]
	return (x - (v[0] - step/2)) / (step * float64(len(v))) * mapsPlot
}

// staticPart draws the panels' titles, axes, ticks and colour bars.
func (m Maps) staticPart(id string, lo, hi []float64) string {
	var d doc
	for p, pm := range m.Panels {
		ox := float64(p) * mapsPanelW
		left, bottom := ox+mapsLeft, mapsTop+mapsPlot
		d.text(left+mapsPlot/2, mapsTtl, 14, "middle", "#222", pm.Title)
		d.line(`<clipPath id="%s_%d"><rect x="%s" y="%s" width="%s" height="%[5]s"/></clipPath>`, id, p, num(left), num(mapsTop), num(mapsPlot))
		d.line(`<rect x="%s" y="%s" width="%s" height="%[3]s" fill="none" stroke="#444"/>`, num(left), num(mapsTop), num(mapsPlot))
		for _, t := range ticks(m.X) {
			x := left + px(m.X, t)
			d.line(`<line x1="%s" y1="%s" x2="%[1]s" y2="%s" stroke="#444"/>`, num(x), num(bottom), num(bottom+4))
			d.text(x, bottom+17, 11, "middle", "#444", label(t))
		}
		for _, t := range ticks(m.Y) {
			y := bottom - px(m.Y, t)
			d.line(`<line x1="%s" y1="%s" x2="%s" y2="%[2]s" stroke="#444"/>`, num(left-4), num(y), num(left))
			d.text(left-7, y+4, 11, "end", "#444", label(t))
		}
		d.text(left+mapsPlot/2, bottom+36, 13, "middle", "#222", m.XName)
		d.line(`<text transform="translate(%s %s) rotate(-90)" font-size="13" text-anchor="middle" fill="#222">%s</text>`,
			num(ox+16), num(mapsTop+mapsPlot/2), escape(m.YName))
		// colour bar
		bx := left + mapsPlot + 16
		d.b.WriteString(fmt.Sprintf(`<linearGradient id="%s_g%d" x1="0" y1="1" x2="0" y2="0">`, id, p))
		for i, c := range pm.Palette {
			d.b.WriteString(fmt.Sprintf(`<stop offset="%s" stop-color="%s"/>`, num(float64(i)/float64(len(pm.Palette)-1)), hexColor(c)))
		}
		d.line(`</linearGradient>`)
		d.line(`<rect x="%s" y="%s" width="12" height="%s" fill="url(#%s_g%d)" stroke="#444" stroke-width="0.5"/>`, num(bx), num(mapsTop), num(mapsPlot), id, p)
		for i, v := range []float64{lo[p], (lo[p] + hi[p]) / 2, hi[p]} {
			d.text(bx+16, bottom-float64(i)*mapsPlot/2+4, 11, "start", "#444", label(v))
		}
	}
	return d.b.String()
}

// frame draws one frame: the shared part, then the panels' images, the caption
// and, if curve, the curve.
func (m Maps) frame(static, id string, images []string, caption string, curve bool) string {
	d := newDoc(float64(len(m.Panels))*mapsPanelW, mapsH)
	d.b.WriteString(static)
	for p, img := range images {
		d.line(`<image x="%s" y="%s" width="%s" height="%[3]s" preserveAspectRatio="none" href="%s"/>`,
			num(float64(p)*mapsPanelW+mapsLeft), num(mapsTop), num(mapsPlot), img)
	}
	d.text(float64(len(m.Panels))*mapsPanelW/2, mapsCaptionY, 14, "middle", "#222", caption)
	if curve {
		for p := range m.Panels {
			left, bottom := float64(p)*mapsPanelW+mapsLeft, mapsTop+mapsPlot
			pts := make([]string, len(m.Curve.X))
			for i := range pts {
				pts[i] = num(left+px(m.X, m.Curve.X[i])) + "," + num(bottom-px(m.Y, m.Curve.Y[i]))
			}
			for _, stroke := range []string{`stroke="#fff" stroke-width="4"`, `stroke="#000" stroke-width="2" stroke-dasharray="` + mapsCurveDash + `"`} {
				d.line(`<polyline points="%s" fill="none" %s clip-path="url(#%s_%d)"/>`, strings.Join(pts, " "), stroke, id, p)
			}
		}
	}
	return d.end()
}

// ticks returns about five round values inside the grid's span.
func ticks(v []float64) []float64 {
	lo, hi := v[0], v[len(v)-1]
	raw := (hi - lo) / 4
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*mag >= raw {
			step = f * mag
			break
		}
	}
	var out []float64
	for t := math.Ceil(lo/step-1e-9) * step; t <= hi+step*1e-9; t += step {
		out = append(out, math.Round(t/step)*step)
	}
	return out
}
