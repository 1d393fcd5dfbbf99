package nn

import (
	"github.com/gomlx/gomlx/pkg/core/graph"
)

// The matrix products of a dense layer, each written in the form that
// GoMLX's pure-Go backend (SimpleGo) runs fastest; other backends get the
// plain product, which their compilers optimise themselves. All forms
// compute the same sums, in a different grouping only where noted.
//
// What SimpleGo does (v0.26.0), and why the forms below: a DotGeneral whose
// two non-contracted sizes multiply to more than smallProductLimit goes to a
// blocked, multi-threaded kernel that pads the contracted axis to a block of
// 32, so a product over 1 or 4 inputs costs as much as one over 32. Smaller
// products go to a simple kernel that runs one goroutine per batch entry
// and needs the contracted axis last in both operands, transposing
// otherwise.
const smallProductLimit = 16 * 32 * 32

// narrowAxis is the largest contracted size for which a product is split
// into a batch of small ones instead: up to 16 the padded blocked kernel
// wastes at least half its work.
const narrowAxis = 16

// gramRows is the most rows each batch entry of xᵀ·g sums over: a single
// entry runs on one core, a few let the cores share the work.
const gramRows = 1024

// splitForms says whether x's graph gets SimpleGo's forms of the products.
// It is a variable so that tests can build the other backends' forms on
// SimpleGo, the only backend they can run here.
var splitForms = func(x *graph.Node) bool { return PureGo(x.Graph().Backend()) }

// matMul returns a·b for a [n,k] and b [k,m].
func matMul(a, b *graph.Node) *graph.Node {
	n, k, m := a.Shape().Dimensions[0], a.Shape().Dimensions[1], b.Shape().Dimensions[1]
	if splitForms(a) && k <= narrowAxis && n*m > smallProductLimit {
		if p := rowSplit(n, m); p > 1 {
			return batchedRows(a, graph.Transpose(b, 0, 1), p)
		}
	}
	return graph.Dot(a, b)
}

// matMulT returns a·bᵀ for a [n,k] and b [m,k].
func matMulT(a, b *graph.Node) *graph.Node {
	n, k, m := a.Shape().Dimensions[0], a.Shape().Dimensions[1], b.Shape().Dimensions[0]
	if splitForms(a) && k <= narrowAxis && n*m > smallProductLimit {
		if p := rowSplit(n, m); p > 1 {
			return batchedRows(a, b, p)
		}
	}
	return graph.DotGeneral(a, []int{1}, nil, b, []int{1}, nil)
}

// batchedRows returns a·bᵀ (a [n,k], b [m,k]) as p small products of n/p
// rows each, so SimpleGo uses its unpadded kernel and runs them in parallel.
func batchedRows(a, b *graph.Node, p int) *graph.Node {
	n, k, m := a.Shape().Dimensions[0], a.Shape().Dimensions[1], b.Shape().Dimensions[0]
	chunks := graph.Reshape(a, p, n/p, k)
	bs := graph.BroadcastToDims(graph.ExpandAxes(b, 0), p, m, k)
	return graph.Reshape(graph.DotGeneral(chunks, []int{2}, []int{0}, bs, []int{2}, []int{0}), n, m)
}

// minChunkRows is the fewest rows worth a batch entry of its own: below
// it the per-entry overhead outweighs the saving, so a batch whose size has
// no suitable divisor is not split.
const minChunkRows = 32

// rowSplit returns the smallest p > 1 dividing n such that each of p
// products of n/p rows by m columns stays within smallProductLimit, or 1 if
// that would leave fewer than minChunkRows rows per product.
func rowSplit(n, m int) int {
	for p := 2; n/p >= minChunkRows; p++ {
		if n%p == 0 && (n/p)*m <= smallProductLimit {
			return p
		}
	}
	return 1
}

// matMulTA returns aᵀ·b for a [n,k] and b [n,m]: the weight gradient xᵀ·g.
//
// On SimpleGo the sum over n is split into chunks of about gramRows rows,
// computed as a batch (in parallel) and added up: the small kernel it falls
// into otherwise runs on one core.
func matMulTA(a, b *graph.Node) *graph.Node {
	n, k, m := a.Shape().Dimensions[0], a.Shape().Dimensions[1], b.Shape().Dimensions[1]
	if splitForms(a) && n > gramRows {
		if p := gramSplit(n); p > 1 {
			at := graph.TransposeAllAxes(graph.Reshape(a, p, n/p, k), 0, 2, 1)
			bt := graph.TransposeAllAxes(graph.Reshape(b, p, n/p, m), 0, 2, 1)
			return graph.ReduceSum(graph.DotGeneral(at, []int{2}, []int{0}, bt, []int{2}, []int{0}), 0)
		}
	}
	return graph.DotGeneral(a, []int{0}, nil, b, []int{0}, nil)
}

// gramSplit returns the smallest p > 1 dividing n with n/p <= gramRows, or
// 1 if that would leave fewer than minChunkRows rows per chunk.
func gramSplit(n int) int {
	for p := 2; n/p >= minChunkRows; p++ {
		if n%p == 0 && n/p <= gramRows {
			return p
		}
	}
	return 1
}
