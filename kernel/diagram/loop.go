package diagram

import (
	"encoding/base64"
	"fmt"
	"html"
	"strings"
)

// Stage is one box of a Loop diagram: its centre in the 800×470 drawing, a
// fill colour and its lines of text (the first is drawn in bold). Lines are
// SVG text content, so they may hold a Subscript; escape any other markup
// characters with html.EscapeString.
type Stage struct {
	X, Y  float64
	Fill  string
	Lines []string
}

// loopArrows join the four boxes clockwise, from the side of one box to the
// next, for boxes centred at the top, right, bottom and left of the drawing.
var loopArrows = []string{
	"M545 62 Q645 62 645 187",
	"M645 283 Q645 408 547 408",
	"M255 408 Q155 408 155 283",
	"M155 189 Q155 62 253 62",
}

// Loop draws four stages as boxes on a circle of arrows (top, right, bottom,
// left: the layout the arrows assume), with envPicture, an SVG image of the
// environment, in the middle and caption under it, and "next epoch" on the
// arrow that closes the loop. It returns an error unless there are four stages.
func Loop(stages []Stage, envPicture string, caption ...string) (string, error) {
	if len(stages) != len(loopArrows) {
		return "", fmt.Errorf("diagram.Loop: %d stages, want %d (top, right, bottom, left)", len(stages), len(loopArrows))
	}
	const w, h = 290.0, 92.0
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="800" height="470" viewBox="0 0 800 470" font-family="sans-serif">` + "\n")
	b.WriteString(`<defs><marker id="vpg-loop-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker></defs>` + "\n")
	b.WriteString(`<rect width="800" height="470" fill="#fff"/>` + "\n")
	for _, d := range loopArrows {
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#555" stroke-width="2.5" marker-end="url(#vpg-loop-head)"/>`+"\n", d)
	}
	b.WriteString(`<text x="22" y="112" font-size="14" fill="#555" font-style="italic">next epoch</text>` + "\n")
	b.WriteString(`<text x="22" y="131" font-size="14" fill="#555" font-style="italic">k ← k + 1</text>` + "\n")
	for _, s := range stages {
		fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" rx="12" fill="%s" stroke="#333"/>`+"\n", s.X-w/2, s.Y-h/2, w, h, html.EscapeString(s.Fill))
		for i, line := range s.Lines {
			weight, size := "normal", 12.5
			if i == 0 {
				weight, size = "bold", 14.5
			}
			fmt.Fprintf(&b, `<text x="%g" y="%g" text-anchor="middle" font-size="%g" font-weight="%s">%s</text>`+"\n",
				s.X, s.Y-h/2+26+float64(i)*23, size, weight, line)
		}
	}
	img := base64.StdEncoding.EncodeToString([]byte(envPicture))
	fmt.Fprintf(&b, `<image x="310" y="152" width="180" height="120" href="data:image/svg+xml;base64,%s"/>`+"\n", img)
	for i, line := range caption {
		fmt.Fprintf(&b, `<text x="400" y="%d" text-anchor="middle" font-size="13" fill="#333">%s</text>`+"\n", 298+20*i, html.EscapeString(line))
	}
	b.WriteString("</svg>")
	return b.String(), nil
}
