package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/govpg/govpg/kernel/internal/procs"
)

// SetupHint is the command that installs everything the runner needs.
const SetupHint = "kernel/setup.sh --test"

// Config says which notebooks to run and how.
type Config struct {
	// Dir holds the notebooks and, unless Manifest says otherwise, manifest.json.
	Dir string
	// Names selects notebooks (file names in Dir); empty runs every *.ipynb in Dir.
	Names []string
	// Manifest is the manifest path; empty means Dir/manifest.json.
	Manifest string
	// OutDir receives the executed notebooks (NAME.ipynb), their HTML exports and logs.
	OutDir string
	// HTML also exports each executed notebook to OutDir/NAME.html.
	HTML bool
	// Reuse skips executing a notebook whose executed copy in OutDir is newer than it,
	// and judges that copy.
	Reuse bool
	// Kernel is the Jupyter kernel name; empty means "gonb".
	Kernel string
	// Jupyter is the jupyter command; empty means /usr/bin/jupyter.
	Jupyter string
	// Log receives one line per notebook as it finishes; nil discards them.
	Log io.Writer
}

// Result is the verdict on one notebook.
type Result struct {
	Name   string
	Passed bool
	Wall   time.Duration
	// Cell is the 1-based position of the first failing cell; 0 when the failure is
	// not tied to a cell (missing manifest entry, output counts) or when it passed.
	Cell int
	// Err is a one-line reason for failure.
	Err    string
	Expect Expect
	Outcome
	// Executed is the executed notebook; HTML its export when Config.HTML is set.
	Executed, HTML string
}

// Line formats the result as the one line the runner prints for it.
func (r Result) Line() string {
	counts := fmt.Sprintf("charts %d/%d, animations %d/%d, checks %d/%d",
		r.Charts, r.Expect.Charts, r.Animations, r.Expect.Animations, r.Checks, r.Expect.Checks)
	if r.Passed {
		return fmt.Sprintf("ok    %-28s %7.1fs  %s", r.Name, r.Wall.Seconds(), counts)
	}
	where := ""
	if r.Cell > 0 {
		where = fmt.Sprintf("cell %d: ", r.Cell)
	}
	return fmt.Sprintf("FAIL  %-28s %7.1fs  %s%s", r.Name, r.Wall.Seconds(), where, r.Err)
}

// Run executes the notebooks one after another, each once, with plain `jupyter
// nbconvert --to notebook --execute` in a fresh kernel, and returns one result per
// notebook. The error is for problems that stop every notebook (no
// notebook directory, no Jupyter, no kernel); failing notebooks are results.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	names, err := notebookNames(cfg.Dir, cfg.Names)
	if err != nil {
		return nil, err
	}
	manifest, err := LoadManifest(cfg.Manifest)
	if err != nil {
		return nil, err
	}
	for name := range manifest.Notebooks {
		if _, err := os.Stat(filepath.Join(cfg.Dir, name)); err != nil {
			return nil, fmt.Errorf("%s lists %s, which is not in %s; remove the entry or add the notebook", cfg.Manifest, name, cfg.Dir)
		}
	}
	env, err := prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, name := range names {
		r := runOne(ctx, cfg, manifest, env, name)
		if cfg.Log != nil {
			fmt.Fprintln(cfg.Log, "nbrun: "+r.Line())
		}
		results = append(results, r)
		if ctx.Err() != nil {
			return results, ctx.Err()
		}
	}
	return results, nil
}

