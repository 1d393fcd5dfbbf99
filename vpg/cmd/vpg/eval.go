package main

import (
	"fmt"
	"io"
	"math"

	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/envs"
	"github.com/govpg/govpg/vpg/internal/atomicfile"
	"github.com/govpg/govpg/vpg/svg"
)

// maxRenderSteps bounds render's --max-steps (eval's --episodes has
// vpg.MaxEvalEpisodes): far beyond any useful value, and low enough that a
// typo fails at once. Record stops at the environment's time limit (≤ 1000) anyway.
const maxRenderSteps = 100_000

func runEval(args []string, stdout io.Writer) error {
	fs := newFlagSet("eval", stdout)
	ckpt := fs.String("ckpt", "", "checkpoint written by train (required)")
	episodes := fs.Int("episodes", 10, 1, vpg.MaxEvalEpisodes, "episodes to play")
	greedy := fs.Bool("greedy", true, "take the most likely action (false: sample from π)")
	seed := fs.Uint64("seed", 1000, "seed of the first episode (episode k uses seed+k)")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *ckpt == "" {
		return fmt.Errorf("%s is required", fs.typed("ckpt"))
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
	fs := newFlagSet("render", stdout)
	ckpt := fs.String("ckpt", "", "checkpoint written by train (required)")
	out := fs.String("out", "episode.svg", "animated SVG to write")
	greedy := fs.Bool("greedy", true, "take the most likely action (false: sample from π)")
	seed := fs.Uint64("seed", 1000, "episode seed")
	fps := fs.Float("fps", 50, svg.MinFPS, svg.MaxFPS, "frames per second")
	maxSteps := fs.Int("max-steps", 500, 1, maxRenderSteps, "longest episode to record")
	if err := fs.parse(args); err != nil {
		return err
	}
	if *ckpt == "" {
		return fmt.Errorf("%s is required", fs.typed("ckpt"))
	}
	t, err := vpg.Load(*ckpt)
	if err != nil {
		return err
	}
	env, err := envs.Make(t.Config().Env)
	if err != nil {
		return err
	}
	policy := func(obs []float64) []float64 {
		a, err := t.Act(obs, *greedy)
		if err != nil {
			panic(policyError{err})
		}
		return a
	}
	frames, ret, err := recordEpisode(env, policy, *seed, *maxSteps)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, []byte(svg.Animate(frames, *fps))); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d frames, return %.2f, written to %s\n", t.Config().Env, len(frames), ret, *out)
	return nil
}

// policyError carries a policy's error out of envs.Record, which has no
// error path, to recordEpisode.
type policyError struct{ err error }

// recordEpisode is envs.Record returning, instead of panicking with, the
// policy's error or the environment's *envs.ActionError.
func recordEpisode(env envs.Env, policy func([]float64) []float64, seed uint64, maxSteps int) (frames []string, ret float64, err error) {
	defer func() {
		switch p := recover().(type) {
		case nil:
		case policyError:
			err = p.err
		case *envs.ActionError:
			err = fmt.Errorf("the policy chose an action the environment rejects (are the checkpoint's parameters finite?): %w", p)
		default:
			panic(p)
		}
	}()
	frames, ret = envs.Record(env, policy, seed, maxSteps)
	return frames, ret, nil
}
