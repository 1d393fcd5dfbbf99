// Package nb is the small plumbing every notebook needs, so that cells carry
// the idea and not the loops: [Must] for calls that return an error, statistics
// of a slice ([Sum], [Mean], [Var], [Std], [StdErr], [Correlation]), vectors ([Dot],
// [Norm], [Sub], [MaxAbsDiff], [RelDiff], [Argmax]), x axes and labels for charts
// ([Range], [Grid], [Labels], [Map]), a place for files a later cell reads
// ([TempPath]), [PointsWithLines], a scatter with lines drawn over it; and
// training with a learner's own weight Ψ_t ([Epoch], [Train], [Curves],
// [DashboardEpoch] for a live display.Dashboard) with the
// learning curves of several seeds drawn as a band ([Band], [BandSeries],
// [DrawBands], [BandTable], [Last]); for a function the learner edits,
// [Weights] (its Ψ_t on a batch, or a ⚠ naming it) and [Agrees] (✓ when it
// equals the built-in, a ⚠ with the size of the difference
// otherwise, and the notebook goes on), [BiasTest] and [BiasTestGamma] (is a Ψ
// biased? measured against the exact gradient of the short corridor) and
// [FuncName]; [Cached] keeps a reference result across runs of a cell.
// A learner's formula written as a GoMLX graph is checked against the
// library's with [ValueAndGradient] (its value and autodiff gradients);
// [Flatten] lays a model's parameters end to end, to compare two trainings.
//
// Bad input (an error passed to Must, an empty slice, NaN or ±Inf values,
// slices of different lengths) ends the cell program with one line on stderr,
// "✗ nb.Mean: …" naming the bad value, and exit status 1, which fails the cell
// the way a failed display.Checkf does, with no panic trace to read through.
package nb
