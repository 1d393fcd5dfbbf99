package diagram

import (
	"fmt"
	"math"
	"strings"
)

// The layout of a BackwardPass frame, in pixels.
const (
	bpWidth, bpHeight = 760.0, 400.0
	bpLeft, bpColW    = 120.0, 62.0
	bpBarW            = 34.0
	bpRewardBase      = 125.0 // y of the reward row's zero line
	bpReturnBase      = 285.0 // y of the future-return row's zero line
)

// BackwardPass draws the backward recursion R_t = r_{t+1} + γ·R_{t+1} over
// an episode: the rewards (rewards[t] is r_{t+1}) in one row, the future
// returns R (computed by the caller) filling in the row below from the last
// step to the first. It returns the frames of an animation: one before the
// pass, one per step, one with the result; the lines every frame shares come
// first, so envs.Animate stores them once.
func BackwardPass(rewards, R []float64, gamma float64) ([]string, error) {
	T := len(rewards)
	if T == 0 || len(R) != T {
		return nil, fmt.Errorf("diagram.BackwardPass: %d rewards and %d returns, want the same number, at least 1", T, len(R))
	}
	top := 0.0
	for t := range T {
		top = math.Max(top, math.Max(math.Abs(rewards[t]), math.Abs(R[t])))
	}
	scale := 60.0 // pixels per unit
	if top > 0 {
		scale /= top
	}
	var static strings.Builder
	fmt.Fprintf(&static, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif">`+"\n", bpWidth, bpHeight, bpWidth, bpHeight)
	fmt.Fprintf(&static, `<rect width="%g" height="%g" fill="#fff"/>`+"\n", bpWidth, bpHeight)
	fmt.Fprintf(&static, `<text x="%g" y="26" font-size="16" font-weight="bold" text-anchor="middle">The backward pass R%s = r%s + γ·R%s with γ = %g</text>`+"\n", bpWidth/2, Subscript("t"), Subscript("t+1"), Subscript("t+1"), gamma)
	fmt.Fprintf(&static, `<text x="20" y="%g" font-size="14">rewards r%s</text>`+"\n", bpRewardBase-70, Subscript("t+1"))
	fmt.Fprintf(&static, `<text x="20" y="%g" font-size="14">future returns R%s</text>`+"\n", bpReturnBase-70, Subscript("t"))
	for _, base := range []float64{bpRewardBase, bpReturnBase} {
		fmt.Fprintf(&static, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#333"/>`+"\n", bpLeft-bpColW/2, base, bpX(T-1)+bpColW/2, base)
	}
	for t := range T {
		static.WriteString(bpBar(t, rewards[t], bpRewardBase, scale, "#91cc75") + bpLabel(t, rewards[t], bpRewardBase, scale))
		fmt.Fprintf(&static, `<text x="%.1f" y="%g" font-size="12" text-anchor="middle" fill="#555">t = %d</text>`+"\n", bpX(t), bpReturnBase+75, t)
	}
	frame := func(from, current int, caption string) string {
		var b strings.Builder
		b.WriteString(static.String())
		if current >= 0 {
			fmt.Fprintf(&b, `<rect x="%.1f" y="45" width="%g" height="%g" fill="#fde68a" fill-opacity="0.45" rx="6"/>`+"\n", bpX(current)-bpColW/2+2, bpColW-4, bpReturnBase+85-45)
		}
		for t := from; t < T; t++ {
			fill := "#5470c6"
			if t == current {
				fill = "#ee6666"
			}
			b.WriteString(bpBar(t, R[t], bpReturnBase, scale, fill) + bpLabel(t, R[t], bpReturnBase, scale))
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="15" text-anchor="middle">%s</text>`+"\n", bpWidth/2, bpHeight-18, caption)
		b.WriteString("</svg>")
		return b.String()
	}
	sub := func(t int) string { return Subscript(fmt.Sprint(t)) }
	frames := []string{frame(T, -1, fmt.Sprintf("Start after the last step: there is no future, R%s = 0.", sub(T)))}
	for t := T - 1; t >= 0; t-- {
		next := 0.0
		if t+1 < T {
			next = R[t+1]
		}
		frames = append(frames, frame(t, t, fmt.Sprintf("R%s = r%s + γ·R%s = %.2f + %g × %.2f = %.2f", sub(t), sub(t+1), sub(t+1), rewards[t], gamma, next, R[t])))
	}
	frames = append(frames, frame(0, -1, fmt.Sprintf("Done: all %d future returns in one backward pass. R%s = %.2f is the whole return R(τ).", T, sub(0), R[0])))
	return frames, nil
}

// bpX is the centre of step t's column.
func bpX(t int) float64 { return bpLeft + bpColW*float64(t) }

// bpBar draws v as a bar on the zero line base, scale pixels per unit.
func bpBar(t int, v, base, scale float64, fill string) string {
	y, h := base-math.Max(v, 0)*scale, math.Abs(v)*scale
	return fmt.Sprintf(`<rect x="%.1f" y="%.1f" width="%g" height="%.1f" fill="%s"/>`+"\n", bpX(t)-bpBarW/2, y, bpBarW, h, fill)
}

// bpLabel writes v above its bar (below it when negative).
func bpLabel(t int, v, base, scale float64) string {
	y := base - v*scale - 6
	if v < 0 {
		y = base - v*scale + 15
	}
	return fmt.Sprintf(`<text x="%.1f" y="%.1f" font-size="12" text-anchor="middle">%.2f</text>`+"\n", bpX(t), y, v)
}
