package nn

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Adam's constants, PyTorch's defaults (as the peer and Spinning Up use),
// shared with the graph optimizer that the vpg package configures.
const (
	AdamBeta1   = 0.9
	AdamBeta2   = 0.999
	AdamEpsilon = 1e-8
)

// Regressor fits the parameters φ of an MLP (built by MLP) to targets by
// gradient steps on the mean squared error
//
//	L(φ) = 1/(N·out) Σ_b Σ_j (f_φ(x_b)_j − y_bj)²,
//
// the value-function regression of VPG, computed in plain Go in float32.
//
// It exists for speed on the pure-Go backend. VPG takes ~80 such steps per
// epoch on the whole batch (4000 rows), which makes them most of the update
// time. As a GoMLX graph on SimpleGo a step costs ~50 ms, most of it in
// SimpleGo's scalar matrix kernels; here the same products run in gonum's
// BLAS (blocked, with assembly inner loops, on all cores), tanh is a
// rational approximation as exact as float32 (tanh32), and a step costs
// ~14 ms. A step computes the same quantities as GoMLX autodiff and
// optimizers.Adam (or plain SGD), up to float32 rounding; the tests check it
// against them.
//
// Use: Read the parameters from the context, call Step as often as wanted,
// then Write them back. Adam's moments and step count are read and written
// with them, under the names GoMLX's Adam uses, so they last across epochs
// and checkpoints. A Regressor is not safe for concurrent use.
type Regressor struct {
	LR  float64 // learning rate α
	SGD bool    // take plain steps φ ← φ − α∇L instead of Adam's

	ctx    *context.Context // the scope Read read from
	layers []fitLayer
	step   int          // Adam's t: steps taken so far
	acts   [][]float32  // acts[i+1]: output of layer i (after tanh if hidden)
	adj    [2][]float32 // adjoints ∂L/∂z of two consecutive layers
	parts  [][]float32  // per-goroutine partial weight gradients
}

// fitLayer is one dense layer: parameters, gradients and Adam moments, all
// laid out as the context variables ([in, out] row-major, and [out]).
type fitLayer struct {
	vars           layerVariables
	w, b, gw, gb   []float32
	mw, vw, mb, vb []float32
}

// Read copies the current parameters of the MLP under ctx (see MLP), and
// Adam's moments and step count where ctx holds them (see Write). The
// variables must be float32.
func (r *Regressor) Read(ctx *context.Context) error {
	vars, err := mlpVariables(ctx)
	if err != nil {
		return err
	}
	r.ctx = ctx
	if len(r.layers) != len(vars) {
		r.layers = make([]fitLayer, len(vars))
	}
	for i, lv := range vars {
		l := &r.layers[i]
		n := lv.in * lv.out
		if len(l.w) != n || len(l.b) != lv.out {
			*l = fitLayer{
				w: make([]float32, n), gw: make([]float32, n), mw: make([]float32, n), vw: make([]float32, n),
				b: make([]float32, lv.out), gb: make([]float32, lv.out), mb: make([]float32, lv.out), vb: make([]float32, lv.out),
			}
		}
		l.vars = lv
		for _, c := range []struct {
			v   *context.Variable
			dst []float32
		}{{lv.w, l.w}, {lv.b, l.b}} {
			if err := readFloat32(c.dst, c.v); err != nil {
				return err
			}
		}
		for _, c := range []struct {
			v      *context.Variable
			m1, m2 []float32
		}{{lv.w, l.mw, l.vw}, {lv.b, l.mb, l.vb}} {
			for k, dst := range [][]float32{c.m1, c.m2} {
				scope, name := momentName(c.v, k)
				if mv := ctx.GetVariableByScopeAndName(scope, name); mv != nil {
					if err := readFloat32(dst, mv); err != nil {
						return err
					}
				} else {
					clear(dst)
				}
			}
		}
	}
	r.step = 0
	if sv := ctx.GetVariableByScopeAndName(ctx.In(adamScope).Scope(), optimizers.GlobalStepVariableName); sv != nil {
		value, err := sv.Value()
		if err != nil {
			return fmt.Errorf("nn: reading %s: %w", sv.ScopeAndName(), err)
		}
		step, ok := value.Value().(int64)
		if !ok {
			return fmt.Errorf("nn: %s holds %T, want int64", sv.ScopeAndName(), value.Value())
		}
		r.step = int(step)
	}
	return nil
}

// adamScope is where GoMLX's Adam keeps its step count (under the
// optimised scope) and its moments (at the root, then the variable's scope):
// the Regressor keeps its state under the same names, so either engine
// continues the other's optimisation and a checkpoint of the context holds it.
const adamScope = "AdamOptimizer"

// momentName is the scope and name of v's first (k = 0) or second (k = 1)
// Adam moment, as optimizers.Adam names them.
func momentName(v *context.Variable, k int) (scope, name string) {
	suffix := [2]string{"_1st_moment", "_2nd_moment"}[k]
	return context.ScopeSeparator + adamScope + v.Scope(), v.Name() + suffix
}

