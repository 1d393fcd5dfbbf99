package nn

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Adam's constants, PyTorch's defaults (as Spinning Up uses), shared with the
// graph optimizer that the vpg package configures.
const (
	AdamBeta1   = 0.9
	AdamBeta2   = 0.999
	AdamEpsilon = 1e-8
)

// Engine is a Net on the CPU, with no graph: its own parameters (read from
// a GoMLX store, or set with SetParams), a forward pass, and Adam or SGD
// steps from the gradient of a loss with respect to the outputs (Step,
// after Forward). The loss itself is computed elsewhere: vpg's CPU learner
// gets its gradient from GoMLX. It computes what GoMLX autodiff and its
// Adam compute, up to the dtype's rounding; the tests check it against
// them.
//
// Forward and Step run the batch in chunks of a fixed number of rows, with
// float32 matrix products on AVX2 kernels where the CPU has them; the
// chunks' partial gradients are added in chunk order, so that a seed gives
// the same bits whatever GOMAXPROCS is.
//
// An Engine keeps buffers between calls and is not safe for concurrent use.
type Engine interface {
	// Net is the definition the engine was made from.
	Net() Net
	// Read copies the current parameters of the network under ctx. Adam's
	// state is kept across Read/Write cycles, as an optimizer's across epochs.
	Read(scope *model.Scope) error
	// Write stores the parameters into the variables they were read from.
	Write() error
	// Forward applies the network to a batch of examples, obs flattened
	// row-major (batch×In), and returns the batch×Out outputs in dst, grown
	// if its capacity is too small. It does not allocate once dst and the
	// internal buffers are large enough. It panics if len(obs) is not a
	// multiple of In or before a successful Read.
	Forward(dst, obs []float64) []float64
	// Step takes one optimizer step on a loss L whose gradient with respect
	// to the outputs f of the latest Forward is g (laid out as f): the
	// engine back-propagates g through the network from the activations
	// that Forward kept. Forward and Step on the same batch are one
	// training step whose loss is computed elsewhere (vpg's learners get g
	// from GoMLX).
	Step(g []float64) error
	// Backward back-propagates g as Step does and returns the squared norm
	// of the gradient of every parameter, without stepping; Apply then takes
	// the optimizer step with that gradient times scale. Backward then
	// Apply(1) is Step; a smaller scale clips the gradient's norm.
	Backward(g []float64) (float64, error)
	Apply(scale float64)
	// Params returns a copy of the parameters, weights then biases of each
	// layer in order, laid out as the store's variables.
	Params() [][]float64
	// SetParams replaces the parameters with values laid out as Params'.
	SetParams(p [][]float64) error
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
	Eps float64 // Adam's ε; 0 means AdamEpsilon (PyTorch's 1e-8; CleanRL's PPO uses 1e-5)
}

// Epsilon is Adam's ε of o.
func (o Optimizer) Epsilon() float64 {
	if o.Eps == 0 {
		return AdamEpsilon
	}
	return o.Eps
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
		gemm := gemmGo[float32]
		if useGemmKernels {
			gemm = gemmSIMD
		}
		return newCPUNet(n, opt, act.apply32, act.scaleByGrad32, gemm), nil
	}
	return newCPUNet(n, opt, act.apply64, act.scaleByGrad64, gemmGo[float64]), nil
}

type float interface{ float32 | float64 }

// cpuNet is the Engine for one dtype.
type cpuNet[T float] struct {
	net     Net
	opt     Optimizer
	act     func(y, b []T) // y ← f(y + b), row by row
	actGrad func(g, y []T)
	gemm    gemmFunc[T]

	layers  []cpuLayer[T]
	read    bool
	step    int       // Adam's t
	n       int       // rows of the current batch
	rowWork int       // multiply-adds per row of a forward pass
	acts    [][]T     // acts[i+1]: output of layer i (after the activation if hidden)
	adj     [2][]T    // adjoints ∂L/∂z of two consecutive layers
	parts   []T       // per-chunk partial gradients, layer after layer
	partLen int       // values of one chunk's partial gradients
	g64     []float64 // ∂L/∂f given to Step
	inT     []T       // Forward's input converted to T
	one     []T       // {1}, a row of ones with stride 0, to sum rows by gemm
}

