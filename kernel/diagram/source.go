package diagram

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"html"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/govpg/govpg/kernel/internal/markers"
)

// Step is one line of pseudocode and where the repository implements it:
// inside function Func (a method or a plain function) of File (a path from
// the repository root, e.g. "vpg/trainer.go"), the first line containing Find.
type Step struct {
	Indent bool     // drawn indented, inside a loop
	Text   []string // the pseudocode, one entry per drawn line
	File   string
	Func   string
	Find   string
}

// Found is what Locate found for a Step: the line's text and number, and
// whether Find was in Func (Exact) or the diagram points at Func's first line.
type Found struct {
	Step
	Code  string
	Line  int
	Exact bool
}

// Root is the repository root: $GOVPG_ROOT, else the checkout this package
// was compiled from.
func Root() string { return markers.Root() }

// Locate parses root/s.File and finds s.Func and, inside it, the first line
// that contains s.Find. A missing file or function is an error that names it.
func Locate(root string, s Step) (Found, error) {
	path := filepath.Join(root, s.File)
	src, err := os.ReadFile(path)
	if err != nil {
		return Found{}, err
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		return Found{}, err
	}
	lines := strings.Split(string(src), "\n")
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Name.Name != s.Func {
			continue
		}
		from, to := fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line
		for n := from; n <= to; n++ {
			if strings.Contains(lines[n-1], s.Find) {
				return Found{s, strings.TrimSpace(lines[n-1]), n, true}, nil
			}
		}
		return Found{s, strings.TrimSpace(lines[from-1]), from, false}, nil
	}
	return Found{}, fmt.Errorf("diagram: no function %s in %s", s.Func, s.File)
}

// SourceMap locates every step under root and draws the pseudocode on the
// left and the code on the right, one row per step, joined by arrows. It
// returns the SVG and how many steps were found at their exact line; an
// error names the first step it could not locate.
func SourceMap(title, codeTitle string, root string, steps []Step) (svg string, exact int, err error) {
	found := make([]Found, len(steps))
	for i, s := range steps {
		if found[i], err = Locate(root, s); err != nil {
			return "", 0, fmt.Errorf("pseudocode line %d: %w", i+1, err)
		}
		if found[i].Exact {
			exact++
		}
	}
	return sourceMapSVG(title, codeTitle, found), exact, nil
}

func sourceMapSVG(title, codeTitle string, found []Found) string {
	const width, left, leftW, right, rightW, lineH = 1000.0, 10.0, 430.0, 500.0, 490.0, 17.0
	var rows strings.Builder
	y := 50.0
	for i, c := range found {
		h := math.Max(float64(len(c.Text)), 2)*lineH + 14
		x, fill := left, "#f1f5f9"
		if c.Indent {
			x, fill = x+24, "#dbeafe"
		}
		fmt.Fprintf(&rows, `<rect x="%g" y="%g" width="%g" height="%g" rx="7" fill="%s" stroke="#64748b"/>`+"\n", x, y, left+leftW-x, h, fill)
		fmt.Fprintf(&rows, `<text x="%g" y="%g" font-size="12" fill="#64748b">%d</text>`+"\n", x+7, y+19, i+1)
		for j, t := range c.Text {
			fmt.Fprintf(&rows, `<text x="%g" y="%g" font-size="13.5">%s</text>`+"\n", x+26, y+19+float64(j)*lineH, html.EscapeString(t))
		}
		code := c.Code
		if r := []rune(code); len(r) > 64 {
			code = string(r[:63]) + "…"
		}
		where := fmt.Sprintf("%s:%d · %s", c.File, c.Line, c.Func)
		if !c.Exact {
			where += "  (function start)"
		}
		fmt.Fprintf(&rows, `<rect x="%g" y="%g" width="%g" height="%g" rx="7" fill="#fefce8" stroke="#a16207"/>`+"\n", right, y, rightW, h)
		fmt.Fprintf(&rows, `<text x="%g" y="%g" font-size="12.5" font-weight="bold" fill="#a16207">%s</text>`+"\n", right+10, y+19, html.EscapeString(where))
		fmt.Fprintf(&rows, `<text x="%g" y="%g" font-size="12" font-family="monospace">%s</text>`+"\n", right+10, y+19+lineH, html.EscapeString(code))
		fmt.Fprintf(&rows, `<path d="M%g %g H%g" stroke="#a16207" stroke-width="1.5" marker-end="url(#algo-head)"/>`+"\n", left+leftW+4, y+h/2, right-4)
		y += h + 8
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif">`+"\n", width, y+6, width, y+6)
	b.WriteString(`<defs><marker id="algo-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="#a16207"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<rect width="%g" height="%g" fill="#fff"/>`+"\n", width, y+6)
	fmt.Fprintf(&b, `<text x="%g" y="30" font-size="15" font-weight="bold">%s</text>`+"\n", left, html.EscapeString(title))
	fmt.Fprintf(&b, `<text x="%g" y="30" font-size="15" font-weight="bold">%s</text>`+"\n", right, html.EscapeString(codeTitle))
	b.WriteString(rows.String())
	b.WriteString("</svg>")
	return b.String()
}
