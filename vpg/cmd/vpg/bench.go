package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/nn"
)

func init() {
	commands["bench"] = command{"train side by side with the PyTorch peer and compare speed, learning and memory", runBench}
}

// peerEnvs are the environments the peer script implements.
var peerEnvs = map[string]bool{"CartPole-v1": true, "Pendulum-v1": true}

// torchInstall is what to run when the peer cannot import torch.
const torchInstall = "apt-get install -y python3-torch python3-numpy"

// benchRun is what one trainer achieved in a bench run.
type benchRun struct {
	stepsPerSec   float64 // rollout environment steps per second
	updatePerEp   float64 // seconds of updates (1 π step + TrainVIters V steps) per epoch
	wall          float64 // seconds for all epochs
	solvedEpoch   int     // first epoch whose mean return reached the target; -1 if none
	solvedWall    float64 // seconds from the start to the end of that epoch
	peakRSS       int64   // bytes
	piStep, vIter float64 // seconds per π step and per TrainVIters V steps: each the median epoch of its run
	compile       float64 // seconds the JAX peer spent compiling (in wall)
	learn         float64 // seconds the SB3 peer spent in learn(), to the target when it got there (imports and set-up left out)
}

func runBench(args []string, stdout io.Writer) error {
	fs := newFlagSet("bench", stdout)
	env := fs.String("env", "CartPole-v1", "environment id (the PyTorch peer knows CartPole-v1 and Pendulum-v1, the JAX and SB3 peers CartPole-v1)")
	epochs := fs.Int("epochs", 50, 1, 1_000_000, "epochs for both trainers")
	seed := fs.Uint64("seed", 0, "random seed for both trainers")
	numEnvs := fs.Int("envs", 0, 0, 4096, "our vectorized environment copies, and the JAX peer's (0: the preset's; the PyTorch peer steps one)")
	piLR := fs.Float("pi-lr", 0, 0, vpg.MaxLR, "policy learning rate for both (0: our preset's)")
	target := fs.Float("target", 475, -1e9, 1e9, "mean epoch return that counts as solved")
	peer := fs.String("peer", "torch", "peers to race, separated by commas: torch (Debian's python3-torch and PyPI's torch), jax, sb3 (with govpg's PPO on its PPO's settings), or all")
	install := fs.Bool("install-peers", false, "make the virtual environments of the -peer peers (all if -peer is not given) from PyPI with pinned versions, then exit")
	venvPy := fs.String("venv-python", "", "Python that -install-peers makes the environments with (empty: the newest python3.12+ found)")
	peerScriptPath := fs.String("peer-script", "",
		"the PyTorch peer script (empty: the copy built into this binary, peer/vpg_torch.py); a relative path is tried from the working directory, then from the repository root")
	python := fs.String("python", "/usr/bin/python3", "Debian's Python with python3-torch and python3-numpy (PyPI's torch runs in its virtual environment)")
	threadList := fs.String("torch-threads", "1,2", "comma-separated torch thread counts; each PyTorch peer runs once per count")
	scaling := fs.Bool("scaling", false, "instead of training to the end: time govpg and the jax and torch peers at hidden widths 64/256/1024, batches 1k–64k and 1/8/64 environment copies, against the measured FMA peak")
	scalingVIters := fs.Int("scaling-v-iters", 8, 1, 10_000, "V steps per epoch in the -scaling run (update s/epoch counts 80 at the measured rate)")
	svg := fs.String("svg", "", "with -scaling: write the chart to this SVG file")
	seedList := fs.String("seeds", "", "instead of one run: train this many seeds at once for each comma-separated count (e.g. 1,8,32), govpg with vpg.TrainSeeds and the jax peer vmapped, and print seeds per minute")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *install && !fs.given("peer") {
		*peer = "all"
	}
	peers, err := parsePeers(*peer)
	if err != nil {
		return fs.errorf("peer", "%v", err)
	}
	if *install {
		return installPeers(peers, *venvPy, stdout)
	}
	threadCounts, err := parseCounts(*threadList)
	if err == nil && len(threadCounts) == 0 {
		err = fmt.Errorf("is empty")
	}
	if err != nil {
		return fs.errorf("torch-threads", "%v", err)
	}
	seedCounts, err := parseCounts(*seedList)
	if err != nil {
		return fs.errorf("seeds", "%v", err)
	}
	cfg := vpg.Preset(*env)
	cfg.Seed, cfg.Epochs = *seed, *epochs
	setIf(&cfg.NumEnvs, *numEnvs)
	setIf(&cfg.PiLR, *piLR)
	if err := cfg.Validate(); err != nil {
		return err
	}

	backend, err := nn.BackendErr()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "machine: %s, %d CPUs (GOMAXPROCS %d); GoMLX backend %q\n",
		cpuModel(), runtime.NumCPU(), runtime.GOMAXPROCS(0), backend.Name())
	fmt.Fprintf(stdout, "run: %s, %d epochs × %d steps, seed %d, π lr %g, V lr %g, %d V steps, hidden %v, γ %g, λ %g; ours with NumEnvs %d\n\n",
		cfg.Env, cfg.Epochs, cfg.StepsPerEpoch, cfg.Seed, cfg.PiLR, cfg.VfLR, cfg.TrainVIters, cfg.Hidden, cfg.Gamma, cfg.Lambda, cfg.NumEnvs)

	// Decide about the peers first, so that what is missing is reported at once.
	dir, cleanup, err := writePeers()
	if err != nil {
		return err
	}
	defer cleanup()
	plans, whyNots := planPeers(peers, cfg, dir, *peerScriptPath, *python, stdout)
	for _, w := range whyNots {
		fmt.Fprintf(stdout, "peer not run: %s\n", w)
	}
	if *scaling {
		return runScaling(cfg, plans, *scalingVIters, *svg, stdout)
	}
	if len(seedCounts) > 0 {
		var jax *peerPlan
		for _, p := range plans {
			if p.family == "jax" {
				jax = &p
			} else {
				fmt.Fprintf(stdout, "peer not run with -seeds: %s (only the JAX peer trains seeds at once)\n", p.label)
			}
		}
		return runSeeds(cfg, seedCounts, jax, stdout)
	}
	if len(plans) > 0 {
		for _, d := range peerDifferences(cfg) {
			fmt.Fprintf(stdout, "note: %s\n", d)
		}
	}

	ours, err := benchOurs(cfg, *target, stdout)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		fmt.Fprintln(stdout)
		printBenchTable(stdout, cfg, *target, ours, nil, strings.Join(whyNots, "; "))
		return nil
	}
	var runs []peerRun
	var likeSB3 *benchRun // govpg's PPO with SB3's PPO settings
	for _, p := range plans {
		switch p.family {
		case "torch":
			for _, threads := range threadCounts {
				label := fmt.Sprintf("%s, %d thread(s)", p.label, threads)
				fmt.Fprintf(stdout, "\npeer %s:\n", label)
				theirs, err := benchPeer(p.python, p.script, vpgPeerArgs(cfg, threads), *target, stdout)
				if err != nil {
					return err
				}
				runs = append(runs, peerRun{label, p.family, theirs})
			}
		case "jax":
			fmt.Fprintln(stdout, "\npeer jax (jitted, XLA's default threads):")
			theirs, err := benchPeer(p.python, p.script, jaxPeerArgs(cfg), *target, stdout)
			if err != nil {
				return err
			}
			runs = append(runs, peerRun{"jax, jitted", p.family, theirs})
		case "sb3":
			for _, algo := range []string{"a2c", "ppo"} {
				fmt.Fprintf(stdout, "\npeer sb3 %s (rl-zoo's CartPole-v1 hyper-parameters, 1 torch thread):\n", algo)
				theirs, settings, err := benchSB3(p.python, p.script, algo, cfg.Seed, *target, nil, stdout)
				if err != nil {
					return err
				}
				runs = append(runs, peerRun{"sb3 " + algo, p.family, theirs})
				if settings != nil {
					if likeSB3, err = ppoLikeSB3(*settings, cfg.Seed, *target, stdout); err != nil {
						return err
					}
				}
			}
		}
	}
	for _, r := range runs {
		fmt.Fprintf(stdout, "\n== %s\n", r.label)
		if r.family == "sb3" {
			printSB3Row(stdout, *target, ours, r.run)
			if r.label == "sb3 ppo" && likeSB3 != nil {
				printLikeSB3(stdout, *target, likeSB3, r.run)
			}
			continue
		}
		printBenchTable(stdout, cfg, *target, ours, r.run, "")
	}
	printTargets(stdout, *target, ours, runs, likeSB3)
	return nil
}

