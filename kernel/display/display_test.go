package display

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govpg/govpg/kernel/internal/cellfail"
)

func TestBinsHandCounted(t *testing.T) {
	// Range [0, 4] in 4 bins: [0,1) [1,2) [2,3) [3,4]; 4 (the maximum) goes in the last.
	edges, counts, err := Bins(4, []float64{0, 0.5, 1, 2.99, 3, 4}, []float64{1.5, 1.5, 2})
	if err != nil {
		t.Fatal(err)
	}
	wantEdges := []float64{0, 1, 2, 3, 4}
	for i, e := range wantEdges {
		if edges[i] != e {
			t.Fatalf("edges = %v, want %v", edges, wantEdges)
		}
	}
	want := [][]int{{2, 1, 1, 2}, {0, 2, 1, 0}}
	for k := range want {
		for i := range want[k] {
			if counts[k][i] != want[k][i] {
				t.Fatalf("counts = %v, want %v", counts, want)
			}
		}
	}
}

func TestBinsKeepEveryValueAtAwkwardWidths(t *testing.T) {
	// 0.1 steps are not exact in binary; every value must land in some bin, in order.
	var vs []float64
	for i := 0; i <= 30; i++ {
		vs = append(vs, float64(i)*0.1)
	}
	edges, counts, err := Bins(3, vs)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i, n := range counts[0] {
		total += n
		if n < 10 || n > 11 {
			t.Errorf("bin %d [%g, %g) has %d values, want 10 or 11", i, edges[i], edges[i+1], n)
		}
	}
	if total != len(vs) {
		t.Fatalf("binned %d of %d values", total, len(vs))
	}
}

func TestBinsConstantAndBadInput(t *testing.T) {
	edges, counts, err := Bins(2, []float64{7, 7, 7})
	if err != nil {
		t.Fatal(err)
	}
	if edges[0] != 6.5 || edges[2] != 7.5 || counts[0][0]+counts[0][1] != 3 {
		t.Fatalf("constant values: edges %v counts %v", edges, counts)
	}
	for _, tc := range []struct {
		n    int
		sets [][]float64
		want string
	}{
		{0, [][]float64{{1}}, "bins = 0"},
		{3, [][]float64{{}}, "no values"},
		{3, [][]float64{{1, math.NaN()}}, "value[1] = NaN"},
		{3, [][]float64{{math.Inf(1)}}, "+Inf"},
	} {
		if _, _, err := Bins(tc.n, tc.sets...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Bins(%d, %v) error %v, want it to mention %q", tc.n, tc.sets, err, tc.want)
		}
	}
}

// option renders a chart's ECharts option JSON and decodes it.
func option(t *testing.T, c Snippeter) map[string]any {
	t.Helper()
	var m map[string]any
	s := c.RenderSnippet().Option
	if err := json.Unmarshal([]byte(strings.TrimSuffix(strings.TrimSpace(s), ";")), &m); err != nil {
		t.Fatalf("option is not JSON: %v\n%s", err, s)
	}
	return m
}

func TestLineHasTitleAxesLegendAndData(t *testing.T) {
	c, err := NewLine(Axes{Title: "Returns", X: "epoch", Y: "mean return", YRange: [2]float64{0, 500}},
		Series{Name: "seed 0", Y: []float64{1, math.NaN(), 3}},
		Series{Name: "seed 1", X: []float64{0, 2}, Y: []float64{2, 4}})
	if err != nil {
		t.Fatal(err)
	}
	o := option(t, c)
	if got := o["title"].(map[string]any)["text"]; got != "Returns" {
		t.Errorf("title %v", got)
	}
	x := o["xAxis"].([]any)[0].(map[string]any)
	y := o["yAxis"].([]any)[0].(map[string]any)
	if x["name"] != "epoch" || x["type"] != "value" || y["name"] != "mean return" || y["min"] != 0.0 || y["max"] != 500.0 {
		t.Errorf("axes x=%v y=%v", x, y)
	}
	if o["legend"].(map[string]any)["show"] != true {
		t.Errorf("legend hidden: %v", o["legend"])
	}
	series := o["series"].([]any)
	if len(series) != 2 {
		t.Fatalf("%d series", len(series))
	}
	s0 := series[0].(map[string]any)
	data, _ := json.Marshal(s0["data"])
	if s0["name"] != "seed 0" || string(data) != `[{"value":[0,1]},{"value":[1,"-"]},{"value":[2,3]}]` {
		t.Errorf("series 0: name %v data %s", s0["name"], data)
	}
	data, _ = json.Marshal(series[1].(map[string]any)["data"])
	if string(data) != `[{"value":[0,2]},{"value":[2,4]}]` {
		t.Errorf("series 1 data %s", data)
	}
}

