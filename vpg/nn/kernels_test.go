package nn

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// refProduct is c (+)= a·b summed in float64: the truth the kernels'
// float32 sums are compared with.
func refProduct(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, m, k, p int, acc bool) []float64 {
	out := make([]float64, m*p)
	for i := range m {
		for j := range p {
			var s float64
			if acc {
				s = float64(c[i*ldc+j])
			}
			for l := range k {
				s += float64(a[i*ars+l*aks]) * float64(b[l*ldb+j])
			}
			out[i*p+j] = s
		}
	}
	return out
}

// operands are random normal a (m×k, with the strides of a·b, or of aᵀ·b if
// transposed), b (k rows ldb apart) and c (cLen values) for a product test.
func operands(rng *rand.Rand, m, k, ldb, cLen int, transposed bool) (a []float32, ars, aks int, b, c []float32) {
	ars, aks = k, 1
	if transposed {
		ars, aks = 1, m
	}
	a, b, c = make([]float32, m*k), make([]float32, k*ldb), make([]float32, cLen)
	for _, x := range [][]float32{a, b, c} {
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
	}
	return a, ars, aks, b, c
}

// Both gemm forms compute a·b, a·b added to c, and aᵀ·b (a read with
// swapped strides), to float32 rounding of a float64 sum, on sizes that
// leave row and column remainders; rows of c beyond the product stay
// untouched.
func TestGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	forms := map[string]gemmFunc[float32]{"go": gemmGo[float32]}
	if useGemmKernels {
		forms["simd"] = gemmSIMD
	}
	for name, gemm := range forms {
		for _, s := range []struct{ m, k, p int }{{4, 3, 16}, {7, 64, 64}, {64, 256, 1}, {9, 5, 35}, {1, 1, 2}, {3, 0, 17}, {6, 300, 33}} {
			for _, transposed := range []bool{false, true} {
				for _, acc := range []bool{false, true} {
					t.Run(fmt.Sprintf("%s/%dx%dx%d/transposed=%v/acc=%v", name, s.m, s.k, s.p, transposed, acc), func(t *testing.T) {
						ldb, ldc := s.p+3, s.p+2
						a, ars, aks, b, c := operands(rng, s.m, s.k, ldb, (s.m+1)*ldc, transposed)
						want := refProduct(c, ldc, a, ars, aks, b, ldb, s.m, s.k, s.p, acc)
						tail := append([]float32(nil), c[s.m*ldc:]...)
						gemm(c, ldc, a, ars, aks, b, ldb, s.m, s.k, s.p, acc)
						for i := range s.m {
							for j := range s.p {
								got, w := float64(c[i*ldc+j]), want[i*s.p+j]
								if math.Abs(got-w) > 1e-5*(1+float64(s.k)) {
									t.Fatalf("c[%d][%d] = %v, want %v", i, j, got, w)
								}
							}
						}
						for i, v := range tail {
							if c[s.m*ldc+i] != v {
								t.Fatalf("c changed past the product's rows at %d", i)
							}
						}
					})
				}
			}
		}
	}
}

// The kernels behind the float32 tanh layer give tanh32's bits, and
// (1 − y²)·g rounded as Go rounds it, whatever the row length's remainder.
func TestTanhKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 11))
	for _, cols := range []int{1, 7, 8, 15, 24, 31, 64} { // remainders of 16 (AVX-512), 8 (AVX2) and single lanes
		y := make([]float32, 5*cols)
		for i := range y {
			y[i] = float32(rng.NormFloat64() * 4)
		}
		y[0] = float32(math.NaN())
		y[len(y)-1] = float32(math.Inf(-1))
		b := make([]float32, cols)
		for i := range b {
			b[i] = float32(rng.NormFloat64())
		}
		want := make([]float32, len(y))
		for i, v := range y {
			want[i] = tanh32(v + b[i%cols])
		}
		addTanh32(y, b)
		for i := range y {
			if math.Float32bits(y[i]) != math.Float32bits(want[i]) {
				t.Fatalf("cols=%d: tanh at %d = %v, tanh32 gives %v", cols, i, y[i], want[i])
			}
		}
		g := make([]float32, len(y))
		wantG := make([]float32, len(y))
		for i := range g {
			g[i] = float32(rng.NormFloat64())
			wantG[i] = g[i] * (1 - float32(y[i]*y[i]))
		}
		tanhGrad32(g, y)
		for i := range g {
			if math.Float32bits(g[i]) != math.Float32bits(wantG[i]) {
				t.Fatalf("cols=%d: tanh′ scaling at %d = %v, want %v", cols, i, g[i], wantG[i])
			}
		}
	}
}

