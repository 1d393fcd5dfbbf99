// Package nn holds the neural-network pieces of govpg on top of GoMLX.
//
//   - Backend / BackendErr: the one GoMLX backend of the process, pure Go
//     (SimpleGo) unless GOMLX_BACKEND asks for XLA and the binary was built
//     with the "xla" tag, so that builds and tests never need native libraries.
//   - MLP: tanh multi-layer perceptron whose forward and backward passes are
//     plain matrix products. GoMLX's generic autodiff of a dense layer costs
//     an order of magnitude more than those products on the pure-Go backend,
//     which made the value-function update of VPG the bottleneck of training.
//   - Regressor: the value-function regression (mean squared error, Adam or
//     SGD) in plain Go on gonum's BLAS, used by the trainer on the pure-Go
//     backend, where it runs 3–4× faster than the same step as a graph.
//   - Weights: a plain-Go copy of an MLP's parameters with a graph-free
//     forward pass, for rollouts, where the batch is only as large as the
//     number of environments and a graph call's fixed overhead dominates.
//
// The benchmarks (go test -bench . ./vpg/nn) print the update and forward
// timings in wall and CPU milliseconds.
package nn