// openBLASInstall is what to run to give torch a real BLAS on Debian.
const openBLASInstall = "apt-get install -y libopenblas0-pthread"

// peerBLAS says which BLAS the peer's torch multiplies with: torch's build
// setting (Debian's says "generic": it calls whatever libblas.so.3 is) and
// the BLAS libraries its process has mapped after one product, which is
// what actually runs. reference is true when none of them is a tuned BLAS.
func peerBLAS(python string) (desc string, reference bool) {
	out, err := exec.Command(python, "-c", peerBLASProbe).Output()
	if err != nil {
		return fmt.Sprintf("unknown (%s could not import torch: %v)", python, err), false
	}
	var parts []string
	reference = true
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if strings.HasPrefix(line, "/") {
			if strings.Contains(line, "openblas") || strings.Contains(line, "blis") || strings.Contains(line, "mkl") {
				reference = false
			}
			line = "loads " + line
		} else {
			if strings.Contains(line, "BLAS_INFO=mkl") { // linked in statically, as PyPI's wheels do
				reference = false
			}
			line = "torch " + line
		}
		parts = append(parts, line)
	}
	return strings.Join(parts, "; "), reference
}

// peerBLASProbe prints torch's BLAS_INFO build setting, then the BLAS
// libraries mapped into its process after a matrix product.
const peerBLASProbe = `import os, re, torch
torch.ones(64, 64) @ torch.ones(64, 64)
print(torch.__version__, f"({torch.get_num_threads()} thread(s) by default)")
m = re.search(r"BLAS_INFO=[^,\s]*", torch.__config__.show())
print(m.group(0) if m else "BLAS_INFO not reported")
libs = {os.path.realpath(l.split()[-1]) for l in open("/proc/self/maps") if "blas" in l.split()[-1].lower()}
print("\n".join(sorted(libs)))
`

