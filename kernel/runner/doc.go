// Package runner executes notebooks headless and judges them: each notebook runs once,
// with plain `jupyter nbconvert --to notebook --execute` as a user would run it (no
// GOVPG_* variable set), in a fresh GoNB kernel under a time limit, and must produce
// exactly the charts, animations and passed self-checks that notebooks/manifest.json
// promises for it. Nothing it starts may outlive the run: the kernel and gopls (which
// Jupyter and GoNB start in sessions of their own) are found by the TMPDIR they
// inherit, and any still running afterwards fail the notebook.
//
// Jupyter does not see most GoNB failures: a panic or os.Exit in a cell only leaves
// stderr text ending in "exit status N". The runner reads the executed notebook and
// treats that text, like an error output or a ✗ line, as a failure, reporting the
// cell's position and a one-line message. The command kernel/cmd/nbrun wraps Run.
package runner
