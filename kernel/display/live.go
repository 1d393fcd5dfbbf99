package display

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/govpg/govpg/kernel/internal/cellfail"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
	"github.com/janpfeifer/gonb/gonbui/dom"
)

// Param is one slider of a Live cell: a value from Lo to Hi in steps of Step,
// starting at Value.
type Param struct {
	Label               string
	Lo, Hi, Step, Value float64
}

// How long a Live cell keeps listening: GoNB runs one cell at a time, so a live cell
// holds up the cells after it until it ends.
var (
	// LiveIdle ends a live cell after this long without a move.
	LiveIdle = 3 * time.Minute
	// LiveLimit ends a live cell after this long in all.
	LiveLimit = 10 * time.Minute
	// handshake is how long the front-end has to answer a new widget before the cell
	// counts as headless. GoNB itself gives up installing its WebSocket after 3 s.
	handshake = 5 * time.Second
)

// Live shows one slider per param, each with its value beside it and a Done button,
// and the figure draw makes for the sliders' values, redrawn in place whenever a
// slider moves. It returns the final values when the learner clicks Done, after
// LiveIdle without a move or after LiveLimit; the last figure stays in the notebook
// and in its HTML export, with the values that made it.
//
// With no browser attached (jupyter nbconvert --execute, the test command) nothing
// answers the widgets: after a few seconds Live keeps the figure of the starting
// values and returns them. Outside a notebook it draws nothing and returns them.
//
// draw gets values in the order of params.
func Live(draw func(f *Figure, values []float64), params ...Param) []float64 {
	values := make([]float64, len(params))
	for i, p := range params {
		if err := p.check(); err != nil {
			cellfail.Fail("display.Live: %v", err)
			return nil
		}
		values[i] = p.Value
	}
	if len(params) == 0 {
		cellfail.Fail("display.Live: no params; give at least one slider")
		return nil
	}
	if !gonbui.IsNotebook {
		return values
	}
	if err := ensureECharts(); err != nil {
		cellfail.Fail("%v", err)
		return values
	}
	id := newID()
	controls, figure := id+"_controls", id+"_figure"
	redraw := func(v []float64) {
		f := &Figure{}
		draw(f, v)
		gonbui.UpdateHTML(figure, f.HTMLString())
		gonbui.Sync()
	}
	gonbui.UpdateHTML(controls, controlsHTML(id, params, values))
	redraw(values)

	var mu sync.Mutex
	latest := append([]float64(nil), values...)
	heard, done := make(chan struct{}, 1), make(chan struct{}, 1)
	signal := func(c chan struct{}) {
		select {
		case c <- struct{}{}:
		default:
		}
	}
	var subs []comms.SubscriptionId
	for i := range params {
		subs = append(subs, comms.Subscribe(address(id, strconv.Itoa(i)), func(_ string, v float64) {
			mu.Lock()
			latest[i] = params[i].clamp(v)
			mu.Unlock()
			signal(heard)
		}))
	}
	clicks := 0
	subs = append(subs, comms.Subscribe(address(id, "done"), func(_ string, n int) {
		mu.Lock()
		clicks++ // the button's first message (0) only says it exists
		first := clicks == 1
		mu.Unlock()
		signal(heard)
		if !first {
			signal(done)
		}
	}))
	dom.TransientJavascript(liveJS(id, params))

	final, why := values, "no browser attached: fixed value"
	select {
	case <-heard:
		final, why = listen(&mu, latest, values, heard, done, redraw)
	case <-time.After(handshake):
	}
	for _, s := range subs {
		comms.Unsubscribe(s)
	}
	gonbui.UpdateHTML(controls, valuesHTML(params, final, why))
	gonbui.Sync()
	return final
}

// listen redraws on every move until Done, LiveIdle or LiveLimit, and returns the
// values of the last figure and why it stopped.
func listen(mu *sync.Mutex, latest, shown []float64, heard, done chan struct{}, redraw func([]float64)) ([]float64, string) {
	limit := time.After(LiveLimit)
	idle := time.NewTimer(LiveIdle)
	defer idle.Stop()
	for {
		select {
		case <-heard:
			mu.Lock()
			v := append([]float64(nil), latest...)
			mu.Unlock()
			if !equal(v, shown) {
				shown = v
				redraw(v)
				idle.Reset(LiveIdle)
			}
		case <-done:
			return shown, "final values; run the cell again to move them"
		case <-idle.C:
			return shown, fmt.Sprintf("stopped after %s without a move; run the cell again to move them", LiveIdle)
		case <-limit:
			return shown, fmt.Sprintf("stopped after %s; run the cell again to move them", LiveLimit)
		}
	}
}

