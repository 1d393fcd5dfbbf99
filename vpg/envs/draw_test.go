package envs

import (
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkSVG parses doc as XML and returns how many elements of each name
// it has; it fails the test if doc is not one well-formed <svg> element.
func checkSVG(t *testing.T, doc string) map[string]int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	counts := map[string]int{}
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, doc)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if el.Name.Local != "svg" || el.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root element %v", el.Name)
				}
			}
			depth++
			counts[el.Name.Local]++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		t.Fatalf("%d root elements", roots)
	}
	return counts
}

func TestRenderEveryEnv(t *testing.T) {
	for _, id := range IDs() {
		e := mustMake(t, id)
		e.Reset(1)
		e.Step(make([]float64, e.ActionSpace().Dim()))
		doc := Render(e)
		counts := checkSVG(t, doc)
		if counts["text"] == 0 || !strings.Contains(doc, "t = 1<") || !strings.Contains(doc, "viewBox") {
			t.Errorf("%s: no step label or viewBox:\n%s", id, doc)
		}
	}
	if doc := Render(foreignEnv{NewCartPole()}); !strings.Contains(doc, "CartPole-v1: no drawing") {
		t.Errorf("non-Renderer: %s", doc)
	}
}

// foreignEnv hides CartPole's SVG method, standing in for an Env from
// another package.
type foreignEnv struct{ *CartPole }

func (foreignEnv) SVG() {}

// TestRenderGeometry checks the drawings put things where the state says.
func TestRenderGeometry(t *testing.T) {
	tests := []struct {
		e     Env
		state []float64
		want  []string
	}{
		// Cart 1 m right of centre: 300 + 125 units; pole leaning 0.1 rad right.
		{NewCartPole(), []float64{1, 0, 0.1, 0}, []string{`translate(425 300)`, fmt.Sprintf("rotate(%s)", num(0.1*180/math.Pi))}},
		// Upright pendulum points up (−90° in SVG), hanging points down.
		{NewPendulum(), []float64{0, 0}, []string{`rotate(-90)`}},
		{NewPendulum(), []float64{math.Pi, 0}, []string{`rotate(-270)`}},
		// Hanging acrobot: joint one link below the pivot, tip two; target line one link above.
		{NewAcrobot(), []float64{0, 0, 0, 0}, []string{`x2="250" y2="363.6"`, `x2="250" y2="477.3"`, `y1="136.4"`}},
		// Car at the valley floor (−π/6): x = (−0.5236 + 1.2)·600/1.8, y = 400 − 10 − 0.1·333.3.
		{NewMountainCar(), []float64{-math.Pi / 6, 0}, []string{`translate(225.5 356.7)`}},
		{NewRandomWalk(), []float64{3}, []string{`<circle cx="115" cy="55" r="7"`}},
	}
	for _, tt := range tests {
		if err := tt.e.SetState(tt.state); err != nil {
			t.Fatal(err)
		}
		doc := Render(tt.e)
		for _, w := range tt.want {
			if !strings.Contains(doc, w) {
				t.Errorf("%s at %v: drawing lacks %q:\n%s", tt.e.ID(), tt.state, w, doc)
			}
		}
	}
}

func TestPendulumTorqueArc(t *testing.T) {
	p := NewPendulum()
	if strings.Contains(Render(p), "<path") {
		t.Error("torque arrow drawn before any step")
	}
	p.Step(act(1.5))
	ccw := Render(p)
	p.Step(act(-1.5))
	cw := Render(p)
	if !strings.Contains(ccw, " 0 0 0 ") || !strings.Contains(cw, " 0 0 1 ") {
		t.Errorf("arc sweep flags do not follow the torque's sign:\n%s\n%s", ccw, cw)
	}
}

func TestAnimate(t *testing.T) {
	e := NewCartPole()
	balance := func(o []float64) []float64 { return act(b2f(o[2]+0.5*o[3] > 0)) }
	frames, ret := Record(e, balance, 3, 0)
	if len(frames) != 501 || ret != 500 {
		t.Fatalf("balanced episode: %d frames, return %v; want 501 and 500", len(frames), ret)
	}
	anim := Animate(frames, 50)
	counts := checkSVG(t, anim)
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
	if Animate(frames, 50) != anim {
		t.Error("Animate is not deterministic")
	}
	if Animate(frames[:1], 50) != frames[0] {
		t.Error("one frame should come back unchanged")
	}
	// Different content gets different CSS names, so animations can share a page.
	other := Animate(frames[:10], 50)
	if name := func(s string) string { i := strings.Index(s, "@keyframes "); return s[i : i+22] }; name(anim) == name(other) {
		t.Error("two animations share CSS names")
	}
}

func TestAnimateFactorsSharedLines(t *testing.T) {
	frame := func(mid string) string {
		return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<rect id=\"bg\"/>\n" + mid + "\n<circle id=\"top\"/>\n</svg>\n"
	}
	anim := Animate([]string{frame(`<line id="a"/>`), frame(`<line id="b"/>`), frame(`<line id="c"/>`)}, 10)
	checkSVG(t, anim)
	for _, once := range []string{`<rect id="bg"/>`, `<circle id="top"/>`} {
		if strings.Count(anim, once) != 1 {
			t.Errorf("%s appears %d times", once, strings.Count(anim, once))
		}
	}
	if strings.Index(anim, "bg") > strings.Index(anim, `id="a"`) || strings.Index(anim, "top") < strings.Index(anim, `id="c"`) {
		t.Errorf("shared lines out of order:\n%s", anim)
	}
	// Identical frames keep an empty group each, so the timing still holds.
	same := Animate([]string{frame("x"), frame("x")}, 10)
	if strings.Count(same, "<g class=") != 2 {
		t.Errorf("identical frames:\n%s", same)
	}
}

func TestAnimatePanics(t *testing.T) {
	ok := Render(NewCartPole())
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
					t.Errorf("Animate(%d frames, %v): panic %v, want %q", len(tt.frames), tt.fps, r, tt.msg)
				}
			}()
			Animate(tt.frames, tt.fps)
		}()
	}
}

func TestRecord(t *testing.T) {
	e := NewMountainCar()
	frames, ret := Record(e, func([]float64) []float64 { return act(1) }, 2, 0)
	if len(frames) != 201 || ret != -200 {
		t.Errorf("coasting MountainCar: %d frames, return %v; want 201, −200", len(frames), ret)
	}
	frames, ret = Record(e, nil, 2, 7)
	if len(frames) != 8 || ret != -7 {
		t.Errorf("maxSteps 7: %d frames, return %v", len(frames), ret)
	}
	p := NewPendulum()
	if _, ret := Record(p, nil, 4, 0); ret >= 0 || math.IsNaN(ret) {
		t.Errorf("random Pendulum return %v", ret)
	}
}

// TestAnimateFPSBounds: at both ends of the allowed frame rates the CSS
// stays plain decimals (no exponents), the keyframe percentages lie in
// (0, 100) and every frame gets its own delay.
func TestAnimateFPSBounds(t *testing.T) {
	frames := []string{Render(NewCartPole()), Render(NewPendulum()), Render(NewAcrobot())}
	for _, fps := range []float64{MinFPS, MaxFPS} {
		doc := Animate(frames, fps)
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
