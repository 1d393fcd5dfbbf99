package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg"
)

// The seeds table: govpg's runs and the peer's SEEDS line side by side,
// seeds per minute from each one's wall time.
func TestSeedsWithFakePython(t *testing.T) {
	python := fakePython(t, `#!/bin/sh
echo "jax 0.12.0.1"
echo 'SEEDS {"seeds": 2, "compile_s": 1.5, "train_s": 1.0, "wall_s": 3.0, "curves": [[10, 20], [30, 40]]}'
`)
	cfg := vpg.Preset("CartPole-v1")
	cfg.Epochs, cfg.StepsPerEpoch, cfg.TrainVIters, cfg.Hidden = 2, 200, 2, []int{16}
	var out bytes.Buffer
	if err := runSeeds(cfg, []int{2}, &peerPlan{family: "jax", python: python, script: "peer.py"}, &out); err != nil {
		t.Fatal(err)
	}
	// 2 seeds in 3 s: 40 seeds/min; finals 20 and 40.
	if !strings.Contains(out.String(), "|      1.50     1.00     3.00       40.0     30.0 |") {
		t.Errorf("table:\n%s", out.String())
	}

	none := fakePython(t, `#!/bin/sh
echo 'SEEDS {"compile_s": 1, "train_s": 1, "wall_s": 2, "curves": [[10, null]]}'
`)
	r, err := seedsPeer(none, "peer.py", nil)
	if err != nil || len(r.finals) != 1 || !math.IsNaN(r.finals[0]) {
		t.Errorf("a last epoch without an episode: %+v, %v; want a NaN final", r, err)
	}
	bad := fakePython(t, "#!/bin/sh\necho 'SUMMARY {}'\n")
	if _, err := seedsPeer(bad, "peer.py", nil); err == nil || !strings.Contains(err.Error(), "without a SEEDS line") {
		t.Errorf("no SEEDS line: error %v", err)
	}
}
