package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/govpg/govpg/vpg"
)

// sb3Window is the SB3 race's criterion, for SB3 and for govpg's PPO alike:
// the episodes that ended in the last sb3Window environment steps (all
// copies together) average at least the target. It is a VPG epoch's steps,
// so that govpg's VPG, judged on an epoch's mean, is judged alike.
const sb3Window = 4000

// sb3Summary is the SB3 script's last line.
type sb3Summary struct {
	Algo         string   `json:"algo"`
	Steps        int      `json:"steps"`
	WallS        float64  `json:"wall_s"`
	LearnS       float64  `json:"learn_s"`
	SolvedSteps  *int     `json:"solved_steps"`
	SolvedWallS  *float64 `json:"solved_wall_s"`
	Budget       int      `json:"budget"`
	NEnvs        int      `json:"n_envs"`
	EpisodesSeen int      `json:"episodes"`

	Settings *sb3PPOSettings `json:"settings"` // PPO's only
}

// benchSB3 runs the SB3 script for one algorithm and returns its result
// (solvedEpoch holds the environment steps to the target, -1: never) and,
// for PPO, the settings it ran with.
func benchSB3(python, script, algo string, seed uint64, target float64, extra []string, stdout io.Writer) (*benchRun, *sb3PPOSettings, error) {
	args := append([]string{script, "--algo", algo, "--seed", strconv.FormatUint(seed, 10), "--target", fmt.Sprint(target),
		"--window", strconv.Itoa(sb3Window)}, extra...)
	cmd := exec.Command(python, args...)
	cmd.Env = peerEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, nil, fmt.Errorf("the SB3 peer (%s) failed: %w\n%s", algo, err, stderr.String())
	}
	var s *sb3Summary
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if js, ok := strings.CutPrefix(line, "SUMMARY "); ok {
			s = new(sb3Summary)
			if err := json.Unmarshal([]byte(js), s); err != nil {
				return nil, nil, fmt.Errorf("the SB3 peer's SUMMARY line: %w", err)
			}
			continue
		}
		fmt.Fprintf(stdout, "sb3 %s | %s\n", algo, line)
	}
	if s == nil {
		return nil, nil, errors.New("the SB3 peer ended without a SUMMARY line")
	}
	r := &benchRun{wall: s.WallS, learn: s.LearnS, solvedEpoch: -1}
	if s.SolvedSteps != nil && s.SolvedWallS != nil {
		r.solvedEpoch, r.solvedWall = *s.SolvedSteps, *s.SolvedWallS
		fmt.Fprintf(stdout, "sb3 %s | mean return ≥ %g after %d env steps (%d copies), %.1f s from starting Python\n", algo, target, *s.SolvedSteps, s.NEnvs, *s.SolvedWallS)
	} else {
		fmt.Fprintf(stdout, "sb3 %s | never reached mean return ≥ %g in rl-zoo's budget of %d steps (%.1f s)\n", algo, target, s.Budget, s.WallS)
	}
	return r, s.Settings, nil
}

// printSB3Row compares the wall time to the target with an SB3 run's, whose
// solvedEpoch holds environment steps.
func printSB3Row(w io.Writer, target float64, ours, sb3 *benchRun) {
	if sb3.solvedEpoch < 0 {
		fmt.Fprintf(w, "never reached mean return ≥ %g in rl-zoo's step budget (%.1f s)\n", target, sb3.wall)
		return
	}
	fmt.Fprintf(w, "mean return ≥ %g after %d env steps, %.1f s from starting Python", target, sb3.solvedEpoch, sb3.solvedWall)
	if ours.solvedEpoch >= 0 {
		fmt.Fprintf(w, "; govpg after epoch %d, %.1f s: govpg %.2f× faster", ours.solvedEpoch, ours.solvedWall, sb3.solvedWall/ours.solvedWall)
	}
	fmt.Fprintln(w)
}

// sb3PPOSettings is what the SB3 peer's PPO ran with, read back from SB3's
// model: rl-zoo's values and SB3's defaults.
type sb3PPOSettings struct {
	NEnvs              int     `json:"n_envs"`
	NSteps             int     `json:"n_steps"`
	BatchSize          int     `json:"batch_size"`
	NEpochs            int     `json:"n_epochs"`
	Gamma              float64 `json:"gamma"`
	GAELambda          float64 `json:"gae_lambda"`
	EntCoef            float64 `json:"ent_coef"`
	VFCoef             float64 `json:"vf_coef"`
	MaxGradNorm        float64 `json:"max_grad_norm"`
	NormalizeAdvantage bool    `json:"normalize_advantage"`
	ClipRangeVF        bool    `json:"clip_range_vf"`
	LearningRate       float64 `json:"learning_rate"` // the start of a linear fall to 0 over the budget
	ClipRange          float64 `json:"clip_range"`    // the same
	AdamEps            float64 `json:"adam_eps"`
	OrthoInit          bool    `json:"ortho_init"`
	PiArch             []int   `json:"pi_arch"`
	VFArch             []int   `json:"vf_arch"`
	Activation         string  `json:"activation"`
	Budget             int     `json:"budget"`
}