// Check reports whether notebooks can run at all: Jupyter, the kernel, go and
// goimports. Its error is one line ending in the fix. Only cfg.Kernel and
// cfg.Jupyter matter here.
func Check(ctx context.Context, cfg Config) error {
	dir, err := os.MkdirTemp("", "nbrun-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cfg.Dir, cfg.OutDir = dir, dir
	if cfg, err = cfg.withDefaults(); err != nil {
		return err
	}
	_, err = prepare(ctx, cfg)
	return err
}

// prepare returns the environment notebooks run with, once the kernel is known to exist.
func prepare(ctx context.Context, cfg Config) ([]string, error) {
	env, err := kernelEnv()
	if err != nil {
		return nil, err
	}
	return env, checkKernel(ctx, cfg, env)
}

func (cfg Config) withDefaults() (Config, error) {
	if cfg.Kernel == "" {
		cfg.Kernel = "gonb"
	}
	if cfg.Jupyter == "" {
		cfg.Jupyter = "/usr/bin/jupyter"
	}
	if cfg.Dir == "" {
		return cfg, errors.New("no notebook directory given")
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return cfg, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return cfg, fmt.Errorf("notebook directory %s does not exist; run from the repository root or pass -dir", cfg.Dir)
	}
	cfg.Dir = dir
	if cfg.Manifest == "" {
		cfg.Manifest = filepath.Join(dir, "manifest.json")
	}
	if cfg.OutDir == "" {
		if cfg.OutDir, err = os.MkdirTemp("", "nbrun-"); err != nil {
			return cfg, err
		}
	} else if err := os.MkdirAll(cfg.OutDir, 0o755); err != nil {
		return cfg, err
	}
	cfg.OutDir, err = filepath.Abs(cfg.OutDir)
	return cfg, err
}

func notebookNames(dir string, selected []string) ([]string, error) {
	if len(selected) > 0 {
		var names []string
		for _, s := range selected {
			name := filepath.Base(s)
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("notebook %s not found in %s", name, dir)
			}
			names = append(names, name)
		}
		return names, nil
	}
	matches, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	if err != nil {
		return nil, err
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("no .ipynb files in %s", dir)
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = filepath.Base(m)
	}
	sort.Strings(names)
	return names, nil
}

// kernelEnv is the environment notebooks run with, as a user's shell would have it:
// Go's install dir on PATH so GoNB finds goimports, and no GOVPG_* variable (the
// notebooks' first cell finds the repository without one).
func kernelEnv() ([]string, error) {
	gobin, err := goBin()
	if err != nil {
		return nil, err
	}
	path := gobin + string(os.PathListSeparator) + os.Getenv("PATH")
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GOVPG_") && !strings.HasPrefix(kv, "PATH=") && !strings.HasPrefix(kv, "TMPDIR=") {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+path)
	for _, tool := range []string{"go", "goimports"} {
		if _, err := lookPathIn(tool, path); err != nil {
			return nil, fmt.Errorf("%s is not installed (looked on PATH and in %s); run %s", tool, gobin, SetupHint)
		}
	}
	return env, nil
}

func goBin() (string, error) {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return "", fmt.Errorf("cannot run `go env`: %v; install Go 1.26 or newer", err)
	}
	gobin, gopath, _ := strings.Cut(string(out), "\n")
	if gobin = strings.TrimSpace(gobin); gobin != "" {
		return gobin, nil
	}
	first := filepath.SplitList(strings.TrimSpace(gopath))[0]
	return filepath.Join(first, "bin"), nil
}

