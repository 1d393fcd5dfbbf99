package vpg

import (
	"math"
	"math/rand/v2"

	"github.com/gomlx/gomlx/ml/model"

	"github.com/govpg/govpg/vpg/nn"
)

// Gains of orthogonal initialisation (Huang et al., 2022, detail 2): √2 for
// tanh hidden layers, 0.01 for π's output (a near-uniform first policy), 1
// for V's output.
var (
	HiddenGain = math.Sqrt2
	PolicyGain = 0.01
	ValueGain  = 1.0
)

// orthogonal returns a rows×cols matrix, row-major, whose rows or columns
// (the fewer) are orthonormal times gain: the Q of a QR decomposition of a
// standard Gaussian matrix with R's diagonal made positive (Saxe et al.,
// 2014), here by modified Gram–Schmidt on the columns of the tall
// orientation.
func orthogonal(rows, cols int, gain float64, rng *rand.Rand) []float64 {
	r, c := rows, cols
	if rows < cols {
		r, c = cols, rows
	}
	a := make([]float64, r*c) // column j is a[i*c+j]
	for i := range a {
		a[i] = rng.NormFloat64()
	}
	for j := range c {
		for k := range j {
			dot := 0.0
			for i := range r {
				dot += a[i*c+j] * a[i*c+k]
			}
			for i := range r {
				a[i*c+j] -= dot * a[i*c+k]
			}
		}
		norm := 0.0
		for i := range r {
			norm += a[i*c+j] * a[i*c+j]
		}
		norm = math.Sqrt(norm)
		for i := range r {
			a[i*c+j] /= norm
		}
	}
	out := make([]float64, rows*cols)
	for i := range r {
		for j := range c {
			if rows >= cols {
				out[i*cols+j] = gain * a[i*c+j]
			} else {
				out[j*cols+i] = gain * a[i*c+j]
			}
		}
	}
	return out
}

// orthogonalInit overwrites the store's weights of π and V with orthogonal
// matrices (HiddenGain, then PolicyGain or ValueGain for the output layer)
// and their biases with 0, drawn from the model's seed.
func (m *Model) orthogonalInit(store *model.Store) error {
	rng := rand.New(rand.NewPCG(m.cfg.Seed, 0x7670672d6f727468)) // "vpg-orth"
	for _, net := range []struct {
		scope string
		out   int
		gain  float64
	}{{PolicyScope, m.policy.Outputs(), PolicyGain}, {ValueScope, 1, ValueGain}} {
		sizes := append(append([]int{m.cfg.ObsDim}, m.cfg.Hidden...), net.out)
		for i := range len(sizes) - 1 {
			in, out, gain := sizes[i], sizes[i+1], HiddenGain
			if i == len(sizes)-2 {
				gain = net.gain
			}
			w := store.GetVariable(model.JoinPath("/", net.scope, nn.LayerScope(i), nn.WeightsName))
			b := store.GetVariable(model.JoinPath("/", net.scope, nn.LayerScope(i), nn.BiasesName))
			if err := w.SetValue(m.tensor(orthogonal(in, out, gain, rng), in, out)); err != nil {
				return err
			}
			if err := b.SetValue(m.tensor(make([]float64, out), out)); err != nil {
				return err
			}
		}
	}
	return nil
}
