// Package procs finds and ends the processes a test or notebook run started, by a
// mark they all inherit: their TMPDIR. Jupyter starts each kernel in a session of
// its own and GoNB starts gopls in a process group of its own, so killing the
// process group of what we started does not reach them; their environment does.
package procs

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Under lists the processes whose TMPDIR is dir or lies under it, as "PID command".
func Under(dir string) []string {
	dir = filepath.Clean(dir)
	var out []string
	paths, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range paths {
		env, err := os.ReadFile(p)
		if err != nil {
			continue // gone, or not ours to read
		}
		for _, kv := range strings.Split(string(env), "\x00") {
			v, ok := strings.CutPrefix(kv, "TMPDIR=")
			if ok && (v == dir || strings.HasPrefix(v, dir+"/")) {
				pid := filepath.Base(filepath.Dir(p))
				cmd, _ := os.ReadFile(filepath.Join("/proc", pid, "cmdline"))
				out = append(out, pid+" "+strings.TrimSpace(strings.ReplaceAll(string(cmd), "\x00", " ")))
				break
			}
		}
	}
	return out
}

// Reap waits up to grace for the processes under dir to end (a kernel shuts down
// asynchronously), kills those still there, and returns what it had to kill.
func Reap(dir string, grace time.Duration) []string {
	deadline := time.Now().Add(grace)
	for {
		left := Under(dir)
		if len(left) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			for _, l := range left {
				pid, _ := strconv.Atoi(strings.Fields(l)[0])
				if pid != os.Getpid() {
					_ = syscall.Kill(pid, syscall.SIGKILL)
				}
			}
			return left
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Describe is Reap's result in one line.
func Describe(left []string) string {
	short := make([]string, len(left))
	for i, l := range left {
		if len(l) > 80 {
			l = l[:80] + "…"
		}
		short[i] = l
	}
	return fmt.Sprintf("%d process(es) left running and killed: %s", len(left), strings.Join(short, "; "))
}
