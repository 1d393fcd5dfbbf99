package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
)

func TestParsePeers(t *testing.T) {
	if got, err := parsePeers("all"); err != nil || strings.Join(got, ",") != "torch,jax,sb3" {
		t.Errorf("all = %v, %v", got, err)
	}
	if got, err := parsePeers("jax, sb3,jax"); err != nil || strings.Join(got, ",") != "jax,sb3" {
		t.Errorf("jax, sb3,jax = %v, %v", got, err)
	}
	if _, err := parsePeers("tensorflow"); err == nil || !strings.Contains(err.Error(), "torch, jax, sb3 or all") {
		t.Errorf("an unknown peer: %v", err)
	}
}

// installPeers runs venv then pip with the pinned packages, once per
// environment (torch and sb3 share one), under GOVPG_PEERS_DIR.
func TestInstallPeersWithFakePython(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GOVPG_PEERS_DIR", filepath.Join(dir, "peers"))
	log := filepath.Join(dir, "log")
	// The fake interpreter makes a venv whose python appends its arguments to log.
	base := filepath.Join(dir, "python3")
	script := `#!/bin/sh
echo "base $*" >> ` + log + `
mkdir -p "$3/bin"
printf '#!/bin/sh\necho "venv $*" >> ` + log + `\n' > "$3/bin/python"
chmod +x "$3/bin/python"
`
	if err := os.WriteFile(base, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := installPeers([]string{"torch", "sb3", "jax"}, base, &out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := "base -m venv " + filepath.Join(dir, "peers", "torch") + "\n" +
		"venv -m pip install --disable-pip-version-check " + strings.Join(peerVenvs["torch"].pkgs, " ") + "\n" +
		"base -m venv " + filepath.Join(dir, "peers", "jax") + "\n" +
		"venv -m pip install --disable-pip-version-check " + strings.Join(peerVenvs["jax"].pkgs, " ") + "\n"
	if string(got) != want {
		t.Errorf("commands run:\n%s\nwant:\n%s", got, want)
	}
	if py, why := venvPython("sb3"); why != "" || py != filepath.Join(dir, "peers", "torch", "bin", "python") {
		t.Errorf("venvPython(sb3) = %q, %q", py, why)
	}
	// Pins that differ from what was installed ask for a reinstall.
	marker := filepath.Join(dir, "peers", "jax", installedFile)
	if err := os.WriteFile(marker, []byte("jax==0.4.0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, why := venvPython("jax"); !strings.Contains(why, "has jax==0.4.0, this binary pins jax==0.12.0.1") {
		t.Errorf("with other versions installed: %q", why)
	}
	// An install that did not finish leaves no marker.
	if err := os.Remove(marker); err != nil {
		t.Fatal(err)
	}
	if _, why := venvPython("jax"); !strings.Contains(why, "did not finish") {
		t.Errorf("without the marker: %q", why)
	}
	t.Setenv("GOVPG_PEERS_DIR", filepath.Join(dir, "none"))
	if _, why := venvPython("jax"); !strings.Contains(why, "vpg bench -install-peers -peer jax") {
		t.Errorf("without the environment: %q, want the install command", why)
	}
}

func TestBenchSB3WithFakePython(t *testing.T) {
	python := fakePython(t, `#!/bin/sh
echo "stable-baselines3 2.9.2, torch 2.15.0"
echo 'SUMMARY {"algo": "ppo", "n_envs": 8, "budget": 100000, "steps": 18000, "wall_s": 6.5, "learn_s": 2.75, "solved_steps": 17968, "solved_wall_s": 5.5, "settings": {"n_envs": 8, "n_steps": 32, "batch_size": 128, "n_epochs": 20, "pi_arch": [64, 64], "vf_arch": [64, 64], "activation": "Tanh", "budget": 100000}}'
`)
	var out bytes.Buffer
	r, settings, err := benchSB3(python, "sb3.py", "ppo", 0, 475, nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	if settings == nil || settings.BatchSize != 128 || !slices.Equal(settings.PiArch, []int{64, 64}) {
		t.Errorf("settings %+v", settings)
	}
	if r.solvedEpoch != 17968 || r.solvedWall != 5.5 || r.wall != 6.5 || r.learn != 2.75 {
		t.Errorf("sb3 run %+v", r)
	}
	if !strings.Contains(out.String(), "sb3 ppo | stable-baselines3 2.9.2") {
		t.Errorf("version line not echoed:\n%s", out.String())
	}
	out.Reset()
	printSB3Row(&out, 475, &benchRun{solvedEpoch: 12, solvedWall: 1.1}, r)
	if !strings.Contains(out.String(), "govpg 5.00× faster") {
		t.Errorf("row: %s", out.String())
	}
	out.Reset()
	printLikeSB3(&out, 475, &benchRun{solvedEpoch: 19968, solvedWall: 0.5}, r)
	if !strings.Contains(out.String(), "after 19968 env steps, 0.50 s: like for like, govpg 11.00× faster (5.50× against SB3's 2.8 s in learn()") {
		t.Errorf("like for like: %s", out.String())
	}
}

// printTargets compares against each family's fastest entry.
func TestPrintTargets(t *testing.T) {
	ours := &benchRun{updatePerEp: 0.1, solvedEpoch: 12, solvedWall: 2}
	var out bytes.Buffer
	printTargets(&out, 475, ours, []peerRun{
		{"torch, Debian, 1 thread(s)", "torch", &benchRun{updatePerEp: 0.5, solvedEpoch: 12, solvedWall: 15}},
		{"torch, Debian, 2 thread(s)", "torch", &benchRun{updatePerEp: 0.9, solvedEpoch: 12, solvedWall: 25}},
		{"jax, jitted", "jax", &benchRun{updatePerEp: 0.05, solvedEpoch: 13, solvedWall: 3}},
		{"sb3 ppo", "sb3", &benchRun{solvedEpoch: 17968, solvedWall: 5.5}},
		{"sb3 a2c", "sb3", &benchRun{solvedEpoch: -1}},
	}, &benchRun{solvedEpoch: 20480, solvedWall: 0.5})
	for _, want := range []string{
		"jax   update s/epoch, peer / govpg:  0.50×  (jax, jitted: 0.050 s vs 0.100 s",
		"jax   wall to ≥ 475, peer / govpg:   1.50×",
		"torch update s/epoch, peer / govpg:  5.00×  (torch, Debian, 1 thread(s)",
		"torch wall to ≥ 475, peer / govpg:   7.50×",
		"sb3   wall to ≥ 475, peer / govpg:   2.75×  (sb3 ppo",
		"sb3   PPO like for like, SB3 / govpg: 11.00×  (5.5 s vs 0.50 s, 17968 vs 20480 env steps)",
		"sb3   best to best, SB3 / govpg:      11.00×  (sb3 ppo: 5.5 s vs govpg's PPO on SB3's settings: 0.50 s; target wall ≥ 10×)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("targets lack %q:\n%s", want, out.String())
		}
	}
}

// TestPeerScripts runs each peer script for a moment in its virtual
// environment: the JAX CartPole port against Gymnasium's own transitions, a
// tiny epoch of each VPG peer, a short SB3 run. Peers without an environment
// are skipped, saying how to make one (it needs PyPI).
func TestPeerScripts(t *testing.T) {
	dir, cleanup, err := writePeers()
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	cfg := vpg.Preset("CartPole-v1")
	cfg.Epochs, cfg.StepsPerEpoch, cfg.TrainVIters = 1, 200, 2
	python := func(t *testing.T, peer string) string {
		python, why := venvPython(peer)
		if why != "" {
			t.Skipf("peer %s not installed (needs PyPI): %s", peer, why)
		}
		return python
	}
	run := func(t *testing.T, peer string, args ...string) string {
		cmd := exec.Command(python(t, peer), args...)
		cmd.Env = peerEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	summary := func(t *testing.T, out string) string {
		i := strings.LastIndex(out, "SUMMARY ")
		if i < 0 {
			t.Fatalf("no SUMMARY line:\n%s", out)
		}
		return strings.TrimSpace(out[i+len("SUMMARY "):])
	}
	t.Run("jax", func(t *testing.T) {
		out := run(t, "jax", filepath.Join(dir, "vpg_jax.py"), "--check-env", filepath.Join("..", "..", "envs", "testdata", "gymnasium_steps.json"))
		if !strings.Contains(out, "jax 0.12.0.1") || !strings.Contains(out, ": 0 mismatches") {
			t.Errorf("CartPole check:\n%s", out)
		}
		out = run(t, "jax", append([]string{filepath.Join(dir, "vpg_jax.py")}, append(vpgPeerArgs(cfg, 1), "--envs", "4")...)...)
		s, err := parseSummary(summary(t, out))
		if err != nil {
			t.Fatal(err)
		}
		if s.CompileS <= 0 || s.PiS == nil || *s.PiS <= 0 || s.Curve[0] == nil || *s.Curve[0] < 8 || *s.Curve[0] > 200 {
			t.Errorf("summary %+v (a random policy's CartPole episodes last 8 to a few dozen steps)", s)
		}
		// Vmapped over seeds 0 and 1, seed 0 plays the same first batch.
		args := append(vpgPeerArgs(cfg, 1), "--envs", "4", "--seeds", "2")
		r, err := seedsPeer(python(t, "jax"), filepath.Join(dir, "vpg_jax.py"), args)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.finals) != 2 || math.Abs(r.finals[0]-*s.Curve[0]) > 1e-4*r.finals[0] || r.compile <= 0 || r.wall < r.compile+r.train {
			t.Errorf("2 seeds at once: %+v; seed 0 alone: first epoch %v", r, *s.Curve[0])
		}
	})
	t.Run("torch", func(t *testing.T) {
		out := run(t, "torch", append([]string{filepath.Join(dir, "vpg_torch.py")}, vpgPeerArgs(cfg, 1)...)...)
		if _, err := parseSummary(summary(t, out)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("sb3", func(t *testing.T) {
		for _, algo := range []string{"a2c", "ppo"} {
			out := run(t, "sb3", filepath.Join(dir, "sb3_cartpole.py"), "--algo", algo, "--timesteps", "512")
			var s sb3Summary
			if err := json.Unmarshal([]byte(summary(t, out)), &s); err != nil {
				t.Fatal(err)
			}
			if s.Steps < 512 || s.SolvedSteps != nil || s.EpisodesSeen == 0 {
				t.Errorf("%s in 512 steps: %+v (solved is impossible that soon)", algo, s)
			}
			if algo == "a2c" {
				if s.Settings != nil {
					t.Errorf("A2C reported PPO settings %+v", s.Settings)
				}
				continue
			}
			// rl-zoo's PPO, as SB3 read it, is one govpg can run.
			if s.Settings == nil {
				t.Fatal("PPO reported no settings")
			}
			if c, err := s.Settings.config(0); err != nil || c.StepsPerEpoch != 256 || c.UpdateEpochs != 20 || c.Minibatches != 1 || c.Epochs != 2 {
				t.Errorf("rl-zoo's PPO settings %+v as govpg's: %+v, %v", *s.Settings, c, err)
			}
		}
	})
}

// The SB3 peer's PPO settings become govpg's PPO, field by field, and
// settings govpg cannot take are said.
func TestSB3SettingsConfig(t *testing.T) {
	zoo := sb3PPOSettings{NEnvs: 8, NSteps: 32, BatchSize: 256, NEpochs: 20, Gamma: 0.98, GAELambda: 0.8, VFCoef: 0.5,
		MaxGradNorm: 0.5, NormalizeAdvantage: true, LearningRate: 1e-3, ClipRange: 0.2, AdamEps: 1e-5, OrthoInit: true,
		PiArch: []int{64, 64}, VFArch: []int{64, 64}, Activation: "Tanh", Budget: 100_000}
	c, err := zoo.config(3)
	if err != nil {
		t.Fatal(err)
	}
	if c.Algo != vpg.PPO || c.Seed != 3 || c.NumEnvs != 8 || c.StepsPerEpoch != 256 || c.Epochs != 390 || c.UpdateEpochs != 20 ||
		c.Minibatches != 1 || c.Gamma != 0.98 || c.Lambda != 0.8 || c.EntropyCoef != 0 || c.ValueCoef != 0.5 || c.MaxGradNorm != 0.5 ||
		c.AdamEps != 1e-5 || c.PiLR != 1e-3 || c.VfLR != 1e-3 || !c.AnnealLR || c.ClipRatio != 0.2 || c.ClipValueLoss ||
		!c.OrthogonalInit || c.NormalizeAdvantages || !c.MinibatchNormalize || !slices.Equal(c.Hidden, []int{64, 64}) {
		t.Errorf("config %+v", c)
	}
	for _, bad := range []struct {
		edit func(*sb3PPOSettings)
		want string
	}{
		{func(s *sb3PPOSettings) { s.VFArch = []int{32} }, "hidden layers [64 64] and V [32]"},
		{func(s *sb3PPOSettings) { s.Activation = "ReLU" }, "use ReLU"},
		{func(s *sb3PPOSettings) { s.ClipRangeVF = true }, "clips V's change"},
		{func(s *sb3PPOSettings) { s.BatchSize = 100 }, "minibatch of 100 does not divide its 256 steps"},
	} {
		s := zoo
		bad.edit(&s)
		if _, err := s.config(0); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("got %v, want an error with %q", err, bad.want)
		}
	}
}

// benchPPOLikeSB3 stops at the first epoch whose window of episodes reaches
// the target, and counts environment steps as SB3 does.
func TestBenchPPOLikeSB3(t *testing.T) {
	s := sb3PPOSettings{NEnvs: 4, NSteps: 32, BatchSize: 64, NEpochs: 2, Gamma: 0.98, GAELambda: 0.8, VFCoef: 0.5,
		MaxGradNorm: 0.5, NormalizeAdvantage: true, LearningRate: 1e-3, ClipRange: 0.2, AdamEps: 1e-5, OrthoInit: true,
		PiArch: []int{8}, VFArch: []int{8}, Activation: "Tanh", Budget: 128 * 6}
	cfg, err := s.config(0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := benchPPOLikeSB3(cfg, 1) // every CartPole episode returns ≥ 1: solved once one has ended
	if err != nil {
		t.Fatal(err)
	}
	if r.solvedEpoch != 128 {
		t.Errorf("solved after %d steps, want 128 (the first epoch's end)", r.solvedEpoch)
	}
	if r, err = benchPPOLikeSB3(cfg, 1e9); err != nil || r.solvedEpoch != -1 {
		t.Errorf("an unreachable target: %+v, %v", r, err)
	}
}
