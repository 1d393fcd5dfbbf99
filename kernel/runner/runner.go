package runner

import (
	"context"
	_ "embed"
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

	"github.com/govpg/govpg/kernel/internal/markers"
)

//go:embed execute.py
var executePy []byte

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
	// Kernel is the Jupyter kernel name; empty means "gonb".
	Kernel string
	// Python is the interpreter with nbclient; empty means /usr/bin/python3.
	Python string
	// Jupyter is the jupyter command, used for HTML export; empty means /usr/bin/jupyter.
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

// Run executes the notebooks one after another, each in a fresh kernel, and returns
// one result per notebook. The error is for problems that stop every notebook (no
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
	env, driver, err := prepare(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var results []Result
	for _, name := range names {
		r := runOne(ctx, cfg, manifest, driver, env, name)
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

// Check reports whether notebooks can run at all: Jupyter's nbclient on cfg.Python,
// the kernel, go and goimports. Its error is one line ending in the fix. Only
// cfg.Kernel and cfg.Python matter here.
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
	_, _, err = prepare(ctx, cfg)
	return err
}

// prepare writes the Python driver into cfg.OutDir and checks what it needs.
func prepare(ctx context.Context, cfg Config) (env []string, driver string, err error) {
	if env, err = kernelEnv(cfg); err != nil {
		return nil, "", err
	}
	driver = filepath.Join(cfg.OutDir, "execute.py")
	if err := os.WriteFile(driver, executePy, 0o644); err != nil {
		return nil, "", err
	}
	if err := checkKernel(ctx, cfg, driver, env); err != nil {
		return nil, "", err
	}
	return env, driver, nil
}

func (cfg Config) withDefaults() (Config, error) {
	if cfg.Kernel == "" {
		cfg.Kernel = "gonb"
	}
	if cfg.Python == "" {
		cfg.Python = "/usr/bin/python3"
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

// kernelEnv is the environment the driver (and through it the kernel and every cell
// program) runs with: Go's install dir on PATH so GoNB finds goimports, and the
// repository root (markers.RootEnv) for the first cell's go.work. Nothing tells cells
// they run headless: kernel/display's Live finds out, as under plain nbconvert.
func kernelEnv(cfg Config) ([]string, error) {
	gobin, err := goBin()
	if err != nil {
		return nil, err
	}
	path := gobin + string(os.PathListSeparator) + os.Getenv("PATH")
	env := append(os.Environ(), "PATH="+path)
	if root := repoRoot(cfg.Dir); root != "" {
		env = append(env, markers.RootEnv+"="+root)
	}
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

// repoRoot walks up from dir to the directory holding go.mod, or returns "".
func repoRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// checkKernel fails with the fix when nbclient or the kernel is missing.
func checkKernel(ctx context.Context, cfg Config, driver string, env []string) error {
	if _, err := os.Stat(cfg.Python); err != nil {
		return fmt.Errorf("%s not found (Jupyter runs on Debian's python3); run %s", cfg.Python, SetupHint)
	}
	cmd := exec.CommandContext(ctx, cfg.Python, driver, "--check", cfg.Kernel)
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("Jupyter's nbclient is not usable from %s (%v); run %s", cfg.Python, firstLine(exitText(err)), SetupHint)
	}
	var spec struct {
		Argv  []string `json:"argv"`
		Error string   `json:"error"`
	}
	if err := json.Unmarshal(out, &spec); err != nil {
		return fmt.Errorf("unexpected kernel check output %q", out)
	}
	if spec.Error != "" {
		return fmt.Errorf("%s; run %s", spec.Error, SetupHint)
	}
	if len(spec.Argv) > 0 {
		if _, err := os.Stat(spec.Argv[0]); err != nil {
			return fmt.Errorf("the %s kernel points at %s, which does not exist; run %s", cfg.Kernel, spec.Argv[0], SetupHint)
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

// driverGrace is the time the driver gets beyond the notebook's budget to start and
// stop the kernel before it is killed.
const driverGrace = 90 * time.Second

func runOne(ctx context.Context, cfg Config, m *Manifest, driver string, env []string, name string) Result {
	r := Result{Name: name}
	expect, err := m.Lookup(name)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	r.Expect = expect
	base := strings.TrimSuffix(name, ".ipynb")
	work := filepath.Join(cfg.OutDir, base+".work")
	tmp := filepath.Join(work, "tmp")
	if err := os.RemoveAll(work); err != nil {
		r.Err = err.Error()
		return r
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		r.Err = err.Error()
		return r
	}
	defer os.RemoveAll(tmp)
	r.Executed = filepath.Join(cfg.OutDir, name)
	statusPath := filepath.Join(work, "status.json")
	logPath := filepath.Join(work, "kernel.log")
	_ = os.Remove(r.Executed)

	limit := time.Duration(expect.Timeout)
	start := time.Now()
	status, err := execute(ctx, cfg, driver, append(env, "TMPDIR="+tmp), name, r.Executed, statusPath, logPath, limit)
	r.Wall = time.Since(start)
	if err != nil {
		r.Err = err.Error()
		return r
	}
	b, err := os.ReadFile(r.Executed)
	if err != nil {
		r.Err = fmt.Sprintf("no executed notebook written (%v); see %s", err, logPath)
		return r
	}
	if r.Outcome, err = Analyze(b); err != nil {
		r.Err = err.Error()
		return r
	}
	r.Cell, r.Err = r.Outcome.Cell, r.Outcome.Err
	switch status.Status {
	case "timeout":
		r.Cell = status.Cell + 1
		r.Err = fmt.Sprintf("timed out: the notebook's limit is %s (notebooks/manifest.json)", limit)
	case "dead":
		r.Cell = status.Cell + 1
		r.Err = "the kernel died: " + firstLine(status.Message) + "; see " + logPath
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
	r.Passed = r.Err == ""
	return r
}

type driverStatus struct {
	Status  string `json:"status"`
	Cell    int    `json:"cell"`
	Message string `json:"message"`
}

func execute(ctx context.Context, cfg Config, driver string, env []string, name, out, statusPath, logPath string, limit time.Duration) (driverStatus, error) {
	var st driverStatus
	logFile, err := os.Create(logPath)
	if err != nil {
		return st, err
	}
	defer logFile.Close()
	ctx, cancel := context.WithTimeout(ctx, limit+driverGrace)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.Python, driver, filepath.Join(cfg.Dir, name), out, statusPath,
		fmt.Sprint(int(limit.Seconds())), cfg.Kernel)
	cmd.Env = env
	cmd.Dir = cfg.Dir
	cmd.Stdout, cmd.Stderr = logFile, logFile
	// Its own process group, so that a kill also reaches the kernel and its cell programs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	runErr := cmd.Run()
	b, err := os.ReadFile(statusPath)
	if err != nil {
		if ctx.Err() != nil {
			return st, fmt.Errorf("killed after %s without finishing; see %s", limit+driverGrace, logPath)
		}
		return st, fmt.Errorf("the notebook driver failed (%v); see %s", runErr, logPath)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("bad driver status %q", b)
	}
	if st.Status == "nokernel" {
		return st, fmt.Errorf("%s; run %s", firstLine(st.Message), SetupHint)
	}
	return st, nil
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

// exportHTML converts an executed notebook to HTML next to it and returns the path.
func exportHTML(ctx context.Context, cfg Config, env []string, executed string) (string, error) {
	cmd := exec.CommandContext(ctx, cfg.Jupyter, "nbconvert", "--to", "html", "--log-level=ERROR", executed)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("HTML export failed: %v: %s", err, firstLine(string(out)))
	}
	return strings.TrimSuffix(executed, ".ipynb") + ".html", nil
}
