package nn

import (
	"strings"
	"testing"
)

func TestNewBackendDefaultIsPureGo(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "")
	b, err := newBackend()
	if err != nil {
		t.Fatal(err)
	}
	if !PureGo(b) {
		t.Errorf("default backend %q, want the pure-Go backend", b)
	}
}

func TestNewBackendUnknownNameIsClearError(t *testing.T) {
	t.Setenv("GOMLX_BACKEND", "nosuch:thing")
	_, err := newBackend()
	if err == nil || !strings.Contains(err.Error(), `"nosuch"`) || !strings.Contains(err.Error(), "go") {
		t.Errorf("error %v, want it to name the unknown backend and list the known ones", err)
	}
}
