// Package anim builds the tutorial's animated visual aids as self-contained SVG
// documents that play inline in Jupyter and in nbconvert's HTML export: frames are
// joined by vpg/svg.Animate (CSS keyframes, no script, nothing from the network).
//
// Two pictures:
//
//   - Credit: one episode playing, with the weight Ψ_t each estimator gives each step
//     as a row of bars under it (the current step highlighted), then the change of
//     log π(a_t|s_t) that one policy update made, green up and red down.
//   - Maps: quantities over a 2-D grid of states (π(push right | θ, θ̇), V(s), μ(s)) as
//     heatmaps, one frame per training epoch, with a curve (a hand-written rule)
//     drawn on the last frame.
//
// The builders take plain numbers and return SVG strings. capture.go gets those
// numbers from a vpg.Trainer: an episode of a collected batch with its Ψ rows
// (CaptureCredit) and the policy and value function evaluated on a grid (CartPoleGrid,
// PendulumGrid).
//
// Heatmap cells are drawn as small PNG images embedded in the SVG (data URIs): a
// 41×41 grid as rectangles would cost ~70 kB per panel and frame, as a PNG ~2 kB.
package anim
