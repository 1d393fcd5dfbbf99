package envs

import (
	"fmt"
	"math"
	"strings"
)

// ActionError reports an action that an environment cannot take: a slice of
// the wrong length, a non-finite value, or a discrete index that is not a
// whole number in range. Env.Step panics with it; VecEnv.Step returns it.
type ActionError struct {
	Env     string    // environment id; empty when checked by CheckAction alone
	Action  []float64 // a copy of the offending action
	Problem string    // what is wrong with it
	Allowed string    // what the action space accepts
}

func (e *ActionError) Error() string {
	var b strings.Builder
	b.WriteString("envs: bad action ")
	fmt.Fprint(&b, e.Action)
	if e.Env != "" {
		b.WriteString(" for ")
		b.WriteString(e.Env)
	}
	fmt.Fprintf(&b, ": %s; allowed: %s", e.Problem, e.Allowed)
	return b.String()
}

// CheckAction returns nil if a is a valid action for space s and an
// *ActionError otherwise. A discrete action is its index in a one-element
// slice; a box action must have one finite value per dimension (values
// outside [Low, High] are valid: the environment clips them).
func CheckAction(s Space, a []float64) error { return checkAction("", s, a) }

// checkAction is CheckAction with the environment id filled into the error.
func checkAction(id string, s Space, a []float64) error {
	if problem := actionProblem(s, a); problem != "" {
		return &ActionError{Env: id, Action: append([]float64(nil), a...), Problem: problem, Allowed: s.allowed()}
	}
	return nil
}

// actionProblem describes what is wrong with a, or returns "" when a is fine.
// It never allocates on the valid path, which VecEnv takes every step.
func actionProblem(s Space, a []float64) string {
	if len(a) != s.Dim() {
		return fmt.Sprintf("got %d values, want %d", len(a), s.Dim())
	}
	if s.Discrete() {
		switch x := a[0]; {
		case math.IsNaN(x) || math.IsInf(x, 0):
			return fmt.Sprintf("index %v is not a number", x)
		case x != math.Trunc(x):
			return fmt.Sprintf("index %v is not a whole number", x)
		case x < 0 || x >= float64(s.N):
			return fmt.Sprintf("index %v is out of range", x)
		}
		return ""
	}
	for i, x := range a {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprintf("component %d is %v, not a finite number", i, x)
		}
	}
	return ""
}

// allowed describes the space for error messages.
func (s Space) allowed() string {
	if s.Discrete() {
		if s.N == 1 {
			return "the index 0"
		}
		return fmt.Sprintf("one whole-number index in 0…%d", s.N-1)
	}
	return fmt.Sprintf("%d finite values (clipped to low %v, high %v)", len(s.Low), s.Low, s.High)
}

// String describes the space the way Gymnasium prints it: Discrete(2) or
// Box(low, high).
func (s Space) String() string {
	if s.Discrete() {
		return fmt.Sprintf("Discrete(%d)", s.N)
	}
	return fmt.Sprintf("Box(%v, %v)", s.Low, s.High)
}
