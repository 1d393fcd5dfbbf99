// Package cellfail ends a notebook cell's program on bad input or a failed
// self-check: one "✗ …" line on stderr and exit status 1, which GoNB shows
// under the cell and the runner counts as a failed cell, with no panic trace
// to read through. kernel/display and kernel/nb both fail this way.
package cellfail

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/govpg/govpg/kernel/internal/markers"
)

// Exit ends the program; Capture replaces it while it runs.
var Exit = os.Exit

// Fail prints format's message after the fail mark and exits with status 1,
// once the outputs already sent have reached GoNB.
func Fail(format string, args ...any) {
	gonbui.Sync()
	fmt.Fprintln(os.Stderr, markers.Fail+" "+fmt.Sprintf(format, args...))
	Exit(1)
}

// exited is what Capture's stand-in for Exit panics with.
type exited struct{ code int }

// Capture runs f (a test's call of something that may Fail) with Exit and
// stderr intercepted, and returns the exit code, −1 if f returned normally,
// and what f wrote to stderr.
func Capture(f func()) (code int, stderr string) {
	r, w, err := os.Pipe()
	if err != nil {
		panic(err)
	}
	saved := os.Stderr
	os.Stderr, Exit = w, func(c int) { panic(exited{c}) }
	defer func() { os.Stderr, Exit = saved, os.Exit }()
	code = -1
	func() {
		defer func() {
			if p := recover(); p != nil {
				e, ok := p.(exited)
				if !ok {
					panic(p)
				}
				code = e.code
			}
		}()
		f()
	}()
	w.Close()
	out, _ := io.ReadAll(r)
	return code, strings.TrimSpace(string(out))
}
