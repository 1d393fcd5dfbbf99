package anim

import (
	"bytes"
	"encoding/base64"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/nb"
	"github.com/govpg/govpg/vpg/envs"
)

func cartFrames(t *testing.T, n int) []string {
	t.Helper()
	e, err := envs.Make("CartPole-v1")
	if err != nil {
		t.Fatal(err)
	}
	frames, _ := envs.Record(e, nil, 3, n-1)
	if len(frames) != n {
		t.Fatalf("recorded %d frames, want %d", len(frames), n)
	}
	return frames
}

var frameGroup = regexp.MustCompile(`<g class="e[0-9a-f]+z?" style="animation-delay:`)

func TestCreditFrames(t *testing.T) {
	const steps, fps = 4, 10.0
	c := Credit{
		Frames: cartFrames(t, steps),
		Rows:   []Row{{Name: "R(τ)", Values: []float64{4, 4, 4, 4}}, {Name: "A", Values: []float64{1, -1, 0.5, -0.5}}},
		Delta:  []float64{0.1, -0.2, 0.3, -0.4},
	}
	s, err := c.SVG(fps)
	if err != nil {
		t.Fatal(err)
	}
	// steps, then creditReveal·fps sweep frames, then creditHold·fps copies of the last.
	want := steps + int(creditReveal*fps) + int(creditHold*fps)
	if got := len(frameGroup.FindAllString(s, -1)); got != want {
		t.Errorf("%d frames, want %d", got, want)
	}
	// Bars are drawn once, outside the frames: 3 rows of 4, and Δ's colours by sign.
	static := s[:strings.Index(s, `<g class=`)]
	if got := strings.Count(static, `fill="`+creditUp+`"`); got != 2 {
		t.Errorf("%d green bars, want 2", got)
	}
	if got := strings.Count(static, `fill="`+creditDown+`"`); got != 2 {
		t.Errorf("%d red bars, want 2", got)
	}
	if got := strings.Count(static, `fill="`+creditBarNeg+`"`); got != 2 {
		t.Errorf("%d negative Ψ bars, want 2", got)
	}
	for _, want := range []string{"step t = 1 of 4 · R(τ) = 4 · A = -1", "after one policy update"} {
		if !strings.Contains(s, want) {
			t.Errorf("no caption %q", want)
		}
	}
}

func TestCreditBarGeometry(t *testing.T) {
	// One row, values 2 and −1: range [−1, 2], so 0 sits at a third of the row from the
	// bottom, the first bar rises 2/3 of the row and the second falls 1/3.
	c := Credit{Frames: cartFrames(t, 2), Rows: []Row{{Name: "x", Values: []float64{2, -1}}}}
	s, err := c.SVG(10)
	if err != nil {
		t.Fatal(err)
	}
	bars := regexp.MustCompile(`<rect x="[0-9.]+" y="([0-9.]+)" width="[0-9.]+" height="([0-9.]+)" fill="(#[0-9a-f]+)"/>`).FindAllStringSubmatch(s, -1)
	var got [][2]string
	for _, b := range bars {
		if b[3] == creditBarPos || b[3] == creditBarNeg {
			got = append(got, [2]string{b[1], b[2]})
		}
	}
	want := [][2]string{{num(rowsTop), num(rowH * 2 / 3)}, {num(rowsTop + rowH*2/3), num(rowH / 3)}}
	if !slices.Equal(got, want) {
		t.Errorf("bars (y, height) %v, want %v", got, want)
	}
}