// cpuLayer is one dense layer: parameters, their transpose, gradients and
// Adam moments, laid out as the store variables ([in, out] row-major, and [out]).
type cpuLayer[T float] struct {
	in, out        int
	wVar, bVar     *model.Variable
	w, b, wt       []T
	gw, gb         []T
	mw, vw, mb, vb []T
}

func newCPUNet[T float](n Net, opt Optimizer, act func(y, b []T), actGrad func(g, y []T), gemm gemmFunc[T]) *cpuNet[T] {
	sizes := n.sizes()
	c := &cpuNet[T]{net: n, opt: opt, act: act, actGrad: actGrad, gemm: gemm, layers: make([]cpuLayer[T], len(sizes)-1),
		acts: make([][]T, len(sizes)), one: []T{1}}
	for i := range c.layers {
		in, out := sizes[i], sizes[i+1]
		c.rowWork += in * out
		c.partLen += in*out + out
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
func (c *cpuNet[T]) Read(scope *model.Scope) error {
	for i := range c.layers {
		l := &c.layers[i]
		layer := scope.At("%s", LayerScope(i))
		l.wVar = layer.GetVariable(WeightsName)
		l.bVar = layer.GetVariable(BiasesName)
		if l.wVar == nil || l.bVar == nil {
			return fmt.Errorf("nn: no %q and %q in scope %q: the store holds no MLP of %d layers there", WeightsName, BiasesName, layer.Scope(), len(c.layers))
		}
		for _, v := range []struct {
			v    *model.Variable
			dst  []T
			dims []int
		}{{l.wVar, l.w, []int{l.in, l.out}}, {l.bVar, l.b, []int{l.out}}} {
			if s := v.v.Shape(); s.DType != c.net.DType || !slices.Equal(s.Dimensions, v.dims) {
				return fmt.Errorf("nn: %s is %s, the Net wants %s %v", v.v.Path(), s, c.net.DType, v.dims)
			}
			value, err := v.v.Value()
			if err != nil {
				return fmt.Errorf("nn: reading %s: %w", v.v.Path(), err)
			}
			if err := value.ConstFlatData(func(flat any) { copy(v.dst, flat.([]T)) }); err != nil {
				return fmt.Errorf("nn: reading %s: %w", v.v.Path(), err)
			}
		}
	}
	extra := scope.At("%s", LayerScope(len(c.layers))).Scope()
	for v := range scope.IterVariables() {
		if v.Scope() == extra || len(v.Scope()) > len(extra) && v.Scope()[:len(extra)+1] == extra+model.ScopeSeparator {
			return fmt.Errorf("nn: %s is not part of the Net (%d layers): another layer type?", v.Path(), len(c.layers))
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
			return fmt.Errorf("nn: writing %s: %w", l.wVar.Path(), err)
		}
		if err := l.bVar.SetValue(tensors.FromFlatDataAndDimensions(append([]T(nil), l.b...), l.out)); err != nil {
			return fmt.Errorf("nn: writing %s: %w", l.bVar.Path(), err)
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
	c.prepare(c.inT, n)
	if numChunks(n) == 1 { // a rollout's batch: no closure, no allocation
		c.forwardRows(obs, 0, n)
	} else {
		forChunks(n, c.rowWork, func(_, lo, hi int) { c.forwardRows(obs, lo, hi) })
	}
	out := c.acts[len(c.acts)-1]
	dst = grow(dst, len(out))
	for i, v := range out {
		dst[i] = float64(v)
	}
	return dst
}

// applyGradients takes the optimizer step with the gradients in every
// layer's gw and gb.
func (c *cpuNet[T]) applyGradients() {
	c.step++
	for i := range c.layers {
		l := &c.layers[i]
		adamUpdate(c.opt, c.step, l.w, l.gw, l.mw, l.vw)
		adamUpdate(c.opt, c.step, l.b, l.gb, l.mb, l.vb)
	}
}

// Step implements Engine.
func (c *cpuNet[T]) Step(g []float64) error {
	if _, err := c.Backward(g); err != nil {
		return err
	}
	c.applyGradients()
	return nil
}

// Backward implements Engine.
func (c *cpuNet[T]) Backward(g []float64) (float64, error) {
	if !c.read {
		return 0, fmt.Errorf("nn: Engine.Step before a successful Read")
	}
	if c.n == 0 || len(g) != c.n*c.net.Out {
		return 0, fmt.Errorf("nn: Engine.Step got %d gradient values; the latest Forward had %d rows of %d outputs", len(g), c.n, c.net.Out)
	}
	for i := range c.layers {
		l := &c.layers[i]
		transpose(l.wt, l.w, l.in, l.out)
	}
	copy(c.g64, g)
	forChunks(c.n, 2*c.rowWork, func(ch, lo, hi int) { c.backward(ch, lo, hi) })
	c.addParts(c.n)
	sq := 0.0
	for _, l := range c.layers {
		for _, gs := range [][]T{l.gw, l.gb} {
			for _, x := range gs {
				sq += float64(x) * float64(x)
			}
		}
	}
	return sq, nil
}

// Apply implements Engine.
func (c *cpuNet[T]) Apply(scale float64) {
	if scale != 1 {
		for _, l := range c.layers {
			for _, gs := range [][]T{l.gw, l.gb} {
				for i := range gs {
					gs[i] *= T(scale)
				}
			}
		}
	}
	c.applyGradients()
}

// Params implements Engine.
func (c *cpuNet[T]) Params() [][]float64 {
	var p [][]float64
	for _, l := range c.layers {
		p = append(p, float64s(l.w), float64s(l.b))
	}
	return p
}

// SetParams implements Engine.
func (c *cpuNet[T]) SetParams(p [][]float64) error {
	if len(p) != 2*len(c.layers) {
		return fmt.Errorf("nn: %d parameter tensors, the Net has %d", len(p), 2*len(c.layers))
	}
	for i, l := range c.layers {
		for k, dst := range [][]T{l.w, l.b} {
			src := p[2*i+k]
			if len(src) != len(dst) {
				return fmt.Errorf("nn: parameter tensor %d has %d values, want %d", 2*i+k, len(src), len(dst))
			}
			for j, v := range src {
				dst[j] = T(v)
			}
		}
	}
	c.read = true
	return nil
}

// prepare sizes the buffers for a batch of n rows with inputs x.
func (c *cpuNet[T]) prepare(x []T, n int) {
	c.n = n
	c.acts[0] = x
	widest := 0
	for i, l := range c.layers {
		c.acts[i+1] = grow(c.acts[i+1], n*l.out)
		widest = max(widest, l.in, l.out)
	}
	for i := range c.adj {
		c.adj[i] = grow(c.adj[i], n*widest)
	}
	c.parts = grow(c.parts, numChunks(n)*c.partLen)
	c.g64 = grow(c.g64, n*c.net.Out)
}

// forwardRows converts rows [lo, hi) of obs to T, as the first layer's
// input, and computes every layer's output on them into c.acts: z = a·W + b,
// then the activation on hidden layers.
func (c *cpuNet[T]) forwardRows(obs []float64, lo, hi int) {
	in := c.acts[0][lo*c.net.In : hi*c.net.In]
	for i, v := range obs[lo*c.net.In : hi*c.net.In] {
		in[i] = T(v)
	}
	for i := range c.layers {
		l := &c.layers[i]
		z := c.acts[i+1][lo*l.out : hi*l.out]
		c.gemm(z, l.out, c.acts[i][lo*l.in:hi*l.in], l.in, 1, l.w, l.out, hi-lo, l.in, l.out, false)
		if i < len(c.layers)-1 {
			c.act(z, l.b)
		} else {
			addBias(z, l.b)
		}
	}
}

// backward runs rows [lo, hi), chunk number ch, backward from ∂L/∂f in
// c.g64, with the activations in c.acts.
func (c *cpuNet[T]) backward(ch, lo, hi int) {
	out := c.net.Out
	g64 := c.g64[lo*out : hi*out]
	// Each chunk's adjoints of any layer live in its own rows of the
	// widest layer, so that chunks never share memory.
	wide := len(c.adj[0]) / c.n
	delta := c.adj[0][lo*wide : lo*wide+len(g64)]
	for i, v := range g64 {
		delta[i] = T(v)
	}
	rows, spare := hi-lo, 1
	part := c.parts[ch*c.partLen : (ch+1)*c.partLen]
	for i := len(c.layers) - 1; i >= 0; i-- {
		l := &c.layers[i]
		end := len(part) - l.out - l.in*l.out // the layers below come first
		gw, gb := part[end:end+l.in*l.out], part[end+l.in*l.out:]
		part = part[:end]
		a := c.acts[i][lo*l.in : hi*l.in]
		c.gemm(gw, l.out, a, 1, l.in, delta, l.out, l.in, rows, l.out, false)
		c.gemm(gb, l.out, c.one, 0, 0, delta, l.out, 1, rows, l.out, false) // 1ᵀ·δ
		if i == 0 {
			break
		}
		next := c.adj[spare][lo*wide : lo*wide+rows*l.in]
		c.gemm(next, l.in, delta, l.out, 1, l.wt, l.in, rows, l.out, l.in, false)
		c.actGrad(next, a)
		delta, spare = next, 1-spare
	}
}

// addParts sets every layer's gw and gb to the sum of the chunks' partial
// gradients, added in chunk order.
func (c *cpuNet[T]) addParts(n int) {
	chunks := numChunks(n)
	off := 0
	for i := range c.layers {
		l := &c.layers[i]
		for _, g := range [][]T{l.gw, l.gb} {
			copy(g, c.parts[off:off+len(g)])
			for ch := 1; ch < chunks; ch++ {
				addInto(g, c.parts[ch*c.partLen+off:ch*c.partLen+off+len(g)])
			}
			off += len(g)
		}
	}
}

// adamStep holds the numbers of Adam's t-th step: the learning rate α, the
// bias corrections 1/(1−β₁ᵗ) and 1/(1−β₂ᵗ), and ε (the assembly kernels
// read it in this order).
type adamStep struct{ lr, c1, c2, eps float64 }

// adamUpdate applies one optimizer step, the t-th, to parameters w with
// gradient g. Adam uses (and advances) the moments m and v:
//
//	m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  w ← w − α·(m/(1−β₁ᵗ)) / (√(v/(1−β₂ᵗ)) + ε).
//
// For float32 parameters SIMD kernels take most of them (adam32), with the
// bits of adamGo.
func adamUpdate[T float](o Optimizer, t int, w, g, m, v []T) {
	if o.SGD {
		for i, gi := range g {
			w[i] -= T(o.LR * float64(gi))
		}
		return
	}
	k := adamStep{o.LR, 1 / (1 - math.Pow(AdamBeta1, float64(t))), 1 / (1 - math.Pow(AdamBeta2, float64(t))), o.Epsilon()}
	i := 0
	if w32, ok := any(w).([]float32); ok {
		i = adam32(&k, w32, any(g).([]float32), any(m).([]float32), any(v).([]float32))
	}
	adamGo(&k, w[i:], g[i:], m[i:], v[i:])
}

// adamGo is Adam's step in Go, in float64 arithmetic whatever T. The
// conversions keep a compiler from fusing a product and a sum, so that
// every platform, and the kernels, round as here.
func adamGo[T float](k *adamStep, w, g, m, v []T) {
	for i, gi := range g {
		gd := float64(gi)
		mi := float64(AdamBeta1*float64(m[i])) + float64((1-AdamBeta1)*gd)
		vi := float64(AdamBeta2*float64(v[i])) + float64((1-AdamBeta2)*gd*gd)
		m[i], v[i] = T(mi), T(vi)
		w[i] -= T(k.lr * mi * k.c1 / (math.Sqrt(vi*k.c2) + k.eps))
	}
}

// Update is the engine's optimizer step, the t-th, for parameters that live
// outside an engine (vpg's Gaussian log σ): the same arithmetic in float32
// or float64.
func Update[T float](o Optimizer, t int, w, g, m, v []T) { adamUpdate(o, t, w, g, m, v) }

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
// rows hold enough work (cols each): the crew's, or new ones while another
// pass holds it. Each goroutine takes the next chunk nobody has taken, so
// one that loses its processor for a while (common on a virtual machine)
// leaves its share to the others: CartPole's 80 V steps took 0.90× the time
// of a fixed share each (median of 10 pairs of runs on 2 cores). Each
// chunk's result must depend only on its rows, so that the spread does not
// change it.
func forChunks(n, cols int, fn func(chunk, lo, hi int)) {
	chunks := numChunks(n)
	workers := min(runtime.GOMAXPROCS(0), chunks)
	if workers <= 1 || n*cols < parallelWork {
		for ch := range chunks {
			fn(ch, ch*chunkRows, min((ch+1)*chunkRows, n))
		}
		return
	}
	var next atomic.Int32
	run := func(int) {
		for {
			ch := int(next.Add(1)) - 1
			if ch >= chunks {
				return
			}
			fn(ch, ch*chunkRows, min((ch+1)*chunkRows, n))
		}
	}
	if chunkCrew.run(workers, run) {
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { run(0) })
	}
	wg.Wait()
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
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
