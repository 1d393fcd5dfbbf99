package nn

import (
	"fmt"
	"math"
	"sync"
)

// gemmFunc sets c to the product a·b, or adds the product to c if acc:
// a is m×k with entry (i, l) at a[i·ars + l·aks], so that a transposed
// operand needs no copy; b is k×p and c is m×p, row-major with rows ldb and
// ldc apart. Every entry of c is one sum over l in order, so a product's
// bits do not depend on how its rows are split between goroutines.
type gemmFunc[T float] func(c []T, ldc int, a []T, ars, aks int, b []T, ldb, m, k, p int, acc bool)

// gemmGo is the portable gemmFunc: tiles of 2×4 entries of c, each tile's
// 8 sums held in local variables while l runs, so that every value of a and
// b loaded serves several products. 2×4 measured fastest on amd64 (its
// sums and operands fit the 16 float registers; a 4×4 tile spills); about
// twice the speed of one row at a time. The rows and columns left over go
// through gemmNarrow. Each sum runs over l in order.
func gemmGo[T float](c []T, ldc int, a []T, ars, aks int, b []T, ldb, m, k, p int, acc bool) {
	if k == 0 { // a and b may be empty: no tile can be sliced from them
		gemmNarrow(c, ldc, a, ars, aks, b, ldb, m, k, 0, p, acc)
		return
	}
	p4 := p &^ 3
	i := 0
	for ; i+2 <= m; i += 2 {
		for j := 0; j < p4; j += 4 {
			gemm2x4(c[i*ldc+j:], ldc, a[i*ars:], ars, aks, b[j:], ldb, k, acc)
		}
	}
	if p4 < p {
		gemmNarrow(c, ldc, a, ars, aks, b, ldb, i, k, p4, p, acc)
	}
	if i < m {
		gemmNarrow(c[i*ldc:], ldc, a[i*ars:], ars, aks, b, ldb, m-i, k, 0, p, acc)
	}
}

// gemm2x4 sets (or, if acc, adds to) the 2×4 block of c at c[0] to the
// product of a's 2 rows from a[0] and b's 4 columns from b[0].
func gemm2x4[T float](c []T, ldc int, a []T, ars, aks int, b []T, ldb, k int, acc bool) {
	c0, c1 := c[:4:4], c[ldc:ldc+4:ldc+4]
	var s00, s01, s02, s03, s10, s11, s12, s13 T
	if acc {
		s00, s01, s02, s03 = c0[0], c0[1], c0[2], c0[3]
		s10, s11, s12, s13 = c1[0], c1[1], c1[2], c1[3]
	}
	for l := range k {
		bl := b[l*ldb : l*ldb+4 : l*ldb+4]
		b0, b1, b2, b3 := bl[0], bl[1], bl[2], bl[3]
		al := a[l*aks:]
		x, y := al[0], al[ars]
		s00, s01, s02, s03 = s00+x*b0, s01+x*b1, s02+x*b2, s03+x*b3
		s10, s11, s12, s13 = s10+y*b0, s11+y*b1, s12+y*b2, s13+y*b3
	}
	c0[0], c0[1], c0[2], c0[3] = s00, s01, s02, s03
	c1[0], c1[1], c1[2], c1[3] = s10, s11, s12, s13
}

// gemmNarrow is gemmGo for the columns [j0, j1) of c, a few of them (a
// value head's single output, a policy's logits): four rows at a time, for
// four independent sums, and the rows left over (a rollout step's one) two
// columns at a time. Each product is rounded before it is added (the
// conversions forbid a fused multiply-add, which GOAMD64=v3 and arm64 builds
// would otherwise use), as narrow16 and narrow32 add them.
func gemmNarrow[T float](c []T, ldc int, a []T, ars, aks int, b []T, ldb, m, k, j0, j1 int, acc bool) {
	m4 := m &^ 3
	for j := j0; j < j1; j++ {
		for i := 0; i < m4; i += 4 {
			var s0, s1, s2, s3 T
			if acc {
				s0, s1, s2, s3 = c[i*ldc+j], c[(i+1)*ldc+j], c[(i+2)*ldc+j], c[(i+3)*ldc+j]
			}
			a0, a1, a2, a3 := a[i*ars:], a[(i+1)*ars:], a[(i+2)*ars:], a[(i+3)*ars:]
			for l := range k {
				bv := b[l*ldb+j]
				s0 += T(a0[l*aks] * bv)
				s1 += T(a1[l*aks] * bv)
				s2 += T(a2[l*aks] * bv)
				s3 += T(a3[l*aks] * bv)
			}
			c[i*ldc+j], c[(i+1)*ldc+j], c[(i+2)*ldc+j], c[(i+3)*ldc+j] = s0, s1, s2, s3
		}
	}
	for i := m4; i < m; i++ {
		ci := c[i*ldc:]
		j := j0
		for ; j+2 <= j1; j += 2 {
			var s0, s1 T
			if acc {
				s0, s1 = ci[j], ci[j+1]
			}
			for l := range k {
				x := a[i*ars+l*aks]
				s0 += T(x * b[l*ldb+j])
				s1 += T(x * b[l*ldb+j+1])
			}
			ci[j], ci[j+1] = s0, s1
		}
		if j < j1 {
			var s T
			if acc {
				s = ci[j]
			}
			for l := range k {
				s += T(a[i*ars+l*aks] * b[l*ldb+j])
			}
			ci[j] = s
		}
	}
}

