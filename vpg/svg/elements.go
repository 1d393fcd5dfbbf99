package svg

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Elements parses doc as XML and returns how many elements of each local
// name it holds, or an error if doc is not exactly one well-formed <svg>
// element in the SVG namespace.
func Elements(doc string) (map[string]int, error) {
	d := xml.NewDecoder(strings.NewReader(doc))
	counts := map[string]int{}
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("svg: not well-formed XML: %w", err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
					return nil, fmt.Errorf("svg: root element %v, want svg in namespace http://www.w3.org/2000/svg", el.Name)
				}
			}
			depth++
			counts[el.Name.Local]++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		return nil, fmt.Errorf("svg: %d root elements, want 1", roots)
	}
	return counts, nil
}