func TestChartsRejectBadInput(t *testing.T) {
	a := Axes{Title: "t"}
	for _, tc := range []struct {
		name string
		err  func() error
		want string
	}{
		{"no series", func() error { _, err := NewLine(a); return err }, "no series"},
		{"length", func() error {
			_, err := NewLine(a, Series{Name: "r", X: []float64{1, 2}, Y: []float64{1}})
			return err
		}, `series "r" has 2 x values and 1 y values`},
		{"inf", func() error {
			_, err := NewScatter(a, Series{Name: "r", Y: []float64{1, math.Inf(-1)}})
			return err
		}, "y[1] = -Inf"},
		{"bar count", func() error {
			_, err := NewBar(a, []string{"a", "b"}, Series{Name: "r", Y: []float64{1}})
			return err
		}, "1 values for 2 categories"},
		{"heatmap row", func() error {
			_, err := NewHeatmap(a, []string{"a", "b"}, []string{"r"}, [][]float64{{1}})
			return err
		}, "row 0 has 1 values for 2 x labels"},
		{"histogram bins", func() error {
			_, err := NewHistogram(a, 0, Samples{Name: "s", Values: []float64{1}})
			return err
		}, "bins = 0"},
	} {
		if err := tc.err(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestHistogramOutlineFollowsCounts(t *testing.T) {
	c, err := NewHistogram(Axes{Title: "h", X: "g"}, 2, Samples{Name: "a", Values: []float64{0, 0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(option(t, c)["series"].([]any)[0].(map[string]any)["data"])
	// Bins [0,1) and [1,2]: counts 2 and 2; outline up, across, across, down.
	want := `[{"value":[0,0]},{"value":[0,2]},{"value":[1,2]},{"value":[1,2]},{"value":[2,2]},{"value":[2,0]}]`
	if string(data) != want {
		t.Errorf("outline %s, want %s", data, want)
	}
}

func TestHeatmapCellsAndRange(t *testing.T) {
	c, err := NewHeatmap(Axes{Title: "rms"}, []string{"0", "0.5"}, []string{"n=1", "n=2"},
		[][]float64{{0.5, math.NaN()}, {0.25, 0.75}})
	if err != nil {
		t.Fatal(err)
	}
	o := option(t, c)
	data, _ := json.Marshal(o["series"].([]any)[0].(map[string]any)["data"])
	if string(data) != `[{"value":[0,0,0.5]},{"value":[0,1,0.25]},{"value":[1,1,0.75]}]` {
		t.Errorf("cells %s", data)
	}
	xs, _ := json.Marshal(o["xAxis"].([]any)[0].(map[string]any)["data"])
	ys, _ := json.Marshal(o["yAxis"].([]any)[0].(map[string]any)["data"])
	if string(xs) != `["0","0.5"]` || string(ys) != `["n=1","n=2"]` {
		t.Errorf("axis labels x=%s y=%s", xs, ys)
	}
	vm := o["visualMap"].([]any)[0].(map[string]any)
	if vm["min"] != 0.25 || vm["max"] != 0.75 {
		t.Errorf("visualMap %v", vm)
	}
}

func TestBarsKeepZeroLinesZoom(t *testing.T) {
	y := []float64{0.6, 0.9}
	bar, err := NewBar(Axes{Title: "b"}, []string{"a", "b"}, Series{Name: "s", Y: y})
	if err != nil {
		t.Fatal(err)
	}
	line, err := NewLine(Axes{Title: "l"}, Series{Name: "s", Y: y})
	if err != nil {
		t.Fatal(err)
	}
	scale := func(o map[string]any) any { return o["yAxis"].([]any)[0].(map[string]any)["scale"] }
	if got := scale(option(t, bar)); got != false {
		t.Errorf("bar y axis scale = %v, want false (axis from zero)", got)
	}
	if got := scale(option(t, line)); got != true {
		t.Errorf("line y axis scale = %v, want true (zoom to the data)", got)
	}
}

func TestChartHTMLIsMarkedWrappedAndGuarded(t *testing.T) {
	c, err := NewLine(Axes{Title: "t", Width: 500, Height: 200}, Series{Name: "a", Y: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := chartHTML(c.RenderSnippet())
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(h, ChartMarker); n != 1 {
		t.Errorf("%d chart markers, want 1", n)
	}
	id := regexp.MustCompile(`<div id="(govpg_[0-9a-f]{12})" style="width:500px;height:200px;"></div>`).FindStringSubmatch(h)
	if id == nil {
		t.Fatalf("no sized chart div in:\n%s", h)
	}
	for _, want := range []string{
		`typeof window.echarts === "undefined"`,
		`echarts.init(document.getElementById('` + id[1] + `')`,
		"(function () {", "})();",
	} {
		if !strings.Contains(h, want) {
			t.Errorf("chart HTML lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, `class="container"`) {
		t.Error("chart HTML keeps go-echarts' container class, which the notebook's CSS restyles")
	}
}

// TestChartScriptParses feeds each chart kind's script to node's parser: a bad
// identifier or stray token leaves the chart blank in the browser without any error
// in the cell.
func TestChartScriptParses(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (kernel/setup.sh installs it with npm); skipping the JavaScript syntax check")
	}
	a := Axes{Title: "t", X: "x", Y: "y"}
	s := Series{Name: "s", Y: []float64{1, 2, 3}}
	line, _ := NewLine(a, s)
	scatter, _ := NewScatter(a, s)
	bar, _ := NewBar(a, []string{"a", "b", "c"}, s)
	hist, _ := NewHistogram(a, 3, Samples{Name: "h", Values: []float64{1, 2, 3}})
	heat, _ := NewHeatmap(a, []string{"a"}, []string{"b"}, [][]float64{{1}})
	for i, c := range []Snippeter{line, scatter, bar, hist, heat} {
		h, err := chartHTML(c.RenderSnippet())
		if err != nil {
			t.Fatal(err)
		}
		start := strings.Index(h, "<script>") + len("<script>")
		end := strings.LastIndex(h, "</script>")
		js := filepath.Join(t.TempDir(), "chart.js")
		if err := os.WriteFile(js, []byte(h[start:end]), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", js).CombinedOutput(); err != nil {
			t.Errorf("chart %d: script does not parse: %v\n%s\n%s", i, err, out, h[start:end])
		}
	}
}

func TestLibraryHTMLHidesAMDDefineAndEscapesScriptEnd(t *testing.T) {
	h := libraryHTML(`var s = "</script>"; window.echarts = {};`)
	hide := strings.Index(h, "window.define = undefined;")
	code := strings.Index(h, `window.echarts = {}`)
	restore := strings.Index(h, "window.define = amd;")
	if hide < 0 || code < hide || restore < code {
		t.Fatalf("define must be hidden before the bundle and restored after:\n%s", h)
	}
	if strings.Count(h, "</script") != 1 {
		t.Errorf("the bundle's </script must be escaped:\n%s", h)
	}
}

func TestFindEChartsHonoursEnvAndNamesTheFix(t *testing.T) {
	dir := t.TempDir()
	js := filepath.Join(dir, "echarts.min.js")
	if err := os.WriteFile(js, []byte("//"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EChartsEnv, js)
	if p, err := findECharts(); err != nil || p != js {
		t.Fatalf("findECharts() = %q, %v; want %q", p, err, js)
	}
	t.Setenv(EChartsEnv, filepath.Join(dir, "missing.js"))
	if _, err := findECharts(); err == nil || !strings.Contains(err.Error(), "missing.js does not exist") {
		t.Fatalf("missing override: %v", err)
	}
}

func TestEnsureEChartsInlinesOncePerKernel(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GONB_TMP_DIR", dir)
	js := filepath.Join(dir, "echarts.min.js")
	if err := os.WriteFile(js, []byte("//"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EChartsEnv, js)
	if err := ensureECharts(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "govpg-echarts-inlined")); err != nil {
		t.Fatalf("no per-kernel marker after the first chart: %v", err)
	}
	// With the marker present the bundle is not read again, even if it vanished.
	t.Setenv(EChartsEnv, filepath.Join(dir, "gone.js"))
	if err := ensureECharts(); err != nil {
		t.Fatalf("second call read the bundle again: %v", err)
	}
}

func TestProgressHTML(t *testing.T) {
	h := progressHTML("train <pi>", 25, 100, 10*time.Second, "return 12.5")
	for _, want := range []string{`data-govpg="progress"`, `<progress value="25" max="100"`, "train &lt;pi&gt;", "25/100, about 30s left", "return 12.5"} {
		if !strings.Contains(h, want) {
			t.Errorf("progress HTML lacks %q: %s", want, h)
		}
	}
	if h := progressHTML("x", 7, 0, time.Second, ""); strings.Contains(h, "<progress") {
		t.Errorf("no total should mean no bar: %s", h)
	}
}

func TestCheckfFailsTheCell(t *testing.T) {
	code, _ := cellfail.Capture(func() { Checkf(1+1 == 3, "arithmetic") })
	if code != 1 {
		t.Fatalf("a failed Checkf exited with %d, want 1", code)
	}
}

// After the learner stopped a training run, a check that does not hold says so and
// the cell goes on; a new run makes checks count again.
func TestChecksAfterAStoppedRunDoNotFail(t *testing.T) {
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	markStopped(true)
	code, _ := cellfail.Capture(func() { Checkf(false, "solved") })
	if code != -1 {
		t.Fatalf("a failed check after Stop exited with %d; want the cell to go on", code)
	}
	markStopped(false)
	if code, _ := cellfail.Capture(func() { Checkf(false, "solved") }); code != 1 {
		t.Fatalf("a failed check after a new run exited with %d, want 1", code)
	}
}

func TestProgressKeepsTheLatestCount(t *testing.T) {
	open := NewProgress("epochs", 0) // no total: Done shows the last count, not 0
	open.Update(3, "a")
	open.Update(7, "b") // too soon to redraw, but still the latest
	if open.done != 7 {
		t.Errorf("open-ended progress count %d, want 7", open.done)
	}
	bounded := NewProgress("epochs", 10)
	bounded.Update(4, "a")
	bounded.Done("finished")
	if bounded.done != 10 {
		t.Errorf("bounded progress at Done shows %d, want the total 10", bounded.done)
	}
}

func TestSeriesColourDashAndHeatmapZRange(t *testing.T) {
	c, err := NewLine(Axes{Title: "V"},
		Series{Name: "true", Y: []float64{1, 2}, Color: "#000", Dashed: true},
		Series{Name: "estimate", Y: []float64{1, 3}, Color: "#08519c"},
		Series{Name: "palette", Y: []float64{0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	series := option(t, c)["series"].([]any)
	get := func(i int, style, key string) any {
		m, _ := series[i].(map[string]any)[style].(map[string]any)
		return m[key]
	}
	if get(0, "lineStyle", "type") != "dashed" || get(0, "lineStyle", "color") != "#000" || get(0, "itemStyle", "color") != "#000" {
		t.Errorf("dashed black series: %v", series[0])
	}
	if get(1, "lineStyle", "type") != nil || get(1, "lineStyle", "color") != "#08519c" || get(1, "itemStyle", "color") != "#08519c" {
		t.Errorf("solid blue series: %v", series[1])
	}
	if get(2, "lineStyle", "color") != nil || get(2, "itemStyle", "color") != nil {
		t.Errorf("a series without Color got one: %v", series[2])
	}
	bar, err := NewBar(Axes{Title: "b"}, []string{"a"}, Series{Name: "s", Y: []float64{1}, Color: "red"})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := option(t, bar)["series"].([]any)[0].(map[string]any)["itemStyle"].(map[string]any); m["color"] != "red" {
		t.Errorf("bar colour: %v", m)
	}

	z := [][]float64{{0.2, 0.4}}
	h, err := NewHeatmap(Axes{Title: "V", ZRange: [2]float64{-1, 1}}, []string{"a", "b"}, []string{"r"}, z)
	if err != nil {
		t.Fatal(err)
	}
	if vm := option(t, h)["visualMap"].([]any)[0].(map[string]any); vm["min"] != -1.0 || vm["max"] != 1.0 {
		t.Errorf("visualMap with ZRange [-1, 1]: %v", vm)
	}
	if _, err := NewHeatmap(Axes{Title: "V", ZRange: [2]float64{1, 1}}, []string{"a", "b"}, []string{"r"}, z); err == nil ||
		!strings.Contains(err.Error(), "ZRange [1 1]") {
		t.Errorf("ZRange [1, 1]: err = %v, want one naming it", err)
	}
}
