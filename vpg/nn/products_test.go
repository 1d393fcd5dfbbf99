package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// loopProduct returns Σ_k a[i,k]·b[k,j] for row-major a [n,k], b [k,m],
// reading a and b through accessors so that transposed operands need no copy.
func loopProduct(n, k, m int, a, b func(i, j int) float64) []float64 {
	out := make([]float64, n*m)
	for i := range n {
		for j := range m {
			s := 0.0
			for l := range k {
				s += a(i, l) * b(l, j)
			}
			out[i*m+j] = s
		}
	}
	return out
}

// TestProductsMatchLoops checks each product against a triple loop, at
// sizes that take the split and the plain formulations (the comment of each
// case says which).
func TestProductsMatchLoops(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	type op struct {
		name  string
		fn    func(a, b *graph.Node) *graph.Node
		aDims func(n, k, m int) []int
		bDims func(n, k, m int) []int
		// ref computes the expected [n,m] (matMul, matMulT) or [k,m] (matMulTA).
		ref func(n, k, m int, a, b []float64) []float64
	}
	ops := []op{
		{"matMul", matMul,
			func(n, k, m int) []int { return []int{n, k} }, func(n, k, m int) []int { return []int{k, m} },
			func(n, k, m int, a, b []float64) []float64 {
				return loopProduct(n, k, m, func(i, l int) float64 { return a[i*k+l] }, func(l, j int) float64 { return b[l*m+j] })
			}},
		{"matMulT", matMulT,
			func(n, k, m int) []int { return []int{n, k} }, func(n, k, m int) []int { return []int{m, k} },
			func(n, k, m int, a, b []float64) []float64 {
				return loopProduct(n, k, m, func(i, l int) float64 { return a[i*k+l] }, func(l, j int) float64 { return b[j*k+l] })
			}},
		{"matMulTA", matMulTA,
			func(n, k, m int) []int { return []int{n, k} }, func(n, k, m int) []int { return []int{n, m} },
			func(n, k, m int, a, b []float64) []float64 {
				return loopProduct(k, n, m, func(i, l int) float64 { return a[l*k+i] }, func(l, j int) float64 { return b[l*m+j] })
			}},
	}
	for _, size := range []struct{ n, k, m int }{
		{600, 4, 64},  // narrow k: row split for matMul/matMulT
		{601, 4, 64},  // prime n: no split
		{2400, 8, 6},  // matMulTA sums split in 3 chunks
		{2003, 3, 5},  // prime n > gramRows: no split
		{100, 64, 64}, // plain products
		{1, 1, 1},
	} {
		for _, o := range ops {
			t.Run(fmt.Sprintf("%s/n=%d/k=%d/m=%d", o.name, size.n, size.k, size.m), func(t *testing.T) {
				n, k, m := size.n, size.k, size.m
				a := randomTensor(rng, dtypes.Float64, o.aDims(n, k, m)...)
				b := randomTensor(rng, dtypes.Float64, o.bDims(n, k, m)...)
				got := tensors.MustCopyFlatData[float64](graph.MustExecOnce(Backend(), o.fn, a, b))
				want := o.ref(n, k, m, tensors.MustCopyFlatData[float64](a), tensors.MustCopyFlatData[float64](b))
				if len(got) != len(want) {
					t.Fatalf("got %d values, want %d", len(got), len(want))
				}
				for i := range want {
					if math.Abs(got[i]-want[i]) > 1e-12*(1+math.Abs(want[i]))*float64(n+k) {
						t.Fatalf("entry %d = %v, want %v", i, got[i], want[i])
					}
				}
			})
		}
	}
}

func TestSplits(t *testing.T) {
	for _, tc := range []struct{ n, m, want int }{
		{4000, 64, 16}, // 250 rows × 64 = 16000 ≤ 16384; 2, 4, 5, 8, 10 leave too many rows
		{600, 32, 2},
		{601, 64, 1},     // prime: only 1-row chunks
		{2 * 601, 64, 1}, // 601 rows × 64 too many, 2 rows too few
	} {
		if got := rowSplit(tc.n, tc.m); got != tc.want {
			t.Errorf("rowSplit(%d, %d) = %d, want %d", tc.n, tc.m, got, tc.want)
		}
	}
	for _, tc := range []struct{ n, want int }{
		{4000, 4}, {2400, 3}, {1025, 5}, {2003, 1}, {2 * 1031, 1},
	} {
		if got := gramSplit(tc.n); got != tc.want {
			t.Errorf("gramSplit(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
