package runner

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govpg/govpg/kernel/internal/procs"
	"github.com/govpg/govpg/kernel/internal/testenv"
)

// nb builds an executed notebook's JSON from cells of raw outputs.
func nb(t *testing.T, cells ...[]map[string]any) []byte {
	t.Helper()
	var cs []map[string]any
	for _, outs := range cells {
		if outs == nil {
			cs = append(cs, map[string]any{"cell_type": "markdown", "source": "text"})
			continue
		}
		cs = append(cs, map[string]any{"cell_type": "code", "source": []string{"x\n", "y"}, "outputs": outs})
	}
	b, err := json.Marshal(map[string]any{"cells": cs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func stream(name string, text any) map[string]any {
	return map[string]any{"output_type": "stream", "name": name, "text": text}
}

func htmlOut(h string) map[string]any {
	return map[string]any{"output_type": "display_data", "data": map[string]any{"text/html": h}}
}

func TestAnalyzeCountsMarkersAndChecks(t *testing.T) {
	o, err := Analyze(nb(t,
		nil,
		[]map[string]any{
			stream("stdout", []string{"✓ first\n", "not a check\n", "  ✓ indented\n"}),
			htmlOut(`<div data-govpg="chart">a</div>`),
			htmlOut(`<div data-govpg="animation"><svg/></div>`),
		},
		[]map[string]any{htmlOut(`<div data-govpg="chart">b</div>`), stream("stderr", "a warning\n")},
	))
	if err != nil {
		t.Fatal(err)
	}
	if o.Cell != 0 || o.Charts != 2 || o.Animations != 1 || o.Checks != 2 || o.Cells != 3 {
		t.Fatalf("outcome %+v, want no failure, 2 charts, 1 animation, 2 checks, 3 cells", o)
	}
}

func TestAnalyzeFindsPanicSplitAcrossStreams(t *testing.T) {
	o, err := Analyze(nb(t,
		[]map[string]any{stream("stdout", "fine\n")},
		nil,
		[]map[string]any{
			stream("stderr", "panic: runtime error: index out of range [3] with length 0\n\ngoroutine 1 [running]:\nmain.main()\n"),
			stream("stderr", "\t \x1b[7m[[ Cell [4] Line 2 ]]\x1b[0m /tmp/gonb_x/main.go:9 +0x1d\nexit status 2\n"),
		},
		[]map[string]any{stream("stderr", "exit status 1\n")},
	))
	if err != nil {
		t.Fatal(err)
	}
	want := "panic: runtime error: index out of range [3] with length 0 (line 2 of the cell)"
	if o.Cell != 3 || o.Err != want {
		t.Fatalf("cell %d err %q; want cell 3 err %q", o.Cell, o.Err, want)
	}
}

func TestAnalyzeFailedCheckAndPlainExit(t *testing.T) {
	o, _ := Analyze(nb(t, []map[string]any{stream("stderr", "✗ gradient off by 0.5\nexit status 1\n")}))
	if o.Cell != 1 || o.Err != "✗ gradient off by 0.5" {
		t.Errorf("failed check: %+v", o)
	}
	o, _ = Analyze(nb(t, []map[string]any{stream("stderr", "ls: cannot access 'nope'\nexit status 2\n")}))
	if o.Cell != 1 || o.Err != "ls: cannot access 'nope' (exit status 2)" {
		t.Errorf("failing shell command: %+v", o)
	}
	o, _ = Analyze(nb(t, []map[string]any{stream("stderr", "warning\n✗ reward scale off\n")}))
	if o.Cell != 1 || o.Err != "✗ reward scale off" {
		t.Errorf("a ✗ line without an exit status: %+v", o)
	}
	o, _ = Analyze(nb(t, []map[string]any{stream("stderr", "exit status 0 is not a failure\n")}))
	if o.Cell != 0 {
		t.Errorf("stderr without a nonzero exit status counted as failure: %+v", o)
	}
}

func TestAnalyzeCompileErrorFromGoNBsHTML(t *testing.T) {
	gonbHTML := `<style>.gonb-err-location {}</style>
<div><span style="white-space: pre;"> # gonb_1234</span><br/>
<span class="gonb-cell-line-info">Cell[7]: Line 3</span>
<span class="gonb-err-location">./main.go:12:5: </span> undefined: foo &amp; bar
<div class="gonb-err-context">context lines</div><br/></div>`
	o, err := Analyze(nb(t, nil, []map[string]any{
		htmlOut(gonbHTML),
		{"output_type": "error", "ename": "ERROR", "evalue": "failed to run \"go build\": exit status 1", "traceback": []string{}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if o.Cell != 2 || o.Err != "undefined: foo & bar (line 3)" {
		t.Fatalf("cell %d err %q", o.Cell, o.Err)
	}
	// Without GoNB's HTML, the error output's own text is the message.
	o, _ = Analyze(nb(t, []map[string]any{{"output_type": "error", "ename": "ERROR", "evalue": "boom\x1b[0m"}}))
	if o.Cell != 1 || o.Err != "ERROR: boom" {
		t.Fatalf("fallback: cell %d err %q", o.Cell, o.Err)
	}
}

func TestAnalyzeRejectsNonNotebook(t *testing.T) {
	if _, err := Analyze([]byte("not json")); err == nil {
		t.Fatal("want an error for non-JSON input")
	}
}

func TestManifest(t *testing.T) {
	m, err := ParseManifest([]byte(`{"timeout": "2m", "notebooks": {
		"a.ipynb": {"charts": 2, "animations": 1, "checks": 3},
		"b.ipynb": {"timeout": "30s", "charts": 0, "animations": 0, "checks": 0}}}`))
	if err != nil {
		t.Fatal(err)
	}
	a, err := m.Lookup("a.ipynb")
	if err != nil || a.Charts != 2 || a.Animations != 1 || a.Checks != 3 || a.Timeout.String() != "2m0s" {
		t.Fatalf("a: %+v %v", a, err)
	}
	if b, _ := m.Lookup("b.ipynb"); b.Timeout.String() != "30s" {
		t.Fatalf("b timeout %v", b.Timeout)
	}
	if _, err := m.Lookup("c.ipynb"); err == nil || !strings.Contains(err.Error(), `add "c.ipynb": {"charts": N`) {
		t.Fatalf("missing entry: %v", err)
	}
	for _, bad := range []struct{ json, want string }{
		{`{"notebooks": {"a.ipynb": {"chart": 1}}}`, `unknown field "chart"`},
		{`{"notebooks": {"sub/a.ipynb": {}}}`, "without directories"},
		{`{"notebooks": {"a.ipynb": {"charts": -1}}}`, "counts must be >= 0"},
		{`{"timeout": "soon", "notebooks": {}}`, `"soon" is not a positive Go duration`},
	} {
		if _, err := ParseManifest([]byte(bad.json)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s: error %v, want %q", bad.json, err, bad.want)
		}
	}
}

func TestRunRejectsMissingDirAndUnknownKernel(t *testing.T) {
	_, err := Run(context.Background(), Config{Dir: filepath.Join(t.TempDir(), "nope")})
	if err == nil || !strings.Contains(err.Error(), "does not exist; run from the repository root or pass -dir") {
		t.Errorf("missing dir: %v", err)
	}
	testenv.Kernel(t, check)
	err = Check(context.Background(), Config{Kernel: "no-such-kernel"})
	if err == nil || err.Error() != "no Jupyter kernel named 'no-such-kernel' is installed; run "+SetupHint {
		t.Errorf("unknown kernel: %v", err)
	}
}

// TestRunFixtures executes the notebooks in testdata in real kernels with plain
// nbconvert: one passes, one does not compile, one panics; the failing ones are
// reported at their failing cell, and nothing the runs started outlives them.
func TestRunFixtures(t *testing.T) {
	testenv.Kernel(t, check)
	out := t.TempDir()
	results, err := Run(context.Background(), Config{Dir: "testdata", OutDir: out})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Result{}
	for _, r := range results {
		byName[r.Name] = r
		t.Log(r.Line())
	}
	if r := byName["ok.ipynb"]; !r.Passed || r.Charts != 1 || r.Checks != 1 {
		t.Errorf("ok.ipynb: %s", r.Line())
	}
	for name, want := range map[string]struct {
		cell int
		err  string
	}{
		"compile_error.ipynb": {3, "undefined: undefinedThing (line 2)"},
		// GoNB maps the stack trace to the cell's line ("(line 4 of the cell)") only when
		// the trace reaches it in one piece, so the message is checked up to there.
		"panic.ipynb": {3, "panic: runtime error: index out of range [3] with length 0"},
	} {
		r := byName[name]
		if r.Passed || r.Cell != want.cell || !strings.HasPrefix(r.Err, want.err) {
			t.Errorf("%s: got %q, want FAIL at cell %d with %q", name, r.Line(), want.cell, want.err)
		}
	}
	if left := procs.Under(out); len(left) > 0 {
		t.Errorf("the runs left processes behind: %v", left)
	}
}

// TestRunFailsNotebookMissingFromManifest copies a passing notebook next to a manifest
// that does not list it.
func TestRunFailsNotebookMissingFromManifest(t *testing.T) {
	testenv.Kernel(t, check)
	dir := t.TempDir()
	b, err := os.ReadFile("testdata/ok.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "extra.ipynb"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), []byte(`{"notebooks": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	results, err := Run(context.Background(), Config{Dir: dir, OutDir: filepath.Join(dir, "out")})
	if err != nil {
		t.Fatal(err)
	}
	if r := results[0]; r.Passed || !strings.Contains(r.Err, "extra.ipynb is not in the manifest") {
		t.Fatalf("got %s", r.Line())
	}
}

func check() error { return Check(context.Background(), Config{}) }
