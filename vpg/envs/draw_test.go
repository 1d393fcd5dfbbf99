package envs

import (
	"fmt"
	"math"
	"strings"
	"testing"

	svgdoc "github.com/govpg/govpg/vpg/svg" // envs has a func svg
)

// checkSVG fails the test unless doc is one well-formed <svg> element, and
// returns how many elements of each name it has.
func checkSVG(t *testing.T, doc string) map[string]int {
	t.Helper()
	counts, err := svgdoc.Elements(doc)
	if err != nil {
		t.Fatalf("%v\n%s", err, doc)
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
