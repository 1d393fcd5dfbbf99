#!/usr/bin/env bash
# Installs everything the notebooks need and registers the GoNB Jupyter kernel.
# Safe to re-run: each step checks first and only installs what is missing.
#
#   kernel/setup.sh          what the live notebooks need (Jupyter, GoNB, goimports, gopls, ECharts)
#   kernel/setup.sh --test   what the test command needs (the above without gopls, plus Chromium)
#
# GOVPG_GOPLS=0 skips gopls (completion in the notebook UI), which takes a minute to build.
#
# Debian packages come from apt-get (as root, or through sudo), Go tools are built from the
# versions pinned in go.mod, and ECharts comes from the npm registry at the version pinned in
# kernel/js/package-lock.json into kernel/js/node_modules (ignored by git).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=run
for arg in "$@"; do
	case "$arg" in
	--test) mode=test ;;
	-h | --help)
		sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
		exit 0
		;;
	*)
		echo "setup: unknown argument \"$arg\"; use --test or nothing" >&2
		exit 2
		;;
	esac
done

say() { printf 'setup: %s\n' "$*"; }
die() {
	printf 'setup: error: %s\n' "$*" >&2
	exit 1
}

# --- Go -----------------------------------------------------------------------------------
command -v go >/dev/null || die "Go is not on PATH; install Go 1.26 or newer (https://go.dev/dl) and re-run kernel/setup.sh"
gover=$(go env GOVERSION)
IFS=. read -r major minor _ <<<"${gover#go}"
if ((major < 1 || (major == 1 && minor < 26))); then
	die "found $gover, need Go 1.26 or newer (https://go.dev/dl)"
fi
gobin=$(go env GOBIN)
[[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
export PATH="$gobin:$PATH"

# --- Debian packages ----------------------------------------------------------------------
# Jupyter runs on Debian's /usr/bin/python3: the python3 first on PATH may be another
# interpreter without these modules, so every script here names /usr/bin/jupyter.
packages=(jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel)
command -v npm >/dev/null || packages+=(npm)
if [[ $mode == test ]]; then
	packages+=(chromium fonts-dejavu-core qemu-user) # qemu-user runs the arm64 (NEON) kernel tests
fi

if command -v dpkg-query >/dev/null; then
	missing=()
	for p in "${packages[@]}"; do
		status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
		[[ $status == "install ok installed" ]] || missing+=("$p")
	done
	if ((${#missing[@]} == 0)); then
		say "✓ Debian packages present: ${packages[*]}"
	else
		sudo=()
		if ((EUID != 0)); then
			command -v sudo >/dev/null || die "need root to install ${missing[*]}; run as root: apt-get install -y ${missing[*]}"
			sudo=(sudo)
		fi
		say "installing Debian packages: ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		"${sudo[@]}" apt-get update -qq
		"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
		say "✓ installed ${missing[*]}"
	fi
else
	say "no dpkg here: checking that Jupyter is already installed for /usr/bin/python3"
fi
/usr/bin/python3 -c 'import nbclient, nbformat, nbconvert, ipykernel, jupyter_client' 2>/dev/null ||
	die "Jupyter modules missing for /usr/bin/python3 (nbclient nbformat nbconvert ipykernel jupyter_client); on Debian: apt-get install -y ${packages[*]}"
[[ -x /usr/bin/jupyter ]] || die "/usr/bin/jupyter not found; on Debian: apt-get install -y jupyter-notebook jupyter-client"

# --- ECharts (and, for the test command, puppeteer-core) from npm --------------------------
# Versions pinned in kernel/js/package-lock.json. puppeteer-core is a dev dependency, for
# the test command only; it drives the Chromium above and never downloads a browser
# (--ignore-scripts, and puppeteer-core has none to fetch).
js="$root/kernel/js"
npm_ok=1
for pkg in echarts puppeteer-core; do
	[[ $pkg == puppeteer-core && $mode != test ]] && continue
	want=$(node -p "const p = require('$js/package.json'); ({...p.dependencies, ...p.devDependencies})['$pkg']")
	have=$(node -p "try { require('$js/node_modules/$pkg/package.json').version } catch (e) { '' }")
	[[ $have == "$want" ]] || npm_ok=0
done
if ((npm_ok)) && [[ -s "$js/node_modules/echarts/dist/echarts.min.js" ]]; then
	say "✓ npm packages of kernel/js/package-lock.json in kernel/js/node_modules"
else
	omit=(--omit=dev)
	[[ $mode == test ]] && omit=()
	say "installing kernel/js/package-lock.json from the npm registry into kernel/js/node_modules"
	npm ci --prefix "$js" "${omit[@]}" --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null
	[[ -s "$js/node_modules/echarts/dist/echarts.min.js" ]] || die "npm ci finished but kernel/js/node_modules/echarts/dist/echarts.min.js is missing"
	say "✓ npm packages installed"
fi

# --- Go tools -----------------------------------------------------------------------------
# gonb and goimports are tool dependencies in go.mod, so `go install` builds exactly the
# pinned versions (installing gonb@version directly is refused by the module proxy).
say "building gonb and goimports (versions pinned in go.mod) into $gobin"
(cd "$root" && go install github.com/janpfeifer/gonb golang.org/x/tools/cmd/goimports)
# gonb -V prints the tag its source hard-codes, which v0.11.3 left at v0.11.1: name go.mod's.
say "✓ gonb $(cd "$root" && go list -m -f '{{.Version}}' github.com/janpfeifer/gonb) and goimports in $gobin"

# Every notebook cell is a Go program that imports vpg, and with it GoMLX: compiling them
# once here, into Go's build cache, saves the first cell of the first notebook minutes.
say "compiling the govpg packages into Go's build cache (minutes the first time, seconds after)"
(cd "$root" && go build ./...)
say "✓ govpg packages compiled"

# gopls gives completion and hover docs in the browser; nothing else needs it.
if [[ $mode == run && ${GOVPG_GOPLS:-1} != 0 ]] && ! command -v gopls >/dev/null; then
	say "installing gopls v0.23.0 (optional: completion in the notebook UI)"
	if go install golang.org/x/tools/gopls@v0.23.0; then
		say "✓ gopls installed"
	else
		say "warning: gopls did not install; notebooks still run, without completion"
	fi
fi

# --- Jupyter kernel -----------------------------------------------------------------------
# gonb --install rewrites kernel.json in place, and a kernel starting at that moment reads a
# half-written file (the run command's test and the runner's tests overlap under go test).
# So register into a scratch dir and swap the spec in atomically, only when it changed.
deps=()
command -v gopls >/dev/null || deps=(--force_deps)
kernels="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}/kernels"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out=$(JUPYTER_DATA_DIR="$scratch" gonb --install "${deps[@]}" 2>&1) || die "gonb --install failed: $out"
[[ -f "$scratch/kernels/gonb/kernel.json" ]] || die "gonb --install ran but wrote no kernel.json"
if ! cmp -s "$scratch/kernels/gonb/kernel.json" "$kernels/gonb/kernel.json"; then
	mkdir -p "$kernels/gonb"
	for f in "$scratch/kernels/gonb/"*; do
		cp "$f" "$kernels/gonb/.new.$(basename "$f")"
		mv -f "$kernels/gonb/.new.$(basename "$f")" "$kernels/gonb/$(basename "$f")"
	done
fi
say "✓ GoNB kernel registered: $kernels/gonb/kernel.json"
say "done (Go tools live in $gobin; the kernel needs it on PATH, which kernel/jupyter.sh and kernel/test.sh set)"
