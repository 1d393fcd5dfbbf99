// Package pg is the policy-gradient math of the tutorial on plain float64
// slices: every factor of the estimate
//
//	ĝ = 1/N Σ_t ∇θ log π(a_t|s_t) · Ψ_t
//
// that is not a network. The weights Ψ_t come from returns ([Return],
// [RewardToGo], [NStepReturns], [GAE]) and the weight functions a trainer
// applies path by path ([PsiFunc]: [FullReturnPsi], [FutureReturnPsi],
// [BaselinePsi], [GAEPsi]); log π comes from the distributions' formulas
// ([LogSoftmax], [Softmax], [DiagGaussianLogProb], [NormalPDF]). Every
// return is one backward recursion, [DiscountedSum].
//
// The name is the tutorial's own abbreviation, "PG": calls read as the
// equations do, pg.RewardToGo, pg.GAE, pg.LogSoftmax. The package imports
// only the standard library, so code that needs the math and not a trainer
// (vpg/tabular, a learner's notebook cell) does not pull in GoMLX; package
// vpg trains with it.
//
// # Errors
//
// The functions panic on bad input — γ or λ outside [0, 1], n < 1,
// mismatched lengths, empty or NaN/±Inf values — with a message that names
// the offending value and what is allowed: they are building blocks called
// with values the caller controls, like slice indexing. [CheckFinite]
// returns an error instead, for callers that report bad data.
package pg
