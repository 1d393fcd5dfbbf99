package nn

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/viterin/vek"
	"github.com/viterin/vek/vek32"
)

// Adam's constants, PyTorch's defaults (as Spinning Up uses), shared with the
// graph optimizer that the vpg package configures.
const (
	AdamBeta1   = 0.9
	AdamBeta2   = 0.999
	AdamEpsilon = 1e-8
)

// Engine is a Net on the CPU, with no graph: a copy of the parameters read
// from a context, a forward pass, and gradient steps on the mean squared
// error
//
//	L(φ) = 1/(N·out) Σ_b Σ_j (f_φ(x_b)_j − y_bj)²
//
// (the value-function regression of VPG) with Adam or SGD, written back to
// the context afterwards. It computes what GoMLX autodiff and its Adam
// compute, up to the dtype's rounding; the tests check it against them.
//
// Matrix products run on SIMD kernels (vek) split by rows; sums over the
// batch run in chunks of a fixed number of rows, added in order, so that a
// seed gives the same bits whatever GOMAXPROCS is.
//
// An Engine keeps buffers between calls and is not safe for concurrent use.
type Engine interface {
	// Net is the definition the engine was made from.
	Net() Net
	// Read copies the current parameters of the network under ctx. Adam's
	// state is kept across Read/Write cycles, as an optimizer's across epochs.
	Read(ctx *context.Context) error
	// Write stores the parameters into the variables they were read from.
	Write() error
	// Forward applies the network to a batch of examples, obs flattened
	// row-major (batch×In), and returns the batch×Out outputs in dst, grown
	// if its capacity is too small. It does not allocate once dst and the
	// internal buffers are large enough. It panics if len(obs) is not a
	// multiple of In or before a successful Read.
	Forward(dst, obs []float64) []float64
	// Fit takes iters optimizer steps on L for inputs x [N, In] and targets y
	// [N, Out] (tensors of the Net's dtype) and returns L before each step
	// and after the last.
	Fit(x, y *tensors.Tensor, iters int) ([]float64, error)
	// Optimizer returns the optimizer settings, for changing them.
	Optimizer() *Optimizer
	// AdamState returns a copy of Adam's step count and moments, one slice
	// per parameter tensor (weights, biases of each layer, in order).
	AdamState() AdamState
	// SetAdamState restores a state returned by AdamState.
	SetAdamState(AdamState) error
}

// Optimizer is how an Engine steps: Adam (PyTorch's constants) or plain SGD.
type Optimizer struct {
	LR  float64 // learning rate α
	SGD bool    // plain steps φ ← φ − α∇L instead of Adam's
}

// AdamState is Adam's state: the step count t and the first and second
// moments m, v of every parameter tensor.
type AdamState struct {
	Step int
	M, V [][]float64
}

// NewEngine returns a CPU engine for n with optimizer opt. Call Read before
// anything else.
func NewEngine(n Net, opt Optimizer) (Engine, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if !(opt.LR > 0) || math.IsInf(opt.LR, 0) {
		return nil, fmt.Errorf("nn: learning rate %v, want a finite number > 0", opt.LR)
	}
	act, _ := n.activation().funcs()
	if n.DType == dtypes.Float32 {
		return newCPUNet(n, opt, act.apply32, act.scaleByGrad32, vek32.MatMul_Into), nil
	}
	return newCPUNet(n, opt, act.apply64, act.scaleByGrad64, vek.MatMul_Into), nil
}

type float interface{ float32 | float64 }

// cpuNet is the Engine for one dtype.
type cpuNet[T float] struct {
	net     Net
	opt     Optimizer
	act     func(y []T)
	actGrad func(g, y []T)
	matMul  func(dst, x, y []T, k int) []T // dst[m×p] = x[m×k]·y[k×p]

	layers []cpuLayer[T]
	read   bool
	step   int    // Adam's t
	acts   [][]T  // acts[i+1]: output of layer i (after the activation if hidden)
	adj    [2][]T // adjoints ∂L/∂z of two consecutive layers
	parts  []T    // per-chunk partial gradients
	xT     []T    // per-chunk transposed inputs
	inT    []T    // Forward's input converted to T
}

// cpuLayer is one dense layer: parameters, their transpose, gradients and
// Adam moments, laid out as the context variables ([in, out] row-major, and [out]).
type cpuLayer[T float] struct {
	in, out        int
	wVar, bVar     *context.Variable
	w, b, wt       []T
	gw, gb         []T
	mw, vw, mb, vb []T
}

