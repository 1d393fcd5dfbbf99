package nn

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"
	simplego "github.com/gomlx/gomlx/backends/simplego"
)

// DefaultBackend is the backend configuration used when GOMLX_BACKEND is not
// set: SimpleGo, GoMLX's pure-Go backend, which needs no native libraries.
const DefaultBackend = simplego.BackendName

// PureGo reports whether b is SimpleGo, GoMLX's pure-Go backend, whose
// kernels are scalar Go: there a few computations pay to be done differently
// (see the matrix products of MLP, and the value fitter vpg chooses).
func PureGo(b backends.Backend) bool { return b.String() == simplego.BackendName }

// xlaNames are the names GoMLX registers for its XLA backend; asking for one
// of them in a build without XLA gets a message on how to get it.
var xlaNames = []string{"xla", "stablehlo", "hlo", "shlo"}

var backendOnce = sync.OnceValues(newBackend)

// BackendErr returns the process-wide GoMLX backend, created on first use
// and cached because a backend owns worker pools and device memory.
//
// The configuration comes from the environment variable GOMLX_BACKEND
// ("go", "go:parallelism=2", "xla:cpu", "xla:cuda", ...) and defaults to
// DefaultBackend; SimpleGo runs a graph's nodes in sequence unless the
// configuration says ops_parallel. The XLA backend is compiled in only with the build tag
// "xla" (it needs cgo and a PJRT plugin at run time), so that a plain
// `go build` or `go test` never depends on native libraries; requesting it
// otherwise is an error that says so.
func BackendErr() (backends.Backend, error) {
	return backendOnce()
}

// Backend is BackendErr for callers that cannot go on without a backend: it
// panics with BackendErr's message.
func Backend() backends.Backend {
	b, err := BackendErr()
	if err != nil {
		panic(err)
	}
	return b
}

func newBackend() (b backends.Backend, err error) {
	config, ok := os.LookupEnv(backends.ConfigEnvVar)
	if !ok || config == "" {
		config = DefaultBackend
	}
	name, options, _ := strings.Cut(config, ":")
	if name == simplego.BackendName && !strings.Contains(options, "ops_") {
		// SimpleGo v0.26.0 can deadlock when it runs graph nodes in parallel:
		// each node's matrix product waits for pool workers that the nodes
		// themselves hold. Running the nodes one after the other (each still
		// splits its own work across the cores) cannot.
		config = name + ":" + strings.TrimPrefix(options+",ops_sequential", ",")
	}
	if !slices.Contains(backends.List(), name) {
		if slices.Contains(xlaNames, name) {
			return nil, fmt.Errorf("%s=%q asks for the XLA backend, but this program was built without it: "+
				"rebuild with `-tags xla` (needs cgo and the PJRT plugin installed), or unset %s to use the pure-Go backend %q",
				backends.ConfigEnvVar, config, backends.ConfigEnvVar, DefaultBackend)
		}
		known := backends.List()
		slices.Sort(known)
		return nil, fmt.Errorf("%s=%q names an unknown backend %q; compiled-in backends: %s",
			backends.ConfigEnvVar, config, name, strings.Join(known, ", "))
	}
	// GoMLX reports some construction failures (e.g. a missing PJRT plugin)
	// by panicking; turn them into this function's error.
	defer func() {
		if r := recover(); r != nil {
			b, err = nil, fmt.Errorf("creating GoMLX backend %s=%q: %v", backends.ConfigEnvVar, config, r)
		}
	}()
	b, err = backends.NewWithConfig(config)
	if err != nil {
		return nil, fmt.Errorf("creating GoMLX backend %s=%q: %w", backends.ConfigEnvVar, config, err)
	}
	return b, nil
}
