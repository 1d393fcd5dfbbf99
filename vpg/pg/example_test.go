package pg_test

import (
	"fmt"

	"github.com/govpg/govpg/vpg/pg"
)

func ExampleReturn() {
	fmt.Println(pg.Return([]float64{1, 1, 1}, 0.5))
	// Output: 1.75
}

func ExampleRewardToGo() {
	// R_t = r_t + γ R_{t+1}, computed backwards from the last step.
	fmt.Println(pg.RewardToGo([]float64{1, 1, 1}, 0.5))
	// Output: [1.75 1.5 1]
}

func ExampleNStepReturns() {
	// Two real rewards, then V of the state two steps ahead; at the end of the
	// segment the bootstrap is lastValue = 10.
	rewards, values := []float64{1, 1, 1}, []float64{4, 4, 4}
	fmt.Println(pg.NStepReturns(rewards, values, 10, 2, 0.5))
	// Output: [2.5 4 6]
}

func ExampleGAE() {
	// The trajectory was cut off in a state whose value is 2 (it would be 0 had it terminated).
	adv, ret := pg.GAE([]float64{1, 1, 1}, []float64{1, 1, 1}, 2, 1, 0)
	fmt.Println(adv, ret) // λ = 0: the TD residuals r_t + γV_{t+1} − V_t
	// Output: [1 1 2] [5 4 3]
}

func ExampleLogSoftmax() {
	// Stable even for logits that would overflow exp().
	fmt.Println(pg.LogSoftmax([]float64{1000, 1000}))
	// Output: [-0.6931471805599453 -0.6931471805599453]
}

func ExampleDiagGaussianLogProb() {
	fmt.Printf("%.4f\n", pg.DiagGaussianLogProb([]float64{0, 0}, []float64{0, 0}, []float64{0, 0}))
	// Output: -1.8379
}

func ExampleDiscountedSum() {
	// S_t = x_t + f·S_{t+1} from S_3 = last = 4, with f = ½.
	sums := make([]float64, 3)
	total := pg.DiscountedSum(sums, []float64{1, 2, 3}, 4, 0.5)
	fmt.Println(total, sums)
	// Output: 3.25 [3.25 4.5 5]
}

func ExampleFutureReturnPsi() {
	// A path cut off in a state worth V = 4: Ψ_t = R_t, bootstrapped with it.
	p := pg.Path{Rewards: []float64{1, 1, 1}, Values: []float64{0, 0, 0}, LastValue: 4, Gamma: 0.5}
	fmt.Println(pg.FutureReturnPsi(p))
	// Output: [2.25 2.5 3]
}
