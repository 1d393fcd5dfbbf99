// Command nbrun executes notebooks headless and fails when any of them fails.
//
//	go run ./kernel/cmd/nbrun [-dir notebooks] [-out DIR] [-html] [NAME.ipynb ...]
//
// Each notebook runs once, with plain `jupyter nbconvert --to notebook --execute`, in
// a fresh GoNB kernel within the time limit that notebooks/manifest.json gives it;
// with -html the executed notebook is then exported to HTML without running it again.
// nbrun prints one line per notebook (pass/fail, wall time, the first failing cell and
// its message, output counts against the manifest) and a closing "N passed, N failed"
// line. Exit status: 0 when all passed, 1 when a notebook failed, 2 when nothing could
// run (the line says what to install).
package main
