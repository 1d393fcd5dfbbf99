package diagram

import (
	"encoding/xml"
	"strings"
	"testing"
)

// The subscript must be well-formed SVG whose text is s itself, whatever s holds.
func TestSubscript(t *testing.T) {
	for _, s := range []string{"t+1", "θₖ", "a<b & c>\"d\"", ""} {
		label := `<text xmlns="http://www.w3.org/2000/svg">R` + Subscript(s) + `</text>`
		var text struct {
			Chars string `xml:",chardata"`
			Span  struct {
				Shift string `xml:"baseline-shift,attr"`
				Chars string `xml:",chardata"`
			} `xml:"tspan"`
		}
		if err := xml.NewDecoder(strings.NewReader(label)).Decode(&text); err != nil {
			t.Fatalf("Subscript(%q) is not well-formed inside <text>: %v", s, err)
		}
		if text.Chars != "R" || text.Span.Chars != s || text.Span.Shift != "sub" {
			t.Errorf("Subscript(%q): text %q, subscript %q shifted %q; want R, %q, sub", s, text.Chars, text.Span.Chars, text.Span.Shift, s)
		}
	}
}
