package main

import (
	"flag"
	"fmt"
	"io"
	"math"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
)

func runEval(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	ckpt := fs.String("ckpt", "", "checkpoint written by train (required)")
	episodes := fs.Int("episodes", 10, "episodes to play")
	greedy := fs.Bool("greedy", true, "take the most likely action (false: sample from π)")
	seed := fs.Uint64("seed", 1000, "seed of the first episode (episode k uses seed+k)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ckpt == "" {
		return fmt.Errorf("eval: --ckpt is required")
	}
	t, err := vpg.Load(*ckpt)
	if err != nil {
		return err
	}
	rets, err := t.Evaluate(*episodes, *greedy, *seed)
	if err != nil {
		return err
	}
	mean, sd := 0.0, 0.0
	for _, r := range rets {
		mean += r
	}
	mean /= float64(len(rets))
	for _, r := range rets {
		sd += (r - mean) * (r - mean)
	}
	sd = math.Sqrt(sd / float64(len(rets)))
	mode := "sampled"
	if *greedy {
		mode = "greedy"
	}
	fmt.Fprintf(stdout, "%s: mean return %.2f ± %.2f over %d %s episodes\n", t.Config().Env, mean, sd, len(rets), mode)
	return nil
}

func runRender(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("render", flag.ContinueOnError)
	ckpt := fs.String("ckpt", "", "checkpoint written by train (required)")
	out := fs.String("out", "episode.svg", "animated SVG to write")
	greedy := fs.Bool("greedy", true, "take the most likely action (false: sample from π)")
	seed := fs.Uint64("seed", 1000, "episode seed")
	fps := fs.Float64("fps", 50, "frames per second")
	maxSteps := fs.Int("max-steps", 500, "longest episode to record")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *ckpt == "" {
		return fmt.Errorf("render: --ckpt is required")
	}
	if *maxSteps < 1 || !(*fps > 0) {
		return fmt.Errorf("render: --max-steps %d and --fps %v must be positive", *maxSteps, *fps)
	}
	t, err := vpg.Load(*ckpt)
	if err != nil {
		return err
	}
	env, err := envs.Make(t.Config().Env)
	if err != nil {
		return err
	}
	var actErr error
	policy := func(obs []float64) []float64 {
		a, err := t.Act(obs, *greedy)
		if err != nil && actErr == nil {
			actErr = err
		}
		return a
	}
	frames, ret := envs.Record(env, policy, *seed, *maxSteps)
	if actErr != nil {
		return actErr
	}
	if err := atomicfile.Write(*out, []byte(envs.Animate(frames, *fps))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d frames, return %.2f, written to %s\n", t.Config().Env, len(frames), ret, *out)
	return nil
}