// BenchmarkGemm times each gemm form on the engine's shapes, a chunk of 256
// rows through a layer of width 64 (CartPole's) and 1024: x·W, and xᵀ·δ (a
// read with swapped strides); it reports GFLOP/s.
func BenchmarkGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	forms := map[string]gemmFunc[float32]{"go": gemmGo[float32]}
	if useGemmKernels {
		forms["simd"] = gemmSIMD
	}
	for _, width := range []int{64, 1024} {
		m, k, p := 256, width, width
		x, w, c, g := make([]float32, m*k), make([]float32, k*p), make([]float32, m*p), make([]float32, k*p)
		for _, v := range [][]float32{x, w, c} {
			for i := range v {
				v[i] = float32(rng.NormFloat64())
			}
		}
		flops := 2 * float64(m*k*p)
		for name, gemm := range forms {
			b.Run(fmt.Sprintf("%s/%d/x·W", name, width), func(b *testing.B) {
				for b.Loop() {
					gemm(c, p, x, k, 1, w, p, m, k, p, false)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
			b.Run(fmt.Sprintf("%s/%d/xᵀ·δ", name, width), func(b *testing.B) {
				for b.Loop() {
					gemm(g, p, x, 1, k, c, p, k, m, p, false)
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// The AVX-512 tiles give the AVX2 kernels' bits (one fused multiply-add
// per l, in order, in both), and its 16-row columns the AVX2 kernels' 32-row
// ones (a product then a sum in both), on shapes with and without whole 4×64 tiles and 16-row
// blocks, transposed or not, across the 128-value blocks of l.
func TestGemmAVX512MatchesAVX2(t *testing.T) {
	if !useAVX512 {
		t.Skip("no AVX-512 on this CPU (or -tags purego): nothing to compare")
	}
	rng := rand.New(rand.NewPCG(10, 11))
	for _, s := range []struct{ m, k, p int }{{8, 64, 64}, {256, 4, 64}, {64, 256, 64}, {13, 300, 70}, {7, 9, 32}, {17, 1, 33}, {40, 129, 96}, {1, 256, 64}, {6, 3, 130}, {256, 64, 1}, {64, 256, 1}, {33, 5, 18}, {32, 40, 2}, {16, 16, 1}} {
		for _, transposed := range []bool{false, true} {
			for _, acc := range []bool{false, true} {
				ldb, ldc := s.p+1, s.p+5
				a, ars, aks, b, c := operands(rng, s.m, s.k, ldb, s.m*ldc, transposed)
				wide, narrow := append([]float32(nil), c...), append([]float32(nil), c...)
				gemmSIMD(wide, ldc, a, ars, aks, b, ldb, s.m, s.k, s.p, acc)
				useAVX512 = false
				gemmSIMD(narrow, ldc, a, ars, aks, b, ldb, s.m, s.k, s.p, acc)
				useAVX512 = true
				for i := range wide {
					if math.Float32bits(wide[i]) != math.Float32bits(narrow[i]) {
						t.Fatalf("%dx%dx%d transposed=%v acc=%v: entry %d is %v with AVX-512, %v with AVX2", s.m, s.k, s.p, transposed, acc, i, wide[i], narrow[i])
					}
				}
			}
		}
	}
}

// gemmNarrow rounds each product to float32 and then adds it, per entry
// and over l in order, whichever rows and columns it groups.
func TestGemmNarrowRounding(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	for _, s := range []struct{ m, k, p int }{{1, 64, 2}, {1, 64, 3}, {7, 9, 1}, {6, 33, 5}, {2, 0, 2}} {
		for _, acc := range []bool{false, true} {
			a, ars, aks, b, c := operands(rng, s.m, s.k, s.p, s.m*s.p, false)
			want := append([]float32(nil), c...)
			for i := range s.m {
				for j := range s.p {
					var sum float32
					if acc {
						sum = want[i*s.p+j]
					}
					for l := range s.k {
						sum += float32(a[i*ars+l*aks] * b[l*s.p+j]) // the conversion forbids fusing
					}
					want[i*s.p+j] = sum
				}
			}
			gemmNarrow(c, s.p, a, ars, aks, b, s.p, s.m, s.k, 0, s.p, acc)
			for i := range c {
				if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%dx%dx%d acc=%v: entry %d is %v, want %v", s.m, s.k, s.p, acc, i, c[i], want[i])
				}
			}
		}
	}
}

// The columns past the last 16 (a value head's one, a policy's two), which
// AVX2 and AVX-512 sum 32 and 16 rows at a time, give gemmNarrow's bits (a
// product, then a sum, per l in order), whether a's rows run along l
// (blocks transposed in registers, with l's remainder of 8 and 16) or
// across it, with the rows' remainders, added to c or not.
func TestGemmNarrowColumnsMatchGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 on this CPU (or -tags purego): gemmNarrow does these columns")
	}
	rng := rand.New(rand.NewPCG(14, 15))
	for _, s := range []struct{ m, k, p int }{{256, 64, 1}, {64, 256, 1}, {160, 64, 2}, {40, 13, 1}, {33, 5, 18}, {96, 21, 3}, {32, 1, 1}, {70, 130, 35}} {
		for _, transposed := range []bool{false, true} {
			for _, acc := range []bool{false, true} {
				ldb, ldc := s.p+1, s.p+5
				a, ars, aks, b, c := operands(rng, s.m, s.k, ldb, s.m*ldc, transposed)
				want := append([]float32(nil), c...)
				p16 := s.p &^ 15
				gemmNarrow(want, ldc, a, ars, aks, b, ldb, s.m, s.k, p16, s.p, acc)
				gemmSIMD(c, ldc, a, ars, aks, b, ldb, s.m, s.k, s.p, acc)
				for i := range s.m {
					for j := p16; j < s.p; j++ {
						if got, w := c[i*ldc+j], want[i*ldc+j]; math.Float32bits(got) != math.Float32bits(w) {
							t.Fatalf("%dx%dx%d transposed=%v acc=%v: c[%d][%d] is %v, gemmNarrow gives %v", s.m, s.k, s.p, transposed, acc, i, j, got, w)
						}
					}
				}
			}
		}
	}
}

// The product kernels (AVX2, AVX-512, NEON) round as one float32 fused
// multiply-add per l, in order: the bits of fma32 summed that way, so a
// product has the same bits on each.
func TestGemmKernelsRoundAsFMA(t *testing.T) {
	if !useGemmKernels {
		t.Skip("no product kernels in this build (-tags purego, or no AVX2/NEON)")
	}
	fmaProduct := func(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, m, k, p int, acc bool) {
		for i := range m {
			for j := range p {
				var s float32
				if acc {
					s = c[i*ldc+j]
				}
				for l := range k {
					s = fma32(a[i*ars+l*aks], b[l*ldb+j], s)
				}
				c[i*ldc+j] = s
			}
		}
	}
	rng := rand.New(rand.NewPCG(12, 13))
	for _, s := range []struct{ m, k, p int }{{4, 64, 16}, {9, 300, 32}, {256, 4, 64}, {64, 256, 64}, {3, 1, 48}, {17, 129, 96}, {1, 64, 64}, {8, 200, 144}, {13, 200, 272}, {10, 130, 512}} {
		for _, transposed := range []bool{false, true} {
			for _, acc := range []bool{false, true} {
				a, ars, aks, b, c := operands(rng, s.m, s.k, s.p, s.m*s.p, transposed)
				want := append([]float32(nil), c...)
				fmaProduct(want, s.p, a, ars, aks, b, s.p, s.m, s.k, s.p, acc)
				gemmSIMD(c, s.p, a, ars, aks, b, s.p, s.m, s.k, s.p, acc)
				for i := range c {
					if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%dx%dx%d transposed=%v acc=%v: entry %d is %v, one FMA per l gives %v", s.m, s.k, s.p, transposed, acc, i, c[i], want[i])
					}
				}
			}
		}
	}
}

// fma32 is a·b + c rounded once to float32, as a float32 fused multiply-add
// (AVX2's VFMADD231PS, NEON's FMLA) computes it, for finite results.
// float32(math.FMA(…)) is not that: it rounds to float64 first, and
// a·b + c can lie just off a float32 midpoint by less than float64's half
// step (TestFMA32 has a case), where rounding twice lands on the midpoint
// and then ties to even on the wrong side.
func fma32(a, b, c float32) float32 {
	// a·b is exact in float64: 24-bit significands give at most 48 bits, and
	// float32's exponents stay inside float64's normal range.
	p := float64(a) * float64(b)
	s := p + float64(c)
	t := s - p
	e := (p - (s - t)) + (float64(c) - t) // TwoSum: p + c = s + e exactly
	r := float32(s)
	if e == 0 || float64(r) == s || math.IsInf(float64(r), 0) {
		return r
	}
	// Rounding is monotone and float32 midpoints are float64 values, so s and
	// p + c round alike unless s is the midpoint of r and its neighbour.
	lo, hi := r, math.Nextafter32(r, float32(math.Inf(1)))
	if float64(r) > s {
		lo, hi = math.Nextafter32(r, float32(math.Inf(-1))), r
	}
	if s != (float64(lo)+float64(hi))/2 {
		return r
	}
	if e > 0 {
		return hi
	}
	return lo
}

// fma32 agrees with math/big's exact sum rounded to float32, on a case
// where float32(math.FMA(…)) does not (a·b = 2⁻²⁴(1 + 2⁻³⁰), since
// 2³⁰ + 1 = 1047553·1025, so 1 + a·b is just above the midpoint of 1 and
// its float32 successor), on that case scaled, and on random operands of
// mixed magnitudes.
func TestFMA32(t *testing.T) {
	a, b := float32(1047553)/(1<<20), float32(1025)/(1<<30)/(1<<4)
	if got, double := fma32(a, b, 1), float32(math.FMA(float64(a), float64(b), 1)); got != 1+0x1p-23 || double != 1 {
		t.Fatalf("fma32 = %v, float32(math.FMA) = %v; want 1+2⁻²³ and 1", got, double)
	}
	exact := func(a, b, c float32) float32 {
		x := new(big.Float).SetPrec(1000).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetFloat64(float64(c)))
		f, _ := x.Float32()
		return f
	}
	rng := rand.New(rand.NewPCG(12, 13))
	for i := range 20000 {
		var x, y, z float32
		if i%2 == 0 {
			s := float32(math.Ldexp(1, rng.IntN(40)-20))
			x, y, z = a*s, -b, (1+float32(rng.IntN(1<<10))*0x1p-23)*s
			if rng.IntN(2) == 0 {
				y = b
			}
		} else {
			x = float32(rng.NormFloat64() * math.Ldexp(1, rng.IntN(60)-30))
			y = float32(rng.NormFloat64() * math.Ldexp(1, rng.IntN(60)-30))
			z = float32(rng.NormFloat64() * math.Ldexp(1, rng.IntN(60)-30))
		}
		if got, want := fma32(x, y, z), exact(x, y, z); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fma32(%v, %v, %v) = %v, want %v", x, y, z, got, want)
		}
	}
}

// The Adam kernels give adamGo's bits, with AVX-512 and with AVX2 alone,
// whatever the length's remainder, on moments and gradients of every size.
func TestAdamKernels(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 here (or -tags purego): adamGo takes every parameter")
	}
	rng := rand.New(rand.NewPCG(12, 13))
	wide := []bool{false}
	if useAVX512 {
		wide = append(wide, true)
	}
	for _, n := range []int{1, 3, 4, 5, 8, 9, 15, 16, 17, 64, 101} {
		for _, step := range []int{1, 7, 1000} {
			for _, eps := range []float64{0, 1e-5} {
				for _, avx512 := range wide {
					var w, g, m, v [2][]float32
					for i := range n {
						scale := math.Pow(10, float64(rng.IntN(9)-6))
						wi, gi := float32(rng.NormFloat64()), float32(rng.NormFloat64()*scale)
						mi, vi := float32(rng.NormFloat64()*scale), float32(math.Abs(rng.NormFloat64())*scale*scale)
						if i%5 == 0 {
							gi = 0
						}
						for c := range 2 {
							w[c], g[c], m[c], v[c] = append(w[c], wi), append(g[c], gi), append(m[c], mi), append(v[c], vi)
						}
					}
					o := Optimizer{LR: 3e-4, Eps: eps}
					useAVX512 = avx512
					adamUpdate(o, step, w[0], g[0], m[0], v[0])
					useAVX512 = wide[len(wide)-1]
					k := adamStep{o.LR, 1 / (1 - math.Pow(AdamBeta1, float64(step))), 1 / (1 - math.Pow(AdamBeta2, float64(step))), o.Epsilon()}
					adamGo(&k, w[1], g[1], m[1], v[1])
					for i := range n {
						for _, x := range [][2][]float32{w, m, v} {
							if math.Float32bits(x[0][i]) != math.Float32bits(x[1][i]) {
								t.Fatalf("n=%d t=%d ε=%g AVX-512=%v: index %d is %v (w %v, m %v, v %v) with the kernels, adamGo gives %v (w %v, m %v, v %v)",
									n, step, eps, avx512, i, x[0][i], w[0][i], m[0][i], v[0][i], x[1][i], w[1][i], m[1][i], v[1][i])
							}
						}
					}
				}
			}
		}
	}
}

// addInto's kernel rounds each sum as Go does, whatever the length's remainder.
func TestAddInto(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	for _, n := range []int{0, 1, 7, 8, 9, 64, 4545} {
		dst, src := make([]float32, n), make([]float32, n)
		want := make([]float32, n)
		for i := range n {
			dst[i], src[i] = float32(rng.NormFloat64()), float32(rng.NormFloat64()*1e-3)
			want[i] = dst[i] + src[i]
		}
		addInto(dst, src)
		for i := range n {
			if math.Float32bits(dst[i]) != math.Float32bits(want[i]) {
				t.Fatalf("n=%d: element %d is %v, Go's sum %v", n, i, dst[i], want[i])
			}
		}
	}
}
