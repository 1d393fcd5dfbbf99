// Package nn holds the neural-network pieces of govpg on top of GoMLX.
//
//   - Backend / BackendErr: the one GoMLX backend of the process, pure Go
//     ("go", github.com/gomlx/compute/gobackend) unless GOMLX_BACKEND asks for XLA and the binary was built
//     with the "xla" tag, so that builds and tests never need native libraries.
//     Sequential is a second pure-Go instance that runs a graph's ops one
//     after another, for graphs of a few thousand values (vpg's loss graphs).
//   - Net: the one definition of a multi-layer perceptron (sizes, activation,
//     dtype). Net.Graph (and MLP, its tanh shorthand) builds it as a GoMLX
//     graph (GoMLX's autodiff differentiates it); NewEngine builds it
//     on the CPU, with AVX2, AVX-512 or NEON matrix kernels (plain Go
//     elsewhere) and the batch's chunks spread over a crew of goroutines: a
//     forward pass, and Adam or SGD steps from the gradient of a loss with
//     respect to its outputs (Engine.Step after Forward: vpg's CPU learner
//     gets that gradient from GoMLX). AVX2, AVX-512 and NEON give the same
//     bits, on any number of cores; plain Go rounds its products
//     differently, as deterministically.
//   - Activation: the table of activations, each with its graph form, CPU
//     form and derivative.
//
// The benchmarks (go test -bench . ./vpg/nn) print the update and forward
// timings in wall and CPU milliseconds.
package nn
