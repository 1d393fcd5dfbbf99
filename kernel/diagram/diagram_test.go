package diagram

import (
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wellFormed fails the test unless svg parses as XML from start to end.
func wellFormed(t *testing.T, svg string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := d.Token(); err == io.EOF {
			return
		} else if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
	}
}

func TestLoop(t *testing.T) {
	stages := []Stage{{400, 62, "#fff", []string{"① Collect", "a &lt; b, π" + Subscript("θₖ")}}, {645, 235, "#fff", []string{"②"}}, {400, 408, "#fff", []string{"③"}}, {155, 235, "#fff", []string{"④"}}}
	svg, err := Loop(stages, `<svg xmlns="http://www.w3.org/2000/svg"/>`, "the environment")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	if n := strings.Count(svg, `rx="12"`); n != 4 {
		t.Errorf("%d boxes, want 4", n)
	}
	for _, want := range []string{"① Collect", "a &lt; b, π<tspan", "the environment", "next epoch"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the diagram lacks %q", want)
		}
	}
	if _, err := Loop(stages[:3], "", "x"); err == nil || !strings.Contains(err.Error(), "3 stages") {
		t.Errorf("three stages: error %v, want one naming the count", err)
	}
}

func TestProbBars(t *testing.T) {
	svg, err := ProbBars([]float64{-1, 1}, []float64{0.2, 0.8}, "π(a|s)")
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	// Bars are 180 px tall at probability 1: 0.2 → 36 px, 0.8 → 144 px.
	for _, want := range []string{`height="36.0"`, `height="144.0"`, ">0.20<", ">0.80<", "z = -1.00", "a = 1"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the bars lack %q", want)
		}
	}
	if _, err := ProbBars([]float64{1}, []float64{0.5, 0.5}, ""); err == nil {
		t.Error("one logit for two probabilities: no error")
	}
}

// lineOf is the 1-based number of the first line of file at or after line from containing s.
func lineOf(t *testing.T, file string, from int, s string) int {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if i+1 >= from && strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in %s", s, file)
	return 0
}

func TestLocate(t *testing.T) {
	root := Root()
	file := filepath.Join(root, "kernel/nb/nb.go")
	start := lineOf(t, file, 1, "func Mean(")
	got, err := Locate(root, Step{File: "kernel/nb/nb.go", Func: "Mean", Find: `check("Mean"`})
	if err != nil {
		t.Fatal(err)
	}
	if want := lineOf(t, file, start, `check("Mean"`); got.Line != want || !got.Exact || got.Code != `check("Mean", xs, 1)` {
		t.Errorf("Locate = line %d %q exact %v, want line %d, exact", got.Line, got.Code, got.Exact, want)
	}
	got, err = Locate(root, Step{File: "kernel/nb/nb.go", Func: "Mean", Find: "no such text"})
	if err != nil || got.Line != start || got.Exact {
		t.Errorf("Locate of missing text = line %d exact %v (%v), want the function's first line %d", got.Line, got.Exact, err, start)
	}
	if _, err := Locate(root, Step{File: "kernel/nb/nb.go", Func: "NoSuchFunc"}); err == nil || !strings.Contains(err.Error(), "NoSuchFunc") {
		t.Errorf("missing function: error %v, want one naming it", err)
	}
}

func TestSourceMap(t *testing.T) {
	steps := []Step{
		{Text: []string{"average"}, File: "kernel/nb/nb.go", Func: "Mean", Find: `check("Mean"`},
		{Indent: true, Text: []string{"sum <it>"}, File: "kernel/nb/nb.go", Func: "Sum", Find: "not there"},
	}
	svg, exact, err := SourceMap("pseudocode", "code", Root(), steps)
	if err != nil {
		t.Fatal(err)
	}
	wellFormed(t, svg)
	if exact != 1 || !strings.Contains(svg, "kernel/nb/nb.go:") || !strings.Contains(svg, "(function start)") || !strings.Contains(svg, "sum &lt;it&gt;") {
		t.Errorf("exact = %d (want 1), or the drawing lacks a location, the function-start note or the escaped text", exact)
	}
	if _, _, err := SourceMap("", "", Root(), []Step{{File: "nope.go", Func: "X"}}); err == nil || !strings.Contains(err.Error(), "pseudocode line 1") {
		t.Errorf("missing file: error %v, want one naming the line", err)
	}
}

func TestBackwardPass(t *testing.T) {
	rewards, R := []float64{1, 0, 2}, []float64{2.62, 1.8, 2} // γ = 0.9: R₂ = 2, R₁ = 0 + 0.9·2, R₀ = 1 + 0.9·1.8
	frames, err := BackwardPass(rewards, R, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	if len(frames) != len(rewards)+2 {
		t.Fatalf("%d frames, want one before, one per step and one after: %d", len(frames), len(rewards)+2)
	}
	for _, f := range frames {
		wellFormed(t, f)
	}
	// The second frame computes the last step; the last frame states R₀.
	if !strings.Contains(frames[1], "= 2.00 + 0.9 × 0.00 = 2.00") || !strings.Contains(frames[len(frames)-1], "= 2.62 is the whole return") {
		t.Error("the captions do not show the recursion's numbers")
	}
	if _, err := BackwardPass(rewards, R[:2], 0.9); err == nil {
		t.Error("3 rewards and 2 returns: no error")
	}
}
