package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Where the site's shared scripts come from: ECharts from kernel/setup.sh's npm
// install, MathJax 2 from Debian's libjs-mathjax (a dependency of jupyter-notebook).
const (
	siteECharts = "kernel/js/node_modules/echarts/dist/echarts.min.js"
	siteMathJax = "/usr/share/javascript/mathjax"
)

// mathJaxFiles is the part of MathJax 2 that TeX input with SVG output loads: SVG
// draws glyphs as paths, so the pages need no web fonts (which file:// pages may not load).
var mathJaxFiles = []string{"MathJax.js", "config/TeX-AMS_SVG-full.js", "extensions", "jax/input/TeX", "jax/element",
	"jax/output/SVG/config.js", "jax/output/SVG/jax.js", "jax/output/SVG/autoload", "jax/output/SVG/fonts/TeX"}

// Page is one notebook of the site.
type Page struct {
	// Name is the notebook's file name; Title its first heading; Summary the one line
	// its metadata's "summary" gives.
	Name, Title, Summary string
}

// BuildSite writes a static site of the executed notebooks into dir: one page per
// notebook with its outputs, previous/next links and an index of the notebooks with
// their summaries. One shared copy of ECharts and of MathJax serves every page, GoNB's
// comms script is left out, and nothing is loaded from the network, so the folder
// opens from file:// and serves as it is (e.g. from GitHub Pages). executed lists the
// executed notebooks in reading order.
func BuildSite(ctx context.Context, cfg Config, root string, executed []string, dir string) ([]Page, error) {
	if cfg.Jupyter == "" {
		cfg.Jupyter = "/usr/bin/jupyter"
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(dir, "mathjax"), 0o755); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(root, siteECharts), filepath.Join(dir, "echarts.min.js")); err != nil {
		return nil, fmt.Errorf("ECharts: %v; run %s", err, SetupHint)
	}
	for _, f := range mathJaxFiles {
		if err := copyTree(filepath.Join(siteMathJax, f), filepath.Join(dir, "mathjax", f)); err != nil {
			return nil, fmt.Errorf("MathJax: %v; on Debian: apt-get install -y libjs-mathjax", err)
		}
	}
	tmp, err := os.MkdirTemp("", "site-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	pages := make([]Page, len(executed))
	bodies := make([]string, len(executed))
	for i, nb := range executed {
		if pages[i], bodies[i], err = sitePage(ctx, cfg, nb, tmp); err != nil {
			return nil, fmt.Errorf("%s: %v", filepath.Base(nb), err)
		}
	}
	for i, p := range pages {
		var prev, next *Page
		if i > 0 {
			prev = &pages[i-1]
		}
		if i+1 < len(pages) {
			next = &pages[i+1]
		}
		nav := navHTML(prev, next)
		page := pageHTML(p.Title, nav+`<main class="notebook">`+bodies[i]+`</main>`+nav)
		if err := os.WriteFile(filepath.Join(dir, htmlName(p.Name)), []byte(page), 0o644); err != nil {
			return nil, err
		}
	}
	var index strings.Builder
	index.WriteString(`<main class="index"><h1>govpg: Vanilla Policy Gradient in Go notebooks</h1>
<p>The notebooks, executed, in reading order. Charts, sliders and animations work in this page with no kernel; to change the code, run the notebooks (see the repository's README).</p><ol>`)
	for _, p := range pages {
		fmt.Fprintf(&index, `<li><a href="%s">%s</a><br><span class="summary">%s</span></li>`, htmlName(p.Name), html.EscapeString(p.Title), html.EscapeString(p.Summary))
	}
	index.WriteString(`</ol></main>`)
	return pages, os.WriteFile(filepath.Join(dir, "index.html"), []byte(pageHTML("govpg notebooks", index.String())), 0o644)
}

func htmlName(nb string) string { return strings.TrimSuffix(filepath.Base(nb), ".ipynb") + ".html" }

var (
	headingRe = regexp.MustCompile(`(?m)^#\s+(.+)$`)
	// The ECharts library each kernel session inlines once: the site loads one shared copy.
	libraryRe = regexp.MustCompile(`(?s)<div data-govpg="echarts-library"[^>]*></div>\s*<script>.*?</script>`)
)

