#!/usr/bin/env bash
# The test command: installs what is missing (kernel/setup.sh --test), runs go vet and
# every Go test, then executes every notebook in notebooks/ ONCE, with plain
# `jupyter nbconvert --to notebook --execute` as a user would (no GOVPG_* variable set),
# checks each executed notebook against notebooks/manifest.json (charts, animations, ✓
# checks; no failing cell), exports it to HTML without running it again, builds the
# static site (kernel/site.sh's folder, kernel/.out/site) and checks every page of it in
# Chromium (kernel/browser/site.js: charts drawn, sliders that move their charts, no
# console error, a screenshot each). Every Jupyter and Chromium call has a timeout.
# Whatever a step started and left running (a kernel, gopls, Chromium) fails the command.
#
# Executed notebooks, their HTML, the site and its screenshots land in kernel/.out/.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
start=$(date +%s)
"$root/kernel/setup.sh" --test

gobin=$(go env GOBIN)
[[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"
# Tests that need Jupyter, the kernel or Chromium fail instead of skipping when they are missing.
export GOVPG_REQUIRE_KERNEL=1
out="$root/kernel/.out"
export GOVPG_OUT="$out"
mkdir -p "$out"
# Each step runs with its own TMPDIR under $mark, which everything it starts inherits
# (Jupyter puts kernels in sessions of their own and GoNB puts gopls in a process group
# of its own, so the environment is the one mark they keep).
mark=$(mktemp -d "$out/run.XXXXXX")
trap 'rm -rf "$mark"' EXIT

status=0
took() { echo "test: ($(($(date +%s) - $1)) s)"; }

# leftovers fails the command if a process started under $mark/$1 is still running, and kills it.
leftovers() {
	local dir="$mark/$1" left="" env pid
	sleep 2 # a kernel's shutdown is asynchronous
	for env in /proc/[0-9]*/environ; do
		if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -q "^TMPDIR=$dir\(/\|$\)"; then
			pid=${env#/proc/}
			pid=${pid%/environ}
			left+="  $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-120)"$'\n'
			kill -9 "$pid" 2>/dev/null || true
		fi
	done
	if [[ -n "$left" ]]; then
		echo "test: FAIL: $2 left processes running (killed now):"
		echo -n "$left"
		status=1
	else
		echo "test: ✓ nothing left running after $2"
	fi
}

t=$(date +%s)
echo "test: go vet ./... and go vet -tags=xla ./... (the XLA path keeps compiling; running it needs a PJRT plugin)"
go vet ./... || status=1
go vet -tags=xla ./... || status=1
echo "test: go vet -tags=purego ./... and go test -tags=purego ./vpg/nn (the portable kernels that machines without AVX2 or NEON run)"
go vet -tags=purego ./... || status=1
go test -count=1 -tags=purego ./vpg/nn || status=1
echo "test: GOARCH=arm64 go vet ./vpg/..., and ./vpg/nn's tests for arm64 (its NEON kernels) under qemu-aarch64"
GOARCH=arm64 go vet ./vpg/... || status=1
if command -v qemu-aarch64 >/dev/null; then
	mkdir -p "$mark/arm64"
	GOARCH=arm64 CGO_ENABLED=0 go test -c -o "$mark/arm64/nn.test" ./vpg/nn &&
		TMPDIR="$mark/arm64" timeout -k 10 300 qemu-aarch64 "$mark/arm64/nn.test" -test.count=1 || status=1
else
	echo "test: ✗ qemu-aarch64 is missing (kernel/setup.sh --test installs qemu-user)"
	status=1
fi
took "$t"

t=$(date +%s)
echo "test: go test -count=1 ./..."
# -count=1: tests that execute notebooks depend on what is installed, which Go's test
# cache cannot see, so every test runs every time.
mkdir -p "$mark/gotest"
TMPDIR="$mark/gotest" timeout -k 10 1200 go test -count=1 ./... || status=1
leftovers gotest "go test ./..."
took "$t"

t=$(date +%s)
echo "test: executing notebooks/*.ipynb once each (plain jupyter nbconvert --execute), then the site"
mkdir -p "$mark/nbrun"
TMPDIR="$mark/nbrun" go run ./kernel/cmd/nbrun -dir notebooks -out "$out/notebooks" -html -site "$out/site" || status=1
took "$t"

t=$(date +%s)
echo "test: checking the site's pages in Chromium (kernel/browser/site.js)"
mkdir -p "$mark/site"
if [[ -f "$out/site/index.html" ]]; then
	TMPDIR="$mark/site" NODE_PATH="$root/kernel/js/node_modules" timeout -k 10 600 \
		node kernel/browser/site.js "$out/site" "$out/site-shots" || status=1
else
	echo "test: FAIL: no site was built"
	status=1
fi
leftovers nbrun "the notebooks"
leftovers site "Chromium"
took "$t"

echo "test: whole command $(($(date +%s) - start)) s"
if ((status != 0)); then
	echo "test: FAILED (see the lines above; executed notebooks are in kernel/.out/notebooks, the site in kernel/.out/site)"
fi
exit $status
