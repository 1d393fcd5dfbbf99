package vpg_test

import (
	"fmt"

	"github.com/govpg/govpg/vpg"
)

func ExampleReturn() {
	fmt.Println(vpg.Return([]float64{1, 1, 1}, 0.5))
	// Output: 1.75
}

func ExampleRewardToGo() {
	// R_t = r_t + γ R_{t+1}, computed backwards from the last step.
	fmt.Println(vpg.RewardToGo([]float64{1, 1, 1}, 0.5))
	// Output: [1.75 1.5 1]
}

func ExampleNStepReturns() {
	// Two real rewards, then V of the state two steps ahead; at the end of the
	// segment the bootstrap is lastValue = 10.
	rewards, values := []float64{1, 1, 1}, []float64{4, 4, 4}
	fmt.Println(vpg.NStepReturns(rewards, values, 10, 2, 0.5))
	// Output: [2.5 4 6]
}

func ExampleGAE() {
	// The trajectory was cut off in a state whose value is 2 (it would be 0 had it terminated).
	adv, ret := vpg.GAE([]float64{1, 1, 1}, []float64{1, 1, 1}, 2, 1, 0)
	fmt.Println(adv, ret) // λ = 0: the TD residuals r_t + γV_{t+1} − V_t
	// Output: [1 1 2] [5 4 3]
}

func ExampleLogSoftmax() {
	// Stable even for logits that would overflow exp().
	fmt.Println(vpg.LogSoftmax([]float64{1000, 1000}))
	// Output: [-0.6931471805599453 -0.6931471805599453]
}

func ExampleDiagGaussianLogProb() {
	fmt.Printf("%.4f\n", vpg.DiagGaussianLogProb([]float64{0, 0}, []float64{0, 0}, []float64{0, 0}))
	// Output: -1.8379
}
