// Package nb holds the small helpers that the tutorial's notebooks share, so
// that their cells carry the idea and not the plumbing: stopping a cell on
// an error (Must), summary statistics of a slice (Mean, Std, Norm, Dot,
// RelDiff), and the x axis of a chart (Steps).
//
// Everything here is plain Go on slices, with no notebook dependency; each
// function panics with a message that names the problem, which GoNB shows
// under the cell.
package nb
