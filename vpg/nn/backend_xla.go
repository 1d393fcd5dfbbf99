//go:build xla

package nn

import (
	xla "github.com/gomlx/go-xla/compute/xla"
)

// With the build tag "xla" the XLA backend registers itself, so that
// GOMLX_BACKEND=xla:cpu or xla:cuda can select it.
var _ = xla.BackendName
