package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTrainEvalRender(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	err := dispatch([]string{"train", "--env", "CartPole-v1", "--epochs", "2", "--steps", "200", "--envs", "4", "--out", dir}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 4 { // header, 2 epochs, "saved"
		t.Errorf("train printed %d lines, want 4:\n%s", lines, out.String())
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(report), "<svg") || !strings.Contains(string(report), "<polyline") {
		t.Error("report lacks an inline SVG learning curve")
	}
	if strings.Contains(string(report), "<script") || strings.Contains(string(report), "src=") {
		t.Error("report should be self-contained: no scripts, no external sources")
	}
	ckpt := filepath.Join(dir, "model.json")
	out.Reset()
	if err := dispatch([]string{"eval", "--ckpt", ckpt, "--episodes", "2"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "mean return") {
		t.Errorf("eval printed %q", out.String())
	}
	svg := filepath.Join(dir, "episode.svg")
	out.Reset()
	if err := dispatch([]string{"render", "--ckpt", ckpt, "--out", svg, "--max-steps", "20"}, &out); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(svg); err != nil || !strings.HasPrefix(strings.TrimSpace(string(data)), "<svg") {
		t.Errorf("render wrote %.40q, %v", data, err)
	}
}

func TestErrors(t *testing.T) {
	var out bytes.Buffer
	if err := dispatch([]string{"fly"}, &out); err == nil || !strings.Contains(err.Error(), "train") {
		t.Errorf("unknown command: %v", err)
	}
	if err := dispatch([]string{"train", "--env", "Nope-v0", "--out", t.TempDir()}, &out); err == nil || !strings.Contains(err.Error(), "Nope-v0") {
		t.Errorf("unknown env: %v", err)
	}
	if err := dispatch([]string{"eval"}, &out); err == nil || !strings.Contains(err.Error(), "--ckpt") {
		t.Errorf("eval without --ckpt: %v", err)
	}
	if err := dispatch(nil, &out); err != nil || !strings.Contains(out.String(), "render") {
		t.Errorf("usage: %v %q", err, out.String())
	}
}
