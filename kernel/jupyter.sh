#!/usr/bin/env bash
# The run command: installs what is missing (kernel/setup.sh), then serves the notebooks in
# notebooks/ with Jupyter and the GoNB kernel, and prints the URL to open, with its token.
#
#   kernel/jupyter.sh [--ip ADDRESS] [--port N]
#
# Defaults: 127.0.0.1:8888 (only this machine can connect). The environment variables
# GOVPG_JUPYTER_IP and GOVPG_JUPYTER_PORT set the same; GOVPG_JUPYTER_TOKEN fixes the token
# (default: a fresh random one). Any other address gets a warning: a notebook runs code.
# Ctrl-C stops the server.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ip=${GOVPG_JUPYTER_IP:-127.0.0.1}
port=${GOVPG_JUPYTER_PORT:-8888}
while (($#)); do
	case "$1" in
	--ip) ip=${2:?--ip needs an address}; shift 2 ;;
	--ip=*) ip=${1#--ip=}; shift ;;
	--port) port=${2:?--port needs a number}; shift 2 ;;
	--port=*) port=${1#--port=}; shift ;;
	-h | --help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "jupyter: unknown argument \"$1\"; use --ip ADDRESS and --port N" >&2; exit 2 ;;
	esac
done
# Warn before anything else, so that the warning shows even when a later step fails.
case "$ip" in
localhost | 127.* | ::1 | "[::1]") ;;
*)
	echo "jupyter: WARNING: listening on $ip, not on loopback: anyone who can reach this address" \
		"and has the token runs code on this machine as $(id -un). Use --ip 127.0.0.1 (the" \
		"default) unless you mean to share it; in Docker, publish on loopback: -p 127.0.0.1:8888:8888." >&2
	;;
esac
[[ $port =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536)) || {
	echo "jupyter: port \"$port\" is not a number from 1 to 65535" >&2
	exit 2
}

"$root/kernel/setup.sh"

gobin=$(go env GOBIN)
[[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
# The kernel inherits this environment: GoNB needs go and goimports on PATH, and the
# notebooks' first cell reads GOVPG_ROOT.
export PATH="$gobin:$PATH"
export GOVPG_ROOT="$root"
export JUPYTER_TOKEN=${GOVPG_JUPYTER_TOKEN:-$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')}

extra=()
((EUID != 0)) || extra+=(--allow-root)
host=$ip
[[ $ip != 0.0.0.0 && $ip != "::" ]] || host="<this machine's address>"
echo "jupyter: serving $root/notebooks on $ip:$port"
echo "jupyter: open http://$host:$port/?token=$JUPYTER_TOKEN"
exec /usr/bin/jupyter notebook --no-browser --ip="$ip" --port="$port" --NotebookApp.port_retries=0 \
	--notebook-dir="$root/notebooks" "${extra[@]}"
