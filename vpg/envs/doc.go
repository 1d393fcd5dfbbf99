// Package envs provides Gymnasium's classic-control environments in Go,
// a batched VecEnv, and SVG drawings and animations of them.
//
// Environments (Make(id) or the New… constructors):
//
//	id                        actions        observation             limit  solved at
//	CartPole-v1               Discrete(2)    [x, ẋ, θ, θ̇]            500    475
//	Acrobot-v1                Discrete(3)    cos/sin θ1, θ2, θ̇1, θ̇2  500    −100
//	MountainCar-v0            Discrete(3)    [p, v]                  200    −110
//	MountainCarContinuous-v0  Box [−1, 1]    [p, v]                  999    90
//	Pendulum-v1               Box [−2, 2]    [cos θ, sin θ, θ̇]       200    —
//	RandomWalk-19             Discrete(2)    one-hot of 19 states    1000   —
//
// The first five reproduce Gymnasium's classic_control sources: the same
// equations, constants, integrators (Euler for CartPole, semi-implicit
// Euler for Pendulum, one RK4 step with the book dynamics for Acrobot),
// clipping, angle wrapping, termination tests, rewards, bounds, time limits
// and reward thresholds. Each type's documentation states its equations
// with units. The tests replay transitions computed by Gymnasium's own code
// (testdata/gymnasium_steps.json): next states agree to within 1e-12, most
// of them bit for bit; the remaining last-bit differences come from Go's
// and C's sin/cos. (Go may fuse multiply-adds on arm64, which moves more
// results by an ulp.) RandomWalk-19 is Sutton & Barto's 19-state random
// walk (Figure 7.2), made into a two-action environment; see RandomWalk.
//
// Conventions:
//   - An action is a []float64: a discrete action is its index in a
//     one-element slice ([]float64{1}); a box action has one value per
//     dimension, clipped to the bounds as Gymnasium does.
//   - Invalid actions (wrong length, NaN or ±Inf, an index that is not a
//     whole number in range) make Env.Step panic with an *ActionError that
//     names the value and what is allowed; VecEnv.Step returns it as an
//     error, and CheckAction tests an action without stepping.
//   - Observations have float32 precision, like Gymnasium's float32 arrays;
//     State and SetState carry the float64 physical state in Gymnasium's
//     order; SetState rejects states no episode can reach (velocities past
//     the clip bounds, angles outside the wrapped range, …). Where
//     Gymnasium itself stores float32 (Acrobot's initial state,
//     MountainCarContinuous after each step) so do we.
//   - Reset(seed) seeds the environment's own PCG generator (math/rand/v2)
//     and draws the initial state from Gymnasium's uniform ranges: equal
//     seeds give equal episodes. The numbers differ from NumPy's, so the
//     initial states are not Gymnasium's for the same seed. Make and the
//     constructors return environments already Reset with seed 0.
//   - Step reports terminated as Gymnasium does and truncated once MaxSteps
//     steps have been taken since Reset (both can be true at once).
//     Stepping on after terminated, without Reset, keeps the physics running
//     but returns reward 0 and terminated = true; stepping on after a
//     truncation alone continues normally with truncated = true.
//
// VecEnv steps n copies with automatic reset, one flat observation slice
// and no allocation per step; FinalObs gives the last observation of an
// episode that just ended, for bootstrapping truncated ones. Snapshot and
// Restore save and reload its whole state (a JSON-ready VecEnvState), so a
// resumed run continues bit for bit.
//
// Drawing: Render(e) returns an SVG of the current state (cart and pole,
// acrobot links and target line, pendulum with a torque arrow, mountain and
// car with the flag, the random walk's row of states), and Record plays an
// episode and returns its frames; package vpg/svg animates them.
package envs
