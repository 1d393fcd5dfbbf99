package display

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govpg/govpg/kernel/internal/testenv"
)

// runECharts runs a Node script with `echarts` the installed bundle and stdin as
// given, and returns what it printed. The script ends the process itself: ECharts'
// animation timer would keep Node alive.
func runECharts(t *testing.T, script, stdin string) []byte {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node is not installed")
	}
	lib, err := findECharts()
	if err != nil {
		testenv.Missing(t, err.Error())
	}
	path := filepath.Join(t.TempDir(), "script.js")
	js := "const echarts = require(process.argv[2]);\n" + script + "\nprocess.exit(0);"
	if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, path, lib)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v %s", err, stderr.String())
	}
	return out
}

// dashboardOption is the ECharts option of the dashboard of these epochs.
func dashboardOption(t *testing.T, epochs []Epoch) string {
	t.Helper()
	h, err := DashboardHTML("dashboard", epochs)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`setOption\((.*)\);`).FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no setOption in %s", h)
	}
	return m[1]
}

// bandExtents lays out a chart's option (JSON) with ECharts itself, server side in
// Node, and returns the x and y extents of its first axes and the upper edge of the
// band that series 1 stacks: the truth about where a band is drawn.
func bandExtents(t *testing.T, optionJSON string) (x, y [2]float64, top []float64) {
	t.Helper()
	out := runECharts(t, `const c = echarts.init(null, null, {renderer: 'svg', ssr: true, width: 900, height: 400});
c.setOption(JSON.parse(require('fs').readFileSync(0, 'utf8')));
const m = c.getModel();
const d = m.getSeriesByIndex(1).getData(), dim = d.getCalculationInfo('stackResultDimension');
const top = [];
for (let i = 0; i < d.count(); i++) top.push(d.get(dim, i));
console.log(JSON.stringify([m.getComponent('xAxis', 0).axis.scale.getExtent(), m.getComponent('yAxis', 0).axis.scale.getExtent(), top]));
c.dispose();`, optionJSON)
	var ext struct {
		X, Y [2]float64
		Top  []float64
	}
	var raw [3]json.RawMessage
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, v := range []any{&ext.X, &ext.Y, &ext.Top} {
		if err := json.Unmarshal(raw[i], v); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	return ext.X, ext.Y, ext.Top
}

// A band stacks on its lower edge, not along x: the x axis ends near the last
// epoch, and the shaded range reaches the largest return.
func TestBandsStackOnY(t *testing.T) {
	var epochs []Epoch
	for e := range 10 {
		epochs = append(epochs, Epoch{Epoch: e, MeanReturn: 20, MinReturn: 10, MaxReturn: 100 + float64(e)})
	}
	x, y, _ := bandExtents(t, dashboardOption(t, epochs))
	// Stacked along x, the band would reach x = 2·9.
	if x[1] > 10 || y[1] < 109 {
		t.Errorf("dashboard: return panel spans x %v and y %v, want x within 0…10 and y up to 109", x, y)
	}
	c, err := NewLine(Axes{Title: "band"}, Series{Name: "mean", X: []float64{0, 1, 2}, Y: []float64{2, 3, 4}, Lo: []float64{1, 2, 3}, Hi: []float64{5, 6, 7}})
	if err != nil {
		t.Fatal(err)
	}
	opt, err := json.Marshal(option(t, c))
	if err != nil {
		t.Fatal(err)
	}
	x, y, _ = bandExtents(t, string(opt))
	if x[1] >= 4 || y[1] < 7 {
		t.Errorf("display.Line: a band spans x %v and y %v, want x below 4 (2·2 if stacked along x) and y up to 7", x, y)
	}
}

// A band below zero sits between its min and max: ECharts' default stacking puts a
// positive height on zero when the edge under it is negative (10's Pendulum band
// was drawn from 0 up to +300…+1500 for returns of −1788…−300).
func TestBandOfNegativeReturns(t *testing.T) {
	var epochs []Epoch
	for e := range 10 {
		lo := -1788 + 100*float64(e)
		epochs = append(epochs, Epoch{Epoch: e, MeanReturn: lo + 300, MinReturn: lo, MaxReturn: lo + 400 + 20*float64(e)})
	}
	_, y, top := bandExtents(t, dashboardOption(t, epochs))
	if len(top) != len(epochs) {
		t.Fatalf("%d band points for %d epochs", len(top), len(epochs))
	}
	for i, e := range epochs {
		if math.Abs(top[i]-e.MaxReturn) > 1e-9 {
			t.Errorf("epoch %d: band top at %v, want the max return %v", i, top[i], e.MaxReturn)
		}
	}
	if y[1] > 0 || y[0] > -1788 {
		t.Errorf("return panel spans y %v, want it inside the returns' range, below 0 and down to −1788", y)
	}
	// The same for display.Line's bands, as the page gets them.
	c, err := NewLine(Axes{Title: "band"}, Series{Name: "mean", Y: []float64{-5, -4, -3}, Lo: []float64{-9, -8, -7}, Hi: []float64{-2, -1, -0.5}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := chartPart(c.RenderSnippet())
	if err != nil {
		t.Fatal(err)
	}
	if _, _, top = bandExtents(t, p.option); len(top) != 3 || top[0] != -2 || top[1] != -1 || top[2] != -0.5 {
		t.Errorf("display.Line: band top %v, want [-2 -1 -0.5]", top)
	}
}

// A fixed y bound off the ticks gets no label of its own (520 would print next
// to 500); one on a tick keeps it.
func TestFixedBoundOffTickIsUnlabelled(t *testing.T) {
	for _, tc := range []struct {
		yRange           [2]float64
		showMax, showMin any
	}{
		{[2]float64{0, 520}, false, nil},
		{[2]float64{0, 1}, nil, nil},
		{[2]float64{-0.5, 500}, nil, false},
	} {
		c, err := NewLine(Axes{Title: "y", YRange: tc.yRange, Height: 360}, Series{Name: "s", Y: []float64{0, 0.5}})
		if err != nil {
			t.Fatal(err)
		}
		label := option(t, c)["yAxis"].([]any)[0].(map[string]any)["axisLabel"].(map[string]any)
		if label["showMaxLabel"] != tc.showMax || label["showMinLabel"] != tc.showMin {
			t.Errorf("YRange %v: showMaxLabel %v, showMinLabel %v; want %v, %v", tc.yRange, label["showMaxLabel"], label["showMinLabel"], tc.showMax, tc.showMin)
		}
	}
	for d, want := range map[float64]float64{65: 50, 0.125: 0.1, 0.26: 0.3, 1.7: 2, 8: 10} {
		if got := niceStep(d); math.Abs(got-want) > 1e-12 {
			t.Errorf("niceStep(%v) = %v, want %v", d, got, want)
		}
	}
}
