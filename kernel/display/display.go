package display

import (
	"fmt"
	"html"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/govpg/govpg/kernel/internal/cellfail"
	"github.com/govpg/govpg/kernel/internal/markers"
)

// Markers in displayed outputs, which the headless runner counts (see kernel/internal/markers).
const (
	ChartMarker     = markers.Chart
	AnimationMarker = markers.Animation
	// CheckMark starts the stdout line of every passed Checkf.
	CheckMark = markers.Check
	// FailMark starts the stderr line of a failed Checkf or of bad input.
	FailMark = markers.Fail
	// StoppedMark starts the line of a check left unchecked because training was stopped.
	StoppedMark = "⚠"
)

// RootEnv holds the repository root; the run command sets it, and the
// standard first cell builds its go.work from it.
const RootEnv = markers.RootEnv

// Root is the repository root: $GOVPG_ROOT, else the checkout this package
// was compiled from. Cells read the repository's files from it.
func Root() string { return markers.Root() }

// HTML displays raw HTML in the cell's output.
func HTML(h string) {
	show(h)
}

// SVG displays an SVG drawing (wrapped in HTML so that exported pages keep it).
func SVG(svg string) {
	show("<div>" + svg + "</div>")
}

// Animation displays a self-contained animated SVG, such as one made by vpg/envs.
func Animation(svg string) {
	show(`<div ` + AnimationMarker + `>` + svg + `</div>`)
}

// Markdown displays Markdown text; $…$ and $$…$$ render as math.
func Markdown(md string) {
	gonbui.DisplayMarkdown(md)
	gonbui.Sync()
}

// Text displays preformatted text with HTML special characters escaped.
func Text(s string) {
	show("<pre>" + html.EscapeString(s) + "</pre>")
}

// show displays h and waits until GoNB has it: without the wait, outputs still in
// the pipe when the cell program exits are dropped.
func show(h string) {
	gonbui.DisplayHTML(h)
	gonbui.Sync()
}

// Checkf prints "✓ <message>" when ok holds; otherwise it prints "✗ <message>" to
// stderr and ends the cell program with exit status 1, which fails the cell. When the
// learner stopped the notebook's last training run (a Dashboard's Stop), a check that
// does not hold prints "⚠ stopped early, not checked: <message>" instead and the cell
// goes on: a run cut short is not a broken library.
func Checkf(ok bool, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !ok && trainingStopped() {
		fmt.Println(StoppedMark + " stopped early, not checked: " + msg)
		return
	}
	if !ok {
		cellfail.Fail("%s", msg)
	}
	fmt.Println(CheckMark + " " + msg)
}