// peerEnv is this process's environment without OpenBLAS's tuning
// variables, which some machines set for other programs and which slow
// OpenBLAS down when they do not match the CPU.
func peerEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") {
			env = append(env, kv)
		}
	}
	return env
}

// benchOurs trains with cfg, timing each epoch's π and V updates.
func benchOurs(cfg vpg.Config, target float64, stdout io.Writer) (*benchRun, error) {
	r := &benchRun{solvedEpoch: -1}
	start := time.Now()
	t, err := vpg.NewTrainer(cfg)
	if err != nil {
		return nil, err
	}
	var rollout float64
	var piSec, vSec []float64
	err = t.Train(func(m vpg.EpochMetrics) bool {
		rollout += m.RolloutSec
		r.updatePerEp += m.UpdateSec / float64(cfg.Epochs)
		piSec, vSec = append(piSec, m.PiUpdateSec), append(vSec, m.VUpdateSec)
		if r.solvedEpoch < 0 && m.MeanReturn >= target {
			r.solvedEpoch, r.solvedWall = m.Epoch, time.Since(start).Seconds()
		}
		fmt.Fprintf(stdout, "ours | epoch %3d  EpRet %9.2f  rollout %6.2fs  update %6.2fs\n", m.Epoch, m.MeanReturn, m.RolloutSec, m.UpdateSec)
		return true
	})
	if err != nil {
		return nil, err
	}
	r.wall = time.Since(start).Seconds()
	r.stepsPerSec = float64(cfg.Epochs*cfg.StepsPerEpoch) / rollout
	r.piStep, r.vIter = median(piSec), median(vSec)
	r.peakRSS, err = peakRSS()
	return r, err
}

// median returns the middle value of xs (the mean of the two middle ones
// for an even count); xs is reordered.
func median(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	return (xs[(n-1)/2] + xs[n/2]) / 2
}

// findPeer resolves the peer script: as given, else relative to the
// repository root (the nearest directory above the working one with a go.mod).
func findPeer(path string) (string, error) {
	if _, err := os.Stat(path); err == nil || filepath.IsAbs(path) {
		return path, err
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, path)
			_, err := os.Stat(p)
			return p, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: not found from the working directory, and no repository root (go.mod) above it", path)
		}
		dir = parent
	}
}

