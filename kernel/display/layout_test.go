package display

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
)

// A band line is three series: its invisible lower edge, its height stacked on
// it (gaps where a value is NaN), and the line.
func TestBandSeriesLayout(t *testing.T) {
	s := Series{Name: "3 seeds", Y: []float64{4, 20, math.NaN()}, Lo: []float64{1, 10, math.NaN()}, Hi: []float64{8, 30, math.NaN()}}
	c, err := NewLine(Axes{Title: "t"}, s)
	if err != nil {
		t.Fatal(err)
	}
	series := option(t, c)["series"].([]any)
	if len(series) != 3 {
		t.Fatalf("a band line has %d series, want lower edge, height, line", len(series))
	}
	height, _ := json.Marshal(series[1].(map[string]any)["data"])
	if string(height) != `[{"value":[7,0]},{"value":[20,1]},{"value":["-",2]}]` {
		t.Errorf("band heights %s", height)
	}
	if _, err := NewLine(Axes{}, Series{Name: "half", Y: []float64{1}, Lo: []float64{0}}); err == nil {
		t.Error("a band with Lo and no Hi was accepted")
	}
}

func TestLayoutReservesRoomForWhatItShows(t *testing.T) {
	// Eight long legend names cannot fit one row of 760 px: the bottom strip grows by a row.
	long := []string{}
	for range 8 {
		long = append(long, "future return R_t = pg.RewardToGo")
	}
	one, two := newLayout(Axes{X: "x"}, extent{legend: long[:1]}), newLayout(Axes{X: "x"}, extent{legend: long})
	if rows := legendRows(long, 740); rows < 3 {
		t.Errorf("8 long names in %d rows", rows)
	}
	if two.bottom < one.bottom+2*legendRow {
		t.Errorf("bottom %v with 8 names vs %v with 1: no room for the extra rows", two.bottom, one.bottom)
	}
	// A title wider than the chart wraps, and the plot starts below it.
	title := strings.Repeat("a long title word ", 12)
	l := newLayout(Axes{Title: title, Width: 400}, extent{})
	lines := strings.Split(l.title, "\n")
	for _, line := range lines {
		if textWidth(line, titlePx*1.1) > 400-2*pad {
			t.Errorf("title line %q is wider than the chart", line)
		}
	}
	if len(lines) < 3 || l.top < pad+titleLine*float64(len(lines)) {
		t.Errorf("%d title lines, plot top %v", len(lines), l.top)
	}
	// Six wide categories in a narrow chart: every label kept (interval 0) and rotated.
	cats := []string{"naive, float32", "log(softmax), float32", "naive, float64", "log(softmax), float64", "log-softmax, float32", "log-softmax, float64"}
	c, err := NewBar(Axes{Title: "t", X: "way", Width: 600}, cats, Series{Name: "c", Y: []float64{1, 2, 3, 4, 5, 6}})
	if err != nil {
		t.Fatal(err)
	}
	label := option(t, c)["xAxis"].([]any)[0].(map[string]any)["axisLabel"].(map[string]any)
	if label["interval"] != "0" || label["rotate"] != 30.0 {
		t.Errorf("crowded categories: axisLabel %v", label)
	}
	// 58 labels in 880 px: 30° would overlap them; upright they fit one line of text each.
	var many []string
	for i := range 58 {
		many = append(many, fmt.Sprintf("W₀[%d]", i))
	}
	crowd := newLayout(Axes{Width: 880}, extent{categories: many})
	if crowd.xRotate != 90 || crowd.xEvery != "0" || (880-crowd.left-crowd.right)/58 < labelPx {
		t.Errorf("58 labels: rotate %v, every %q, slot %v px", crowd.xRotate, crowd.xEvery, (880-crowd.left-crowd.right)/58)
	}
	if packed := newLayout(Axes{Width: 400}, extent{categories: many}); packed.xEvery != "auto" {
		t.Errorf("58 labels in 400 px: every %q, want auto (upright labels would touch)", packed.xEvery)
	}
	// Points with a line over them: the legend counts the line's name too (03's x axis
	// name sat under a legend that wrapped onto a row nobody had made room for).
	var points []Series
	for _, n := range []string{"ĝ with Ψ_t = R(τ)", "ĝ with Ψ_t = R_t", "ĝ with Ψ_t = R_t − V(s_t)", "ĝ with Ψ_t = GAE, λ = 0.9"} {
		points = append(points, Series{Name: n, X: []float64{1, 10}, Y: []float64{1, 2}})
	}
	ref := Series{Name: "exact ∇J(θ) at this θ", X: []float64{1, 10}, Y: []float64{1.5, 1.5}}
	alone, err := NewScatter(Axes{X: "episodes"}, points...)
	if err != nil {
		t.Fatal(err)
	}
	both, err := NewScatterWithLines(Axes{X: "episodes"}, points, ref)
	if err != nil {
		t.Fatal(err)
	}
	bottom := func(c Snippeter) string { return option(t, c)["grid"].([]any)[0].(map[string]any)["bottom"].(string) }
	if rows := legendRows(append(names(points), ref.Name), 740); rows < 2 || bottom(both) == bottom(alone) {
		t.Errorf("%d legend rows with the line; bottom %s with it, %s without: no room for its name", rows, bottom(both), bottom(alone))
	}
	// The y name sits beyond the widest tick label, and inside the canvas.
	y := newLayout(Axes{Y: "mean return"}, extent{yLo: -1200, yHi: -150})
	if y.yNameGap < textWidth("-1,300", labelPx) || y.left < y.yNameGap+labelPx {
		t.Errorf("y name gap %v, left %v", y.yNameGap, y.left)
	}
}