func readFloat32(dst []float32, v *context.Variable) error {
	value, err := v.Value()
	if err != nil {
		return fmt.Errorf("nn: reading %s: %w", v.ScopeAndName(), err)
	}
	var bad any
	if err := value.ConstFlatData(func(flat any) {
		if f, ok := flat.([]float32); ok && len(f) == len(dst) {
			copy(dst, f)
		} else {
			bad = flat
		}
	}); err != nil {
		return fmt.Errorf("nn: reading %s: %w", v.ScopeAndName(), err)
	}
	if bad != nil {
		return fmt.Errorf("nn: Regressor works in float32 with %d values, %s holds %T of %v", len(dst), v.ScopeAndName(), bad, v.Shape())
	}
	return nil
}

// Write stores the parameters into the variables they were read from, and
// Adam's moments and step count beside them (see adamScope).
func (r *Regressor) Write() error {
	if len(r.layers) == 0 {
		return fmt.Errorf("nn: Regressor.Write before a successful Read")
	}
	set := func(v *context.Variable, data []float32, dims ...int) error {
		if err := v.SetValue(tensors.FromFlatDataAndDimensions(append([]float32(nil), data...), dims...)); err != nil {
			return fmt.Errorf("nn: writing %s: %w", v.ScopeAndName(), err)
		}
		return nil
	}
	for _, l := range r.layers {
		in, out := l.vars.in, l.vars.out
		if err := set(l.vars.w, l.w, in, out); err != nil {
			return err
		}
		if err := set(l.vars.b, l.b, out); err != nil {
			return err
		}
		if r.SGD {
			continue
		}
		for _, c := range []struct {
			v      *context.Variable
			m1, m2 []float32
			dims   []int
		}{{l.vars.w, l.mw, l.vw, []int{in, out}}, {l.vars.b, l.mb, l.vb, []int{out}}} {
			for k, data := range [][]float32{c.m1, c.m2} {
				scope, name := momentName(c.v, k)
				mv := r.ctx.Checked(false).InAbsPath(scope).VariableWithShape(name, shapes.Make(dtypes.Float32, c.dims...)).SetTrainable(false)
				if err := set(mv, data, c.dims...); err != nil {
					return err
				}
			}
		}
	}
	if !r.SGD {
		sv := optimizers.GetGlobalStepVar(r.ctx.In(adamScope))
		if err := sv.SetValue(tensors.FromScalar(int64(r.step))); err != nil {
			return fmt.Errorf("nn: writing %s: %w", sv.ScopeAndName(), err)
		}
	}
	return nil
}

// Loss returns L(φ) at the current parameters for inputs x (N×in,
// row-major) and targets y (N×out).
func (r *Regressor) Loss(x, y []float32) float64 {
	r.forward(x, r.rows(x, y))
	loss, _ := r.residual(y, false)
	return loss
}

// Step takes one gradient step on L(φ) for inputs x (N×in, row-major) and
// targets y (N×out) and returns the loss before the step. It panics if the
// sizes do not match the network or Read has not succeeded.
func (r *Regressor) Step(x, y []float32) float64 {
	n := r.rows(x, y)
	r.forward(x, n)
	loss, g := r.residual(y, true)
	r.backward(n, g)
	r.step++
	for i := range r.layers {
		l := &r.layers[i]
		r.update(l.w, l.gw, l.mw, l.vw)
		r.update(l.b, l.gb, l.mb, l.vb)
	}
	return loss
}

// rows checks the sizes of x and y and returns N.
func (r *Regressor) rows(x, y []float32) int {
	if len(r.layers) == 0 {
		panic("nn: Regressor used before a successful Read")
	}
	in, out := r.layers[0].vars.in, r.layers[len(r.layers)-1].vars.out
	n := len(y) / out
	if n < 1 || len(y) != n*out || len(x) != n*in {
		panic(fmt.Sprintf("nn: Regressor got %d inputs and %d targets, want N×%d and N×%d with N ≥ 1", len(x), len(y), in, out))
	}
	return n
}

// forward computes every layer's output into r.acts: z = a·W + b, then tanh
// on hidden layers.
func (r *Regressor) forward(x []float32, n int) {
	if len(r.acts) != len(r.layers)+1 {
		r.acts = make([][]float32, len(r.layers)+1)
	}
	r.acts[0] = x
	for i, l := range r.layers {
		in, out := l.vars.in, l.vars.out
		r.acts[i+1] = grow32(r.acts[i+1], n*out)
		z := r.acts[i+1]
		gemm(blas.NoTrans, blas.NoTrans, n, out, in, r.acts[i], l.w, z)
		hidden := i < len(r.layers)-1
		parallelRows(n, out, func(lo, hi int) {
			for row := lo; row < hi; row++ {
				zr := z[row*out : (row+1)*out]
				for j, b := range l.b[:len(zr)] {
					zr[j] += b
				}
				if hidden {
					for j, v := range zr {
						zr[j] = tanh32(v)
					}
				}
			}
		})
	}
}

