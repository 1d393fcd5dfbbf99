//go:build !xla

package nn

import (
	"strings"
	"testing"
)

func TestNewBackendXLAWithoutBuildTagSaysHowToGetIt(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "xla:cpu")
	_, err := newBackend()
	if err == nil || !strings.Contains(err.Error(), "-tags xla") {
		t.Errorf("error %v, want it to explain the xla build tag", err)
	}
}
