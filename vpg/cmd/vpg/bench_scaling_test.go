package main

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/nn"
)

// A 4→64→64→1 value network has 4·64 + 64·64 + 64·1 = 4416 multiply-adds
// per row forward; backward as many for the weight gradients and 4416 − 256
// for the input gradients past the first layer: 3·4416 − 256 per row, 2
// flops each.
func TestVStepFLOPs(t *testing.T) {
	if got, want := vStepFLOPs(4, []int{64, 64}, 10), 2*10*(3*4416-256.0); got != want {
		t.Errorf("vStepFLOPs = %v, want %v", got, want)
	}
}

// scalePeer takes each time's best over the SUMMARY's epoch_times but the
// first (warm-up).
func TestScalePeerWithFakePython(t *testing.T) {
	python := fakePython(t, `#!/bin/sh
echo "jax 0.12.0.1"
echo 'SUMMARY {"steps_per_epoch": 4096, "curve": [NaN, 20], "epoch_times": [[0.1, 0.001, 0.01], [0.5, 0.003, 0.08], [0.7, 0.002, 0.09]]}'
`)
	got, err := scalePeer(python, "peer.py", nil, 8)
	if err != nil {
		t.Fatal(err)
	}
	if want := (scaleTimes{8192, 0.002, 0.01}); got != want {
		t.Errorf("scalePeer = %+v, want %+v", got, want)
	}
	if got.updatePerEpoch() != 0.002+80*0.01 {
		t.Errorf("update per epoch %v", got.updatePerEpoch())
	}
}

// The table and the chart hold every setting and every trainer that ran;
// the chart is well-formed XML with one bar per result.
func TestScalingTableAndChart(t *testing.T) {
	var results []scaleResult
	bars := 0
	for _, ax := range scaleAxes {
		for _, v := range ax.values {
			r := scaleResult{ax.name, v, 1e9, map[string]scaleTimes{"govpg": {1e6, 0.001, 0.01}, "jax": {2e6, 0.001, 0.005}}}
			if ax.name != "environment copies" || v == 1 {
				r.times["torch"] = scaleTimes{1e4, 0.005, 0.05}
			}
			bars += len(r.times)
			results = append(results, r)
		}
	}
	peak := nn.Peak{Kernel: "AVX2 FMA", Threads: 2, GFLOPS: 200}
	var out bytes.Buffer
	printScaling(&out, results, peak, 8)
	for _, want := range []string{
		"hidden width 1024        |    0.801    0.401    4.005 |   100.0 (50%)  200.0 (100%)    20.0 (10%) |   1000000   2000000     10000",
		"environment copies 64    |    0.801    0.401        - |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	svg := scalingChart(results, peak, 8)
	if err := xml.Unmarshal([]byte(svg), new(any)); err != nil {
		t.Errorf("chart is not XML: %v", err)
	}
	if n := strings.Count(svg, "<rect x="); n != bars+3 { // + 3 legend swatches
		t.Errorf("chart has %d bars, want %d", n-3, bars)
	}
}
