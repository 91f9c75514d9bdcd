#!/bin/bash
# metrics_render.sh - the agent's CPU time per /metrics request with at
# least SERIES series, and per overview page (/), side by side with
# node_exporter's CPU time per /metrics scrape of the same machine.
#
# The series: a network namespace of the benchmark's own with veth pairs
# added until the agent's /metrics has SERIES sample lines (each interface
# is eight series: bytes, packets, errors and drops, in and out), as on a
# host of many containers; the agent and node_exporter both run in it, so
# they see the same interfaces, and the host's filesystems, disks and
# processes.  The overview lists the problems the agent finds on this
# machine (their number is printed).
#
# CPU is utime+stime of the server's process tree from /proc (bench/
# proc_cost.py) before and after N requests on one kept-alive connection,
# divided by N; ROUNDS rounds, medians.  The agent's own background work
# (its checks) during a round is counted too: an upper bound.  A request
# for the 100-byte icon (/static/icon.svg) shows the HTTP side's own cost.
# No Accept-Encoding is sent: both answer uncompressed text format 0.0.4.
#
# usage: bench/metrics_render.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   SERIES=1000, N=200 requests of the agent's /metrics per round,
#   PAGE_N=1000 of its overview and icon, NODE_N=50 of node_exporter's
#   /metrics (each about 50 times as costly), ROUNDS=7, WARMUP=20 seconds
#   after the agent starts (its first checks open the problems the
#   overview shows); as root.  Installs prometheus-node-exporter when it
#   is missing (its system service is stopped and disabled: the benchmark
#   starts its own, on Debian's defaults, as the prometheus user).
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(readlink -f "${1:-build/src/cli/sakimori}")
SERIES=${SERIES:-1000}
N=${N:-200}
PAGE_N=${PAGE_N:-1000}
NODE_N=${NODE_N:-50}
ROUNDS=${ROUNDS:-7}
WARMUP=${WARMUP:-20}

[ "$(id -u)" = 0 ] || { echo "metrics_render.sh: run as root" >&2; exit 77; }
[ -x "$SAKIMORI" ] || {
	echo "metrics_render.sh: cannot run '$SAKIMORI' (scripts/build.sh release)" >&2
	exit 66
}
bench/peers.sh prometheus-node-exporter

NS=sakimori-mr-$$
. bench/lib-cost.sh sakimori-mr
cleanup_more() { ip netns del "$NS" 2> /dev/null || true; }

ip netns add "$NS"
ip -n "$NS" link set lo up
in_ns() { ip netns exec "$NS" "$@"; }

mkdir -p "$T/state" "$T/run"
printf 'logs {\n\tdiscover no\n}\n' > "$T/conf"
# (not through in_ns: $! is to be the server itself)
ip netns exec "$NS" "$SAKIMORI" agent -f "$T/conf" --state-dir "$T/state" \
    --run-dir "$T/run" --listen 127.0.0.1:9931 > "$T/agent.out" 2> "$T/agent.err" &
AGENT=$!
pids+=("$AGENT")
ip netns exec "$NS" setpriv --reuid prometheus --regid prometheus --init-groups \
    prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
    > "$T/node.out" 2>&1 &
NODE=$!
pids+=("$NODE")

# series URL: the sample lines of a /metrics answer.
series() { in_ns curl -fsS "$1" | grep -cv -e '^#' -e '^$'; }
for i in $(seq 50); do
	series http://127.0.0.1:9931/metrics > /dev/null 2>&1 &&
		series http://127.0.0.1:9100/metrics > /dev/null 2>&1 && break
	if ! kill -0 "$AGENT" 2> /dev/null || ! kill -0 "$NODE" 2> /dev/null; then
		echo "metrics_render.sh: a server ended" >&2
		cat "$T"/*.err "$T"/*.out >&2
		exit 70
	fi
	sleep 0.2
done
pairs=0
while (( $(series http://127.0.0.1:9931/metrics) < SERIES )); do
	ip -n "$NS" link add "ve$pairs" type veth peer name "vp$pairs"
	pairs=$((pairs + 1))
done
sleep "$WARMUP"

# measure NAME PID URL REQUESTS: the rounds into $T/NAME.
measure() {
	in_ns python3 bench/proc_cost.py requests "$2" "$3" "$4" "$ROUNDS" \
	    > "$T/$1"
}
measure metrics "$AGENT" http://127.0.0.1:9931/metrics "$N"
measure overview "$AGENT" http://127.0.0.1:9931/ "$PAGE_N"
measure icon "$AGENT" http://127.0.0.1:9931/static/icon.svg "$PAGE_N"
measure node "$NODE" http://127.0.0.1:9100/metrics "$NODE_N"
problems=$(in_ns curl -fsS http://127.0.0.1:9931/api/v1/problems |
	python3 -c 'import json, sys; print(len(json.load(sys.stdin)["problems"]))' 2> /dev/null || echo '?')

# col NAME FIELD: the median of the rounds; span NAME: min-max of CPU.
col() { grep -v '^series' "$T/$1" | python3 bench/proc_cost.py median "$2"; }
span() { grep -v '^series' "$T/$1" | sort -n | awk 'NR == 1 { a = $1 } END { printf "%.3f-%.3f", a, $1 }'; }
body() { awk '/^series/ { printf "%s | %.1f", $2, $4 / 1024 }' "$T/$1"; }
page() { awk '/^series/ { printf "- | %.1f", $4 / 1024 }' "$T/$1"; }

echo "$(nproc) cores, $(uname -r), $pairs veth pairs ($((2 * pairs + 1)) interfaces), requests per round: N=$N PAGE_N=$PAGE_N NODE_N=$NODE_N, ROUNDS=$ROUNDS, medians; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| request | sample lines | body KiB | CPU ms per request (min-max) | wall ms per request |"
echo "|---|---:|---:|---:|---:|"
row() { # row NAME TEXT [body|page]
	printf '| %s | %s | **%.3f** (%s) | %.3f |\n' "$2" "$("${3:-body}" "$1")" \
	    "$(col "$1" 1)" "$(span "$1")" "$(col "$1" 2)"
}
row metrics "sakimori agent, /metrics"
row overview "sakimori agent, overview page / ($problems problems)" page
row icon "sakimori agent, /static/icon.svg (the HTTP side alone)" page
row node "node_exporter $(dpkg-query -W -f '${Version}' prometheus-node-exporter 2> /dev/null), /metrics (Debian defaults)"
awk -v a="$(col metrics 1)" -v n="$(col node 1)" -v sa="$(body metrics | cut -d' ' -f1)" \
    -v sn="$(body node | cut -d' ' -f1)" 'BEGIN {
	printf "\nnode_exporter / sakimori, CPU per scrape: %.1fx; per sample line: %.1fx\n",
	    n / a, (n / sn) / (a / sa) }'
