package kernel

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/govpg/govpg/kernel/internal/procs"
	"github.com/govpg/govpg/kernel/internal/testenv"
	"github.com/govpg/govpg/kernel/runner"
)

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRunCommandServesGoKernel starts the README's run command on a free port, finds
// the URL it prints, and uses Jupyter's REST API to list the kernels and start GoNB.
func TestRunCommandServesGoKernel(t *testing.T) {
	testenv.Kernel(t, func() error { return runner.Check(context.Background(), runner.Config{}) })
	port := freePort(t)
	cmd := exec.Command("./jupyter.sh", "--port", fmt.Sprint(port))
	// Its own TMPDIR marks everything the server starts, kernels and gopls included,
	// which leave its process group.
	mark := t.TempDir()
	cmd.Env = append(os.Environ(), "GOVPG_GOPLS=0", "TMPDIR="+mark)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		// GoNB runs gopls in a process group of its own and stops it when its
		// kernel shuts down; on a loaded machine that can outlast the grace,
		// so a gopls is killed here and named, while anything else fails.
		if left := procs.Reap(mark, 20*time.Second); len(left) > 0 {
			if slices.ContainsFunc(left, func(l string) bool { return !strings.Contains(l, "gopls") }) {
				t.Errorf("the run command left processes behind: %s", procs.Describe(left))
			} else {
				t.Logf("GoNB's gopls outlived its kernel: %s", procs.Describe(left))
			}
		}
	}()

	urlRe := regexp.MustCompile(fmt.Sprintf(`^jupyter: open (http://127\.0\.0\.1:%d/)\?token=([0-9a-f]{48})$`, port))
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var base, token string
	deadline := time.After(3 * time.Minute) // includes the idempotent setup step
	for base == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("run command exited before printing its URL; stderr:\n%s", stderr.String())
			}
			if m := urlRe.FindStringSubmatch(l); m != nil {
				base, token = m[1], m[2]
			}
		case <-deadline:
			t.Fatalf("no URL printed within 3 minutes; stderr:\n%s", stderr.String())
		}
	}
	go func() { // keep draining so the script never blocks on a full pipe
		for range lines {
		}
	}()

	call := func(method, path string, body io.Reader) (int, []byte) {
		req, err := http.NewRequest(method, base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "token "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, []byte(err.Error())
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	var code int
	var body []byte
	for start := time.Now(); time.Since(start) < time.Minute; time.Sleep(300 * time.Millisecond) {
		if code, body = call("GET", "api/kernelspecs", nil); code == http.StatusOK {
			break
		}
	}
	if code != http.StatusOK {
		t.Fatalf("GET /api/kernelspecs: %d %s; stderr:\n%s", code, body, stderr.String())
	}
	var specs struct {
		Kernelspecs map[string]struct {
			Spec struct {
				Language string   `json:"language"`
				Argv     []string `json:"argv"`
			} `json:"spec"`
		} `json:"kernelspecs"`
	}
	if err := json.Unmarshal(body, &specs); err != nil {
		t.Fatalf("kernelspecs: %v: %s", err, body)
	}
	gonb, ok := specs.Kernelspecs["gonb"]
	if !ok || gonb.Spec.Language != "go" {
		t.Fatalf("the server does not offer the gonb Go kernel: %s", body)
	}

	// Without a token the API must refuse: the server is not open to anyone on the machine.
	req, _ := http.NewRequest("GET", base+"api/kernelspecs", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET /api/kernelspecs without the token: %d, want 403", resp.StatusCode)
		}
	}

	code, body = call("POST", "api/kernels", strings.NewReader(`{"name": "gonb"}`))
	if code != http.StatusCreated {
		t.Fatalf("POST /api/kernels: %d %s", code, body)
	}
	var k struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal(body, &k); err != nil || k.Name != "gonb" {
		t.Fatalf("started kernel: %v %s", err, body)
	}
	if code, body = call("GET", "api/kernels/"+k.ID, nil); code != http.StatusOK {
		t.Fatalf("the gonb kernel did not stay up: %d %s", code, body)
	}
	if code, body = call("DELETE", "api/kernels/"+k.ID, nil); code != http.StatusNoContent {
		t.Errorf("DELETE kernel: %d %s", code, body)
	}
}

// chromium renders a page as Debian's headless Chromium does, with every network
// request sent to a closed local port, and returns the screenshot and the final DOM.
func chromium(t *testing.T, bin, page, shot string) string {
	t.Helper()
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000", "--window-size=1200,4000",
		"--hide-scrollbars",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, bin, append(args, "--screenshot="+shot, "file://"+page)...).CombinedOutput(); err != nil {
		t.Fatalf("chromium screenshot: %v\n%s", err, out)
	}
	dom, err := exec.CommandContext(ctx, bin, append(args, "--dump-dom", "file://"+page)...).Output()
	if err != nil {
		t.Fatalf("chromium --dump-dom: %v", err)
	}
	return string(dom)
}

// curveColours are ECharts' first two series colours, #5470c6 (blue) and #91cc75 (green).
var curveColours = [2][3]uint32{{0x54, 0x70, 0xc6}, {0x91, 0xcc, 0x75}}

