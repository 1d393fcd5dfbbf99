// Package diagram draws the notebooks' hand-made SVG diagrams, so that a cell
// says what a diagram shows (the stages of VPG, a distribution's
// probabilities, which pseudocode line maps to which function) and one call
// draws it: [Loop] for the cycle of an algorithm around its environment,
// [ProbBars] for a categorical distribution as bars, and [SourceMap] for
// pseudocode next to the lines of the repository's source that implement it
// (found with go/parser, so the diagram follows the code).
//
// Every function returns the SVG text; display.SVG shows it and
// envs.Animate turns a list of them into an animation.
package diagram
