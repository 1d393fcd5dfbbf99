package nn_test

import (
	"fmt"
	"log"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/nn"
)

// A value function is fitted by regression: here a 16-unit MLP learns
// y = x² on 32 points, 500 Adam steps on the CPU engine. The engine takes
// the gradient of the loss with respect to its outputs — here that of the
// mean squared error, 2(f − y)/N, by hand; vpg's learners get it from GoMLX.
func ExampleEngine() {
	x, y := make([]float64, 32), make([]float64, 32)
	for i := range x {
		x[i] = float64(i)/15.5 - 1 // [−1, 1]
		y[i] = x[i] * x[i]
	}
	store := model.NewStore()
	if err := store.SetRNGStateFromSeed(1); err != nil {
		log.Fatal(err)
	}
	// Build the network once as a graph, which creates and initialises its variables.
	model.MustExecOnce(nn.Backend(), store, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return nn.MLP(scope, x, []int{16}, 1)
	}, tensors.FromFlatDataAndDimensions(make([]float32, len(x)), len(x), 1)) // float32: the Net's dtype

	e, err := nn.NewEngine(nn.Net{In: 1, Hidden: []int{16}, Out: 1, DType: dtypes.Float32}, nn.Optimizer{LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Read(store.RootScope()); err != nil {
		log.Fatal(err)
	}
	mse := func() (float64, []float64) {
		f := e.Forward(nil, x)
		g, sum := make([]float64, len(f)), 0.0
		for i := range f {
			sum += (f[i] - y[i]) * (f[i] - y[i])
			g[i] = 2 * (f[i] - y[i]) / float64(len(f))
		}
		return sum / float64(len(f)), g
	}
	before, _ := mse()
	for range 500 {
		_, g := mse()
		if err := e.Step(g); err != nil {
			log.Fatal(err)
		}
	}
	after, _ := mse()
	if err := e.Write(); err != nil { // the graph sees the fitted weights from now on
		log.Fatal(err)
	}
	fmt.Printf("mean squared error: %.2f before, under 0.001 after: %v\n", before, after < 0.001)
	// Output:
	// mean squared error: 0.38 before, under 0.001 after: true
}
