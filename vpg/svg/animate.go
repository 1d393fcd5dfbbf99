package svg

import (
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
)

// hold is how long the last frame stays up before the loop restarts,
// so that the end of an episode can be seen.
const hold = 1.0 // seconds

// The frame rates Animate accepts. Above MaxFPS no screen shows the frames
// (and slots approach the 2 µs margin below); under MinFPS a frame would
// stay up for minutes and CSS times leave the range browsers handle well.
const (
	MinFPS = 0.01
	MaxFPS = 1000.0
)

// Animate joins frames (SVG documents, e.g. from vpg/envs' Render or Record) into one
// self-contained SVG that shows them in turn at fps frames per second,
// holds the last one for a second and loops.
//
// The result needs no script and nothing from the network: each frame is a
// group whose visibility a CSS animation switches on for its time slot
// (one shared @keyframes rule, a per-frame animation-delay). It plays when
// the SVG is inlined in HTML (Jupyter output, nbconvert's HTML export) and
// when it is loaded as an image. The CSS names derive from a hash of the
// content, so several animations can share one page.
//
// Lines that all frames share at their start or end (envs.Render puts the
// background, track, mountain and target line first) are written once, so
// a frame costs only the lines that change: about 0.4 kB for CartPole.
// The first frame's root <svg> element (size, viewBox) is used for all.
//
// Animate panics if frames is empty, fps is not in [MinFPS, MaxFPS], or a
// frame is not an SVG document.
func Animate(frames []string, fps float64) string {
	if len(frames) == 0 {
		panic("svg: Animate needs at least one frame")
	}
	if !(fps >= MinFPS && fps <= MaxFPS) {
		panic(fmt.Sprintf("svg: Animate: fps = %v, want a number in [%v, %v]", fps, MinFPS, MaxFPS))
	}
	roots := make([]string, len(frames))
	bodies := make([][]string, len(frames))
	for i, f := range frames {
		roots[i], bodies[i] = splitSVG(f, i)
	}
	if len(frames) == 1 {
		return frames[0]
	}
	head, tail := sharedLines(bodies)

	h := fnv.New64a()
	for _, f := range frames {
		h.Write([]byte(f))
	}
	fmt.Fprint(h, fps)
	name := fmt.Sprintf("e%010x", h.Sum64()&(1<<40-1))

	// Frame k shows from its delay, rounded down, for its slot less a 2 µs
	// margin: a slot never overlaps the next one, even when the browser
	// draws exactly at a slot boundary (30 fps slots meet 60 Hz frames).
	dt := 1 / fps
	period := float64(len(frames))*dt + hold
	const margin = 2e-6 // seconds
	var b strings.Builder
	b.WriteString(roots[0])
	b.WriteByte('\n')
	fmt.Fprintf(&b, "<style>@keyframes %[1]s{0%%{visibility:visible}%[2]s%%,to{visibility:hidden}}"+
		"@keyframes %[1]sz{0%%{visibility:visible}%[3]s%%,to{visibility:hidden}}"+
		".%[1]s,.%[1]sz{visibility:hidden;animation:%[1]s %[4]ss step-end infinite}.%[1]sz{animation-name:%[1]sz}</style>\n",
		name, decimalDown(100*(dt-margin)/period, 8), decimalDown(100*(dt+hold-margin)/period, 8), decimal(period, 6))
	for _, l := range bodies[0][:head] {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	for k, body := range bodies {
		class := name
		if k == len(bodies)-1 {
			class += "z"
		}
		fmt.Fprintf(&b, `<g class="%s" style="animation-delay:%ss">`, class, decimalDown(float64(k)*dt, 6))
		b.WriteString(strings.Join(body[head:len(body)-tail], ""))
		b.WriteString("</g>\n")
	}
	for _, l := range bodies[0][len(bodies[0])-tail:] {
		b.WriteString(l)
		b.WriteByte('\n')
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// splitSVG returns the root start tag of SVG document f and the lines
// between it and the closing </svg>.
func splitSVG(f string, i int) (string, []string) {
	start := strings.Index(f, "<svg")
	end := strings.LastIndex(f, "</svg>")
	if start < 0 || end < start {
		panic(fmt.Sprintf("svg: Animate: frame %d is not an SVG document (no <svg …>…</svg>)", i))
	}
	open := strings.IndexByte(f[start:end], '>')
	if open < 0 {
		panic(fmt.Sprintf("svg: Animate: frame %d has an unterminated <svg> tag", i))
	}
	open += start + 1
	body := strings.Trim(f[open:end], "\n")
	if body == "" {
		return f[start:open], nil
	}
	return f[start:open], strings.Split(body, "\n")
}

// sharedLines returns how many leading and trailing lines every body has in
// common (never overlapping, so each frame keeps what differs).
func sharedLines(bodies [][]string) (head, tail int) {
	first := bodies[0]
	head, tail = len(first), len(first)
	for _, b := range bodies[1:] {
		head = min(head, len(b))
		for i := range head {
			if b[i] != first[i] {
				head = i
				break
			}
		}
	}
	for _, b := range bodies {
		tail = min(tail, len(b)-head)
		for i := range tail {
			if b[len(b)-1-i] != first[len(first)-1-i] {
				tail = i
				break
			}
		}
	}
	return head, tail
}

// decimal formats x ≥ 0 with at most prec decimals and no trailing zeros.
func decimal(x float64, prec int) string {
	s := strconv.FormatFloat(x, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// decimalDown is decimal rounding towards zero, so the written value never
// exceeds x.
func decimalDown(x float64, prec int) string {
	p := math.Pow(10, float64(prec))
	return decimal(math.Floor(x*p)/p, prec)
}
