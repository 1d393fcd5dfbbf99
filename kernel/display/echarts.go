package display

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/render"
	"github.com/govpg/govpg/kernel/internal/cellfail"
)

// EChartsEnv, when set, is the path of the echarts.min.js to inline instead of the one
// kernel/setup.sh installs.
const EChartsEnv = "GOVPG_ECHARTS_JS"

// echartsPath is where kernel/setup.sh puts the bundle, relative to the repository root.
const echartsPath = "kernel/js/node_modules/echarts/dist/echarts.min.js"

// Snippeter is any go-echarts chart (they all render themselves as snippets).
type Snippeter interface {
	RenderSnippet() render.ChartSnippet
}

// Chart displays any go-echarts chart inline, offline.
func Chart(c Snippeter) {
	h, err := chartHTML(c.RenderSnippet())
	if err != nil {
		cellfail.Fail("display.Chart: %v", err)
		return
	}
	if err := ensureECharts(); err != nil {
		cellfail.Fail("%v", err)
		return
	}
	show(h)
}

var (
	itemRe   = regexp.MustCompile(`<div class="item" id="([^"]+)" style="([^"]*)"></div>`)
	scriptRe = regexp.MustCompile(`(?s)^\s*<script type="text/javascript">(.*)</script>\s*$`)
)

// chartHTML turns a go-echarts snippet into the marked output (chartBlock), without
// go-echarts' "container"/"item" classes, which clash with the notebook's CSS.
func chartHTML(s render.ChartSnippet) (string, error) {
	p, err := chartPart(s)
	return p.html, err
}

// chartPart is chartHTML's markup with the chart's id and option.
func chartPart(s render.ChartSnippet) (part, error) {
	item := itemRe.FindStringSubmatch(s.Element)
	script := scriptRe.FindStringSubmatch(s.Script)
	if item == nil || script == nil {
		return part{}, errors.New("unexpected go-echarts snippet layout (expected go-echarts v2.6.x)")
	}
	// ECharts stacks a value only on values of its own sign by default, so a band (its
	// height stacked on its lower edge) would start at 0 below negative data.
	all := func(js string) string { return strings.ReplaceAll(js, `"stack":"`, `"stackStrategy":"all","stack":"`) }
	return part{html: chartBlock(item[1], item[2], all(script[1])), id: item[1], style: item[2],
		option: all(strings.TrimSuffix(strings.TrimSpace(s.Option), ";"))}, nil
}

// chartBlock is the marked output of one chart: its div and the script that draws it,
// wrapped in a function so its top-level `let`s do not collide with other charts, and
// telling the reader what to do when ECharts is not in the page.
func chartBlock(id, style, body string) string {
	const missing = "ECharts is not loaded in this page: restart the kernel and run the notebook from the top (the first chart of a kernel session carries the library)."
	return fmt.Sprintf(`<div %s>
<div id="%s" style="%s"></div>
<script>
(function () {
if (typeof window.echarts === "undefined") {
	document.getElementById(%q).textContent = %q;
	return;
}
%s
})();
</script>
</div>`, ChartMarker, id, style, id, missing, body)
}

// rawChart draws an ECharts option given as Go maps, for layouts go-echarts cannot
// express (several grids in one chart).
func rawChart(w, h int, option map[string]any) (string, error) {
	js, err := json.Marshal(option)
	if err != nil {
		return "", fmt.Errorf("display: encoding chart option: %v", err)
	}
	return drawChart(newID(), fmt.Sprintf("width:%dpx;height:%dpx;", w, h), string(js)), nil
}

// drawChart is the marked output of a chart with this id, div style and option (JSON).
func drawChart(id, style, option string) string {
	body := fmt.Sprintf(`echarts.init(document.getElementById(%q), "white", {renderer: "canvas"}).setOption(%s);`, id, option)
	return chartBlock(id, style, body)
}

// libraryHTML inlines the ECharts bundle. The classic notebook and nbconvert's HTML
// pages load require.js, and a UMD bundle that sees its `define` registers itself as
// an AMD module instead of setting window.echarts, leaving every chart blank; so
// `define` is hidden while the bundle runs.
func libraryHTML(js string) string {
	// A literal "</script" inside the code would end the script element early.
	js = strings.ReplaceAll(js, "</script", `<\/script`)
	return `<div data-govpg="echarts-library" style="display:none"></div>
<script>
(function () {
var amd = window.define;
window.define = undefined;
try {
` + js + `
} finally {
	window.define = amd;
}
})();
</script>`
}

// ensureECharts inlines the ECharts bundle into the cell's output once per kernel
// session. GoNB re-runs a fresh program for every cell, so the "already shown" state
// is a file in the kernel's temporary directory, which lives as long as the kernel.
func ensureECharts() error {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return nil // not in a notebook: nothing is displayed anyway
	}
	marker := filepath.Join(dir, "govpg-echarts-inlined")
	if _, err := os.Stat(marker); err == nil {
		return nil
	}
	path, err := findECharts()
	if err != nil {
		return err
	}
	js, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("display: reading ECharts: %v; run kernel/setup.sh", err)
	}
	show(libraryHTML(string(js)))
	return os.WriteFile(marker, nil, 0o644)
}

// findECharts looks for the bundle: $GOVPG_ECHARTS_JS, else under Root.
func findECharts() (string, error) {
	if p := os.Getenv(EChartsEnv); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("display: %s=%s does not exist; unset it or point it at echarts.min.js", EChartsEnv, p)
		}
		return p, nil
	}
	p := filepath.Join(Root(), echartsPath)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("display: ECharts is not installed (no %s); run kernel/setup.sh", p)
	}
	return p, nil
}

// newID returns a fresh element id, unique across all cells of a page; go-echarts
// also uses it in JavaScript variable names, so it must be a valid identifier.
func newID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "govpg_" + hex.EncodeToString(b[:])
}
