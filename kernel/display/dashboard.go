package display

import (
	"fmt"
	"html"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/govpg/govpg/kernel/internal/cellfail"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
)

// Epoch is what a training dashboard shows of one epoch. NaN leaves a gap (a trainer
// without a value function has no V loss).
type Epoch struct {
	Epoch                            int
	MeanReturn, MinReturn, MaxReturn float64 // over the epoch's finished episodes
	VLoss                            float64 // value-function loss
	Entropy, KL                      float64 // of the policy; KL between before and after the update
	ClipFrac                         float64 // PPO: fraction of steps whose ratio π/π_old left 1 ± ε; drawn with KL when any is not 0
	Seconds                          float64 // wall time of the epoch
}

// Dashboard is a training run's charts, redrawn in place after every epoch while it
// trains: the return (mean, shaded from min to max), the V loss, the entropy, the KL
// and the time per epoch, in one compact figure with a Stop button. The last figure
// stays in the notebook and its HTML export.
//
//	dash := display.NewDashboard("CartPole-v1, seed 0")
//	err := trainer.Train(func(m vpg.EpochMetrics) bool {
//		return dash.Add(display.Epoch{Epoch: m.Epoch, MeanReturn: m.MeanReturn, …})
//	})
//	dash.Done()
type Dashboard struct {
	title, id      string
	epochs         []Epoch
	stopped        atomic.Bool
	sub            comms.SubscriptionId
	start, shown   time.Time
	live, offering bool
}

const (
	// dashboardEvery limits redraws: each one sends the whole chart to the page.
	dashboardEvery = 400 * time.Millisecond
	// stopAfter is how long training runs before the Stop button shows: a button that
	// flashed up for a fraction of a second could not be pressed.
	stopAfter = 2 * time.Second
)

// stoppedMarker, in the kernel's temporary directory, says that the learner stopped the
// notebook's last training run, for the checks in the cells after it (see Checkf).
const stoppedMarker = "govpg-training-stopped"

// NewDashboard shows an empty dashboard; outside a notebook it shows nothing and
// Add only records.
func NewDashboard(title string) *Dashboard {
	d := &Dashboard{title: title, id: newID(), live: gonbui.IsNotebook, start: time.Now()}
	if !d.live {
		return d
	}
	markStopped(false) // a new run: the checks after it count again
	if err := ensureECharts(); err != nil {
		cellfail.Fail("%v", err)
		return d
	}
	gonbui.UpdateHTML(d.id+"_controls", "")
	gonbui.UpdateHTML(d.id+"_figure", `<div style="font-family:sans-serif;color:#666">waiting for the first epoch…</div>`)
	gonbui.Sync()
	return d
}

// offerStop shows the Stop button and listens to it. The button needs a browser;
// headless, nothing ever arrives and training runs on.
func (d *Dashboard) offerStop() {
	d.offering = true
	gonbui.UpdateHTML(d.id+"_controls", fmt.Sprintf(`<button id="%s_stop" type="button">Stop training</button>`, d.id))
	clicks := 0
	d.sub = comms.Subscribe(address(d.id, "stop"), func(_ string, n int) {
		if clicks++; clicks > 1 { // the first message (0) only says the button exists
			d.stopped.Store(true)
		}
	})
	dom.TransientJavascript(fmt.Sprintf(`(() => {
const comm = globalThis.gonb_comm, button = document.getElementById(%q);
if (!comm || !button) return;
const clicks = comm.newSyncedVariable(%q, 0);
button.addEventListener("click", () => { clicks.set(clicks.get() + 1); button.disabled = true; button.textContent = "stopping after this epoch…"; });
})();`, d.id+"_stop", address(d.id, "stop")))
}

// Add records an epoch, redraws, and reports whether training should go on (false
// once the learner clicked Stop), so it can be a training callback's result.
func (d *Dashboard) Add(e Epoch) bool {
	d.epochs = append(d.epochs, e)
	if d.live && !d.offering && time.Since(d.start) >= stopAfter {
		d.offerStop()
	}
	if d.live && time.Since(d.shown) >= dashboardEvery {
		d.draw()
	}
	return !d.stopped.Load()
}

// Epochs is what Add recorded.
func (d *Dashboard) Epochs() []Epoch { return d.epochs }

// Stopped reports whether the learner clicked Stop.
func (d *Dashboard) Stopped() bool { return d.stopped.Load() }

// Done draws the final figure and removes the Stop button. After a Stop, the failed
// checks of this cell and the cells after it say that training stopped early instead
// of failing the cell, until the next dashboard starts.
func (d *Dashboard) Done() {
	if !d.live {
		return
	}
	if d.offering {
		comms.Unsubscribe(d.sub)
	}
	note := ""
	if d.stopped.Load() {
		note = fmt.Sprintf("stopped by the learner after %d epochs: the checks below that need the whole run say so instead of failing", len(d.epochs))
		markStopped(true)
	}
	gonbui.UpdateHTML(d.id+"_controls", `<div style="font-family:sans-serif;color:#666">`+html.EscapeString(note)+`</div>`)
	d.draw()
}

func address(id, what string) string { return "/govpg/" + id + "/" + what }

// markStopped records (or clears) that the learner stopped the last training run.
func markStopped(stopped bool) {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return
	}
	path := filepath.Join(dir, stoppedMarker)
	if !stopped {
		_ = os.Remove(path)
		return
	}
	_ = os.WriteFile(path, nil, 0o644)
}

// trainingStopped reports whether the learner stopped the last training run.
func trainingStopped() bool {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, stoppedMarker))
	return err == nil
}

func (d *Dashboard) draw() {
	d.shown = time.Now()
	h, err := DashboardHTML(d.title, d.epochs)
	if err != nil {
		cellfail.Fail("%v", err)
		return
	}
	gonbui.UpdateHTML(d.id+"_figure", h)
	gonbui.Sync()
}

