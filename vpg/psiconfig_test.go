package vpg

import (
	"reflect"
	"testing"

	"github.com/govpg/govpg/vpg/pg"
)

// A learner's Ψ given as Config.Psi trains through RunEpoch exactly like
// the estimator it copies, and a different Ψ trains to other parameters.
func TestConfigPsi(t *testing.T) {
	own := func(p pg.Path) []float64 { // Ψ_t = R_t, written out
		psi := make([]float64, len(p.Rewards))
		pg.DiscountedSum(psi, p.Rewards, p.LastValue, p.Gamma)
		return psi
	}
	c := Preset("CartPole-v1")
	c.Epochs, c.StepsPerEpoch, c.NumEnvs, c.Hidden, c.TrainVIters = 3, 400, 4, []int{16}, 5
	c.Estimator = FutureReturn
	builtIn := newTrainer(t, c)
	c.Estimator, c.Psi = GAEAdvantage, own // Psi wins over the estimator
	mine := newTrainer(t, c)
	c.Psi = pg.FullReturnPsi
	other := newTrainer(t, c)
	for _, tr := range []*Trainer{builtIn, mine, other} {
		if err := tr.Train(nil); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(builtIn.model.learner.Params(), mine.model.learner.Params()) {
		t.Error("Config.Psi = R_t trained to other parameters than Estimator = FutureReturn")
	}
	if reflect.DeepEqual(builtIn.model.learner.Params(), other.model.learner.Params()) {
		t.Error("Config.Psi = R(τ) trained to the same parameters as R_t: Psi is ignored")
	}
}
