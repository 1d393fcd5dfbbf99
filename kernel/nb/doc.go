// Package nb holds the small helpers that the tutorial's notebooks share, so
// that their cells carry the idea and not the plumbing: stopping a cell on
// an error (Must), summary statistics of a slice (Mean, Std, Norm, Dot,
// RelDiff, MaxAbsDiff), the x axis of a chart (Steps), and training with a
// learner's own weight Ψ_t (Epoch, Curves) with the multi-seed learning
// curves drawn as a band (Band, BandSeries, Last).
//
// Each function panics with a message that names the problem, which GoNB
// shows under the cell.
package nb
