package display

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// Param is one slider: a value from Lo to Hi in steps of Step, starting at Value.
type Param struct {
	Label               string
	Lo, Hi, Step, Value float64
}

// maxFrames bounds the figures a Slider precomputes: every one of them travels with
// the page.
const maxFrames = 600

// Slider shows the figure draw makes for the params' starting values, one slider per
// param with its value beside it. draw runs for every point of the sliders' grid (Lo,
// Lo+Step, …, Hi of each param) while the cell runs, and moving a slider switches the
// page to the precomputed figure: no kernel is involved, so the cell returns at once,
// and the sliders work the same in the live notebook, in an HTML export and in the
// static site.
//
// Every figure of the grid must have the same parts (the same charts in the same order,
// with as many series each). An axis whose data range changes with the sliders is fixed
// to the range over the whole grid, so that what does not change does not seem to move.
// draw gets values in the order of params.
func Slider(draw func(f *Figure, values []float64), params ...Param) {
	h, err := sliderHTML(draw, params)
	if err != nil {
		cellfail.Fail("display.Slider: %v", err)
		return
	}
	if err := ensureECharts(); err != nil {
		cellfail.Fail("%v", err)
		return
	}
	show(h)
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
	if !onGrid(p.Hi-p.Lo, p.Step) || !onGrid(p.Value-p.Lo, p.Step) {
		return fmt.Errorf("param %q: Hi (%v) and Value (%v) must be Lo (%v) plus a whole number of steps (%v)", p.Label, p.Hi, p.Value, p.Lo, p.Step)
	}
	return nil
}

func onGrid(d, step float64) bool {
	q := d / step
	return math.Abs(q-math.Round(q)) < 1e-6
}

// grid is the slider's values, Lo to Hi, as its label prints them.
func (p Param) grid() []float64 {
	n := int(math.Round((p.Hi-p.Lo)/p.Step)) + 1
	out := make([]float64, n)
	for k := range out {
		out[k], _ = strconv.ParseFloat(p.format(p.Lo+float64(k)*p.Step), 64)
	}
	return out
}

// digits is how many decimals show the slider's steps exactly (2 for 0.25).
func (p Param) digits() int {
	d := 0
	for ; d < 10; d++ {
		if s := p.Step * math.Pow(10, float64(d)); math.Abs(s-math.Round(s)) < 1e-9*s {
			break
		}
	}
	return d
}

func (p Param) format(v float64) string { return strconv.FormatFloat(v, 'f', p.digits(), 64) }

// sliderData is what the page's script switches between: frame k of the grid (the
// first param varies slowest) sets Updates[k][j] on chart Charts[j] and HTML[id][k]
// into the element id.
type sliderData struct {
	Sizes   []int               `json:"sizes"`
	Labels  [][]string          `json:"labels"`
	Charts  []string            `json:"charts"`
	Updates [][]map[string]any  `json:"updates"`
	HTML    map[string][]string `json:"html"`
}