func equal(a, b []float64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (p Param) check() error {
	for _, v := range []float64{p.Lo, p.Hi, p.Step, p.Value} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("param %q has a non-finite bound, step or value (%v…%v step %v, value %v)", p.Label, p.Lo, p.Hi, p.Step, p.Value)
		}
	}
	if !(p.Lo < p.Hi) || !(p.Step > 0) || p.Value < p.Lo || p.Value > p.Hi {
		return fmt.Errorf("param %q: need Lo < Hi, Step > 0 and Lo <= Value <= Hi; got Lo=%v Hi=%v Step=%v Value=%v", p.Label, p.Lo, p.Hi, p.Step, p.Value)
	}
	return nil
}

// clamp keeps a value from the page inside the slider's range (a stale page could
// send anything).
func (p Param) clamp(v float64) float64 {
	if math.IsNaN(v) {
		return p.Value
	}
	return math.Max(p.Lo, math.Min(p.Hi, v))
}

// digits is how many decimals show the slider's steps.
func (p Param) digits() int { return max(0, int(math.Ceil(-math.Log10(p.Step)-1e-9))) }

func (p Param) format(v float64) string { return strconv.FormatFloat(v, 'f', p.digits(), 64) }

func address(id, what string) string { return "/govpg/live/" + id + "/" + what }

// controlsHTML is the sliders, each with its value beside it, and the Done button.
func controlsHTML(id string, params []Param, values []float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div data-govpg="live" style="font-family:sans-serif;display:flex;flex-wrap:wrap;gap:6px 24px;align-items:center;margin:4px 0">`)
	for i, p := range params {
		fmt.Fprintf(&b, `<label style="display:inline-flex;align-items:center;gap:8px"><b>%s</b> <input type="range" id="%s_%d" min="%v" max="%v" step="%v" value="%v" style="width:220px"> <output id="%s_%d_value" style="font-family:monospace;min-width:4em">%s</output></label>`,
			html.EscapeString(p.Label), id, i, p.Lo, p.Hi, p.Step, values[i], id, i, p.format(values[i]))
	}
	fmt.Fprintf(&b, `<button id="%s_done" type="button">Done</button></div>`, id)
	return b.String()
}

// valuesHTML replaces the sliders once the cell ends: the values of the figure below
// it, which is what an exported page shows.
func valuesHTML(params []Param, values []float64, why string) string {
	var parts []string
	for i, p := range params {
		parts = append(parts, "<b>"+html.EscapeString(p.Label)+"</b> = "+p.format(values[i]))
	}
	return `<div data-govpg="live" style="font-family:sans-serif;margin:4px 0">` + strings.Join(parts, ", ") +
		` <span style="color:#666">(` + html.EscapeString(why) + `)</span></div>`
}

// liveJS wires the sliders and the button to GoNB's comms: a synced variable per
// address, which also sends its starting value, the handshake Live waits for.
func liveJS(id string, params []Param) string {
	type slider struct {
		Address string `json:"address"`
		Digits  int    `json:"digits"`
	}
	var sliders []slider
	for i, p := range params {
		sliders = append(sliders, slider{address(id, strconv.Itoa(i)), p.digits()})
	}
	js, _ := json.Marshal(sliders)
	return fmt.Sprintf(`(() => {
const comm = globalThis.gonb_comm;
if (!comm) { console.error("govpg: GoNB comms missing, sliders cannot reach the kernel"); return; }
const id = %q;
%s.forEach((s, i) => {
	const input = document.getElementById(id + "_" + i), out = document.getElementById(id + "_" + i + "_value");
	if (!input) return;
	const v = comm.newSyncedVariable(s.address, parseFloat(input.value));
	input.addEventListener("input", () => {
		out.textContent = parseFloat(input.value).toFixed(s.digits);
		v.set(parseFloat(input.value));
	});
});
const button = document.getElementById(id + "_done");
if (!button) return;
const clicks = comm.newSyncedVariable(%q, 0);
button.addEventListener("click", () => {
	clicks.set(clicks.get() + 1);
	button.disabled = true;
	button.textContent = "finishing…";
});
})();`, id, js, address(id, "done"))
}
