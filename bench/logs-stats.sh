#!/bin/bash
# logs-stats.sh - `sakimori logs stats` against GoAccess (Debian package
# goaccess, `goaccess FILE --log-format=COMBINED -o report.json`) on the
# same 1,000,000-line combined log from bench/gen-access-log.py, side by
# side in one run, and the peak memory of `logs stats` on a log whose
# 1,000,000 lines all come from different client addresses.
#
# usage: bench/logs-stats.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   RUNS=5 (sakimori runs), PEER_RUNS=3 (goaccess runs), LINES=1000000,
#   WORK=/tmp/sakimori-bench (generated logs are kept there)
# Prints a Markdown table of medians for BENCHMARKS.md.  Wall time is what
# a user waits; CPU time (user+sys) is the single-core cost and is the
# fairer figure on a busy machine.  Both tools run on one core (taskset).
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=${1:-build/src/cli/sakimori}
RUNS=${RUNS:-5}
PEER_RUNS=${PEER_RUNS:-3}
LINES=${LINES:-1000000}
WORK=${WORK:-/tmp/sakimori-bench}
mkdir -p "$WORK"
command -v goaccess >/dev/null || { echo "install goaccess" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install time" >&2; exit 1; }

LOG=$WORK/access-$LINES.log
DLOG=$WORK/distinct-$LINES.log
[ -s "$LOG" ] || python3 bench/gen-access-log.py --lines "$LINES" > "$LOG"
[ -s "$DLOG" ] || python3 bench/gen-access-log.py --lines "$LINES" \
    --distinct-clients > "$DLOG"
BYTES=$(stat -c %s "$LOG")
CPU=$(( $(nproc) - 1 ))

# measure NAME RUNS CMD... -> appends "wall cpu rss" lines to $WORK/NAME
measure() {
	local name=$1 runs=$2 i
	shift 2
	: > "$WORK/$name"
	for ((i = 0; i < runs; i++)); do
		cat "$LOG" > /dev/null # warm cache
		/usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.t" \
		    taskset -c "$CPU" "$@" > /dev/null 2>&1
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' \
		    "$WORK/$name.t" >> "$WORK/$name"
	done
}
median() { # median FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

measure sakimori "$RUNS" "$SAKIMORI" logs stats "$LOG"
( cd "$WORK" && measure goaccess "$PEER_RUNS" goaccess "$LOG" \
    --log-format=COMBINED -o "$WORK/report.json" )
measure distinct "$RUNS" "$SAKIMORI" logs stats "$DLOG"

row() { # row LABEL FILE
	local wall cpu rss
	wall=$(median "$WORK/$2" 1)
	cpu=$(median "$WORK/$2" 2)
	rss=$(median "$WORK/$2" 3)
	awk -v l="$1" -v w="$wall" -v c="$cpu" -v r="$rss" -v n="$LINES" \
	    -v b="$BYTES" 'BEGIN {
		printf "| %s | %.2f | %.2f | %.0f | %.0f | %.1f | %.1f |\n",
		    l, w, c, n / w, n / c, b / w / 1e6, r / 1024 }'
}
echo "lines: $LINES, bytes: $BYTES, runs: $RUNS (goaccess $PEER_RUNS), medians"
echo
echo "| tool | wall s | CPU s | lines/s (wall) | lines/s (CPU) | MB/s (wall) | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
row "sakimori logs stats" sakimori
row "goaccess $(goaccess --version | head -1 | awk '{ sub(/\.$/, "", $3); print $3 }') -o report.json" goaccess
row "sakimori, 1,000,000 distinct clients" distinct
echo
awk -v sw="$(median "$WORK/sakimori" 1)" -v gw="$(median "$WORK/goaccess" 1)" \
    -v sc="$(median "$WORK/sakimori" 2)" -v gc="$(median "$WORK/goaccess" 2)" \
    'BEGIN { printf "ratio sakimori/goaccess lines/s: %.1fx (wall), %.1fx (CPU)\n",
	gw / sw, gc / sc }'