// sliderHTML draws every figure of the grid and returns the controls, the starting
// figure and the script that switches between them.
func sliderHTML(draw func(f *Figure, values []float64), params []Param) (string, error) {
	if len(params) == 0 {
		return "", fmt.Errorf("no params; give at least one slider")
	}
	var d sliderData
	grids := make([][]float64, len(params))
	frames, start := 1, 0
	for i, p := range params {
		if err := p.check(); err != nil {
			return "", err
		}
		grids[i] = p.grid()
		d.Sizes = append(d.Sizes, len(grids[i]))
		var labels []string
		for _, v := range grids[i] {
			labels = append(labels, p.format(v))
		}
		d.Labels = append(d.Labels, labels)
		frames *= len(grids[i])
		start = start*len(grids[i]) + int(math.Round((p.Value-p.Lo)/p.Step))
	}
	if frames > maxFrames {
		return "", fmt.Errorf("the sliders' grid has %d points; at most %d figures can travel with the page (use larger steps)", frames, maxFrames)
	}
	figs := make([]*Figure, frames)
	for k := range figs {
		values := make([]float64, len(params))
		for i, rest := len(params)-1, k; i >= 0; i-- {
			values[i] = grids[i][rest%len(grids[i])]
			rest /= len(grids[i])
		}
		figs[k] = &Figure{}
		draw(figs[k], values)
	}
	for k, f := range figs {
		if err := sameParts(figs[start], f); err != nil {
			return "", fmt.Errorf("grid point %d: %v", k, err)
		}
	}
	id := newID()
	d.Updates = make([][]map[string]any, frames)
	d.HTML = map[string][]string{}
	parts := make([]string, len(figs[start].parts))
	for j, p := range figs[start].parts {
		if p.id == "" {
			texts := make([]string, frames)
			for k, f := range figs {
				texts[k] = f.parts[j].html
			}
			parts[j] = p.html
			if !allEqual(texts) {
				el := fmt.Sprintf("%s_part%d", id, j)
				d.HTML[el] = texts
				parts[j] = fmt.Sprintf(`<div id="%s" style="display:contents">%s</div>`, el, p.html)
			}
			continue
		}
		opts := make([]map[string]any, frames)
		for k, f := range figs {
			if err := json.Unmarshal([]byte(f.parts[j].option), &opts[k]); err != nil {
				return "", fmt.Errorf("chart %d: its option is not plain JSON (JavaScript functions cannot be precomputed): %v", j, err)
			}
		}
		if err := steadyAxes(opts); err != nil {
			return "", fmt.Errorf("chart %d: %v", j, err)
		}
		for k, u := range changes(opts) {
			d.Updates[k] = append(d.Updates[k], u)
		}
		js, _ := json.Marshal(opts[start])
		parts[j] = drawChart(p.id, p.style, string(js))
		d.Charts = append(d.Charts, p.id)
	}
	data, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encoding the figures: %v", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div data-govpg="slider" id="%s">`, id)
	b.WriteString(`<div style="font-family:sans-serif;display:flex;flex-wrap:wrap;gap:6px 24px;align-items:center;margin:4px 0">`)
	for i, p := range params {
		fmt.Fprintf(&b, `<label style="display:inline-flex;align-items:center;gap:8px"><b>%s</b> <input type="range" autocomplete="off" min="0" max="%d" step="1" value="%d" style="width:220px"> <output style="font-family:monospace;min-width:4em">%s</output></label>`,
			html.EscapeString(p.Label), len(grids[i])-1, int(math.Round((p.Value-p.Lo)/p.Step)), p.format(p.Value))
	}
	b.WriteString(`</div>`)
	f := &Figure{}
	for _, h := range parts {
		f.HTML(h)
	}
	b.WriteString(f.HTMLString())
	fmt.Fprintf(&b, `<script>
(function () {
const d = %s, root = document.getElementById(%q);
if (!root) return;
const inputs = Array.from(root.querySelectorAll("input[type=range]")), outs = Array.from(root.querySelectorAll("output"));
function show() {
	let k = 0;
	inputs.forEach((input, i) => { const j = Number(input.value); k = k * d.sizes[i] + j; outs[i].textContent = d.labels[i][j]; });
	d.charts.forEach((id, j) => {
		const el = document.getElementById(id), c = window.echarts && el && window.echarts.getInstanceByDom(el);
		if (c) c.setOption(d.updates[k][j]);
	});
	for (const el in d.html) { const e = document.getElementById(el); if (e) e.innerHTML = d.html[el][k]; }
}
inputs.forEach((input) => input.addEventListener("input", show));
})();
</script></div>`, data, id)
	return b.String(), nil
}

// sameParts reports how b's parts differ in kind or count from a's.
func sameParts(a, b *Figure) error {
	if len(a.parts) != len(b.parts) {
		return fmt.Errorf("draw made %d parts here and %d for the starting values; every figure of a Slider needs the same parts", len(b.parts), len(a.parts))
	}
	for j := range a.parts {
		if (a.parts[j].id == "") != (b.parts[j].id == "") || a.parts[j].style != b.parts[j].style {
			return fmt.Errorf("part %d is a chart in one figure and not in another, or changes size; every figure of a Slider needs the same parts", j)
		}
	}
	return nil
}

func allEqual[T comparable](s []T) bool {
	for _, v := range s {
		if v != s[0] {
			return false
		}
	}
	return true
}

// changes is, for each figure, what differs across the figures: the top-level keys
// whose value changes somewhere, with the series that change and {} (left as is) for
// those that do not. Setting it on any earlier figure gives this one.
func changes(opts []map[string]any) []map[string]any {
	keys := map[string]bool{}
	for _, o := range opts {
		for k := range o {
			keys[k] = true
		}
	}
	out := make([]map[string]any, len(opts))
	for k := range out {
		out[k] = map[string]any{}
	}
	for key := range keys {
		enc := make([]string, len(opts))
		for k, o := range opts {
			b, _ := json.Marshal(o[key])
			enc[k] = string(b)
		}
		if allEqual(enc) {
			continue
		}
		if key != "series" {
			for k, o := range opts {
				out[k][key] = o[key]
			}
			continue
		}
		n := len(seriesOf(opts[0]))
		for i := range n {
			each := make([]string, len(opts))
			for k, o := range opts {
				b, _ := json.Marshal(seriesOf(o)[i])
				each[k] = string(b)
			}
			same := allEqual(each)
			for k, o := range opts {
				s, _ := out[k]["series"].([]any)
				if same {
					out[k]["series"] = append(s, map[string]any{})
				} else {
					out[k]["series"] = append(s, seriesOf(o)[i])
				}
			}
		}
	}
	return out
}

func seriesOf(o map[string]any) []any {
	s, _ := o["series"].([]any)
	return s
}