// sitePage returns a notebook's page body, rendered by nbconvert's basic template
// (cells only, no scripts of its own) from a copy of the notebook without GoNB's comms
// scripts and without the inlined ECharts library.
func sitePage(ctx context.Context, cfg Config, path, tmp string) (Page, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Page{}, "", err
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		return Page{}, "", fmt.Errorf("not a notebook: %v", err)
	}
	p := Page{Name: filepath.Base(path)}
	if meta, _ := nb["metadata"].(map[string]any); meta != nil {
		p.Summary, _ = meta["summary"].(string)
	}
	if p.Summary == "" {
		return Page{}, "", fmt.Errorf("no one-line \"summary\" in the notebook's metadata (the site's index shows it)")
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range cells {
		cell, _ := c.(map[string]any)
		if p.Title == "" && cell["cell_type"] == "markdown" {
			if m := headingRe.FindStringSubmatch(joinText(cell["source"])); m != nil {
				p.Title = strings.TrimSpace(m[1])
			}
		}
		outs, _ := cell["outputs"].([]any)
		kept := []any{}
		for _, o := range outs {
			out, _ := o.(map[string]any)
			data, _ := out["data"].(map[string]any)
			h := joinText(data["text/html"])
			if strings.Contains(h, "gonb_comm") || data["application/javascript"] != nil {
				continue // GoNB's WebSocket to the kernel, and scripts that talk to it
			}
			if libraryRe.MatchString(h) {
				if h = strings.TrimSpace(libraryRe.ReplaceAllString(h, "")); h == "" {
					continue
				}
				data["text/html"] = h
			}
			kept = append(kept, o)
		}
		if cell["cell_type"] == "code" {
			cell["outputs"] = kept
		}
	}
	if p.Title == "" {
		p.Title = strings.TrimSuffix(p.Name, ".ipynb")
	}
	clean := filepath.Join(tmp, p.Name)
	if b, err = json.Marshal(nb); err != nil {
		return Page{}, "", err
	}
	if err := os.WriteFile(clean, b, 0o644); err != nil {
		return Page{}, "", err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, cfg.Jupyter, "nbconvert", "--to", "html", "--template", "basic", "--stdout", "--log-level=ERROR", clean).Output()
	if err != nil {
		return Page{}, "", fmt.Errorf("nbconvert --template basic: %v: %s", err, firstLine(exitText(err)))
	}
	return p, string(out), nil
}

func joinText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		var b strings.Builder
		for _, s := range t {
			str, _ := s.(string)
			b.WriteString(str)
		}
		return b.String()
	}
	return ""
}

func navHTML(prev, next *Page) string {
	link := func(p *Page, rel, format string) string {
		if p == nil {
			return "<span></span>"
		}
		return fmt.Sprintf(`<a rel="%s" href="%s">`+format+`</a>`, rel, htmlName(p.Name), html.EscapeString(p.Title))
	}
	return `<nav>` + link(prev, "prev", "← %s") + `<a href="index.html">all notebooks</a>` + link(next, "next", "%s →") + `</nav>`
}

// pageHTML is a whole page: the shared scripts, MathJax set to read $…$ as the notebooks
// write it, and a little CSS for nbconvert's basic markup (prompts hidden, code boxed).
func pageHTML(title, body string) string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + html.EscapeString(title) + `</title>
<script src="echarts.min.js"></script>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({tex2jax: {inlineMath: [["$", "$"], ["\\(", "\\)"]], processEscapes: true}, SVG: {font: "TeX"}, messageStyle: "none"});
</script>
<script src="mathjax/MathJax.js?config=TeX-AMS_SVG-full"></script>
<style>
body { font-family: sans-serif; line-height: 1.5; margin: 0 auto; max-width: 1000px; padding: 0 16px; color: #222; }
nav { display: flex; justify-content: space-between; gap: 16px; margin: 16px 0; padding: 8px 0; border-bottom: 1px solid #ddd; }
nav + main { margin-top: 0; } main + nav { border-top: 1px solid #ddd; border-bottom: none; }
.prompt, .anchor-link { display: none; }
.cell { margin: 12px 0; }
.input_area pre, .highlight pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 8px; overflow-x: auto; font-size: 13px; line-height: 1.35; }
.output_area pre { font-size: 13px; margin: 4px 0; white-space: pre-wrap; }
.output_stderr pre { background: #fdd; }
.output_area { overflow-x: auto; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; }
.index li { margin: 8px 0; } .summary { color: #555; }
</style>
</head><body>
` + body + `
</body></html>
`
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// copyTree copies a file, or a directory with everything under it.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}