// colourMask marks, for each curve colour, the screenshot's pixels close to it.
func colourMask(t *testing.T, shot string) [2]map[image.Point]bool {
	t.Helper()
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	d := func(a, b uint32) uint32 {
		if a > b {
			return a - b
		}
		return b - a
	}
	masks := [2]map[image.Point]bool{{}, {}}
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			for i, c := range curveColours {
				if d(r>>8, c[0])+d(g>>8, c[1])+d(b>>8, c[2]) < 40 {
					masks[i][image.Point{x, y}] = true
				}
			}
		}
	}
	return masks
}

// drawn counts, per curve colour, the pixels that have it on the page but not on the
// control page (the same page without ECharts, so with the same layout): links and
// syntax highlighting share those colours, the chart area is what differs.
func drawn(page, control [2]map[image.Point]bool) (n [2]int) {
	for i := range page {
		for p := range page[i] {
			if !control[i][p] {
				n[i]++
			}
		}
	}
	return n
}

// TestSetupNotebookChartDrawsOffline executes notebooks/00_setup.ipynb, exports it to
// HTML, and checks in headless Chromium with networking off that its chart is drawn:
// a canvas inside the chart's div and both curves' colours on screen. A copy of the
// page without the inlined ECharts library must show neither, which shows the check
// can fail.
func TestSetupNotebookChartDrawsOffline(t *testing.T) {
	testenv.Kernel(t, func() error { return runner.Check(context.Background(), runner.Config{}) })
	bin := testenv.Chromium(t)
	out := t.TempDir()
	if dir := os.Getenv("GOVPG_OUT"); dir != "" {
		out = filepath.Join(dir, "screenshot")
	}
	results, err := runner.Run(context.Background(), runner.Config{
		Dir: "../notebooks", Names: []string{"00_setup.ipynb"}, OutDir: out, HTML: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	r := results[0]
	if !r.Passed {
		t.Fatalf("00_setup failed: %s", r.Line())
	}

	shot := filepath.Join(out, "00_setup.png")
	dom := chromium(t, bin, r.HTML, shot)
	chartDiv := regexp.MustCompile(`<div id="govpg_[0-9a-f]{12}"[^>]*_echarts_instance_[^>]*>.*?<canvas`)
	if !chartDiv.MatchString(dom) {
		t.Errorf("ECharts did not draw a canvas into the chart's div (see %s)", shot)
	}

	// Control: the same page without the library.
	page, err := os.ReadFile(r.HTML)
	if err != nil {
		t.Fatal(err)
	}
	lib := regexp.MustCompile(`(?s)<div data-govpg="echarts-library"[^>]*></div>\s*<script>.*?</script>`)
	if !lib.Match(page) {
		t.Fatal("exported page has no inlined ECharts library")
	}
	bare := filepath.Join(out, "00_setup-without-echarts.html")
	if err := os.WriteFile(bare, lib.ReplaceAll(page, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	bareShot := filepath.Join(out, "00_setup-without-echarts.png")
	bareDOM := chromium(t, bin, bare, bareShot)
	if !strings.Contains(bareDOM, "ECharts is not loaded in this page") {
		t.Error("without the library, the chart should say what to do")
	}

	withChart, without := colourMask(t, shot), colourMask(t, bareShot)
	n := drawn(withChart, without)
	t.Logf("screenshot %s: the chart drew %d blue and %d green curve pixels", shot, n[0], n[1])
	if n[0] < 300 || n[1] < 300 {
		t.Errorf("the chart's curves are not on screen: %d blue and %d green pixels drawn, want >= 300 each (see %s and %s)", n[0], n[1], shot, bareShot)
	}
	if back := drawn(without, withChart); back[0]+back[1] > 50 {
		t.Errorf("the page without ECharts has %d curve-coloured pixels the page with it lacks: layouts differ, so the comparison proves nothing", back[0]+back[1])
	}
}

// TestRunCommandWarnsOffLoopback: an address other than loopback gets a
// warning that the token is all that stands between the network and running
// code here. Port 0 is rejected right after the warning, so nothing starts.
func TestRunCommandWarnsOffLoopback(t *testing.T) {
	for _, tt := range []struct {
		ip   string
		warn bool
	}{
		{"127.0.0.1", false}, {"127.0.1.1", false}, {"localhost", false}, {"::1", false},
		{"0.0.0.0", true}, {"::", true}, {"192.168.1.5", true},
	} {
		cmd := exec.Command("./jupyter.sh", "--ip", tt.ip, "--port", "0")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(stderr.String(), `port "0"`) {
			t.Fatalf("--ip %s --port 0: %v, stderr %q; want exit 2 for the port", tt.ip, err, stderr.String())
		}
		warned := strings.Contains(stderr.String(), "WARNING: listening on "+tt.ip+", not on loopback") &&
			strings.Contains(stderr.String(), "has the token runs code on this machine")
		if warned != tt.warn {
			t.Errorf("--ip %s: warned %v, want %v; stderr %q", tt.ip, warned, tt.warn, stderr.String())
		}
	}
}
