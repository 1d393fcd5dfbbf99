package nn

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestNewBackendDefaultIsPureGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	b, err := newBackend()
	if err != nil {
		t.Fatal(err)
	}
	if !PureGo(b) {
		t.Errorf("default backend %q, want the pure-Go backend", b)
	}
}

func TestNewBackendUnknownNameIsClearError(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "nosuch:thing")
	_, err := newBackend()
	if err == nil || !strings.Contains(err.Error(), `"nosuch"`) || !strings.Contains(err.Error(), "go") {
		t.Errorf("error %v, want it to name the unknown backend and list the known ones", err)
	}
}

// The sequential instance is another pure-Go backend, and a graph gives it
// the same bits as the shared one.
func TestSequentialBackendSameBits(t *testing.T) {
	b := Backend()
	s := Sequential(b)
	if s == b || !PureGo(s) {
		t.Fatalf("Sequential(%q) = %q (same instance: %v), want a second pure-Go backend", b, s, s == b)
	}
	x := make([]float32, 3000)
	for i := range x {
		x[i] = float32(math.Sin(float64(i)))
	}
	run := func(backend compute.Backend) []float32 {
		e, err := graph.NewExec(backend, func(v *graph.Node) (*graph.Node, *graph.Node) {
			loss := graph.ReduceAllMean(graph.Square(graph.Tanh(v)))
			return loss, graph.Gradient(loss, v)[0]
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.Call(tensors.FromValue(x))
		if err != nil {
			t.Fatal(err)
		}
		return append(tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])...)
	}
	if a, c := run(b), run(s); !slices.Equal(a, c) {
		t.Error("the sequential backend's loss and gradient differ from the shared backend's")
	}
}
