package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// RequireEnv, set to 1, turns skips for missing tools into failures.
const RequireEnv = "GOVPG_REQUIRE_KERNEL"

// Missing skips the test with why, or fails it when RequireEnv is set.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1, so this test must run)", why, RequireEnv)
	}
	t.Skipf("%s; skipping (kernel/test.sh installs everything and runs this test)", why)
}

// Kernel makes sure notebooks can run headless, given the runner's own check
// (runner.Check; passed in because the runner's tests use this package too).
func Kernel(t testing.TB, check func() error) {
	t.Helper()
	if err := check(); err != nil {
		Missing(t, err.Error())
	}
}

// Chromium returns the path of Debian's chromium.
func Chromium(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil {
		Missing(t, "chromium is not installed; run kernel/setup.sh --test")
	}
	return p
}
