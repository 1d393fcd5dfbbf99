// Package runner executes notebooks headless and judges them: each notebook runs in a
// fresh GoNB kernel under a time limit, stops at its first failing cell, and must
// produce exactly the charts, animations and passed self-checks that
// notebooks/manifest.json promises for it.
//
// Jupyter does not see most GoNB failures: a panic or os.Exit in a cell only leaves
// stderr text ending in "exit status N". The runner reads the executed notebook and
// treats that text, like an error output, as a failure, reporting the cell's position
// and a one-line message. The command kernel/cmd/nbrun wraps Run.
package runner
