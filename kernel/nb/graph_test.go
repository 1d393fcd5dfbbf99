package nb

import (
	"testing"

	"github.com/gomlx/gomlx/core/graph"

	"github.com/govpg/govpg/vpg"
)

// f(x, y) = x²·y entry by entry: ∂/∂x = 2xy and ∂/∂y = x², by hand.
func TestValueAndGradient(t *testing.T) {
	x, y := []float64{1, -2, 3}, []float64{0.5, 4, -1}
	value, grads := ValueAndGradient(func(in []*graph.Node) *graph.Node {
		return graph.Mul(graph.Square(in[0]), in[1])
	}, x, y)
	want := [][]float64{{0.5, 16, -9}, {1, -16, -6}, {1, 4, 9}}
	for i, got := range append([][]float64{value}, grads...) {
		if MaxAbsDiff(got, want[i]) != 0 {
			t.Errorf("output %d (value, ∂/∂x, ∂/∂y) = %v, want %v", i, got, want[i])
		}
	}
}

func TestFlatten(t *testing.T) {
	cfg := vpg.Preset("CartPole-v1")
	cfg.Hidden = []int{3}
	tr, err := vpg.NewTrainer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ps := tr.Model().PolicyParams()
	theta := Flatten(ps)
	if want := (4+1)*3 + (3+1)*2; len(theta) != want {
		t.Fatalf("len(Flatten(PolicyParams)) = %d, want %d: W₀, b₀, W₁, b₁ of a 4→3→2 policy", len(theta), want)
	}
	if theta[0] != ps[0].Values[0] || theta[len(theta)-1] != ps[len(ps)-1].Values[len(ps[len(ps)-1].Values)-1] {
		t.Errorf("Flatten does not start and end with PolicyParams' first and last values")
	}
}
