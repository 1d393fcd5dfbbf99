package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
)

// fakePython writes a shell script standing in for a Python interpreter
// and returns its path.
func fakePython(t *testing.T, script string) string {
	t.Helper()
	python := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(python, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return python
}

func TestParseSummary(t *testing.T) {
	s, err := parseSummary(`{"env": "CartPole-v1", "epochs": 3, "curve": [NaN, 20.5, 480.0], "wall_s": 1.5, "update_s": 0.6, "rollout_steps_per_s": 12000.0}`)
	if err != nil {
		t.Fatal(err)
	}
	if s.Curve[0] != nil || *s.Curve[1] != 20.5 || *s.Curve[2] != 480 || s.UpdateS != 0.6 || s.RolloutStepsPerS != 12000 {
		t.Errorf("parsed %+v", s)
	}
	if _, err := parseSummary(`{"epochs": 2, "curve": [1]}`); err == nil {
		t.Error("a curve shorter than the epochs was accepted")
	}
}

// TestBenchPeerWithFakePython runs the peer side against a shell script that
// prints what the peer prints.
func TestBenchPeerWithFakePython(t *testing.T) {
	python := fakePython(t, `#!/bin/sh
echo "epoch   0  EpRet     21.50  episodes  185  rollout   0.30s  update   0.20s"
echo "epoch   1  EpRet       NaN  episodes    0  rollout   0.30s  update   0.20s"
echo "epoch   2  EpRet    490.00  episodes    8  rollout   0.30s  update   0.20s"
echo 'SUMMARY {"epochs": 3, "curve": [21.5, NaN, 490.0], "wall_s": 1.8, "update_s": 0.6, "rollout_steps_per_s": 13000.0, "pi_s": 0.002, "v_s": 0.25}'
`)
	cfg := vpg.Preset("CartPole-v1")
	cfg.Epochs = 3
	var out bytes.Buffer
	r, err := benchPeer(python, "peer.py", vpgPeerArgs(cfg, 0), 475, &out)
	if err != nil {
		t.Fatal(err)
	}
	if r.solvedEpoch != 2 || r.solvedWall <= 0 || r.stepsPerSec != 13000 || math.Abs(r.updatePerEp-0.2) > 1e-12 || r.piStep != 0.002 || r.vIter != 0.25 {
		t.Errorf("peer run %+v", r)
	}
	if !strings.Contains(out.String(), "peer | epoch   2  EpRet    490.00") {
		t.Errorf("epoch lines not echoed:\n%s", out.String())
	}
}

func TestBenchTable(t *testing.T) {
	cfg := vpg.Preset("CartPole-v1")
	ours := &benchRun{stepsPerSec: 30000, updatePerEp: 2, piStep: 0.02, vIter: 1.6, wall: 100, solvedEpoch: -1, peakRSS: 50 << 20}
	theirs := &benchRun{stepsPerSec: 15000, updatePerEp: 0.2, piStep: 0.004, vIter: 0.2, wall: 25, solvedEpoch: 12, solvedWall: 6, peakRSS: 250 << 20}
	var out bytes.Buffer
	printBenchTable(&out, cfg, 475, ours, theirs, "")
	for _, want := range []string{
		"rollout env steps/s                               30000        15000   2.00× better",
		"update s/epoch (1 π + 80 V steps)                 2.000        0.200   10.00× worse",
		"first epoch with mean return ≥ 475                never           12",
		"peak RSS MB                                          50          250   5.00× better",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	printBenchTable(&out, cfg, 475, ours, nil, "python3 cannot import torch")
	if !strings.Contains(out.String(), "(no peer run: python3 cannot import torch)") {
		t.Errorf("table without the peer does not say why:\n%s", out.String())
	}
}

func TestFindPeer(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "vpg", "cmd")
	peer := filepath.Join(root, "peer.py")
	for _, f := range []string{filepath.Join(root, "go.mod"), peer} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	got, err := findPeer("peer.py")
	if err != nil || got != peer {
		t.Errorf("findPeer from a subdirectory = %q, %v; want %q", got, err, peer)
	}
	if _, err := findPeer("missing.py"); err == nil {
		t.Error("a missing peer was found")
	}
}

func TestPeerScriptSaysWhyNot(t *testing.T) {
	dir := t.TempDir()
	peer, noTorch := filepath.Join(dir, "peer.py"), filepath.Join(dir, "python")
	if err := os.WriteFile(peer, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(noTorch, []byte("#!/bin/sh\nexit 1\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, why := peerScript(peer, noTorch, "CartPole-v1"); !strings.Contains(why, torchInstall) {
		t.Errorf("without torch: %q, want the install command", why)
	}
	if _, why := peerScript(peer, noTorch, "Acrobot-v1"); !strings.Contains(why, "only CartPole-v1 and Pendulum-v1") {
		t.Errorf("unknown environment: %q", why)
	}
	if _, why := peerScript(filepath.Join(dir, "nope.py"), noTorch, "CartPole-v1"); why == "" {
		t.Error("a missing script was accepted")
	}
}

func TestPeakRSS(t *testing.T) {
	if rss, err := peakRSS(); err != nil || rss < 1<<20 {
		t.Errorf("peakRSS = %d, %v", rss, err)
	}
}

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{{[]float64{3}, 3}, {[]float64{5, 1, 3}, 3}, {[]float64{4, 1, 3, 2}, 2.5}} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}

// peerBLAS reports the libraries torch's process mapped and calls the
// reference BLAS what it is.
func TestPeerBLAS(t *testing.T) {
	for _, tc := range []struct {
		lib       string
		reference bool
	}{
		{"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0", true},
		{"/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", false},
	} {
		python := fakePython(t, "#!/bin/sh\necho BLAS_INFO=generic\necho "+tc.lib+"\n")
		desc, reference := peerBLAS(python)
		if reference != tc.reference || !strings.Contains(desc, "torch BLAS_INFO=generic") || !strings.Contains(desc, "loads "+tc.lib) {
			t.Errorf("%s: peerBLAS = %q, reference %v; want it named, reference %v", tc.lib, desc, reference, tc.reference)
		}
	}
	if desc, reference := peerBLAS(filepath.Join(t.TempDir(), "no-python")); reference || !strings.HasPrefix(desc, "unknown") {
		t.Errorf("without python: %q, reference %v; want unknown, false", desc, reference)
	}
}
