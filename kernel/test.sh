#!/usr/bin/env bash
# The test command: installs what is missing (kernel/setup.sh --test), runs every Go test,
# then executes every notebook in notebooks/ headless and checks it against
# notebooks/manifest.json. Exits non-zero if anything failed.
#
# Then it exports every notebook with plain `jupyter nbconvert --to html --execute`, as a
# user would (no project variable set: cells must find out for themselves that no browser
# is attached), checks that no kernel, gopls or cell program is left running, and
# screenshots each exported page in Chromium.
#
# Executed notebooks, their HTML and the screenshots land in kernel/.out/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/kernel/setup.sh" --test

gobin=$(go env GOBIN)
[[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"
# Tests that need Jupyter, the kernel or Chromium fail instead of skipping when they are missing.
export GOVPG_REQUIRE_KERNEL=1
export GOVPG_OUT="$root/kernel/.out"
mkdir -p "$GOVPG_OUT"

status=0
echo "test: go vet ./... and go vet -tags=xla ./... (the XLA path keeps compiling; running it needs a PJRT plugin)"
go vet ./... || status=1
go vet -tags=xla ./... || status=1
echo "test: go vet -tags=purego ./... and go test -tags=purego ./vpg/nn (the portable kernels that arm64 and other non-AVX2 machines run)"
go vet -tags=purego ./... || status=1
go test -count=1 -tags=purego ./vpg/nn || status=1
echo "test: go test -count=1 ./..."
# -count=1: tests that execute notebooks depend on what is installed, which Go's test
# cache cannot see, so every test runs every time.
go test -count=1 ./... || status=1
echo "test: executing notebooks/*.ipynb headless"
go run ./kernel/cmd/nbrun -dir notebooks -out "$GOVPG_OUT/notebooks" -html || status=1
"$root/kernel/internal/plain-nbconvert.sh" "$GOVPG_OUT/nbconvert" || status=1
if ((status != 0)); then
	echo "test: FAILED (see the lines above; executed notebooks are in kernel/.out/notebooks)"
fi
exit $status
