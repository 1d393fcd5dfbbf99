package display

import (
	"fmt"
	"math"
)

// Bins splits the range of all values (every set together) into n equal-width bins
// and counts each set's values per bin. Bin i holds edges[i] <= v < edges[i+1]; the
// last bin also holds the maximum. When every value is the same, the bins span
// [v-0.5, v+0.5].
func Bins(n int, sets ...[]float64) (edges []float64, counts [][]int, err error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("bins = %d; need at least 1", n)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, set := range sets {
		for i, v := range set {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, nil, fmt.Errorf("set %d has value[%d] = %v; values must be finite", k, i, v)
			}
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	if math.IsInf(lo, 1) {
		return nil, nil, fmt.Errorf("no values to bin")
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	width := (hi - lo) / float64(n)
	edges = make([]float64, n+1)
	for i := range edges {
		edges[i] = lo + float64(i)*width
	}
	edges[n] = hi // exact, despite rounding in lo + n*width
	counts = make([][]int, len(sets))
	for k, set := range sets {
		counts[k] = make([]int, n)
		for _, v := range set {
			i := min(int((v-lo)/width), n-1)
			// Rounding can put a value one bin off its edges; settle it against them.
			for i > 0 && v < edges[i] {
				i--
			}
			for i < n-1 && v >= edges[i+1] {
				i++
			}
			counts[k][i]++
		}
	}
	return edges, counts, nil
}
