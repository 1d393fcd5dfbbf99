package nb

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/govpg/govpg/kernel/internal/markers"
	"github.com/govpg/govpg/vpg"
	"github.com/govpg/govpg/vpg/pg"
)

// Agrees compares what a learner's function returned (yours, from the function
// named name) with what the library's built-in returned on the same input
// (builtin, from builtinName). When every value is within tol it prints a ✓
// line, "name equals builtinName <where> (largest difference …)"; otherwise it
// prints a ⚠ with the size of the difference and what it means, and the
// notebook goes on: the learner's edit is an experiment, not an error. It
// reports whether the two agree.
//
//	nb.Agrees("futureReturn", mine, "pg.FutureReturnPsi", library, 1e-9, "at all 2000 steps of a real batch")
func Agrees(name string, yours []float64, builtinName string, builtin []float64, tol float64, where string) bool {
	return agrees(os.Stdout, name, yours, builtinName, builtin, tol, where)
}

func agrees(w io.Writer, name string, yours []float64, builtinName string, builtin []float64, tol float64, where string) bool {
	if len(yours) != len(builtin) {
		fmt.Fprintf(w, "⚠ %s returned %d numbers where %s returns %d (%s): the cells below use yours as written\n", name, len(yours), builtinName, len(builtin), where)
		return false
	}
	worst, at := 0.0, -1
	for i := range yours {
		d := math.Abs(yours[i] - builtin[i])
		if math.IsNaN(d) {
			fmt.Fprintf(w, "⚠ %s returned %v at [%d] where %s returns %v: not a number, so anything trained on it breaks\n", name, yours[i], i, builtinName, builtin[i])
			return false
		}
		if d > worst || at < 0 {
			worst, at = d, i
		}
	}
	if worst <= tol {
		fmt.Fprintf(w, "%s %s equals %s %s (largest difference %.1g)\n", markers.Check, name, builtinName, where, worst)
		return true
	}
	scale := 0.0
	for _, b := range builtin {
		scale = math.Max(scale, math.Abs(b))
	}
	rel := ""
	if scale > 0 {
		rel = fmt.Sprintf(", %.3g%% of the built-in's largest |value| %.4g", 100*worst/scale, scale)
	}
	fmt.Fprintf(w, "⚠ %s differs from %s %s: largest difference %.4g at [%d] (yours %.6g, built-in %.6g)%s.\n", name, builtinName, where, worst, at, yours[at], builtin[at], rel)
	fmt.Fprintf(w, "  The notebook goes on with your %s as written: the numbers and charts below are those of your formula, not the text's. If you did not mean to change it, compare your edit with %s.\n", name, builtinName)
	return false
}

// Weights is t.Psi(b, psi), the learner's Ψ_t for every step of batch b; when
// psi fails (a wrong count, a non-finite number) it prints a ⚠ that names
// psi and returns nil, so that the comparison after it reports the
// difference and the notebook goes on.
func Weights(t *vpg.Trainer, b *vpg.Batch, psi pg.PsiFunc) []float64 {
	w, err := t.Psi(b, psi)
	if err != nil {
		fmt.Printf("⚠ %s: %v\n", FuncName(psi), err)
		return nil
	}
	return w
}
