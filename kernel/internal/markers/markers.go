// Package markers holds the strings that kernel/display writes into a cell's
// output and that kernel/runner looks for, so that the runner can count charts,
// animations and self-checks without importing the display package (and GoNB).
package markers

import (
	"os"
	"path/filepath"
	"runtime"
)

const (
	// Chart and Animation mark the HTML of a displayed chart or animation.
	Chart     = `data-govpg="chart"`
	Animation = `data-govpg="animation"`
	// Check starts the stdout line of every passed self-check.
	Check = "✓"
	// Fail starts the stderr line of a failed self-check or of bad input.
	Fail = "✗"
	// RootEnv holds the repository root; the run command sets it, and
	// the standard first cell of a notebook builds its go.work from it.
	RootEnv = "GOVPG_ROOT"
)

// Root is the repository root: $GOVPG_ROOT, which the run and test commands
// set, else the checkout this package was compiled from.
func Root() string {
	if r := os.Getenv(RootEnv); r != "" {
		return r
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}