func newCPUNet[T float](n Net, opt Optimizer, act func([]T), actGrad func(g, y []T), matMul func(dst, x, y []T, k int) []T) *cpuNet[T] {
	sizes := n.sizes()
	c := &cpuNet[T]{net: n, opt: opt, act: act, actGrad: actGrad, matMul: matMul, layers: make([]cpuLayer[T], len(sizes)-1)}
	for i := range c.layers {
		in, out := sizes[i], sizes[i+1]
		c.layers[i] = cpuLayer[T]{in: in, out: out,
			w: make([]T, in*out), wt: make([]T, in*out), gw: make([]T, in*out), mw: make([]T, in*out), vw: make([]T, in*out),
			b: make([]T, out), gb: make([]T, out), mb: make([]T, out), vb: make([]T, out)}
	}
	return c
}

func (c *cpuNet[T]) Net() Net              { return c.net }
func (c *cpuNet[T]) Optimizer() *Optimizer { return &c.opt }

// Read implements Engine. The variables must be exactly the Net's layers:
// the right shapes and dtype, and no further "dense_i" scope.
func (c *cpuNet[T]) Read(ctx *context.Context) error {
	for i := range c.layers {
		l := &c.layers[i]
		scope := ctx.In(LayerScope(i)).Scope()
		l.wVar = ctx.GetVariableByScopeAndName(scope, WeightsName)
		l.bVar = ctx.GetVariableByScopeAndName(scope, BiasesName)
		if l.wVar == nil || l.bVar == nil {
			return fmt.Errorf("nn: no %q and %q in scope %q: the context holds no MLP of %d layers there", WeightsName, BiasesName, scope, len(c.layers))
		}
		for _, v := range []struct {
			v    *context.Variable
			dst  []T
			dims []int
		}{{l.wVar, l.w, []int{l.in, l.out}}, {l.bVar, l.b, []int{l.out}}} {
			if s := v.v.Shape(); s.DType != c.net.DType || !slicesEqual(s.Dimensions, v.dims) {
				return fmt.Errorf("nn: %s is %s, the Net wants %s %v", v.v.ScopeAndName(), s, c.net.DType, v.dims)
			}
			value, err := v.v.Value()
			if err != nil {
				return fmt.Errorf("nn: reading %s: %w", v.v.ScopeAndName(), err)
			}
			if err := value.ConstFlatData(func(flat any) { copy(v.dst, flat.([]T)) }); err != nil {
				return fmt.Errorf("nn: reading %s: %w", v.v.ScopeAndName(), err)
			}
		}
	}
	extra := ctx.In(LayerScope(len(c.layers))).Scope()
	for v := range ctx.IterVariablesInScope() {
		if v.Scope() == extra || len(v.Scope()) > len(extra) && v.Scope()[:len(extra)+1] == extra+context.ScopeSeparator {
			return fmt.Errorf("nn: %s is not part of the Net (%d layers): another layer type?", v.ScopeAndName(), len(c.layers))
		}
	}
	c.read = true
	return nil
}

// Write implements Engine.
func (c *cpuNet[T]) Write() error {
	if !c.read {
		return fmt.Errorf("nn: Engine.Write before a successful Read")
	}
	for _, l := range c.layers {
		if err := l.wVar.SetValue(tensors.FromFlatDataAndDimensions(append([]T(nil), l.w...), l.in, l.out)); err != nil {
			return fmt.Errorf("nn: writing %s: %w", l.wVar.ScopeAndName(), err)
		}
		if err := l.bVar.SetValue(tensors.FromFlatDataAndDimensions(append([]T(nil), l.b...), l.out)); err != nil {
			return fmt.Errorf("nn: writing %s: %w", l.bVar.ScopeAndName(), err)
		}
	}
	return nil
}

// Forward implements Engine.
func (c *cpuNet[T]) Forward(dst, obs []float64) []float64 {
	if !c.read {
		panic("nn: Engine.Forward before a successful Read")
	}
	in := c.net.In
	if len(obs)%in != 0 {
		panic(fmt.Sprintf("nn: Engine.Forward got %d numbers, not a multiple of the %d inputs per example", len(obs), in))
	}
	n := len(obs) / in
	c.inT = grow(c.inT, len(obs))
	for i, v := range obs {
		c.inT[i] = T(v)
	}
	c.forward(c.inT, n)
	out := c.acts[len(c.acts)-1]
	dst = grow(dst, len(out))
	for i, v := range out {
		dst[i] = float64(v)
	}
	return dst
}