// peerScript returns the peer's path, or why the peer cannot run.
func peerScript(path, python, env string) (script, whyNot string) {
	script, err := findPeer(path)
	switch {
	case err != nil:
		return "", err.Error()
	case !peerEnvs[env]:
		return "", fmt.Sprintf("it implements only CartPole-v1 and Pendulum-v1, not %s", env)
	case exec.Command(python, "-c", "import torch, numpy").Run() != nil:
		return "", fmt.Sprintf("%s cannot import torch and numpy; install them with: %s", python, torchInstall)
	}
	return script, ""
}

// peerDifferences lists the settings the peer cannot share with cfg.
func peerDifferences(cfg vpg.Config) []string {
	var d []string
	if cfg.NumEnvs > 1 {
		d = append(d, fmt.Sprintf("the peer steps 1 environment at a time, ours %d copies in lockstep", cfg.NumEnvs))
	}
	if cfg.ObsScale != nil {
		d = append(d, fmt.Sprintf("ours scales observations by %v, the peer does not", cfg.ObsScale))
	}
	if cfg.RewardScale != 1 {
		d = append(d, fmt.Sprintf("ours scales rewards by %g for learning, the peer does not", cfg.RewardScale))
	}
	return d
}

// peerSummary is the peer's last line, "SUMMARY {json}".
type peerSummary struct {
	Curve            []*float64 `json:"curve"` // null where no episode finished
	WallS            float64    `json:"wall_s"`
	UpdateS          float64    `json:"update_s"`
	RolloutStepsPerS float64    `json:"rollout_steps_per_s"`
	Epochs           int        `json:"epochs"`
	TorchThreads     int        `json:"torch_threads"`
	CompileS         float64    `json:"compile_s"` // the JAX peer's XLA compile time
	PiS              *float64   `json:"pi_s"`      // the median epoch's π step
	VS               *float64   `json:"v_s"`       // and its TrainVIters V steps
}

// parseSummary decodes the JSON of the peer's SUMMARY line.
func parseSummary(js string) (*peerSummary, error) {
	// Python's json writes NaN (not JSON) for epochs without a finished episode.
	js = strings.ReplaceAll(js, "NaN", "null")
	var s peerSummary
	if err := json.Unmarshal([]byte(js), &s); err != nil {
		return nil, fmt.Errorf("the peer's SUMMARY line: %w", err)
	}
	if s.Epochs < 1 || len(s.Curve) != s.Epochs {
		return nil, fmt.Errorf("the peer's SUMMARY reports %d epochs and a curve of %d", s.Epochs, len(s.Curve))
	}
	return &s, nil
}

// benchPeer runs a VPG peer script with args (cfg's settings), echoing its
// epoch lines and timing them from the process start; the π and V step times
// are the medians over epochs its SUMMARY reports.
func benchPeer(python, script string, args []string, target float64, stdout io.Writer) (*benchRun, error) {
	cmd := exec.Command(python, append([]string{script}, args...)...)
	cmd.Env = peerEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the peer: %w", err)
	}
	epochWall := map[int]float64{}
	var summary *peerSummary
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		var epoch int
		switch {
		case strings.HasPrefix(line, "SUMMARY "):
			if summary, err = parseSummary(strings.TrimPrefix(line, "SUMMARY ")); err != nil {
				return nil, err
			}
		default:
			if _, err := fmt.Sscanf(line, "epoch %d", &epoch); err == nil {
				epochWall[epoch] = time.Since(start).Seconds()
			}
			fmt.Fprintf(stdout, "peer | %s\n", line)
		}
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("the peer failed: %w\n%s", err, stderr.String())
	}
	if summary == nil {
		return nil, errors.New("the peer ended without a SUMMARY line")
	}
	r := &benchRun{
		stepsPerSec: summary.RolloutStepsPerS,
		updatePerEp: summary.UpdateS / float64(summary.Epochs),
		wall:        time.Since(start).Seconds(),
		solvedEpoch: -1,
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakRSS = ru.Maxrss * 1024 // kilobytes on Linux
	}
	for i, ret := range summary.Curve {
		if ret != nil && *ret >= target {
			r.solvedEpoch, r.solvedWall = i, epochWall[i]
			break
		}
	}
	if summary.PiS == nil || summary.VS == nil {
		return nil, errors.New("the peer's SUMMARY has no pi_s and v_s (its median π step and V steps)")
	}
	r.piStep, r.vIter, r.compile = *summary.PiS, *summary.VS, summary.CompileS
	return r, nil
}

