# shellcheck shell=bash
# lib-cost.sh - sourced by the cost benchmarks (from the top of the
# source tree): a scratch directory $T (mktemp, named after $1) removed at
# exit, after every process in the array pids has been killed and reaped
# and the function cleanup_more (when the script defines one) has run;
# free_port.
T=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2> /dev/null || true; done
	! declare -F cleanup_more > /dev/null || cleanup_more
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free loopback port for an agent's /metrics (the default one may be
# another agent's).
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# each_run: run_one 1 to $RUNS (each leaves $T/res.N and $T/load.N),
# saying each run's load average on stderr.
each_run() {
	local i
	for ((i = 1; i <= RUNS; i++)); do
		run_one "$i"
		echo "run $i/$RUNS done, load $(cat "$T/load.$i")" >&2
	done
}

# col TOOL FIELD -> the median over the runs of a field of the lines
# "TOOL startup_cpu_s steady_cpu_pct max_rss_mib max_pss_mib" that
# bench/proc_cost.py sample writes.
col() { cat "$T"/res.* | python3 bench/proc_cost.py median "$2" "$1"; }

# cost_table [NOTE]: the runs' conditions (with NOTE) and the table's head;
# row TOOL TEXT: a line of it.
cost_table() {
	echo "$(nproc) cores, $(uname -r), DURATION=${DURATION}s, WARMUP=${WARMUP}s, RUNS=$RUNS, medians;${1:+ $1;} load average (1, 5, 15 min) at the end of each run: $(cat "$T"/load.* | paste -sd';' | sed 's/;/; /g')"
	echo
	echo "| tool (interval) | start-up CPU s (first ${WARMUP} s) | CPU % of one core (after) | max RSS MiB | max PSS MiB |"
	echo "|---|---:|---:|---:|---:|"
}
row() {
	printf '| %s | %.2f | %.3f | %.1f | %.1f |\n' "$2" "$(col "$1" 2)" \
	    "$(col "$1" 3)" "$(col "$1" 4)" "$(col "$1" 5)"
}
