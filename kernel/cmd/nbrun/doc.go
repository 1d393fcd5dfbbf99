// Command nbrun executes notebooks headless and fails when any of them fails.
//
//	go run ./kernel/cmd/nbrun [-dir notebooks] [-out DIR] [-html] [NAME.ipynb ...]
//
// Each notebook runs in a fresh GoNB kernel within the time limit that
// notebooks/manifest.json gives it; nbrun prints one line per notebook (pass/fail,
// wall time, the first failing cell and its message, output counts against the
// manifest) and a closing "N passed, N failed" line. Exit status: 0 when all passed,
// 1 when a notebook failed, 2 when nothing could run (the line says what to install).
package main
