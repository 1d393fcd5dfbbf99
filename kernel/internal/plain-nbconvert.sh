#!/usr/bin/env bash
# plain-nbconvert.sh OUT [NAME.ipynb…]: exports every notebook in notebooks/ (or those named) with plain
# `jupyter nbconvert --to html --execute`, with a per-notebook timeout from
# notebooks/manifest.json and no GOVPG_* variable set, then fails if a kernel, gopls
# or cell program of these runs is still alive, and screenshots each page with
# Chromium (OUT/NAME.png). Run by kernel/test.sh.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${1:?usage: plain-nbconvert.sh OUT [NAME.ipynb…]}
shift
notebooks=("$root"/notebooks/*.ipynb)
if (($# > 0)); then notebooks=("${@/#/$root/notebooks/}"); fi
mkdir -p "$out"
# GoNB's work dirs and cell programs live under TMPDIR: a private one names what these runs started.
work=$(mktemp -d "$out/tmp.XXXXXX")
clean_env=()
for v in $(env | sed -n 's/^\(GOVPG_[A-Z_]*\)=.*/\1/p'); do clean_env+=(-u "$v"); done

# seconds converts a manifest duration ("90s", "5m", "1h") to seconds.
seconds() {
	local d=$1
	case $d in
	*h) echo $((${d%h} * 3600)) ;; *m) echo $((${d%m} * 60)) ;; *s) echo "${d%s}" ;; *) echo "$d" ;;
	esac
}
timeout_of() {
	/usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(m["notebooks"].get(sys.argv[2],{}).get("timeout", m.get("timeout","10m")))' \
		"$root/notebooks/manifest.json" "$1"
}
chromium_bin=$(command -v chromium || command -v chromium-browser || true)

status=0
for nb in "${notebooks[@]}"; do
	name=$(basename "$nb" .ipynb)
	limit=$(seconds "$(timeout_of "$name.ipynb")")
	start=$(date +%s)
	# The outer timeout only guards against nbconvert itself hanging after a cell timed out.
	if env "${clean_env[@]}" TMPDIR="$work" timeout -k 10 $((limit + 120)) /usr/bin/jupyter nbconvert --to html --execute \
		--ExecutePreprocessor.timeout="$limit" --output-dir "$out" "$nb" >"$out/$name.log" 2>&1; then
		result=pass
	else
		result=FAIL
		status=1
	fi
	# A failing cell (stderr ending in "exit status N") does not fail nbconvert: look for it.
	if grep -q 'exit status [1-9]' "$out/$name.html" 2>/dev/null; then
		result="FAIL (a cell exited with an error; see $out/$name.html)"
		status=1
	fi
	echo "nbconvert: $result $name.ipynb ($(($(date +%s) - start)) s)"
	if [[ -n "$chromium_bin" && -f "$out/$name.html" ]]; then
		"$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
			--disable-background-networking --disable-component-update --disable-sync \
			--proxy-server=http://127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
			--user-data-dir="$work/chromium" --virtual-time-budget=8000 --window-size=1100,9000 \
			--hide-scrollbars --screenshot="$out/$name.png" "file://$out/$name.html" >/dev/null 2>&1 ||
			echo "nbconvert: could not screenshot $name.html"
	fi
done

# Everything these runs started (kernel, gopls, cell programs) inherited TMPDIR=$work;
# other people's notebooks on the same machine did not.
left=""
for _ in 1 2 3 4 5; do # the kernel's shutdown is asynchronous
	sleep 1
	left=""
	for env in /proc/[0-9]*/environ; do
		if { tr '\0' '\n' <"$env"; } 2>/dev/null | grep -qxF "TMPDIR=$work"; then
			pid=${env#/proc/}
			pid=${pid%/environ}
			left+="$pid $(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null)"$'\n'
		fi
	done
	[[ -z "$left" ]] && break
done
if [[ -n "$left" ]]; then
	echo "nbconvert: FAIL: processes left behind:"
	echo -n "$left"
	status=1
fi
rm -rf "$work"
exit $status
