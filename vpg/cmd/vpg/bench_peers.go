package main

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
)

// peerFS holds the peer scripts; bench writes them to a temporary directory.
//
//go:embed peer/*.py
var peerFS embed.FS

// peerNames are the peers `bench -peer` knows, in the order they run.
var peerNames = []string{"torch", "jax", "sb3"}

// venv is a virtual environment under peersDir with pinned PyPI packages.
type venv struct {
	dir  string
	pkgs []string
}

// peerVenvs says which virtual environment each peer runs in. SB3 shares
// PyTorch's (it pins the same torch) rather than install a second copy of
// torch's CUDA wheels, 5 GB.
var peerVenvs = map[string]venv{
	"jax":   {"jax", []string{"jax==0.12.0.1", "jaxlib==0.12.0.1", "optax==0.2.8", "numpy==2.5.5"}},
	"torch": {"torch", []string{"torch==2.15.0", "numpy==2.4.6", "stable-baselines3==2.9.2", "gymnasium==1.4.0"}},
	"sb3":   {"torch", []string{"torch==2.15.0", "numpy==2.4.6", "stable-baselines3==2.9.2", "gymnasium==1.4.0"}},
}

// parsePeers turns -peer's value (names separated by commas, or "all") into
// peer names.
func parsePeers(s string) ([]string, error) {
	if s == "all" {
		return peerNames, nil
	}
	var names []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		if !slices.Contains(peerNames, n) {
			return nil, fmt.Errorf("%q: want %s or all, separated by commas", s, strings.Join(peerNames, ", "))
		}
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names, nil
}

// peersDir is where the peers' virtual environments live:
// $GOVPG_PEERS_DIR, else govpg/peers in the user's cache directory
// ($XDG_CACHE_HOME or ~/.cache).
func peersDir() (string, error) {
	if d := os.Getenv("GOVPG_PEERS_DIR"); d != "" {
		return d, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory for the peers (set GOVPG_PEERS_DIR): %w", err)
	}
	return filepath.Join(cache, "govpg", "peers"), nil
}

// installedFile, in a virtual environment, lists the packages
// -install-peers installed there; it is written last, so an interrupted
// install leaves none.
const installedFile = "govpg-installed.txt"

// venvPython returns the interpreter of peer's virtual environment, or why
// there is none (or why it is not the one this binary pins).
func venvPython(peer string) (python, whyNot string) {
	dir, err := peersDir()
	if err != nil {
		return "", err.Error()
	}
	v := peerVenvs[peer]
	path := filepath.Join(dir, v.dir)
	installed, err := os.ReadFile(filepath.Join(path, installedFile))
	switch {
	case err != nil:
		return "", fmt.Sprintf("no virtual environment at %s (or its install did not finish); make it with: vpg bench -install-peers -peer %s", path, peer)
	case strings.TrimSpace(string(installed)) != strings.Join(v.pkgs, " "):
		return "", fmt.Sprintf("%s has %s, this binary pins %s; remake it with: vpg bench -install-peers -peer %s",
			path, strings.TrimSpace(string(installed)), strings.Join(v.pkgs, " "), peer)
	}
	return filepath.Join(path, "bin", "python"), ""
}

// basePython finds an interpreter new enough for every peer (jax 0.12 needs
// Python ≥ 3.12): python3.14, 3.13 or 3.12 on the PATH, else one of pyenv's.
func basePython() (string, error) {
	var candidates []string
	for _, v := range []string{"3.14", "3.13", "3.12"} {
		candidates = append(candidates, "python"+v)
	}
	pyenv := os.Getenv("PYENV_ROOT")
	if home, err := os.UserHomeDir(); pyenv == "" && err == nil {
		pyenv = filepath.Join(home, ".pyenv")
	}
	found, _ := filepath.Glob(filepath.Join(pyenv, "versions", "3.1[2-9]*", "bin", "python3"))
	slices.Reverse(found) // newest first
	for _, c := range append(candidates, found...) {
		if exec.Command(c, "-c", "import venv").Run() == nil {
			return c, nil
		}
	}
	return "", errors.New("no Python ≥ 3.12 with venv found (jax 0.12 needs it): tried python3.14, python3.13, python3.12 and pyenv's; pass -venv-python")
}

