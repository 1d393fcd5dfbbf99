package pg

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// pg imports only the standard library, and vpg/tabular takes its returns
// from pg rather than from vpg: code that needs the math without a trainer
// does not build GoMLX.
func TestNoGoMLX(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const mod = "github.com/govpg/govpg/"
	for pkg, allowed := range map[string][]string{
		"vpg/pg":      {"vpg/pg"},
		"vpg/tabular": {"vpg/pg", "vpg/envs", "vpg/tabular"},
	} {
		out, err := exec.Command(gotool, "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if !strings.HasPrefix(dep, mod) || !slices.Contains(allowed, strings.TrimPrefix(dep, mod)) {
				t.Errorf("%s depends on %s; it may use only the standard library and %v", pkg, dep, allowed)
			}
		}
	}
}
