package envs

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Renderer is implemented by environments that can draw their current
// state; all environments of this package do.
type Renderer interface {
	// SVG returns a self-contained SVG document of the current state.
	SVG() string
}

// Render returns an SVG drawing of e's current state, or, for an
// environment that is not a Renderer, a small SVG saying so.
//
// The documents are line-oriented: the root element on the first line,
// then one element per line with the parts that never move (track,
// mountain, target line) first, so that svg.Animate can share them between
// frames.
func Render(e Env) string {
	if r, ok := e.(Renderer); ok {
		return r.SVG()
	}
	d := newSVG(300, 40, 300, 40)
	d.printf(`<text x="8" y="25" font-size="14">%s: no drawing</text>`, html.EscapeString(e.ID()))
	return d.end()
}

// svg accumulates a drawing, one element per line.
type svg struct {
	b    strings.Builder
	zoom float64 // displayed pixels per user unit
}

// newSVG starts a document shown at w×h pixels with user coordinates
// [0, vw]×[0, vh], on a white background (readable in dark themes too).
func newSVG(w, h, vw, vh float64) *svg {
	d := &svg{zoom: w / vw}
	d.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif">`,
		num(w), num(h), num(vw), num(vh))
	d.printf(`<rect width="%s" height="%s" fill="#fff"/>`, num(vw), num(vh))
	return d
}

func (d *svg) printf(format string, args ...any) {
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

// stepLabel writes the elapsed-step counter, top left, at 13 px on screen.
func (d *svg) stepLabel(steps int) {
	size := 13 / d.zoom
	d.printf(`<text x="%s" y="%s" font-size="%s" fill="#444">t = %d</text>`, num(size/2), num(size*1.4), num(size), steps)
}

func (d *svg) end() string {
	d.b.WriteString("</svg>\n")
	return d.b.String()
}

// num formats a coordinate with at most one decimal, enough at screen scale.
func num(x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if s == "-0" {
		return "0"
	}
	return s
}

// deg converts radians to degrees.
func deg(rad float64) float64 { return rad * 180 / math.Pi }

// SVG draws the cart on its track and the pole, as Gymnasium's picture
// (600×400 units, 125 units per metre; the track spans ±2.4 m, the
// termination bounds).
func (c *CartPole) SVG() string {
	const (
		width, height = 600.0, 400.0
		scale         = width / 4.8
		trackY        = height - 100 // the cart's centre line
	)
	poleLen := scale * 2 * cpHalfLength
	d := newSVG(450, 300, width, height)
	d.printf(`<line x1="0" y1="%s" x2="%s" y2="%s" stroke="#000"/>`, num(trackY), num(width), num(trackY))
	d.printf(`<g transform="translate(%s %s)"><rect x="-25" y="-15" width="50" height="30" fill="#000"/>`+
		`<rect x="-5" y="%s" width="10" height="%s" fill="#ca9865" transform="translate(0 -7.5) rotate(%s)"/>`+
		`<circle cy="-7.5" r="5" fill="#8184cb"/></g>`,
		num(c.s[0]*scale+width/2), num(trackY), num(5-poleLen), num(poleLen), num(deg(c.s[2])))
	d.stepLabel(c.steps)
	return d.end()
}

// armScale is the pixels per metre of the Pendulum and Acrobot pictures:
// 500 units for ±2.2 m, as in Gymnasium.
const armScale = 500 / 4.4

// SVG draws the pendulum from its pivot (up is θ = 0) and, after a step,
// an arc arrow around the pivot whose size and direction show the torque
// just applied (counter-clockwise for u > 0).
func (p *Pendulum) SVG() string {
	const size, c, rod = 500.0, 250.0, armScale
	d := newSVG(300, 300, size, size)
	d.printf(`<g transform="translate(%s %s) rotate(%s)"><rect y="%s" width="%s" height="%s" fill="#cc4d4d"/>`+
		`<circle r="%s" fill="#cc4d4d"/><circle cx="%s" r="%s" fill="#cc4d4d"/></g>`,
		num(c), num(c), num(-deg(p.s[0]+math.Pi/2)), num(-0.1*rod), num(rod), num(0.2*rod), num(0.1*rod), num(rod), num(0.1*rod))
	if u := p.lastU; !math.IsNaN(u) && u != 0 {
		d.torqueArc(c, u)
	}
	d.printf(`<circle cx="%s" cy="%s" r="%s" fill="#000"/>`, num(c), num(c), num(0.05*rod))
	d.stepLabel(p.steps)
	return d.end()
}

// torqueArc draws an arc below the pivot at (c, c), sized by |u| ≤ 2, with
// an arrowhead at its counter-clockwise end for u > 0, clockwise for u < 0.
func (d *svg) torqueArc(c, u float64) {
	r := 25 + 20*math.Abs(u)
	from, to := math.Pi*200/180, math.Pi*340/180 // maths angles, y up
	if u < 0 {
		from, to = to, from
	}
	at := func(a, rr float64) (float64, float64) { return c + rr*math.Cos(a), c - rr*math.Sin(a) }
	x0, y0 := at(from, r)
	x1, y1 := at(to, r)
	sweep := 0 // SVG sweep flag: 0 draws counter-clockwise on screen
	if u < 0 {
		sweep = 1
	}
	// The head: a triangle at the end, pointing along the direction of travel.
	back := to - math.Copysign(0.35, u)
	hx0, hy0 := at(back, r-8)
	hx1, hy1 := at(back, r+8)
	d.printf(`<path d="M%s %sA%s %s 0 0 %d %s %s" fill="none" stroke="#333" stroke-width="3"/>`+
		`<path d="M%s %sL%s %sL%s %sz" fill="#333"/>`,
		num(x0), num(y0), num(r), num(r), sweep, num(x1), num(y1),
		num(x1), num(y1), num(hx0), num(hy0), num(hx1), num(hy1))
}

// SVG draws the two links hanging from the pivot and the target height
// (one link length above the pivot) the tip must pass.
func (a *Acrobot) SVG() string {
	const size, c, s = 500.0, 250.0, armScale
	d := newSVG(300, 300, size, size)
	d.printf(`<line x1="0" y1="%s" x2="%s" y2="%s" stroke="#000"/>`, num(c-s), num(size), num(c-s))
	x1, y1 := c+s*math.Sin(a.s[0]), c+s*math.Cos(a.s[0])
	x2, y2 := x1+s*math.Sin(a.s[0]+a.s[1]), y1+s*math.Cos(a.s[0]+a.s[1])
	link := `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#0cc" stroke-width="%s"/><circle cx="%s" cy="%s" r="%s" fill="#cc0"/>`
	d.printf(link+link,
		num(c), num(c), num(x1), num(y1), num(0.2*s), num(c), num(c), num(0.1*s),
		num(x1), num(y1), num(x2), num(y2), num(0.2*s), num(x1), num(y1), num(0.1*s))
	d.stepLabel(a.steps)
	return d.end()
}

// SVG draws the valley, the flag at the goal and the car.
func (m *MountainCar) SVG() string { return mountainSVG(m.s[0], 0.5, m.steps) }

// SVG draws the valley, the flag at the goal and the car.
func (m *MountainCarContinuous) SVG() string { return mountainSVG(m.s[0], 0.45, m.steps) }

// mountainSVG is Gymnasium's mountain-car picture: 600×400 units for the
// track's 1.8 m, the car 40×20 units tilted along the slope.
func mountainSVG(pos, goal float64, steps int) string {
	const width, height = 600.0, 400.0
	const scale = width / (mcMaxPos - mcMinPos)
	screen := func(p, lift float64) (float64, float64) {
		return (p - mcMinPos) * scale, height - lift - mcHeight(p)*scale
	}
	d := newSVG(450, 300, width, height)
	var pts strings.Builder
	for i := range 100 {
		x, y := screen(mcMinPos+(mcMaxPos-mcMinPos)*float64(i)/99, 0)
		fmt.Fprintf(&pts, "%s,%s ", num(x), num(y))
	}
	d.printf(`<polyline points="%s" fill="none" stroke="#000" stroke-width="2"/>`, strings.TrimSpace(pts.String()))
	fx, fy := screen(goal, 0)
	d.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000"/><path d="M%s %sl0 10l25 -5z" fill="#cc0"/>`,
		num(fx), num(fy), num(fx), num(fy-50), num(fx), num(fy-50))
	cx, cy := screen(pos, 10)
	d.printf(`<g transform="translate(%s %s) rotate(%s)"><rect x="-20" y="-20" width="40" height="20" fill="#000"/>`+
		`<circle cx="-10" r="8" fill="#808080"/><circle cx="10" r="8" fill="#808080"/></g>`,
		num(cx), num(cy), num(-deg(math.Cos(3*pos))))
	d.stepLabel(steps)
	return d.end()
}

