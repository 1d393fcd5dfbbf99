package main

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/govpg/govpg/vpg/envs"
)

// TestEvalRenderFlagBounds: every size flag is bounded, and the error names
// the flag and the allowed range before any checkpoint is read.
func TestEvalRenderFlagBounds(t *testing.T) {
	ckpt := filepath.Join(t.TempDir(), "model.json")
	if err := os.WriteFile(ckpt, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"eval", "--ckpt", ckpt, "--episodes", "1000000000000000000"}, "vpg eval: --episodes 1000000000000000000 is out of range, want 1 … 100000"},
		{[]string{"eval", "--ckpt", ckpt, "--episodes", "0"}, "--episodes 0 is out of range"},
		{[]string{"eval", "--ckpt", "/dev/zero"}, "vpg eval: /dev/zero is not a regular file"},
		{[]string{"eval", "--ckpt", filepath.Join(t.TempDir(), "none.json")}, "vpg eval: no checkpoint at"},
		{[]string{"render", "--ckpt", ckpt, "--fps", "1e-300"}, "vpg render: --fps 1e-300 is out of range, want 0.01 … 1000"},
		{[]string{"render", "--ckpt", ckpt, "--fps", "NaN"}, `--fps "NaN" is not a finite number`},
		{[]string{"render", "--ckpt", ckpt, "--fps", "1e9"}, "--fps 1e+09 is out of range"},
		{[]string{"render", "--ckpt", ckpt, "--max-steps", "9223372036854775807"}, "vpg render: --max-steps 9223372036854775807 is out of range, want 1 … 100000"},
		{[]string{"render", "--ckpt", ckpt, "--max-steps", "0"}, "--max-steps 0 is out of range"},
		{[]string{"render", "--ckpt", "/dev/zero"}, "vpg render: /dev/zero is not a regular file"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		if err := dispatch(tt.args, &out); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want one containing %q", tt.args, err, tt.want)
		}
	}
}

// recordEpisode turns the environment's *envs.ActionError panic and the
// policy's own error into errors.
func TestRecordEpisodeErrors(t *testing.T) {
	env := envs.NewPendulum()
	_, _, err := recordEpisode(env, func([]float64) []float64 { return []float64{math.NaN()} }, 1, 10)
	var ae *envs.ActionError
	if !errors.As(err, &ae) || ae.Env != "Pendulum-v1" || !strings.Contains(err.Error(), "parameters finite") {
		t.Errorf("NaN action: error %v, want one wrapping *envs.ActionError", err)
	}
	boom := errors.New("boom")
	if _, _, err := recordEpisode(env, func([]float64) []float64 { panic(policyError{boom}) }, 1, 10); !errors.Is(err, boom) {
		t.Errorf("policy error: got %v, want %v", err, boom)
	}
	frames, ret, err := recordEpisode(env, func([]float64) []float64 { return []float64{0} }, 1, 10)
	if err != nil || len(frames) != 11 || !(ret < 0) {
		t.Errorf("good policy: %d frames, return %v, error %v; want 11 frames, a negative return, no error", len(frames), ret, err)
	}
}