// Fit implements Engine.
func (c *cpuNet[T]) Fit(x, y *tensors.Tensor, iters int) ([]float64, error) {
	if !c.read {
		return nil, fmt.Errorf("nn: Engine.Fit before a successful Read")
	}
	if iters < 0 {
		return nil, fmt.Errorf("nn: Engine.Fit of %d steps, want ≥ 0", iters)
	}
	xs, err := flatOf[T](x)
	if err != nil {
		return nil, err
	}
	ys, err := flatOf[T](y)
	if err != nil {
		return nil, err
	}
	if _, err := c.rows(xs, ys); err != nil {
		return nil, err
	}
	losses := make([]float64, 0, iters+1)
	for range iters {
		losses = append(losses, c.Step(xs, ys))
	}
	return append(losses, c.Loss(xs, ys)), nil
}

func flatOf[T float](t *tensors.Tensor) ([]T, error) {
	var out []T
	var bad any
	err := t.ConstFlatData(func(flat any) {
		if f, ok := flat.([]T); ok {
			out = append([]T(nil), f...)
		} else {
			bad = flat
		}
	})
	if err == nil && bad != nil {
		err = fmt.Errorf("nn: tensor holds %T, the Net computes in %T", bad, out)
	}
	return out, err
}

// Loss returns L at the current parameters for inputs x (N×In, row-major)
// and targets y (N×Out).
func (c *cpuNet[T]) Loss(x, y []T) float64 {
	n := c.mustRows(x, y)
	c.forward(x, n)
	loss, _ := c.residual(y, false)
	return loss
}

// Step takes one optimizer step on L for inputs x and targets y and returns
// the loss before the step.
func (c *cpuNet[T]) Step(x, y []T) float64 {
	n := c.mustRows(x, y)
	c.forward(x, n)
	loss, g := c.residual(y, true)
	c.backward(n, g)
	c.step++
	for i := range c.layers {
		l := &c.layers[i]
		c.update(l.w, l.gw, l.mw, l.vw)
		c.update(l.b, l.gb, l.mb, l.vb)
	}
	return loss
}

func (c *cpuNet[T]) mustRows(x, y []T) int {
	n, err := c.rows(x, y)
	if err != nil {
		panic(err.Error())
	}
	return n
}

// rows checks the sizes of x and y and returns N.
func (c *cpuNet[T]) rows(x, y []T) (int, error) {
	if !c.read {
		return 0, fmt.Errorf("nn: Engine used before a successful Read")
	}
	in, out := c.net.In, c.net.Out
	n := len(y) / out
	if n < 1 || len(y) != n*out || len(x) != n*in {
		return 0, fmt.Errorf("nn: Engine got %d inputs and %d targets, want N×%d and N×%d with N ≥ 1", len(x), len(y), in, out)
	}
	return n, nil
}

// forward computes every layer's output into c.acts: z = a·W + b, then the
// activation on hidden layers.
func (c *cpuNet[T]) forward(x []T, n int) {
	if len(c.acts) != len(c.layers)+1 {
		c.acts = make([][]T, len(c.layers)+1)
	}
	c.acts[0] = x
	for i := range c.layers {
		l := &c.layers[i]
		c.acts[i+1] = grow(c.acts[i+1], n*l.out)
		z := c.acts[i+1]
		c.matMul(z, c.acts[i], l.w, l.in)
		hidden := i < len(c.layers)-1
		if n*l.out < parallelWork { // a rollout's batch: no closure, no allocation
			c.biasAct(l, z, 0, n, hidden)
			continue
		}
		forChunks(n, l.out, func(_, lo, hi int) { c.biasAct(l, z, lo, hi, hidden) })
	}
}

// biasAct adds the biases to rows [lo, hi) of z and applies the activation
// if hidden.
func (c *cpuNet[T]) biasAct(l *cpuLayer[T], z []T, lo, hi int, hidden bool) {
	for row := lo; row < hi; row++ {
		zr := z[row*l.out : (row+1)*l.out]
		for j, b := range l.b[:len(zr)] {
			zr[j] += b
		}
	}
	if hidden {
		c.act(z[lo*l.out : hi*l.out])
	}
}