// steadyAxes compacts the charts' data (the page carries every figure) and fixes each value axis whose data range differs between the figures to
// the range over all of them, rounded out to ECharts' tick steps; the room the axis
// labels get is the widest any figure asked for.
func steadyAxes(opts []map[string]any) error {
	n := len(seriesOf(opts[0]))
	for _, o := range opts {
		if len(seriesOf(o)) != n {
			return fmt.Errorf("%d series in one figure and %d in another; every figure of a Slider needs the same series", len(seriesOf(o)), n)
		}
		for _, s := range seriesOf(o) {
			if m, ok := s.(map[string]any); ok {
				m["data"] = compact(m["data"])
			}
		}
	}
	for dim, key := range []string{"xAxis", "yAxis"} {
		steadyAxis(opts, dim, key)
	}
	return nil
}

// steadyAxis fixes opts' only axis of this key (dimension dim of the data), when it is
// a value axis with no bounds of its own whose data range changes between figures.
func steadyAxis(opts []map[string]any, dim int, key string) {
	lo, hi := make([]float64, len(opts)), make([]float64, len(opts))
	var axes []map[string]any
	for k, o := range opts {
		list, _ := o[key].([]any)
		if len(list) != 1 {
			return
		}
		a, _ := list[0].(map[string]any)
		if a == nil || a["min"] != nil || a["max"] != nil || (a["type"] != "value" && a["type"] != "log") {
			return
		}
		axes = append(axes, a)
		lo[k], hi[k] = dataRange(o, dim, a["scale"] == false)
	}
	l, h := slices.Min(lo), slices.Max(hi)
	if (allEqual(lo) && allEqual(hi)) || math.IsInf(l, 0) || math.IsInf(h, 0) {
		return
	}
	if axes[0]["type"] == "log" {
		if l <= 0 {
			return
		}
		l, h = math.Pow(10, math.Floor(math.Log10(l))), math.Pow(10, math.Ceil(math.Log10(h)))
	} else {
		l, h = niceBounds(l, h)
	}
	for _, a := range axes {
		a["min"], a["max"] = l, h
	}
	widest(opts, "grid", "left")
	widest(opts, key, "nameGap")
}

// dataRange is the range of dimension dim (0 x, 1 y) of the chart's data points, with
// zero in it when the axis keeps zero in view.
func dataRange(o map[string]any, dim int, withZero bool) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	if withZero {
		lo, hi = 0, 0
	}
	for _, s := range seriesOf(o) {
		m, _ := s.(map[string]any)
		if m == nil || m["stack"] != nil || m["encode"] != nil {
			return math.Inf(1), math.Inf(-1) // stacked bands: the drawn y is not the data's
		}
		data, _ := m["data"].([]any)
		for _, p := range data {
			if v, ok := p.(map[string]any); ok {
				p = v["value"] // a point with options besides its value
			}
			var x float64
			var ok bool
			switch v := p.(type) {
			case []any:
				if dim < len(v) {
					x, ok = v[dim].(float64)
				}
			case float64:
				x, ok = v, dim == 1
			}
			if ok {
				lo, hi = math.Min(lo, x), math.Max(hi, x)
			}
		}
	}
	return lo, hi
}

// niceBounds rounds lo…hi out to the tick step ECharts would choose for about 5 ticks.
func niceBounds(lo, hi float64) (float64, float64) {
	span := hi - lo
	if span <= 0 {
		span = math.Max(math.Abs(hi), 1)
	}
	step := niceStep(span / 5)
	clean := func(v float64) float64 { r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64); return r }
	return clean(math.Floor(lo/step) * step), clean(math.Ceil(hi/step) * step)
}

// widest sets o[key][0][field] (a number or a numeric string) to its largest value
// over all the options.
func widest(opts []map[string]any, key, field string) {
	best, found := math.Inf(-1), false
	var bestV any
	for _, o := range opts {
		items, _ := o[key].([]any)
		if len(items) == 0 {
			return
		}
		m, _ := items[0].(map[string]any)
		var v float64
		switch x := m[field].(type) {
		case float64:
			v = x
		case string:
			var err error
			if v, err = strconv.ParseFloat(x, 64); err != nil {
				return
			}
		default:
			return
		}
		if v > best {
			best, bestV, found = v, m[field], true
		}
	}
	if !found {
		return
	}
	for _, o := range opts {
		o[key].([]any)[0].(map[string]any)[field] = bestV
	}
}

// compact writes each data point {"value": v} as v, with its numbers rounded to 5
// significant digits.
func compact(data any) any {
	points, _ := data.([]any)
	for i, p := range points {
		if m, ok := p.(map[string]any); ok && len(m) == 1 && m["value"] != nil {
			points[i] = m["value"]
		}
	}
	return round5(data)
}

// round5 rounds every number in v to 5 significant digits.
func round5(v any) any {
	switch x := v.(type) {
	case float64:
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 5, 64), 64)
		return r
	case []any:
		for i := range x {
			x[i] = round5(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = round5(x[k])
		}
	}
	return v
}