// residual returns the loss of the last forward pass and, if grad, writes
// ∂L/∂f = 2(f − y)/(N·out) into an adjoint buffer and returns it.
func (r *Regressor) residual(y []float32, grad bool) (float64, []float32) {
	f := r.acts[len(r.acts)-1]
	var g []float32
	if grad {
		r.adj[0] = grow32(r.adj[0], len(f))
		g = r.adj[0]
	}
	scale := 2 / float64(len(f))
	var sum float64
	for i, v := range f {
		d := float64(v) - float64(y[i])
		sum += d * d
		if grad {
			g[i] = float32(scale * d)
		}
	}
	return sum / float64(len(f)), g
}

// backward fills every layer's gw and gb from g = ∂L/∂f, layer by layer:
// ∂L/∂W = aᵀ·δ, ∂L/∂b = Σ_rows δ, and for the layer below δ' = (δ·Wᵀ) ⊙ (1 − a²),
// tanh′ written with its output a.
func (r *Regressor) backward(n int, g []float32) {
	delta, spare := g, 1
	for i := len(r.layers) - 1; i >= 0; i-- {
		l := &r.layers[i]
		in, out := l.vars.in, l.vars.out
		r.weightGrad(r.acts[i], delta, n, in, out, l.gw)
		clear(l.gb)
		for row := range n {
			for j, d := range delta[row*out : (row+1)*out] {
				l.gb[j] += d
			}
		}
		if i == 0 {
			break
		}
		r.adj[spare] = grow32(r.adj[spare], n*in)
		next, a := r.adj[spare], r.acts[i]
		gemm(blas.NoTrans, blas.Trans, n, in, out, delta, l.w, next)
		parallelRows(n, in, func(lo, hi int) {
			for k := lo * in; k < hi*in; k++ {
				next[k] *= 1 - a[k]*a[k]
			}
		})
		delta, spare = next, 1-spare
	}
}

// weightGrad writes aᵀ·δ (a N×in, δ N×out) into gw. The sum over N runs in
// one chunk of rows per core, added up at the end: gonum parallelises a
// product over blocks of its output, and this output is a single block.
func (r *Regressor) weightGrad(a, delta []float32, n, in, out int, gw []float32) {
	p := min(runtime.GOMAXPROCS(0), n/minChunkRows, 8)
	if p <= 1 || n*in*out < parallelWork {
		gemm(blas.Trans, blas.NoTrans, in, out, n, a, delta, gw)
		return
	}
	if len(r.parts) < p-1 {
		r.parts = make([][]float32, p-1)
	}
	var wg sync.WaitGroup
	for c := range p {
		lo, hi := c*n/p, (c+1)*n/p
		dst := gw
		if c > 0 {
			r.parts[c-1] = grow32(r.parts[c-1], in*out)
			dst = r.parts[c-1]
		}
		wg.Go(func() {
			gemm(blas.Trans, blas.NoTrans, in, out, hi-lo, a[lo*in:hi*in], delta[lo*out:hi*out], dst)
		})
	}
	wg.Wait()
	for _, part := range r.parts[:p-1] {
		for k, v := range part[:len(gw)] {
			gw[k] += v
		}
	}
}

// update applies one optimizer step to parameters w with gradient g, using
// (and advancing) Adam's moments m and v:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  w ← w − α·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
func (r *Regressor) update(w, g, m, v []float32) {
	if r.SGD {
		for i, gi := range g {
			w[i] -= float32(r.LR * float64(gi))
		}
		return
	}
	t := float64(r.step)
	c1, c2 := 1/(1-math.Pow(AdamBeta1, t)), 1/(1-math.Pow(AdamBeta2, t))
	for i, gi := range g {
		gd := float64(gi)
		mi := AdamBeta1*float64(m[i]) + (1-AdamBeta1)*gd
		vi := AdamBeta2*float64(v[i]) + (1-AdamBeta2)*gd*gd
		m[i], v[i] = float32(mi), float32(vi)
		w[i] -= float32(r.LR * mi * c1 / (math.Sqrt(vi*c2) + AdamEpsilon))
	}
}

// gemm writes op(a)·op(b) into c, where op(a) is m×k, op(b) k×n and c m×n,
// all dense row-major.
func gemm(ta, tb blas.Transpose, m, n, k int, a, b, c []float32) {
	mat := func(t blas.Transpose, rows, cols int, data []float32) blas32.General {
		if t == blas.Trans {
			rows, cols = cols, rows
		}
		return blas32.General{Rows: rows, Cols: cols, Stride: cols, Data: data}
	}
	blas32.Gemm(ta, tb, 1, mat(ta, m, k, a), mat(tb, k, n, b), 0, blas32.General{Rows: m, Cols: n, Stride: n, Data: c})
}

// parallelWork is the number of multiply-adds (or elements) below which a
// loop is not worth splitting across goroutines.
const parallelWork = 1 << 15

// parallelRows calls fn on ranges of rows [lo, hi) covering [0, n), one per
// core when the rows hold enough elements (cols each) to be worth it.
func parallelRows(n, cols int, fn func(lo, hi int)) {
	p := min(runtime.GOMAXPROCS(0), n)
	if p <= 1 || n*cols < parallelWork {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for c := range p {
		wg.Go(func() { fn(c*n/p, (c+1)*n/p) })
	}
	wg.Wait()
}

func grow32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}
