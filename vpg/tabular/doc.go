// Package tabular holds the table-based prediction methods the tutorial uses
// to show n-step bootstrapping before any neural network appears: n-step TD
// on a small chain of states (Sutton & Barto 2018, §7.1), and the parameter
// sweep behind their Figure 7.2; and the short corridor with switched actions
// (Example 13.1), whose J(θ) and exact policy gradient have closed forms, so
// that sampled policy-gradient estimators can be checked against the truth:
// for any discount γ its values, action values and state visits are exact,
// the policy-gradient theorem's state-distribution form can be set against
// the gradient of J_γ, PsiGradients measures any weight Ψ_t (a pg.PsiFunc),
// and MinVarianceBaseline finds the baseline with the least variance.
//
// A value table V is indexed by the environment's integer state (State()[0]),
// terminal states included; terminal entries stay 0.
package tabular