// installPeers makes the virtual environments of peers with base (an
// interpreter; empty: basePython's) and installs their pinned packages.
func installPeers(peers []string, base string, w io.Writer) error {
	dir, err := peersDir()
	if err != nil {
		return err
	}
	if base == "" {
		if base, err = basePython(); err != nil {
			return err
		}
	}
	done := map[string]bool{}
	for _, p := range peers {
		v := peerVenvs[p]
		if done[v.dir] {
			continue
		}
		done[v.dir] = true
		path := filepath.Join(dir, v.dir)
		steps := [][]string{
			{base, "-m", "venv", path},
			append([]string{filepath.Join(path, "bin", "python"), "-m", "pip", "install", "--disable-pip-version-check"}, v.pkgs...),
		}
		for _, s := range steps {
			fmt.Fprintf(w, "install-peers: %s\n", strings.Join(s, " "))
			cmd := exec.Command(s[0], s[1:]...)
			cmd.Stdout, cmd.Stderr = w, w
			if err := cmd.Run(); err != nil {
				return fmt.Errorf("installing the %s peer: %s: %w", p, strings.Join(s, " "), err)
			}
		}
		if err := atomicfile.Write(filepath.Join(path, installedFile), []byte(strings.Join(v.pkgs, " ")+"\n")); err != nil {
			return fmt.Errorf("installing the %s peer: %w", p, err)
		}
	}
	fmt.Fprintf(w, "install-peers: done; the environments are under %s (delete it to uninstall)\n", dir)
	return nil
}

// writePeers writes the embedded peer scripts to a temporary directory.
func writePeers() (dir string, cleanup func(), err error) {
	dir, err = os.MkdirTemp("", "govpg-peer-")
	if err != nil {
		return "", nil, fmt.Errorf("writing the peer scripts: %w", err)
	}
	cleanup = func() { os.RemoveAll(dir) }
	entries, err := peerFS.ReadDir("peer")
	if err != nil {
		cleanup()
		return "", nil, err
	}
	for _, e := range entries {
		data, err := peerFS.ReadFile("peer/" + e.Name())
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
		}
		if err != nil {
			cleanup()
			return "", nil, fmt.Errorf("writing the peer scripts: %w", err)
		}
	}
	return dir, cleanup, nil
}

// peerRun is one peer's result with what to call it in tables.
type peerRun struct {
	label  string
	family string // torch, jax or sb3
	run    *benchRun
}

// printTargets prints the targets as ratios of this run: wall time to
// the target return and update time per epoch, against each peer family's
// fastest entry; and, when likeSB3 is not nil, SB3's PPO against govpg's PPO
// on its settings.
func printTargets(w io.Writer, target float64, ours *benchRun, peers []peerRun, likeSB3 *benchRun) {
	fmt.Fprintln(w, "\n== targets (ratios of this run; > 1 means govpg is faster)")
	if ours.solvedEpoch < 0 {
		fmt.Fprintf(w, "govpg never reached mean return ≥ %g: no wall-time ratio\n", target)
	}
	var quickestSB3 *peerRun
	for _, fam := range []struct{ name, want string }{
		{"jax", "wall ≥ 2×, update ≥ 1.0×"}, {"torch", "≥ 5×"}, {"sb3", "wall ≥ 10×"},
	} {
		var fastest, quickest *peerRun
		for i := range peers {
			p := &peers[i]
			if p.family != fam.name {
				continue
			}
			if p.run.updatePerEp > 0 && (fastest == nil || p.run.updatePerEp < fastest.run.updatePerEp) {
				fastest = p
			}
			if p.run.solvedEpoch >= 0 && (quickest == nil || p.run.solvedWall < quickest.run.solvedWall) {
				quickest = p
			}
		}
		if fam.name == "sb3" {
			quickestSB3 = quickest
		}
		if fastest != nil {
			fmt.Fprintf(w, "%-5s update s/epoch, peer / govpg: %5.2f×  (%s: %.3f s vs %.3f s; target %s)\n",
				fam.name, fastest.run.updatePerEp/ours.updatePerEp, fastest.label, fastest.run.updatePerEp, ours.updatePerEp, fam.want)
		}
		if quickest != nil && ours.solvedEpoch >= 0 {
			fmt.Fprintf(w, "%-5s wall to ≥ %g, peer / govpg:  %5.2f×  (%s: %.1f s vs %.1f s; target %s)\n",
				fam.name, target, quickest.run.solvedWall/ours.solvedWall, quickest.label, quickest.run.solvedWall, ours.solvedWall, fam.want)
		}
	}
	if likeSB3 == nil || likeSB3.solvedEpoch < 0 {
		return
	}
	for _, p := range peers {
		if p.label == "sb3 ppo" && p.run.solvedEpoch >= 0 {
			fmt.Fprintf(w, "sb3   PPO like for like, SB3 / govpg: %5.2f×  (%.1f s vs %.2f s, %d vs %d env steps)\n",
				p.run.solvedWall/likeSB3.solvedWall, p.run.solvedWall, likeSB3.solvedWall, p.run.solvedEpoch, likeSB3.solvedEpoch)
		}
	}
	if best := quickestSB3; best != nil {
		ourBest, how := likeSB3.solvedWall, "govpg's PPO on SB3's settings"
		if ours.solvedEpoch >= 0 && ours.solvedWall < ourBest {
			ourBest, how = ours.solvedWall, "govpg's VPG"
		}
		fmt.Fprintf(w, "sb3   best to best, SB3 / govpg:      %5.2f×  (%s: %.1f s vs %s: %.2f s; target wall ≥ 10×)\n",
			best.run.solvedWall/ourBest, best.label, best.run.solvedWall, how, ourBest)
	}
}

