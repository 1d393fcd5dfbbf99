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
// y = x² on 32 points, 500 Adam steps on the CPU engine.
func ExampleEngine() {
	x, y := make([]float32, 32), make([]float32, 32)
	for i := range x {
		x[i] = float32(i)/15.5 - 1 // [−1, 1]
		y[i] = x[i] * x[i]
	}
	xs, ys := tensors.FromFlatDataAndDimensions(x, len(x), 1), tensors.FromFlatDataAndDimensions(y, len(y), 1)
	scope := model.NewStore()
	if err := scope.SetRNGStateFromSeed(1); err != nil {
		log.Fatal(err)
	}
	// Build the network once, which creates and initialises its variables.
	model.MustExecOnce(nn.Backend(), scope, func(scope *model.Scope, x *graph.Node) *graph.Node {
		return nn.MLP(scope, x, []int{16}, 1)
	}, xs)

	fit, err := nn.NewEngine(nn.Net{In: 1, Hidden: []int{16}, Out: 1, DType: dtypes.Float32}, nn.Optimizer{LR: 0.01})
	if err != nil {
		log.Fatal(err)
	}
	if err := fit.Read(scope.RootScope()); err != nil {
		log.Fatal(err)
	}
	losses, err := fit.Fit(xs, ys, 500)
	if err != nil {
		log.Fatal(err)
	}
	before, after := losses[0], losses[500]
	if err := fit.Write(); err != nil { // the graph sees the fitted weights from now on
		log.Fatal(err)
	}
	fmt.Printf("mean squared error: %.2f before, under 0.001 after: %v\n", before, after < 0.001)
	// Output:
	// mean squared error: 0.38 before, under 0.001 after: true
}
