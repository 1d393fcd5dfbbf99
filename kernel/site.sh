#!/usr/bin/env bash
# The static site: every notebook, executed, as one folder of pages (kernel/.out/site by
# default) with one shared copy of ECharts and MathJax, an index with each notebook's
# one-line summary, previous/next links, and sliders and animations that work with no
# kernel. It opens from file:// with no network, and any static host serves it as it is
# (e.g. GitHub Pages: publish the folder's contents).
#
#   kernel/site.sh [SITE_DIR]
#
# Notebooks whose executed copy in kernel/.out/notebooks is newer than the notebook are
# not executed again; the others run once each, with plain jupyter nbconvert --execute.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
site=${1:-$root/kernel/.out/site}
"$root/kernel/setup.sh"
gobin=$(go env GOBIN)
[[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"
exec go run ./kernel/cmd/nbrun -dir notebooks -out "$root/kernel/.out/notebooks" -reuse -html -site "$site"