// gemmSIMD is the gemmFunc for float32 on vector FMA kernels (AVX2, NEON):
// tiles of 6×16 entries of c with AVX2 (4×64 with AVX-512, 4×16 with NEON
// and for the rows left over) summed in registers by assembly kernels, the
// last columns (fewer than 16) 32 or 16 rows at a time by narrowColumn32 and
// narrowColumn, or by gemmNarrow.
func gemmSIMD(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, m, k, p int, acc bool) {
	if m == 0 || p == 0 {
		return
	}
	if k == 0 {
		gemmGo(c, ldc, a, ars, aks, b, ldb, m, k, p, acc)
		return
	}
	// The kernels do not check bounds: check the farthest entries once.
	if (m-1)*ars+(k-1)*aks >= len(a) || (k-1)*ldb+p > len(b) || (m-1)*ldc+p > len(c) {
		panic(fmt.Sprintf("nn: gemm of %d×%d by %d×%d out of bounds (%d, %d and %d values)", m, k, k, p, len(a), len(b), len(c)))
	}
	// Blocks of kc values of l: a 16-column strip of b's block (8 KB) stays
	// in L1 while every row of a passes over it, and a's block in L2 while
	// the strips pass; unblocked, a width-1024 layer ran at a third of the
	// speed of a width-64 one. A block after the first adds to c, so each
	// sum still runs over l in order.
	const kc = 128
	p16, p64 := p&^15, 0
	if useAVX512 {
		p64 = p &^ 63
	}
	mt := m &^ 3 // rows in tiles: 4×16, and 6×16 with AVX2
	if useAVX2 {
		mt = m - m%6 + (m%6)&^3
	}
	// Wide products with AVX2 copy their operands first (gemmPacked).
	pack := useAVX2 && !useAVX512 && p16 >= packWidth && mt > 0
	var buf *panelBuf
	if pack {
		buf = panelPool.Get().(*panelBuf)
		if ars == 1 { // only a transposed a is copied into panels
			buf.a = grow(buf.a, mt*min(k, kc))
		}
		buf.b = grow(buf.b, packWidth*min(k, kc))
		defer panelPool.Put(buf)
	}
	for l0 := 0; l0 < k; l0 += kc {
		kb, accB := min(kc, k-l0), acc || l0 > 0
		al, bl := a[l0*aks:], b[l0*ldb:]
		// AVX-512: 64 columns at a time where they fit; the AVX2 kernels,
		// which give the same bits, for the columns after them.
		for j := 0; j < p64; j += 64 {
			i := 0
			for ; i+4 <= m; i += 4 {
				gemm4x64(&c[i*ldc+j], ldc, &al[i*ars], ars, aks, &bl[j], ldb, kb, accB)
			}
			for ; i < m; i++ {
				gemm1x64(&c[i*ldc+j], &al[i*ars], aks, &bl[j], ldb, kb, accB)
			}
		}
		if pack {
			gemmPacked(c, ldc, al, ars, aks, bl, ldb, mt, kb, p16, accB, buf)
		} else {
			for j := p64; j < p16; j += 16 {
				i := 0
				if useAVX2 { // twelve sums in flight, where NEON's 4×16 has sixteen
					if tiles := mt / 6; tiles > 0 {
						gemm6x16(&c[j], ldc, &al[0], ars, aks, &bl[j], ldb, kb, accB, tiles)
						i = 6 * tiles
					}
				}
				for ; i < mt; i += 4 {
					gemm4x16(&c[i*ldc+j], ldc, &al[i*ars], ars, aks, &bl[j], ldb, kb, accB)
				}
			}
		}
		for i := mt; i < m; i++ { // the rows left over, a rollout step's only one
			j := p64
			if useAVX2 {
				for ; j+64 <= p16; j += 64 {
					gemm1x64AVX2(&c[i*ldc+j], &al[i*ars], aks, &bl[j], ldb, kb, accB)
				}
			}
			for ; j < p16; j += 16 {
				gemm1x16(&c[i*ldc+j], &al[i*ars], aks, &bl[j], ldb, kb, accB)
			}
		}
	}
	if p16 == p {
		return
	}
	// The last columns: AVX-512 sums 16 rows of a column at a time and AVX2
	// 32 (with gemmNarrow's rounding, see narrowColumn), gemmNarrow does the
	// rest.
	rows, column := 0, narrowColumn
	switch {
	case useAVX512 && 16*max(ars, ldc) < math.MaxInt32:
		rows = 16
	case useAVX2:
		rows, column = 32, narrowColumn32
	}
	done := 0
	if rows > 0 {
		done = m - m%rows
	}
	for j := p16; j < p; j++ {
		for i := 0; i < done; i += rows {
			column(c[i*ldc+j:], ldc, a[i*ars:], ars, aks, b[j:], ldb, k, acc)
		}
	}
	if done < m {
		gemmNarrow(c[done*ldc:], ldc, a[done*ars:], ars, aks, b, ldb, m-done, k, p16, p, acc)
	}
}

