package diagram

import "html"

// Subscript writes s as a subscript inside an SVG <text> element, for diagram
// labels such as R_{t+1} whose subscripts Unicode has no characters for.
// s is escaped, so it is shown as written.
func Subscript(s string) string {
	return `<tspan baseline-shift="sub" font-size="75%">` + html.EscapeString(s) + `</tspan>`
}
