// Package display shows results in GoNB notebook cells: offline ECharts charts, SVG
// drawings and animations, a progress line that updates in place, self-checks, and
// sliders that fall back to a constant when no browser is attached.
//
// Every notebook starts with this cell, which lets cells import this repository's
// packages from the working tree (GoNB would otherwise try to download them):
//
//	%noautoget
//	!*rm -f go.work && go work init . "${GOVPG_ROOT:-$GONB_DIR/..}"
//
// Charts draw with no network access: the ECharts bundle that kernel/setup.sh installs
// from npm is inlined into the output of the first chart of each kernel session, and
// later charts reuse it. That first output must stay in the notebook for exported HTML
// to draw the charts, so export notebooks after "Restart & Run All".
//
// Every display call waits until GoNB has taken the output (gonbui.Sync), because
// outputs still in transit when a cell program ends get lost, and marks its HTML
// (data-govpg="chart", data-govpg="animation") so the headless runner can count them
// against notebooks/manifest.json.
//
// Bad input (mismatched lengths, infinities, too few bins) and failed self-checks stop
// the cell program with a one-line message on stderr and exit status 1, which fails
// the cell, and so the runner.
package display