// packWidth is the number of columns of b that gemmPacked copies at a
// time, and the fewest for which it runs: 128 values of l by 256 columns
// (128 KB) stay in L2.
const packWidth = 256

// gemmPacked is gemmSIMD's AVX2 tiles of a wide product, for the rows
// [0, mt) and columns [0, p16) of c, on one block of kb values of l. It
// copies b, packWidth columns at a time, into strips of 16 adjacent columns,
// and a transposed operand (ars = 1) into panels of 6 (then 4) rows holding
// a(i+r, l) at l·g + r; each row tile then meets every strip of the block
// while it stays in L1, and b's and a's loads read adjacent values. In
// place, a wide layer's rows lie a power of two of bytes apart and fall on
// the same cache sets: a width-1024 product ran at 56 and 39 GFLOP/s for
// x·W and xᵀ·δ unpacked (77 and 58 at width 1040), 61 and 62 packed.
// Copying a's untransposed rows cost more than it won. The copies change no
// sum, so no bits.
func gemmPacked(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, mt, kb, p16 int, acc bool, buf *panelBuf) {
	// tile is where the rows [i, i+g) of a start, and their strides.
	tile := func(i, g int) (*float32, int, int) { return &a[i*ars], ars, aks }
	if ars == 1 { // a transposed: each l's rows are adjacent, and l's lie far apart
		panels := buf.a[:mt*kb]
		for i := 0; i < mt; {
			g := panelRows(mt - i)
			for l := range kb {
				copy(panels[i*kb+l*g:i*kb+(l+1)*g], a[l*aks+i:])
			}
			i += g
		}
		tile = func(i, g int) (*float32, int, int) { return &panels[i*kb], 1, g }
	}
	strips := buf.b[:kb*packWidth]
	for j0 := 0; j0 < p16; j0 += packWidth {
		nb := min(packWidth, p16-j0)
		for s := 0; s < nb; s += 16 {
			strip := strips[s*kb : (s+16)*kb]
			for l := range kb {
				copy(strip[l*16:l*16+16], b[l*ldb+j0+s:])
			}
		}
		for i := 0; i < mt; {
			g := panelRows(mt - i)
			t, rs, ks := tile(i, g)
			for s := 0; s < nb; s += 16 {
				if g == 6 {
					gemm6x16(&c[i*ldc+j0+s], ldc, t, rs, ks, &strips[s*kb], 16, kb, acc, 1)
				} else {
					gemm4x16(&c[i*ldc+j0+s], ldc, t, rs, ks, &strips[s*kb], 16, kb, acc)
				}
			}
			i += g
		}
	}
}

// panelRows is the height of the next tile when rows are left: 6, and 4
// for the last when fewer than 6 are left (gemmSIMD's mt is made of them).
func panelRows(rows int) int {
	if rows < 6 {
		return 4
	}
	return 6
}

// panelBuf is gemmPacked's scratch memory, one per goroutine at a time.
type panelBuf struct{ a, b []float32 }

var panelPool = sync.Pool{New: func() any { return new(panelBuf) }}

// addBias adds b to every row of y (rows of len(b)).
func addBias[T float](y, b []T) {
	for r := 0; r < len(y); r += len(b) {
		for j, v := range b {
			y[r+j] += v
		}
	}
}

