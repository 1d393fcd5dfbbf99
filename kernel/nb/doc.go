// Package nb holds the small helpers that the tutorial's notebooks share, so
// that their cells carry the idea and not the plumbing: stopping a cell on
// an error (Must), summary statistics of a slice (Mean, Std, Norm, Dot,
// RelDiff), the x axis of a chart (Steps), training with a learner's own
// weight function Ψ_t (Train), and the band of several seeds' learning
// curves (Band).
//
// Everything here is plain Go (on slices, or on a vpg.Trainer), with no
// notebook dependency. Train returns errors; the slice helpers panic with a
// message that names the problem, which GoNB shows under the cell.
package nb