func lookPathIn(name, path string) (string, error) {
	for _, dir := range filepath.SplitList(path) {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found", name)
}

// checkKernel fails with the fix when Jupyter or the kernel is missing.
func checkKernel(ctx context.Context, cfg Config, env []string) error {
	if _, err := os.Stat(cfg.Jupyter); err != nil {
		return fmt.Errorf("%s not found; run %s", cfg.Jupyter, SetupHint)
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.Jupyter, "kernelspec", "list", "--json")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("`jupyter kernelspec list` failed (%v); run %s", firstLine(exitText(err)), SetupHint)
	}
	var specs struct {
		Kernelspecs map[string]struct {
			Spec struct {
				Argv []string `json:"argv"`
			} `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(out, &specs); err != nil {
		return fmt.Errorf("unexpected `jupyter kernelspec list --json` output: %v", err)
	}
	spec, ok := specs.Kernelspecs[cfg.Kernel]
	if !ok {
		return fmt.Errorf("no Jupyter kernel named '%s' is installed; run %s", cfg.Kernel, SetupHint)
	}
	if argv := spec.Spec.Argv; len(argv) > 0 {
		if _, err := os.Stat(argv[0]); err != nil {
			return fmt.Errorf("the %s kernel points at %s, which does not exist; run %s", cfg.Kernel, argv[0], SetupHint)
		}
	}
	return nil
}

func exitText(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		lines := strings.Split(strings.TrimSpace(string(ee.Stderr)), "\n")
		return lines[len(lines)-1]
	}
	return err.Error()
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// grace is the time nbconvert gets beyond the notebook's budget to start and stop the
// kernel before it is killed, and leftovers is how long the kernel and gopls get to
// end after nbconvert has.
const (
	grace     = 90 * time.Second
	leftovers = 10 * time.Second
)

func runOne(ctx context.Context, cfg Config, m *Manifest, env []string, name string) Result {
	r := Result{Name: name}
	expect, err := m.Lookup(name)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	r.Expect = expect
	base := strings.TrimSuffix(name, ".ipynb")
	tmp := filepath.Join(cfg.OutDir, base+".tmp")
	if err := os.RemoveAll(tmp); err != nil {
		r.Err = err.Error()
		return r
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		r.Err = err.Error()
		return r
	}
	defer os.RemoveAll(tmp)
	r.Executed = filepath.Join(cfg.OutDir, name)
	logPath := filepath.Join(cfg.OutDir, base+".log")
	var runErr error
	var left []string
	if !(cfg.Reuse && newer(r.Executed, filepath.Join(cfg.Dir, name))) {
		_ = os.Remove(r.Executed)
		limit := time.Duration(expect.Timeout)
		start := time.Now()
		// Every process of this run (nbconvert, the kernel, gopls, cell programs) inherits TMPDIR=tmp.
		runErr = execute(ctx, cfg, append(env, "TMPDIR="+tmp), name, logPath, limit)
		r.Wall = time.Since(start)
		left = procs.Reap(tmp, leftovers)
	}
	b, err := os.ReadFile(r.Executed)
	if err != nil {
		r.Err = fmt.Sprintf("no executed notebook written (%v); see %s", orErr(runErr, err), logPath)
		return r
	}
	if r.Outcome, err = Analyze(b); err != nil {
		r.Err = err.Error()
		return r
	}
	r.Cell, r.Err = r.Outcome.Cell, r.Outcome.Err
	if runErr != nil && r.Err == "" {
		r.Err = runErr.Error()
	}
	if cfg.HTML {
		html, err := exportHTML(ctx, cfg, env, r.Executed)
		if err != nil && r.Err == "" {
			r.Err = err.Error()
		}
		r.HTML = html
	}
	if r.Err == "" {
		r.Err = countMismatch(r.Outcome, expect)
	}
	if len(left) > 0 && r.Err == "" {
		r.Err = procs.Describe(left)
	}
	r.Passed = r.Err == ""
	return r
}

// newer reports whether file a exists and was written after b.
func newer(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	return err == nil && sa.ModTime().After(sb.ModTime())
}

func orErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// execute runs plain nbconvert on the notebook, as a user would, with a cell limit of
// the notebook's whole budget and the whole run killed at budget + grace.
// --allow-errors keeps the executed notebook when a cell fails to compile, for Analyze.
func execute(ctx context.Context, cfg Config, env []string, name, logPath string, limit time.Duration) error {
	logFile, err := os.Create(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	ctx, cancel := context.WithTimeout(ctx, limit+grace)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.Jupyter, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		"--ExecutePreprocessor.kernel_name="+cfg.Kernel, fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(limit.Seconds())),
		"--ExecutePreprocessor.startup_timeout=120", "--output-dir", cfg.OutDir, "--output", name, filepath.Join(cfg.Dir, name))
	cmd.Env = env
	cmd.Dir = cfg.Dir
	var tail bytes.Buffer
	cmd.Stdout, cmd.Stderr = logFile, io.MultiWriter(logFile, &tail)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	err = cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("killed after %s without finishing: the notebook's limit is %s (notebooks/manifest.json); see %s", limit+grace, limit, logPath)
	case err != nil && strings.Contains(tail.String(), "TimeoutError"):
		return fmt.Errorf("timed out: a cell ran past the notebook's limit of %s (notebooks/manifest.json); see %s", limit, logPath)
	case err != nil && strings.Contains(tail.String(), "NoSuchKernel"):
		return fmt.Errorf("no Jupyter kernel named '%s' is installed; run %s", cfg.Kernel, SetupHint)
	case err != nil:
		return fmt.Errorf("nbconvert failed (%v): %s; see %s", err, lastLine(tail.String()), logPath)
	}
	return nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func countMismatch(o Outcome, e Expect) string {
	var diffs []string
	for _, c := range []struct {
		what      string
		got, want int
	}{{"charts", o.Charts, e.Charts}, {"animations", o.Animations, e.Animations}, {"checks", o.Checks, e.Checks}} {
		if c.got != c.want {
			diffs = append(diffs, fmt.Sprintf("%d %s, manifest expects %d", c.got, c.what, c.want))
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return strings.Join(diffs, "; ") + " (a display got lost, or notebooks/manifest.json needs updating)"
}

// exportHTML converts an executed notebook to HTML next to it, without executing it
// again, and returns the path.
func exportHTML(ctx context.Context, cfg Config, env []string, executed string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.Jupyter, "nbconvert", "--to", "html", "--log-level=ERROR", executed)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("HTML export failed: %v: %s", err, firstLine(string(out)))
	}
	return strings.TrimSuffix(executed, ".ipynb") + ".html", nil
}