// residual returns the loss of the last forward pass and, if grad, writes
// ∂L/∂f = 2(f − y)/(N·out) into an adjoint buffer and returns it.
func (c *cpuNet[T]) residual(y []T, grad bool) (float64, []T) {
	f := c.acts[len(c.acts)-1]
	var g []T
	if grad {
		c.adj[0] = grow(c.adj[0], len(f))
		g = c.adj[0]
	}
	scale := 2 / float64(len(f))
	var sum float64
	for i, v := range f {
		d := float64(v) - float64(y[i])
		sum += d * d
		if grad {
			g[i] = T(scale * d)
		}
	}
	return sum / float64(len(f)), g
}

// backward fills every layer's gw and gb from g = ∂L/∂f, layer by layer:
// ∂L/∂W = aᵀ·δ and ∂L/∂b = Σ_rows δ, summed per chunk of rows and then over
// chunks in order; for the layer below, δ' = (δ·Wᵀ) ⊙ f′(a).
func (c *cpuNet[T]) backward(n int, g []T) {
	delta, spare := g, 1
	for i := len(c.layers) - 1; i >= 0; i-- {
		l := &c.layers[i]
		c.paramGrads(l, c.acts[i], delta, n)
		if i == 0 {
			break
		}
		c.adj[spare] = grow(c.adj[spare], n*l.in)
		next, a := c.adj[spare], c.acts[i]
		transpose(l.wt, l.w, l.in, l.out)
		c.matMul(next, delta, l.wt, l.out)
		forChunks(n, l.in, func(_, lo, hi int) {
			c.actGrad(next[lo*l.in:hi*l.in], a[lo*l.in:hi*l.in])
		})
		delta, spare = next, 1-spare
	}
}

// paramGrads writes aᵀ·δ (a N×in, δ N×out) into l.gw and Σ_rows δ into
// l.gb: one partial sum per chunk of rows (its own transposed copy of a
// times δ), then the partials added in chunk order.
func (c *cpuNet[T]) paramGrads(l *cpuLayer[T], a, delta []T, n int) {
	chunks := numChunks(n)
	size := l.in*l.out + l.out
	c.parts = grow(c.parts, chunks*size)
	c.xT = grow(c.xT, n*l.in)
	forChunks(n, l.in*l.out, func(ch, lo, hi int) {
		part := c.parts[ch*size : (ch+1)*size]
		at := c.xT[lo*l.in : hi*l.in]
		transpose(at, a[lo*l.in:hi*l.in], hi-lo, l.in)
		c.matMul(part[:l.in*l.out], at, delta[lo*l.out:hi*l.out], hi-lo)
		gb := part[l.in*l.out:]
		clear(gb)
		for row := lo; row < hi; row++ {
			for j, d := range delta[row*l.out : (row+1)*l.out] {
				gb[j] += d
			}
		}
	})
	copy(l.gw, c.parts[:l.in*l.out])
	copy(l.gb, c.parts[l.in*l.out:size])
	for ch := 1; ch < chunks; ch++ {
		part := c.parts[ch*size : (ch+1)*size]
		for k, v := range part[:len(l.gw)] {
			l.gw[k] += v
		}
		for k, v := range part[len(l.gw):] {
			l.gb[k] += v
		}
	}
}

// update applies one optimizer step to parameters w with gradient g. Adam
// uses (and advances) the moments m and v:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  w ← w − α·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
func (c *cpuNet[T]) update(w, g, m, v []T) {
	lr := c.opt.LR
	if c.opt.SGD {
		for i, gi := range g {
			w[i] -= T(lr * float64(gi))
		}
		return
	}
	t := float64(c.step)
	c1, c2 := 1/(1-math.Pow(AdamBeta1, t)), 1/(1-math.Pow(AdamBeta2, t))
	for i, gi := range g {
		gd := float64(gi)
		mi := AdamBeta1*float64(m[i]) + (1-AdamBeta1)*gd
		vi := AdamBeta2*float64(v[i]) + (1-AdamBeta2)*gd*gd
		m[i], v[i] = T(mi), T(vi)
		w[i] -= T(lr * mi * c1 / (math.Sqrt(vi*c2) + AdamEpsilon))
	}
}

