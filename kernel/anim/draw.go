package anim

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"math"
	"strconv"
	"strings"
)

// Palette maps a value in [0, 1] to a colour by linear interpolation between
// equally spaced stops.
type Palette []color.NRGBA

// The palettes the pictures use: Diverging for a quantity with a meaningful
// middle (π = 0.5, μ = 0), blue below and red above; Sequential (viridis) for
// one without (V).
var (
	Diverging  = Palette{{33, 102, 172, 255}, {146, 197, 222, 255}, {247, 247, 247, 255}, {244, 165, 130, 255}, {178, 24, 43, 255}}
	Sequential = Palette{{68, 1, 84, 255}, {59, 82, 139, 255}, {33, 145, 140, 255}, {94, 201, 98, 255}, {253, 231, 37, 255}}
)

// At returns the colour at u, clamped into [0, 1]; NaN gives transparent.
func (p Palette) At(u float64) color.NRGBA {
	if math.IsNaN(u) {
		return color.NRGBA{}
	}
	u = math.Max(0, math.Min(1, u))
	pos := u * float64(len(p)-1)
	i := min(int(pos), len(p)-2)
	f := pos - float64(i)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + f*(float64(b)-float64(a)))) }
	a, b := p[i], p[i+1]
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

func hexColor(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// gridPNG draws z (z[i][j] at row i from the bottom, column j) as a PNG data
// URI, one pixel per cell, coloured by p over [lo, hi].
func gridPNG(z [][]float64, lo, hi float64, p Palette) string {
	rows, cols := len(z), len(z[0])
	img := image.NewNRGBA(image.Rect(0, 0, cols, rows))
	for i, row := range z {
		for j, v := range row {
			img.SetNRGBA(j, rows-1-i, p.At((v-lo)/(hi-lo)))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding to memory does not fail
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())
}

// doc accumulates an SVG document one element per line, the form
// svg.Animate shares between frames.
type doc struct{ b strings.Builder }

func (d *doc) line(format string, args ...any) {
	fmt.Fprintf(&d.b, format, args...)
	d.b.WriteByte('\n')
}

// text writes s (escaped) at (x, y) with the given size, anchor and colour.
func (d *doc) text(x, y, size float64, anchor, fill, s string) {
	d.line(`<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s">%s</text>`,
		num(x), num(y), num(size), anchor, fill, html.EscapeString(s))
}

func newDoc(w, h float64) *doc {
	d := &doc{}
	d.line(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %[1]s %[2]s" font-family="sans-serif">`, num(w), num(h))
	d.line(`<rect width="%s" height="%s" fill="#fff"/>`, num(w), num(h))
	return d
}

func (d *doc) end() string { return d.b.String() + "</svg>\n" }

// num formats a coordinate with at most two decimals.
func num(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

// label formats a value for an axis or a caption: few significant digits.
func label(x float64) string {
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'g', 3, 64)
}

// checkFinite reports the first non-finite value of xs, naming it.
func checkFinite(what string, xs []float64) error {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("anim: %s[%d] = %v, want finite numbers", what, i, x)
		}
	}
	return nil
}

func escape(s string) string { return html.EscapeString(s) }