// peakRSS is this process's peak resident set size (VmHWM), in bytes.
func peakRSS() (int64, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak memory: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM in /proc/self/status")
}

func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, line := range strings.Split(string(data), "\n") {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return runtime.GOARCH
}

// printBenchTable prints ours and (if it ran) the peer's figures side by side; whyNot
// says why the peer did not run.
func printBenchTable(w io.Writer, cfg vpg.Config, target float64, ours, theirs *benchRun, whyNot string) {
	// A row's get returns the value, or what to print instead ("never").
	all := func(f func(r *benchRun) float64) func(r *benchRun) (float64, string) {
		return func(r *benchRun) (float64, string) { return f(r), "" }
	}
	ifSolved := func(f func(r *benchRun) float64) func(r *benchRun) (float64, string) {
		return func(r *benchRun) (float64, string) {
			if r.solvedEpoch < 0 {
				return 0, "never"
			}
			return f(r), ""
		}
	}
	compiled := func(r *benchRun) (float64, string) {
		if r.compile == 0 {
			return 0, "-"
		}
		return r.compile, ""
	}
	rows := []struct {
		name   string
		format string
		higher bool // higher is better
		get    func(r *benchRun) (float64, string)
	}{
		{"rollout env steps/s", "%.0f", true, all(func(r *benchRun) float64 { return r.stepsPerSec })},
		{fmt.Sprintf("update s/epoch (1 π + %d V steps)", cfg.TrainVIters), "%.3f", false, all(func(r *benchRun) float64 { return r.updatePerEp })},
		{fmt.Sprintf("π update s (1 step, batch %d)", cfg.StepsPerEpoch), "%.4f", false, all(func(r *benchRun) float64 { return r.piStep })},
		{fmt.Sprintf("V update s (%d steps)", cfg.TrainVIters), "%.3f", false, all(func(r *benchRun) float64 { return r.vIter })},
		{"compile s (XLA, paid once, in wall)", "%.2f", false, compiled},
		{fmt.Sprintf("wall s, %d epochs", cfg.Epochs), "%.1f", false, all(func(r *benchRun) float64 { return r.wall })},
		{fmt.Sprintf("first epoch with mean return ≥ %g", target), "%.0f", false, ifSolved(func(r *benchRun) float64 { return float64(r.solvedEpoch) })},
		{"wall s at that epoch", "%.1f", false, ifSolved(func(r *benchRun) float64 { return r.solvedWall })},
		{"peak RSS MB", "%.0f", false, all(func(r *benchRun) float64 { return float64(r.peakRSS) / (1 << 20) })},
	}
	fmt.Fprintf(w, "%-42s %12s %12s   %s\n", "", "govpg", "peer", "govpg vs peer")
	for _, r := range rows {
		cell := func(run *benchRun) (string, float64, bool) {
			if run == nil {
				return "-", 0, false
			}
			v, instead := r.get(run)
			if instead != "" {
				return instead, 0, false
			}
			return fmt.Sprintf(r.format, v), v, true
		}
		a, av, aok := cell(ours)
		b, bv, bok := cell(theirs)
		cmp := ""
		switch {
		case aok && bok && av == bv:
			cmp = "same"
		case aok && bok && av > 0 && bv > 0:
			word := "worse"
			if (av < bv) != r.higher {
				word = "better"
			}
			cmp = fmt.Sprintf("%.2f× %s", max(av, bv)/min(av, bv), word)
		}
		fmt.Fprintf(w, "%-42s %12s %12s   %s\n", r.name, a, b, cmp)
	}
	if theirs == nil {
		fmt.Fprintf(w, "\n(no peer run: %s)\n", whyNot)
		return
	}
	fmt.Fprintln(w, "\nWall times: ours from creating the trainer, in this process; the peer's from starting Python (import of torch included).")
	fmt.Fprintln(w, "π and V update rows: each the median epoch of its own run.")
}

// setIf sets *dst to v unless v is 0 (a flag left at its default).
func setIf[T int | float64](dst *T, v T) {
	if v != 0 {
		*dst = v
	}
}
