package vpg

import (
	"fmt"
	"reflect"
	"runtime"
	"slices"

	"github.com/govpg/govpg/vpg/pg"
)

// Psi returns the built-in weight function of estimator e (nil for an
// unknown one).
func (e Estimator) Psi() pg.PsiFunc {
	switch e {
	case FullReturn:
		return pg.FullReturnPsi
	case FutureReturn:
		return pg.FutureReturnPsi
	case FutureReturnBaseline:
		return pg.BaselinePsi
	case GAEAdvantage:
		return pg.GAEPsi
	}
	return nil
}

// applyPsi fills w with psi applied to every segment of b, whose rewards
// (learning units) are scaled.
func applyPsi(w []float64, b *Batch, scaled []float64, psi pg.PsiFunc, gamma, lambda float64) error {
	for _, s := range b.Segments {
		got, err := callPsi(psi, s.path(b, scaled, gamma, lambda))
		if err != nil {
			return err
		}
		if len(got) != s.End-s.Start {
			return fmt.Errorf("vpg: the weight function returned %d numbers for a path of %d steps (env copy %d, steps %d–%d); want one per step",
				len(got), s.End-s.Start, s.Env, s.Start, s.End)
		}
		if k := pg.NonFinite(got); k >= 0 {
			return fmt.Errorf("vpg: the weight function returned Ψ = %v at step %d of a path (batch step %d); want finite numbers", got[k], k, s.Start+k)
		}
		copy(w[s.Start:s.End], got)
	}
	return nil
}

// callPsi is psi(p), a panic in it turned into an error that names it.
func callPsi(psi pg.PsiFunc, p pg.Path) (got []float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			name := runtime.FuncForPC(reflect.ValueOf(psi).Pointer()).Name()
			err = fmt.Errorf("vpg: the weight function %s panicked on a path of %d steps: %v", name, len(p.Rewards), r)
		}
	}()
	return psi(p), nil
}

// path is the Path of segment s, with copies of the batch's numbers: a
// weight function may write into them without changing the batch.
func (s Segment) path(b *Batch, scaled []float64, gamma, lambda float64) pg.Path {
	return pg.Path{
		Rewards: slices.Clone(scaled[s.Start:s.End]), Values: slices.Clone(b.Values[s.Start:s.End]),
		LastValue: s.LastValue, Terminal: s.Terminated,
		Gamma: gamma, Lambda: lambda,
		PastReturn: s.PastReturn, PastLen: s.PastLen,
	}
}