func TestDashboardHTMLDrawsEveryPanel(t *testing.T) {
	h, err := DashboardHTML("CartPole", []Epoch{
		{Epoch: 0, MeanReturn: 20, MinReturn: 10, MaxReturn: 40, VLoss: 5, Entropy: 0.69, KL: 0.01, Seconds: 1.5},
		{Epoch: 1, MeanReturn: 30, MinReturn: 12, MaxReturn: 70, VLoss: math.NaN(), Entropy: 0.68, KL: 0.02, Seconds: 1.4},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, ChartMarker) {
		t.Error("dashboard is not marked as a chart")
	}
	m := regexp.MustCompile(`setOption\((.*)\);`).FindStringSubmatch(h)
	if m == nil {
		t.Fatalf("no setOption in %s", h)
	}
	var o map[string]any
	if err := json.Unmarshal([]byte(m[1]), &o); err != nil {
		t.Fatal(err)
	}
	if n := len(o["grid"].([]any)); n != 5 {
		t.Errorf("%d grids, want 5 (return, V loss, entropy, KL, seconds)", n)
	}
	want := map[string]string{"mean return": "[[0,20],[1,30]]", "max − min": "[[30,0],[58,1]]", "V loss": `[[0,5],[1,"-"]]`, "s/epoch": "[[0,1.5],[1,1.4]]"}
	for _, s := range o["series"].([]any) {
		s := s.(map[string]any)
		if w, ok := want[s["name"].(string)]; ok {
			got, _ := json.Marshal(s["data"])
			if string(got) != w {
				t.Errorf("%s: %s, want %s", s["name"], got, w)
			}
			delete(want, s["name"].(string))
		}
	}
	if len(want) > 0 {
		t.Errorf("missing series %v", want)
	}
	if _, err := DashboardHTML("x", []Epoch{{KL: math.Inf(1)}}); err == nil {
		t.Error("an infinite KL was accepted")
	}
	if strings.Contains(h, "clip fraction") {
		t.Error("a dashboard without clip fractions (VPG) draws one")
	}
	ppo, err := DashboardHTML("PPO", []Epoch{{Epoch: 0, KL: 0.01, ClipFrac: 0.12}, {Epoch: 1, KL: 0.02, ClipFrac: 0.2}})
	if err != nil || !strings.Contains(ppo, `"name":"clip fraction"`) || !strings.Contains(ppo, "[[0,0.12],[1,0.2]]") {
		t.Errorf("PPO dashboard (err %v) lacks the clip fraction series [[0,0.12],[1,0.2]]", err)
	}
	d := NewDashboard("outside a notebook")
	if !d.Add(Epoch{Epoch: 0}) || len(d.Epochs()) != 1 {
		t.Error("Add outside a notebook should record and go on")
	}
	d.Done()
}
