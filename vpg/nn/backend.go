package nn

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/gobackend"
)

// DefaultBackend is the backend configuration used when GOMLX_BACKEND is not
// set: "go", GoMLX's pure-Go backend (github.com/gomlx/compute/gobackend),
// which needs no native libraries.
const DefaultBackend = gobackend.BackendName

// PureGo reports whether b is GoMLX's pure-Go backend, where vpg runs the
// networks on the CPU Engine rather than as graphs (see vpg's learners).
func PureGo(b compute.Backend) bool { return b.String() == gobackend.BackendName }

// xlaNames are the names GoMLX registers for its XLA backend; asking for one
// of them in a build without XLA gets a message on how to get it.
var xlaNames = []string{"xla", "stablehlo", "hlo", "shlo"}

var backendOnce = sync.OnceValues(newBackend)

// BackendErr returns the process-wide GoMLX backend, created on first use
// and cached because a backend owns worker pools and device memory.
//
// The configuration comes from the environment variable GOMLX_BACKEND
// ("go", "go:parallelism=2", "xla:cpu", "xla:cuda", ...) and defaults to
// DefaultBackend. The XLA backend is compiled in only with the build tag
// "xla" (it needs cgo and a PJRT plugin at run time), so that a plain
// `go build` or `go test` never depends on native libraries; requesting it
// otherwise is an error that says so.
func BackendErr() (compute.Backend, error) {
	return backendOnce()
}

// Backend is BackendErr for callers that cannot go on without a backend: it
// panics with BackendErr's message.
func Backend() compute.Backend {
	b, err := BackendErr()
	if err != nil {
		panic(err)
	}
	return b
}

var sequentialOnce = sync.OnceValue(func() compute.Backend {
	config := backendConfig()
	if !strings.Contains(config, ":") {
		config += ":"
	} else {
		config += ","
	}
	b, err := compute.NewWithConfig(config + "ops_sequential")
	if err != nil {
		return nil
	}
	return b
})

// Sequential returns, for GoMLX's pure-Go backend b, a second instance of it
// with the same options that runs a graph's ops one after another
// ("ops_sequential"), and b itself for any other backend. Graphs of a few
// thousand values, such as the CPU learner's loss graphs, run in half the
// time that way (the value loss at batch 4000: 42 µs a call against 81 µs,
// BenchmarkObjectiveGraphs), since handing each small op to another
// goroutine costs more than the op; the results are the same bits.
func Sequential(b compute.Backend) compute.Backend {
	if !PureGo(b) {
		return b
	}
	if s := sequentialOnce(); s != nil {
		return s
	}
	return b
}

// backendConfig is GOMLX_BACKEND, or DefaultBackend where it is unset.
func backendConfig() string {
	if config, ok := os.LookupEnv(compute.ConfigEnvVar); ok && config != "" {
		return config
	}
	return DefaultBackend
}

func newBackend() (b compute.Backend, err error) {
	config := backendConfig()
	name, _, _ := strings.Cut(config, ":")
	if !slices.Contains(compute.List(), name) {
		if slices.Contains(xlaNames, name) {
			return nil, fmt.Errorf("%s=%q asks for the XLA backend, but this program was built without it: "+
				"rebuild with `-tags xla` (needs cgo and the PJRT plugin installed), or unset %s to use the pure-Go backend %q",
				compute.ConfigEnvVar, config, compute.ConfigEnvVar, DefaultBackend)
		}
		known := compute.List()
		slices.Sort(known)
		return nil, fmt.Errorf("%s=%q names an unknown backend %q; compiled-in backends: %s",
			compute.ConfigEnvVar, config, name, strings.Join(known, ", "))
	}
	// GoMLX reports some construction failures (e.g. a missing PJRT plugin)
	// by panicking; turn them into this function's error.
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("creating GoMLX backend %s=%q: %v", compute.ConfigEnvVar, config, r)
		}
	}()
	b, err = compute.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("creating GoMLX backend %s=%q: %w", compute.ConfigEnvVar, config, err)
	}
	return b, nil
}