// config is govpg's PPO on CartPole-v1 with the settings s, or why it
// cannot have them. Two differences stay: govpg's clip ratio holds where
// SB3's falls with the learning rate, and govpg gives π and V an Adam and a
// gradient-norm clip each where SB3 steps both on one summed loss.
func (s sb3PPOSettings) config(seed uint64) (vpg.Config, error) {
	steps := s.NEnvs * s.NSteps
	switch {
	case !slices.Equal(s.PiArch, s.VFArch):
		return vpg.Config{}, fmt.Errorf("SB3's π has hidden layers %v and V %v; govpg's share their sizes", s.PiArch, s.VFArch)
	case s.Activation != "Tanh":
		return vpg.Config{}, fmt.Errorf("SB3's networks use %s; govpg's use tanh", s.Activation)
	case s.ClipRangeVF:
		return vpg.Config{}, errors.New("SB3 clips V's change with its own range; govpg clips it with the policy's")
	case s.BatchSize <= 0 || steps%s.BatchSize != 0:
		return vpg.Config{}, fmt.Errorf("SB3's minibatch of %d does not divide its %d steps per update", s.BatchSize, steps)
	}
	c := vpg.PPOPreset("CartPole-v1")
	c.Seed = seed
	c.NumEnvs, c.StepsPerEpoch, c.Epochs = s.NEnvs, steps, s.Budget/steps
	c.UpdateEpochs, c.Minibatches = s.NEpochs, steps/s.BatchSize
	c.Gamma, c.Lambda = s.Gamma, s.GAELambda
	c.EntropyCoef, c.ValueCoef, c.MaxGradNorm, c.AdamEps = s.EntCoef, s.VFCoef, s.MaxGradNorm, s.AdamEps
	c.PiLR, c.VfLR, c.AnnealLR = s.LearningRate, s.LearningRate, true
	c.ClipRatio, c.ClipValueLoss = s.ClipRange, false
	c.OrthogonalInit = s.OrthoInit
	c.NormalizeAdvantages, c.MinibatchNormalize = false, s.NormalizeAdvantage
	c.Hidden = slices.Clone(s.PiArch)
	return c, c.Validate()
}

// benchPPOLikeSB3 trains govpg's PPO with cfg (sb3PPOSettings.config)
// until the episodes that ended in the last sb3Window steps average at
// least target, checked at the end of each epoch. Like benchSB3's, its
// solvedEpoch holds environment steps; the wall time counts from creating
// the trainer.
func benchPPOLikeSB3(cfg vpg.Config, target float64) (*benchRun, error) {
	start := time.Now()
	t, err := vpg.NewTrainer(cfg)
	if err != nil {
		return nil, err
	}
	r := &benchRun{solvedEpoch: -1}
	var ends []int // every finished episode's step stamp, all copies counted
	var returns []float64
	err = t.Train(func(m vpg.EpochMetrics) bool {
		b := t.LastBatch()
		for k, e := range b.EpisodeEnds { // m.TotalSteps counts this epoch's steps
			ends = append(ends, m.TotalSteps-cfg.StepsPerEpoch+(e+1)*cfg.NumEnvs)
			returns = append(returns, b.EpisodeReturns[k])
		}
		now := m.TotalSteps
		first, _ := slices.BinarySearch(ends, now-sb3Window+1)
		if len(returns[first:]) > 0 && meanOf(returns[first:]) >= target {
			r.solvedEpoch, r.solvedWall = now, time.Since(start).Seconds()
			return false
		}
		return true
	})
	r.wall = time.Since(start).Seconds()
	return r, err
}

// ppoLikeSB3 runs benchPPOLikeSB3 with the SB3 peer's PPO settings s, or
// says why govpg's PPO cannot take them (nil, nil).
func ppoLikeSB3(s sb3PPOSettings, seed uint64, target float64, stdout io.Writer) (*benchRun, error) {
	cfg, err := s.config(seed)
	if err != nil {
		fmt.Fprintf(stdout, "govpg ppo | not run: %v\n", err)
		return nil, nil
	}
	fmt.Fprintf(stdout, "\ngovpg's PPO with the SB3 peer's settings (%d copies × %d steps, %d passes × %d minibatches, γ %g, λ %g, lr %g and clip %g, %v):\n",
		cfg.NumEnvs, cfg.StepsPerEpoch/cfg.NumEnvs, cfg.UpdateEpochs, cfg.Minibatches, cfg.Gamma, cfg.Lambda, cfg.PiLR, cfg.ClipRatio, cfg.Hidden)
	r, err := benchPPOLikeSB3(cfg, target)
	if err != nil {
		return nil, err
	}
	if r.solvedEpoch < 0 {
		fmt.Fprintf(stdout, "govpg ppo | never reached mean return ≥ %g in %d steps (%.1f s)\n", target, cfg.Epochs*cfg.StepsPerEpoch, r.wall)
	} else {
		fmt.Fprintf(stdout, "govpg ppo | mean return ≥ %g after %d env steps, %.2f s\n", target, r.solvedEpoch, r.solvedWall)
	}
	return r, nil
}

// printLikeSB3 compares SB3's PPO run with govpg's PPO on its settings:
// environment steps and wall time to the target.
func printLikeSB3(w io.Writer, target float64, ours, sb3 *benchRun) {
	if ours.solvedEpoch < 0 {
		fmt.Fprintf(w, "govpg's PPO with these settings never reached mean return ≥ %g (%.1f s)\n", target, ours.wall)
		return
	}
	fmt.Fprintf(w, "govpg's PPO with these settings: mean return ≥ %g after %d env steps, %.2f s", target, ours.solvedEpoch, ours.solvedWall)
	if sb3.solvedEpoch >= 0 {
		fmt.Fprintf(w, ": like for like, govpg %.2f× faster (%.2f× against SB3's %.1f s in learn(), imports and set-up left out)",
			sb3.solvedWall/ours.solvedWall, sb3.learn/ours.solvedWall, sb3.learn)
	}
	fmt.Fprintln(w)
}