// vpgPeerArgs are the arguments both VPG peer scripts take for cfg.
func vpgPeerArgs(cfg vpg.Config, threads int) []string {
	return []string{"--env", cfg.Env, "--epochs", strconv.Itoa(cfg.Epochs), "--seed", strconv.FormatUint(cfg.Seed, 10),
		"--steps", strconv.Itoa(cfg.StepsPerEpoch), "--gamma", fmt.Sprint(cfg.Gamma), "--lam", fmt.Sprint(cfg.Lambda),
		"--pi_lr", fmt.Sprint(cfg.PiLR), "--vf_lr", fmt.Sprint(cfg.VfLR), "--train_v_iters", strconv.Itoa(cfg.TrainVIters),
		"--threads", strconv.Itoa(threads)}
}

// jaxPeerArgs are the JAX peer's arguments for cfg: vpgPeerArgs with XLA's
// own threads, cfg's environment copies and hidden sizes.
func jaxPeerArgs(cfg vpg.Config) []string {
	return append(vpgPeerArgs(cfg, 0), "--envs", strconv.Itoa(cfg.NumEnvs), "--hidden", hiddenArg(cfg.Hidden))
}

// peerPlan is one peer bench will run.
type peerPlan struct {
	label, family, python, script string
}

// planPeers decides which of peers can run with cfg, printing each PyTorch
// build's BLAS, and says why the others cannot. dir holds the peer scripts;
// torchScript, if not empty, replaces the PyTorch one; python is Debian's.
func planPeers(peers []string, cfg vpg.Config, dir, torchScript, python string, stdout io.Writer) (plans []peerPlan, whyNots []string) {
	if torchScript == "" {
		torchScript = filepath.Join(dir, "vpg_torch.py")
	}
	for _, p := range peers {
		if p == "torch" && !slices.Equal(cfg.Hidden, []int{64, 64}) {
			whyNots = append(whyNots, fmt.Sprintf("torch: its networks are 64×64; hidden %v cannot be compared", cfg.Hidden))
			continue
		}
		if p == "torch" {
			builds := []peerPlan{{"torch, Debian", p, python, ""}}
			if py, why := venvPython(p); why == "" {
				builds = append(builds, peerPlan{"torch, PyPI", p, py, ""})
			} else {
				whyNots = append(whyNots, "PyPI's torch: "+why)
			}
			for _, b := range builds {
				script, whyNot := peerScript(torchScript, b.python, cfg.Env)
				if whyNot != "" {
					whyNots = append(whyNots, b.label+": "+whyNot)
					continue
				}
				blas, reference := peerBLAS(b.python)
				fmt.Fprintf(stdout, "peer %s: %s\n", b.label, blas)
				if reference {
					fmt.Fprintf(stdout, "WARNING: %s runs on the reference BLAS, several times slower than a real one; a comparison against it flatters govpg. Install OpenBLAS: %s\n", b.label, openBLASInstall)
				}
				b.script = script
				plans = append(plans, b)
			}
			continue
		}
		py, why := venvPython(p)
		switch {
		case why != "":
			whyNots = append(whyNots, p+": "+why)
		case cfg.Env != "CartPole-v1":
			whyNots = append(whyNots, p+": it runs CartPole-v1 only, not "+cfg.Env)
		case p == "jax" && cfg.StepsPerEpoch%cfg.NumEnvs != 0:
			whyNots = append(whyNots, fmt.Sprintf("jax: it needs StepsPerEpoch (%d) a multiple of NumEnvs (%d)", cfg.StepsPerEpoch, cfg.NumEnvs))
		default:
			script := map[string]string{"jax": "vpg_jax.py", "sb3": "sb3_cartpole.py"}[p]
			plans = append(plans, peerPlan{p, p, py, filepath.Join(dir, script)})
		}
	}
	return plans, whyNots
}

// hiddenArg writes hidden sizes as the peers' --hidden takes them: "64,64".
func hiddenArg(hidden []int) string {
	s := make([]string, len(hidden))
	for i, h := range hidden {
		s[i] = strconv.Itoa(h)
	}
	return strings.Join(s, ",")
}

// peerLine runs a peer script and returns what follows its last line's
// "tag " (a JSON summary).
func peerLine(python, script string, args []string, tag string) ([]byte, error) {
	cmd := exec.Command(python, append([]string{script}, args...)...)
	cmd.Env = peerEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s", filepath.Base(script), strings.Join(args, " "), err, out)
	}
	i := bytes.LastIndex(out, []byte(tag+" "))
	if i < 0 {
		return nil, fmt.Errorf("%s ended without a %s line:\n%s", filepath.Base(script), tag, out)
	}
	return out[i+len(tag)+1:], nil
}
