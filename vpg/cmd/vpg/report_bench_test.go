package main

import (
	"testing"

	"github.com/govpg/govpg/vpg"
)

// BenchmarkReport is the cost of one report.html of a 20 000-epoch run.
func BenchmarkReport(b *testing.B) {
	hist := make([]vpg.EpochMetrics, 20_000)
	for i := range hist {
		hist[i] = vpg.EpochMetrics{Epoch: i, Episodes: 1, MeanReturn: float64(i % 7), MinReturn: -2, MaxReturn: 2}
	}
	cfg := vpg.Preset("CartPole-v1")
	for b.Loop() {
		b.SetBytes(int64(len(htmlReport(cfg, hist))))
	}
}