// addTanh32 sets y ← tanh(y + b) on every row of y (rows of len(b)), with
// tanh32's bits. The kernels take every row in one call.
func addTanh32(y, b []float32) {
	n := len(b)
	if n == 0 || len(y) == 0 {
		return
	}
	rows, done := len(y)/n, 0
	if n16 := n &^ 15; useAVX512 && n16 > 0 {
		addTanh16(&y[0], &b[0], n16, n, rows)
		done = n16
	}
	if n8 := n &^ 7; useAVX2 && n8 > done {
		addTanh8(&y[done], &b[done], n8-done, n, rows)
		done = n8
	}
	for r := 0; done < n && r < len(y); r += n {
		row := y[r : r+n]
		for j := done; j < n; j++ {
			row[j] = tanh32(row[j] + b[j])
		}
	}
}

// addInto adds src to dst element by element (len(src) ≥ len(dst)), eight
// float32 at a time with AVX2: each element's sum is rounded as in Go.
func addInto[T float](dst, src []T) {
	i := 0
	if d, ok := any(dst).([]float32); ok && useAVX2 && len(d) >= 8 {
		i = len(d) &^ 7
		add8(&d[0], &any(src).([]float32)[0], i)
	}
	for ; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// adam32 runs Adam's step k on the longest prefix of the parameters that
// the kernels take (a multiple of 8 with AVX-512, of 4 with AVX2) and
// returns its length: adamGo's float64 operations in its order, so its bits.
func adam32(k *adamStep, w, g, m, v []float32) int {
	n := len(g)
	switch {
	case useAVX512 && n >= 8:
		n &^= 7
		adam8(&w[0], &g[0], &m[0], &v[0], n, k)
	case useAVX2 && n >= 4:
		n &^= 3
		adam4(&w[0], &g[0], &m[0], &v[0], n, k)
	default:
		return 0
	}
	return n
}

// tanhGrad32 sets g ← g ⊙ (1 − y²), tanh′ from tanh's outputs y.
func tanhGrad32(g, y []float32) {
	y = y[:len(g)]
	n8 := 0
	if useAVX2 {
		n8 = len(g) &^ 7
		if n8 > 0 {
			tanhGrad8(&g[0], &y[0], n8)
		}
	}
	for i := n8; i < len(g); i++ {
		g[i] *= 1 - float32(y[i]*y[i]) // the conversion forbids fusing, as the kernel rounds
	}
}

// narrowColumn32 is narrowColumn for AVX2, on 32 rows of one column of c
// (four 8-lane sums, to hide the additions' latency): the sums gathered from
// c, narrow32 over blocks of 8 values of l whose rows transpose8 has made
// adjacent (or over a itself when its rows already are), the sums scattered
// back. Products and sums as in gemmNarrow, so the same bits.
func narrowColumn32(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, k int, acc bool) {
	var sums [32]float32
	if acc {
		for r := range sums {
			sums[r] = c[r*ldc]
		}
	}
	if ars == 1 {
		narrow32(&sums[0], &a[0], aks, &b[0], ldb, k)
	} else {
		var block [8 * 32]float32
		for l0 := 0; l0 < k; l0 += 8 {
			kb := min(8, k-l0)
			if aks == 1 && kb == 8 {
				for r := 0; r < 32; r += 8 {
					transpose8(&block[r], 32, &a[r*ars+l0], ars)
				}
			} else {
				for r := range 32 {
					for l := range kb {
						block[l*32+r] = a[r*ars+(l0+l)*aks]
					}
				}
			}
			narrow32(&sums[0], &block[0], 32, &b[l0*ldb], ldb, kb)
		}
	}
	for r, s := range sums {
		c[r*ldc] = s
	}
}

// narrowColumn is narrow16 for one column of 16 rows of c. When each row of
// a runs along l (aks = 1, a layer's activations times the value head), it
// transposes a's 16×16 blocks in registers first and runs narrow16 on the
// transposed block, whose rows are adjacent: a plain load per l instead of a
// gather, with the same operations in the same order. Every block but the
// first adds to c.
func narrowColumn(c []float32, ldc int, a []float32, ars, aks int, b []float32, ldb, k int, acc bool) {
	l0 := 0
	if aks == 1 && ars >= 16 {
		var block [16 * 16]float32
		for ; l0+16 <= k; l0 += 16 {
			transpose16(&block[0], &a[l0], ars)
			narrow16(&c[0], ldc, &block[0], 1, 16, &b[l0*ldb], ldb, 16, acc || l0 > 0)
		}
	}
	if l0 < k {
		narrow16(&c[0], ldc, &a[l0*aks], ars, aks, &b[l0*ldb], ldb, k-l0, acc || l0 > 0)
	}
}