// AdamState implements Engine.
func (c *cpuNet[T]) AdamState() AdamState {
	s := AdamState{Step: c.step}
	for _, l := range c.layers {
		s.M = append(s.M, float64s(l.mw), float64s(l.mb))
		s.V = append(s.V, float64s(l.vw), float64s(l.vb))
	}
	return s
}

// SetAdamState implements Engine.
func (c *cpuNet[T]) SetAdamState(s AdamState) error {
	if s.Step < 0 {
		return fmt.Errorf("nn: Adam step %d, want ≥ 0", s.Step)
	}
	var dst [][2][]T
	for _, l := range c.layers {
		dst = append(dst, [2][]T{l.mw, l.vw}, [2][]T{l.mb, l.vb})
	}
	if len(s.M) != len(dst) || len(s.V) != len(dst) {
		return fmt.Errorf("nn: Adam state has %d and %d moment tensors, the Net has %d parameter tensors", len(s.M), len(s.V), len(dst))
	}
	for i, d := range dst {
		if len(s.M[i]) != len(d[0]) || len(s.V[i]) != len(d[1]) {
			return fmt.Errorf("nn: Adam moments of parameter tensor %d have %d and %d values, want %d", i, len(s.M[i]), len(s.V[i]), len(d[0]))
		}
		for k := range d[0] {
			if v := s.V[i][k]; math.IsNaN(s.M[i][k]) || math.IsInf(s.M[i][k], 0) || !(v >= 0) || math.IsInf(v, 0) {
				return fmt.Errorf("nn: Adam moments of parameter tensor %d entry %d are %v, %v; want finite, the second ≥ 0", i, k, s.M[i][k], v)
			}
		}
	}
	for i, d := range dst {
		for k := range d[0] {
			d[0][k], d[1][k] = T(s.M[i][k]), T(s.V[i][k])
		}
	}
	c.step = s.Step
	return nil
}

func float64s[T float](x []T) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// transpose writes the cols×rows transpose of the rows×cols matrix a into
// dst, in tiles of 8×8 so that both sides stay in cache.
func transpose[T float](dst, a []T, rows, cols int) {
	const tile = 8
	for r0 := 0; r0 < rows; r0 += tile {
		r1 := min(r0+tile, rows)
		for k0 := 0; k0 < cols; k0 += tile {
			k1 := min(k0+tile, cols)
			for k := k0; k < k1; k++ {
				d := dst[k*rows+r0 : k*rows+r1]
				for i := range d {
					d[i] = a[(r0+i)*cols+k]
				}
			}
		}
	}
}

// chunkRows is the number of rows of one partial sum over the batch. It is
// a constant, not derived from the number of cores, so that the sums, and
// with them the trained parameters, are the same bits on any machine.
const chunkRows = 256

func numChunks(n int) int { return (n + chunkRows - 1) / chunkRows }

// parallelWork is the number of multiply-adds (or elements) below which
// chunks are not worth spreading over goroutines.
const parallelWork = 1 << 15

// forChunks calls fn(chunk, lo, hi) for the chunks [lo, hi) of chunkRows
// rows covering [0, n), spread over up to GOMAXPROCS goroutines when the
// rows hold enough work (cols each). Each chunk's result must depend only
// on its rows, so that the spread does not change it.
func forChunks(n, cols int, fn func(chunk, lo, hi int)) {
	chunks := numChunks(n)
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 || n*cols < parallelWork {
		for ch := range chunks {
			fn(ch, ch*chunkRows, min((ch+1)*chunkRows, n))
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for ch := w; ch < chunks; ch += workers {
				fn(ch, ch*chunkRows, min((ch+1)*chunkRows, n))
			}
		})
	}
	wg.Wait()
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func slicesEqual(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// ReadFloats copies the values of a float32 or float64 tensor into dst, as
// float64; any other dtype is an error.
func ReadFloats(dst []float64, t *tensors.Tensor) error {
	var bad any
	err := t.ConstFlatData(func(flat any) {
		switch f := flat.(type) {
		case []float32:
			for i, x := range f {
				dst[i] = float64(x)
			}
		case []float64:
			copy(dst, f)
		default:
			bad = flat
		}
	})
	if err == nil && bad != nil {
		err = fmt.Errorf("nn: tensor holds %T, want float32 or float64 values", bad)
	}
	return err
}
