package runner

import (
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/govpg/govpg/kernel/internal/markers"
)

// Outcome is what one executed notebook shows.
type Outcome struct {
	// Cell is the 1-based position (counting every cell, as the notebook UI shows them)
	// of the first failing cell, or 0 when no cell failed.
	Cell int
	// Err is a one-line description of the first failure; empty when none.
	Err string
	// Counts of the outputs the manifest constrains.
	Charts, Animations, Checks int
	// Cells is the number of cells in the notebook.
	Cells int
}

// text is a notebook string field, stored either as one string or as a list of lines.
type text string

func (t *text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = text(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(b, &lines); err != nil {
		return err
	}
	*t = text(strings.Join(lines, ""))
	return nil
}

type output struct {
	OutputType string          `json:"output_type"`
	Name       string          `json:"name"`
	Text       text            `json:"text"`
	Data       map[string]text `json:"data"`
	EName      string          `json:"ename"`
	EValue     string          `json:"evalue"`
	Traceback  []string        `json:"traceback"`
}

type cell struct {
	CellType string   `json:"cell_type"`
	Source   text     `json:"source"`
	Outputs  []output `json:"outputs"`
}

type notebook struct {
	Cells []cell `json:"cells"`
}

// Analyze reads an executed notebook (.ipynb JSON) and reports its first failing
// cell and its output counts. A GoNB cell fails with an "error" output (compile
// errors) or with stderr that ends in "exit status N" (panics, os.Exit, failing
// shell commands), which Jupyter does not report as errors.
func Analyze(ipynb []byte) (Outcome, error) {
	var nb notebook
	if err := json.Unmarshal(ipynb, &nb); err != nil {
		return Outcome{}, fmt.Errorf("not a notebook: %v", err)
	}
	o := Outcome{Cells: len(nb.Cells)}
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		var stdout, stderr strings.Builder
		for _, out := range c.Outputs {
			switch out.OutputType {
			case "stream":
				if out.Name == "stderr" {
					stderr.WriteString(string(out.Text))
				} else {
					stdout.WriteString(string(out.Text))
				}
			case "display_data", "execute_result":
				h := string(out.Data["text/html"])
				o.Charts += strings.Count(h, markers.Chart)
				o.Animations += strings.Count(h, markers.Animation)
			}
		}
		o.Checks += countChecks(stdout.String())
		if o.Cell == 0 {
			if msg, failed := cellFailure(c, stderr.String()); failed {
				o.Cell, o.Err = i+1, msg
			}
		}
	}
	return o, nil
}

func countChecks(stdout string) int {
	n := 0
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), markers.Check) {
			n++
		}
	}
	return n
}

var (
	exitStatusRe = regexp.MustCompile(`(?m)^exit status ([1-9][0-9]*)\s*$`)
	ansiRe       = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
	cellLineRe   = regexp.MustCompile(`\[\[ Cell(?: \[\d+\])? Line (\d+) \]\]`)
	errLocRe     = regexp.MustCompile(`(?s)<span class="gonb-cell-line-info">(.*?)</span>\s*<span class="gonb-err-location">.*?</span>(.*?)(?:<div|<br)`)
	tagRe        = regexp.MustCompile(`(?s)<[^>]*>`)
	lineRe       = regexp.MustCompile(`Line (\d+)`)
)

// cellFailure reports whether the cell failed and, if so, a one-line message.
func cellFailure(c cell, stderr string) (string, bool) {
	for _, out := range c.Outputs {
		if out.OutputType == "error" {
			return compileMessage(c, out), true
		}
	}
	stderr = ansiRe.ReplaceAllString(stderr, "")
	m := exitStatusRe.FindStringIndex(stderr)
	if m == nil {
		// A ✗ line is a failure even when the program went on (its exit got lost).
		for _, l := range strings.Split(stderr, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, markers.Fail) {
				return l, true
			}
		}
		return "", false
	}
	before := stderr[:m[0]]
	status := strings.TrimSpace(stderr[m[0]:m[1]])
	lines := strings.Split(before, "\n")
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "panic:") {
			msg := l
			if loc := cellLineRe.FindStringSubmatch(before); loc != nil {
				msg += " (line " + loc[1] + " of the cell)"
			}
			return msg, true
		}
		if strings.HasPrefix(l, markers.Fail) {
			return l, true
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l + " (" + status + ")", true
		}
	}
	return status, true
}

// compileMessage extracts the compiler's messages from GoNB's HTML error display,
// falling back to the error output's own text.
func compileMessage(c cell, errOut output) string {
	var msgs []string
	for _, out := range c.Outputs {
		h := string(out.Data["text/html"])
		for _, m := range errLocRe.FindAllStringSubmatch(h, 3) {
			// GoNB labels the place "Cell[<execution count>]: Line N"; the count is not the
			// cell's position, so keep only the line.
			where := strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(m[1], "")))
			if l := lineRe.FindStringSubmatch(where); l != nil {
				where = "line " + l[1]
			}
			what := strings.Join(strings.Fields(html.UnescapeString(tagRe.ReplaceAllString(m[2], ""))), " ")
			msgs = append(msgs, what+" ("+where+")")
		}
	}
	if len(msgs) > 0 {
		return strings.Join(msgs, "; ")
	}
	msg := strings.TrimSpace(errOut.EName + ": " + errOut.EValue)
	return strings.Join(strings.Fields(ansiRe.ReplaceAllString(msg, "")), " ")
}