// Dashboard panels: the return on the left, four small charts in a 2×2 block to its right.
const (
	dashW, dashH = 900, 380
	dashTop      = 44.0
)

// DashboardHTML is the dashboard's figure for these epochs as one chart (needs
// ECharts in the page).
func DashboardHTML(title string, epochs []Epoch) (string, error) {
	col := func(f func(Epoch) float64) []any {
		out := make([]any, len(epochs))
		for i, e := range epochs {
			out[i] = []any{e.Epoch, number(f(e))}
		}
		return out
	}
	for i, e := range epochs {
		for _, v := range []float64{e.MeanReturn, e.MinReturn, e.MaxReturn, e.VLoss, e.Entropy, e.KL, e.ClipFrac, e.Seconds} {
			if math.IsInf(v, 0) {
				return "", fmt.Errorf("display.DashboardHTML: epoch %d (entry %d) has an infinite value; values must be finite (NaN leaves a gap)", e.Epoch, i)
			}
		}
	}
	// The band's points put y first: see bandEncode.
	lower, band := make([]any, len(epochs)), make([]any, len(epochs))
	for i, e := range epochs {
		lower[i] = []any{number(e.MinReturn), e.Epoch}
		band[i] = []any{number(e.MaxReturn - e.MinReturn), e.Epoch}
	}
	// Grids in pixels: the return panel, then V loss, entropy (top row), KL, s/epoch.
	type panel struct {
		name                     string
		left, top, width, height float64
	}
	plotH := dashH - dashTop - 36.0
	half := (plotH - 34) / 2
	panels := []panel{
		{"return (mean; min–max shaded)", 58, dashTop, 300, plotH},
		{"V loss", 440, dashTop, 180, half},
		{"entropy of π", 700, dashTop, 180, half},
		{"KL(π_old ‖ π_new)", 440, dashTop + half + 34, 180, half},
		{"seconds per epoch", 700, dashTop + half + 34, 180, half},
	}
	clips := false
	for _, e := range epochs {
		clips = clips || e.ClipFrac != 0
	}
	if clips {
		panels[3].name = "KL (red) · clip fraction (grey)"
	}
	var grids, xs, ys, titles []any
	for i, p := range panels {
		grids = append(grids, map[string]any{"left": p.left, "top": p.top, "width": p.width, "height": p.height})
		xs = append(xs, map[string]any{"type": "value", "gridIndex": i, "scale": true, "minInterval": 1,
			"splitNumber": 4, "axisLabel": map[string]any{"hideOverlap": true, "fontSize": 10}, "axisLine": map[string]any{"onZero": false},
			"name": map[bool]string{true: "epoch"}[i == 0], "nameLocation": "middle", "nameGap": 22})
		ys = append(ys, map[string]any{"type": "value", "gridIndex": i, "scale": true, "splitNumber": map[bool]int{true: 6, false: 3}[i == 0],
			"axisLabel": map[string]any{"hideOverlap": true, "fontSize": 10}})
		titles = append(titles, map[string]any{"text": p.name, "left": p.left, "top": p.top - 18, "textStyle": map[string]any{"fontSize": 12, "fontWeight": "normal"}})
	}
	titles = append([]any{map[string]any{"text": strings.Join(wrap(title, dashW-20, titlePx), " "), "left": "center", "top": 2,
		"textStyle": map[string]any{"fontSize": 14, "lineHeight": 20}}}, titles...)
	line := func(name string, i int, data []any, extra map[string]any) map[string]any {
		s := map[string]any{"type": "line", "name": name, "xAxisIndex": i, "yAxisIndex": i, "data": data,
			"showSymbol": len(epochs) <= 30, "symbolSize": 4, "lineStyle": map[string]any{"width": 1.5}}
		for k, v := range extra {
			s[k] = v
		}
		return s
	}
	yFirst := map[string]any{"x": bandEncode.X, "y": bandEncode.Y}
	hidden := map[string]any{"lineStyle": map[string]any{"opacity": 0}, "showSymbol": false, "stack": "return", "stackStrategy": "all", "color": palette[0],
		"tooltip": map[string]any{"show": false}, "encode": yFirst}
	area := map[string]any{"lineStyle": map[string]any{"opacity": 0}, "showSymbol": false, "stack": "return", "stackStrategy": "all", "color": palette[0],
		"areaStyle": map[string]any{"opacity": 0.2}, "tooltip": map[string]any{"show": false}, "encode": yFirst}
	series := []any{
		line("min return", 0, lower, hidden),
		line("max − min", 0, band, area),
		line("mean return", 0, col(func(e Epoch) float64 { return e.MeanReturn }), map[string]any{"color": palette[0]}),
		line("V loss", 1, col(func(e Epoch) float64 { return e.VLoss }), map[string]any{"color": palette[1]}),
		line("entropy", 2, col(func(e Epoch) float64 { return e.Entropy }), map[string]any{"color": palette[2]}),
		line("KL", 3, col(func(e Epoch) float64 { return e.KL }), map[string]any{"color": palette[3]}),
		line("s/epoch", 4, col(func(e Epoch) float64 { return e.Seconds }), map[string]any{"color": palette[4]}),
	}
	if clips {
		series = append(series, line("clip fraction", 3, col(func(e Epoch) float64 { return e.ClipFrac }), map[string]any{"color": "#999"}))
	}
	return rawChart(dashW, dashH, map[string]any{
		"animation": false, "title": titles, "grid": grids, "xAxis": xs, "yAxis": ys, "series": series,
		"tooltip": map[string]any{"trigger": "axis"}, "axisPointer": map[string]any{"link": []any{map[string]any{"xAxisIndex": "all"}}},
	})
}
