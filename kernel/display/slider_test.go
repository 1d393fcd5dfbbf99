package display

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// sliderData is read back from the page's script.
func sliderDataOf(t *testing.T, h string) sliderData {
	t.Helper()
	m := regexp.MustCompile(`const d = (\{.*\}), root`).FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no slider data in %s", h)
	}
	var d sliderData
	if err := json.Unmarshal([]byte(m[1]), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// A two-parameter slider precomputes one figure per grid point, in row-major order,
// and each update carries only what changes: the moving series, not the fixed one.
func TestSliderPrecomputesTheGrid(t *testing.T) {
	calls := map[string]bool{}
	draw := func(f *Figure, v []float64) {
		calls[fmt.Sprint(v)] = true
		f.Line(Axes{Title: fmt.Sprintf("a = %g, b = %g", v[0], v[1]), Width: 400, Height: 300},
			Series{Name: "fixed", Y: []float64{0, 1, 2}},
			Series{Name: "moving", Y: []float64{v[0], v[0] * v[1], 2 + v[0]}})
		f.Text(fmt.Sprintf("sum %g", v[0]+v[1]))
	}
	h, err := sliderHTML(draw, []Param{{"a", 1, 3, 1, 2}, {"b", 0, 0.5, 0.25, 0.25}})
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 9 || !calls["[3 0.5]"] || !calls["[1 0]"] {
		t.Fatalf("draw ran for %v, want the 3×3 grid", calls)
	}
	d := sliderDataOf(t, h)
	if fmt.Sprint(d.Sizes) != "[3 3]" || fmt.Sprint(d.Labels) != "[[1 2 3] [0.00 0.25 0.50]]" || len(d.Updates) != 9 || len(d.Charts) != 1 {
		t.Fatalf("sizes %v, labels %v, %d updates, charts %v", d.Sizes, d.Labels, len(d.Updates), d.Charts)
	}
	// Frame 7 is a = 3 (index 2), b = 0.25 (index 1).
	u := d.Updates[7][0]
	series := u["series"].([]any)
	if len(series[0].(map[string]any)) != 0 {
		t.Errorf("the fixed series travels with every frame: %v", series[0])
	}
	data, _ := json.Marshal(series[1].(map[string]any)["data"])
	if string(data) != `[[0,3],[1,0.75],[2,5]]` {
		t.Errorf("frame 7 moving data %s", data)
	}
	if u["title"].(map[string]any)["text"] != "a = 3, b = 0.25" {
		t.Errorf("frame 7 title %v", u["title"])
	}
	// The y axis spans every frame's data (0…5), so it does not jump: the same in all
	// frames, it is set once, with the starting figure.
	if u["yAxis"] != nil {
		t.Errorf("frame 7 changes the y axis: %v", u["yAxis"])
	}
	m := regexp.MustCompile(`setOption\((\{.*\})\);`).FindStringSubmatch(h)
	var start map[string]any
	if m == nil || json.Unmarshal([]byte(m[1]), &start) != nil {
		t.Fatalf("no starting option in %s", h)
	}
	y := start["yAxis"].([]any)[0].(map[string]any)
	if y["min"] != 0.0 || y["max"] != 5.0 {
		t.Errorf("y axis %v…%v, want 0…5 for every frame", y["min"], y["max"])
	}
	var texts []string
	for _, v := range d.HTML {
		texts = v
	}
	if len(texts) != 9 || !strings.Contains(texts[7], "sum 3.25") {
		t.Errorf("text frames %v", texts)
	}
	// The page starts at the starting values, with each value beside its slider.
	for _, want := range []string{`max="2" step="1" value="1"`, `>2</output>`, `>0.25</output>`, ChartMarker, `data-govpg="slider"`} {
		if !strings.Contains(h, want) {
			t.Errorf("slider HTML lacks %s", want)
		}
	}
	if n := strings.Count(h, ChartMarker); n != 1 {
		t.Errorf("%d chart markers, want 1 (the runner counts them against the manifest)", n)
	}
}

func TestSliderRejectsBadParamsAndChangingFigures(t *testing.T) {
	noop := func(*Figure, []float64) {}
	for _, p := range []Param{
		{"γ", 1, 0, 0.1, 0.5},           // Lo > Hi
		{"γ", 0, 1, 0, 0.5},             // no step
		{"γ", 0, 1, 0.1, 2},             // value outside
		{"γ", 0, math.Inf(1), 0.1, 0.5}, // infinite bound
		{"γ", 0, 1, 0.3, 0.3},           // Hi off the grid
		{"γ", 0, 1, 0.1, 0.25},          // Value off the grid
	} {
		if _, err := sliderHTML(noop, []Param{p}); err == nil || !strings.Contains(err.Error(), `"γ"`) {
			t.Errorf("param %+v: error %v does not name the param", p, err)
		}
	}
	if _, err := sliderHTML(noop, nil); err == nil || !strings.Contains(err.Error(), "no params") {
		t.Errorf("no params: %v", err)
	}
	if _, err := sliderHTML(noop, []Param{{"a", 0, 100, 1, 0}, {"b", 0, 100, 1, 0}}); err == nil || !strings.Contains(err.Error(), "10201") {
		t.Errorf("a 101×101 grid: %v", err)
	}
	grows := func(f *Figure, v []float64) {
		for range int(v[0]) {
			f.Text("x")
		}
	}
	if _, err := sliderHTML(grows, []Param{{"n", 1, 3, 1, 1}}); err == nil || !strings.Contains(err.Error(), "same parts") {
		t.Errorf("a figure with more parts: %v", err)
	}
	code, msg := cellfail.Capture(func() { Slider(noop, Param{"γ", 1, 0, 0.1, 0.5}) })
	if code != 1 || !strings.HasPrefix(msg, FailMark+" display.Slider:") {
		t.Errorf("Slider with bad input: exit %d, %q", code, msg)
	}
}

func TestParamGridAndDigits(t *testing.T) {
	for step, want := range map[float64]int{1: 0, 5: 0, 0.1: 1, 0.05: 2, 0.25: 2, 0.01: 2, 0.001: 3} {
		if got := (Param{Step: step}).digits(); got != want {
			t.Errorf("step %v: %d digits, want %d", step, got, want)
		}
	}
	g := Param{"γ", 0, 1, 0.1, 0.3}.grid()
	if len(g) != 11 || g[3] != 0.3 || g[7] != 0.7 || g[10] != 1 {
		t.Errorf("grid %v", g) // 0.1·3 would be 0.30000000000000004
	}
}

// The page's script, run by Node against ECharts itself: moving the sliders to a
// frame sets that frame's data on the chart, and the label beside each slider.
func TestSliderScriptSwitchesTheChart(t *testing.T) {
	h, err := sliderHTML(func(f *Figure, v []float64) {
		f.Line(Axes{Title: "t", Width: 400, Height: 300}, Series{Name: "s", Y: []float64{v[0], 2 * v[0]}})
	}, []Param{{"a", 0, 4, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	scripts := regexp.MustCompile(`(?s)<script>(.*?)</script>`).FindAllStringSubmatch(h, -1)
	chartID := regexp.MustCompile(`<div id="(govpg_[0-9a-f]+)" style`).FindStringSubmatch(h)[1]
	rootID := regexp.MustCompile(`data-govpg="slider" id="(govpg_[0-9a-f]+)"`).FindStringSubmatch(h)[1]
	codes, _ := json.Marshal([]string{scripts[0][1], scripts[1][1]})
	// A minimal DOM: the chart's div, the root with one range input and one output.
	js := `const els = {}, listeners = [];
const input = {value: "1", addEventListener: (e, f) => listeners.push(f)}, output = {textContent: ""};
const page = {init: (el) => (el.chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: 400, height: 300})),
	getInstanceByDom: (el) => el.chart};
const document = {getElementById: (id) => els[id] || (els[id] = id === ` + "`" + rootID + "`" + ` ?
	{querySelectorAll: (q) => q.startsWith("input") ? [input] : [output]} : {})};
for (const code of ` + string(codes) + `) new Function("window", "document", "echarts", code)({echarts: page}, document, page);
input.value = "3"; listeners.forEach((f) => f());
const data = els[` + "`" + chartID + "`" + `].chart.getOption().series[0].data.map((p) => p[1]);
console.log(JSON.stringify({label: output.textContent, data}));`
	out := runECharts(t, js, "")
	if got := strings.TrimSpace(string(out)); got != `{"label":"3","data":[3,6]}` {
		t.Errorf("after moving the slider to 3: %s, want label 3 and data [3,6]", got)
	}
}
