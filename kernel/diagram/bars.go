package diagram

import (
	"fmt"
	"html"
	"strings"
)

var barColors = []string{"#5470c6", "#91cc75", "#fac858"}

// ProbBars draws the probabilities p of a categorical distribution as bars on
// a 0…1 scale, each labelled with its probability, its action and its logit
// z, under title. Each element is on its own line, so that envs.Animate
// stores the lines shared by all frames once.
func ProbBars(z, p []float64, title string) (string, error) {
	if len(z) != len(p) || len(p) == 0 {
		return "", fmt.Errorf("diagram.ProbBars: %d logits and %d probabilities, want the same number, at least 1", len(z), len(p))
	}
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="480" height="280" viewBox="0 0 480 280" font-family="sans-serif">` + "\n")
	b.WriteString(`<rect width="480" height="280" fill="#fff"/>` + "\n")
	b.WriteString(`<line x1="40" y1="230" x2="460" y2="230" stroke="#333"/>` + "\n")
	b.WriteString(`<line x1="40" y1="50" x2="460" y2="50" stroke="#ccc" stroke-dasharray="4 4"/>` + "\n")
	b.WriteString(`<text x="36" y="54" font-size="12" text-anchor="end" fill="#666">1</text>` + "\n")
	b.WriteString(`<text x="36" y="234" font-size="12" text-anchor="end" fill="#666">0</text>` + "\n")
	step := 130.0
	if len(p) > 3 {
		step = 390 / float64(len(p))
	}
	for a := range p {
		x := 80 + step*float64(a)
		hgt, w := 180*p[a], min(80, step-10)
		fmt.Fprintf(&b, `<rect x="%g" y="%.1f" width="%g" height="%.1f" fill="%s"/>`+"\n", x, 230-hgt, w, hgt, barColors[a%len(barColors)])
		fmt.Fprintf(&b, `<text x="%g" y="%.1f" font-size="14" text-anchor="middle">%.2f</text>`+"\n", x+w/2, 224-hgt, p[a])
		fmt.Fprintf(&b, `<text x="%g" y="250" font-size="13" text-anchor="middle">a = %d</text>`+"\n", x+w/2, a)
		fmt.Fprintf(&b, `<text x="%g" y="268" font-size="12" text-anchor="middle" fill="#666">z = %.2f</text>`+"\n", x+w/2, z[a])
	}
	fmt.Fprintf(&b, `<text x="240" y="28" font-size="16" font-weight="bold" text-anchor="middle">%s</text>`+"\n", html.EscapeString(title))
	b.WriteString("</svg>")
	return b.String(), nil
}
