// Package display shows results in GoNB notebook cells: offline ECharts charts, SVG
// drawings and animations, a progress line and a training Dashboard that update in
// place, self-checks, and sliders (Slider) that switch a Figure between precomputed
// versions.
//
// A Slider needs no kernel: the cell computes the figure for every point of the
// sliders' grid and returns at once, and a small script in the output switches the
// charts (ECharts setOption with what changes). So "Run All" never waits at a slider,
// and the sliders work in an HTML export and in the static site (kernel/site.sh) as in
// the live notebook. (GoNB cannot keep a cell's program alive after the cell ends, nor
// read a widget's value back from a later cell, so a kernel-side slider would block.)
//
// Charts lay themselves out in pixels from the texts they show: titles wrap to the
// chart's width, the legend gets its own strip below the x axis name, every category
// label is kept (rotated when crowded), and the y axis name sits beyond its widest tick
// label, inside the canvas.
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
