package svg_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/svg"
)

func TestAnimate(t *testing.T) {
	e := envs.NewCartPole()
	balance := func(o []float64) []float64 { // push towards where the pole is falling
		if o[2]+0.5*o[3] > 0 {
			return []float64{1}
		}
		return []float64{0}
	}
	frames, ret := envs.Record(e, balance, 3, 0)
	if len(frames) != 501 || ret != 500 {
		t.Fatalf("balanced episode: %d frames, return %v; want 501 and 500", len(frames), ret)
	}
	anim := svg.Animate(frames, 50)
	counts, err := svg.Elements(anim)
	if err != nil {
		t.Fatal(err)
	}
	if counts["style"] != 1 || counts["g"] != 2*501 || counts["line"] != 1 {
		t.Errorf("element counts %v: want one style, one track line, a group per frame", counts)
	}
	if n := len(anim); n > 250_000 {
		t.Errorf("500-frame CartPole animation is %d bytes", n)
	}
	t.Logf("500-frame CartPole animation: %d bytes", len(anim))
	// Frame k appears at k/fps seconds; the last one holds one second longer,
	// so the loop lasts 501/50 + 1 s.
	for _, want := range []string{"animation-delay:0s", "animation-delay:0.02s", "animation-delay:10s", "animation:e", " 11.02s step-end infinite"} {
		if !strings.Contains(anim, want) {
			t.Errorf("animation lacks %q", want)
		}
	}
	if svg.Animate(frames, 50) != anim {
		t.Error("Animate is not deterministic")
	}
	if svg.Animate(frames[:1], 50) != frames[0] {
		t.Error("one frame should come back unchanged")
	}
	// Different content gets different CSS names, so animations can share a page.
	other := svg.Animate(frames[:10], 50)
	if name := func(s string) string { i := strings.Index(s, "@keyframes "); return s[i : i+22] }; name(anim) == name(other) {
		t.Error("two animations share CSS names")
	}
}

func TestAnimateFactorsSharedLines(t *testing.T) {
	frame := func(mid string) string {
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<rect id=\"bg\"/>\n" + mid + "\n<circle id=\"top\"/>\n</svg>\n"
	}
	anim := svg.Animate([]string{frame(`<line id="a"/>`), frame(`<line id="b"/>`), frame(`<line id="c"/>`)}, 10)
	if _, err := svg.Elements(anim); err != nil {
		t.Fatal(err)
	}
	for _, once := range []string{`<rect id="bg"/>`, `<circle id="top"/>`} {
		if strings.Count(anim, once) != 1 {
			t.Errorf("%s appears %d times", once, strings.Count(anim, once))
		}
	}
	if strings.Index(anim, "bg") > strings.Index(anim, `id="a"`) || strings.Index(anim, "top") < strings.Index(anim, `id="c"`) {
		t.Errorf("shared lines out of order:\n%s", anim)
	}
	// Identical frames keep an empty group each, so the timing still holds.
	same := svg.Animate([]string{frame("x"), frame("x")}, 10)
	if strings.Count(same, "<g class=") != 2 {
		t.Errorf("identical frames:\n%s", same)
	}
}

func TestAnimatePanics(t *testing.T) {
	ok := envs.Render(envs.NewCartPole())
	tests := []struct {
		frames []string
		fps    float64
		msg    string
	}{
		{nil, 30, "at least one frame"},
		{[]string{ok}, 0, "fps = 0"},
		{[]string{ok}, math.NaN(), "fps = NaN"},
		{[]string{ok}, math.Inf(1), "fps = +Inf"},
		{[]string{ok}, 1e-300, "fps = 1e-300, want a number in [0.01, 1000]"},
		{[]string{ok}, 1001, "fps = 1001"},
		{[]string{ok, "<html></html>"}, 30, "frame 1 is not an SVG"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tt.msg) {
					t.Errorf("svg.Animate(%d frames, %v): panic %v, want %q", len(tt.frames), tt.fps, r, tt.msg)
				}
			}()
			svg.Animate(tt.frames, tt.fps)
		}()
	}
}

// TestAnimateFPSBounds: at both ends of the allowed frame rates the CSS
// stays plain decimals (no exponents), the keyframe percentages lie in
// (0, 100) and every frame gets its own delay.
func TestAnimateFPSBounds(t *testing.T) {
	frames := []string{envs.Render(envs.NewCartPole()), envs.Render(envs.NewPendulum()), envs.Render(envs.NewAcrobot())}
	for _, fps := range []float64{svg.MinFPS, svg.MaxFPS} {
		doc := svg.Animate(frames, fps)
		pct := regexp.MustCompile(`\}([0-9.]+)%,to`).FindAllStringSubmatch(doc, -1)
		delays := regexp.MustCompile(`animation-delay:([0-9.]+)s`).FindAllStringSubmatch(doc, -1)
		if len(pct) != 2 || len(delays) != len(frames) {
			t.Fatalf("fps %v: %d keyframe ends, %d delays:\n%s", fps, len(pct), len(delays), doc)
		}
		for _, m := range pct {
			if p, err := strconv.ParseFloat(m[1], 64); err != nil || !(p > 0 && p < 100) {
				t.Errorf("fps %v: keyframe end %q%%, want a decimal in (0, 100)", fps, m[1])
			}
		}
		for k, m := range delays {
			if d, err := strconv.ParseFloat(m[1], 64); err != nil || math.Abs(d-float64(k)/fps) > 1e-6 {
				t.Errorf("fps %v: frame %d delay %qs, want %v", fps, k, m[1], float64(k)/fps)
			}
		}
	}
}

// Elements counts every element and rejects what is not one SVG element.
func TestElements(t *testing.T) {
	const ns = `xmlns="http://www.w3.org/2000/svg"`
	counts, err := svg.Elements(`<svg ` + ns + `><g><line/><line/></g><text>x</text></svg>`)
	if err != nil || counts["svg"] != 1 || counts["g"] != 1 || counts["line"] != 2 || counts["text"] != 1 || len(counts) != 4 {
		t.Errorf("counts %v, err %v", counts, err)
	}
	for doc, want := range map[string]string{
		`<svg ` + ns + `><g></svg>`:          "not well-formed",
		`<svg><line/></svg>`:                 "root element",
		`<html ` + ns + `></html>`:           "root element",
		`<svg ` + ns + `/><svg ` + ns + `/>`: "2 root elements",
		``:                                   "0 root elements",
	} {
		if _, err := svg.Elements(doc); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Elements(%q): error %v, want one mentioning %q", doc, err, want)
		}
	}
}

// Record an episode of MountainCar and animate it at 30 frames per second.
func ExampleAnimate() {
	e, err := envs.Make("MountainCar-v0")
	if err != nil {
		panic(err)
	}
	frames, _ := envs.Record(e, nil, 0, 50)
	anim := svg.Animate(frames, 30)
	_, err = svg.Elements(anim)
	fmt.Println(len(frames), "frames,", strings.Count(anim, `<g class="`), "frame groups, well-formed:", err == nil)
	// Output:
	// 51 frames, 51 frame groups, well-formed: true
}