// SVG draws the row of states: the terminal squares at both ends with
// their rewards, the 19 states as circles, and the current state filled.
func (w *RandomWalk) SVG() string {
	const cell, left, y = 30.0, 25.0, 55.0
	n := RandomWalkStates + 2
	width := 2*left + cell*float64(n-1)
	d := newSVG(width, 100, width, 100)
	var row strings.Builder
	for s := range n {
		x := left + cell*float64(s)
		if s == 0 || s == n-1 {
			fmt.Fprintf(&row, `<rect x="%s" y="%s" width="20" height="20" fill="#ddd" stroke="#000"/>`, num(x-10), num(y-10))
			continue
		}
		fmt.Fprintf(&row, `<circle cx="%s" cy="%s" r="10" fill="#fff" stroke="#000"/>`, num(x), num(y))
	}
	d.printf("%s", row.String())
	d.printf(`<text x="%s" y="%s" font-size="13" text-anchor="middle">−1</text><text x="%s" y="%s" font-size="13" text-anchor="middle">+1</text>`+
		`<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#666">start</text>`,
		num(left), num(y+30), num(left+cell*float64(n-1)), num(y+30), num(left+cell*10), num(y+30))
	d.printf(`<circle cx="%s" cy="%s" r="7" fill="#e69f00"/>`, num(left+cell*float64(w.s)), num(y))
	d.stepLabel(w.steps)
	return d.end()
}