func TestCreditBadInput(t *testing.T) {
	frames := cartFrames(t, 2)
	for _, tc := range []struct {
		name string
		c    Credit
		fps  float64
		want string
	}{
		{"no frames", Credit{Rows: []Row{{"a", nil}}}, 10, "no frames"},
		{"no rows", Credit{Frames: frames}, 10, "no rows"},
		{"short row", Credit{Frames: frames, Rows: []Row{{"a", []float64{1}}}}, 10, `row 0 ("a") has 1 values for 2 frames`},
		{"NaN", Credit{Frames: frames, Rows: []Row{{"a", []float64{1, math.NaN()}}}}, 10, `row "a"[1] = NaN`},
		{"delta", Credit{Frames: frames, Rows: []Row{{"a", []float64{1, 2}}}, Delta: []float64{1}}, 10, "Delta has 1 values for 2 frames"},
		{"fps", Credit{Frames: frames, Rows: []Row{{"a", []float64{1, 2}}}}, 0, "fps = 0"},
		{"not svg", Credit{Frames: []string{"<p>", frames[1]}, Rows: []Row{{"a", []float64{1, 2}}}}, 10, "frame 0: not an SVG"},
	} {
		_, err := tc.c.SVG(tc.fps)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestPaletteAt(t *testing.T) {
	p := Palette{{0, 0, 0, 255}, {100, 200, 50, 255}}
	for _, tc := range []struct {
		u    float64
		want color.NRGBA
	}{{0, p[0]}, {1, p[1]}, {-3, p[0]}, {7, p[1]}, {0.5, color.NRGBA{50, 100, 25, 255}}, {math.NaN(), color.NRGBA{}}} {
		if got := p.At(tc.u); got != tc.want {
			t.Errorf("At(%v) = %v, want %v", tc.u, got, tc.want)
		}
	}
}

func testMaps() Maps {
	z0 := [][]float64{{0, 1, 2}, {3, 4, 5}} // rows: y = -1, 1; columns x = 0, 1, 2
	z1 := [][]float64{{5, 5, 5}, {5, 5, 5}}
	return Maps{XName: "x", YName: "y", X: []float64{0, 1, 2}, Y: []float64{-1, 1},
		Panels:   []Map{{Title: "z", Palette: Palette{{0, 0, 0, 255}, {250, 250, 250, 255}}, Frames: [][][]float64{z0, z1}}},
		Captions: []string{"epoch 0", "epoch 1"},
		Curve:    &Curve{Label: "rule", X: []float64{0, 2}, Y: []float64{-1, 1}}}
}

func TestMapsImages(t *testing.T) {
	s, err := testMaps().SVG(2)
	if err != nil {
		t.Fatal(err)
	}
	// 2 frames, then mapsHold·fps frames with the curve.
	if got, want := len(frameGroup.FindAllString(s, -1)), 2+int(mapsHold*2); got != want {
		t.Errorf("%d frames, want %d", got, want)
	}
	if got, want := strings.Count(s, "<polyline"), 2*int(mapsHold*2); got != want {
		t.Errorf("%d curve strokes, want %d", got, want)
	}
	uri := regexp.MustCompile(`href="data:image/png;base64,([^"]+)"`).FindStringSubmatch(s)
	raw, err := base64.StdEncoding.DecodeString(uri[1])
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// The data range over both frames is [0, 5]: value v is grey 50·v. The image's top
	// row is the highest y.
	for _, tc := range []struct{ x, y, v int }{{0, 1, 0}, {2, 1, 2}, {0, 0, 3}, {2, 0, 5}} {
		r, _, _, _ := img.At(tc.x, tc.y).RGBA()
		if got := int(r >> 8); got != 50*tc.v {
			t.Errorf("pixel (%d, %d) = %d, want %d", tc.x, tc.y, got, 50*tc.v)
		}
	}
	if !strings.Contains(s, "epoch 1 · dashed: rule") {
		t.Error("the last frame does not name the curve")
	}
}

func TestMapsBadInput(t *testing.T) {
	for _, tc := range []struct {
		name   string
		modify func(*Maps)
		want   string
	}{
		{"uneven", func(m *Maps) { m.X = []float64{0, 1, 3} }, "X[2] = 3 after 1"},
		{"captions", func(m *Maps) { m.Captions = m.Captions[:1] }, "has 2 frames for 1 captions"},
		{"row", func(m *Maps) { m.Panels[0].Frames[1] = m.Panels[0].Frames[1][:1] }, "frame 1 has 1 rows; want 2"},
		{"inf", func(m *Maps) { m.Panels[0].Frames[0][0][1] = math.Inf(1) }, "row 0[1] = +Inf"},
		{"range", func(m *Maps) { m.Panels[0].Lo = 2 }, "colour range [2, 0]"},
		{"curve", func(m *Maps) { m.Curve.Y = m.Curve.Y[:1] }, "curve has 2 x and 1 y"},
	} {
		m := testMaps()
		tc.modify(&m)
		if _, err := m.SVG(2); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		v    []float64
		want []float64
	}{
		{nb.Grid(-0.2, 0.2, 41), []float64{-0.2, -0.1, 0, 0.1, 0.2}},
		{nb.Grid(-8, 8, 5), []float64{-5, 0, 5}}, // the smallest of 1, 2, 2.5, 5 × 10ⁿ that is ≥ span/4 = 4
		{nb.Grid(-math.Pi, math.Pi, 9), []float64{-2, 0, 2}},
	} {
		if got := ticks(tc.v); !slices.Equal(got, tc.want) {
			t.Errorf("ticks(%v…%v) = %v, want %v", tc.v[0], tc.v[len(tc.v)-1], got, tc.want)
		}
	}
}

func TestAgreement(t *testing.T) {
	xs, ys := []float64{-1, 1}, []float64{-1, 1}
	pi := [][]float64{{0.1, 0.9}, {0.2, 0.4}} // right at (1, −1) only
	got := Agreement(pi, xs, ys, func(x, y float64) bool { return x > 0 })
	if got != 0.75 {
		t.Errorf("Agreement = %v, want 0.75 (3 of 4 cells)", got)
	}
}
