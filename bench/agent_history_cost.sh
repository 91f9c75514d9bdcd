#!/bin/bash
# agent_history_cost.sh - what the agent costs with its history on (a
# value of every series every 10 s, written to the round-robin files in
# batches, `history { batch }`'s default 1m), side by side in one run with
# the peers that collect at the same interval: Netdata (Debian's
# netdata.conf with `update every` 10, its databases and logs in the run's
# directory) and node_exporter (Debian's defaults) scraped every 10 s by
# a Prometheus (Debian's, keeping node_exporter's series only: no
# self-scrape, no alerting), which is what keeps node_exporter's history.
# Beside them, the same agent with its /metrics scraped every 10 s as
# node_exporter's is, and one with `history { enabled no }` (the
# history's share).  The agents run their default checks and follow no
# log (`logs { discover no }`): the peers read none either.
#
# usage: bench/agent_history_cost.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   DURATION=300 seconds per run, RUNS=3, WARMUP=30 seconds counted as
#   start-up, SAMPLE=3 seconds between memory samples; as root.
# Installs netdata, prometheus-node-exporter and prometheus when missing
# (bench/peers.sh: their system services are stopped and disabled).
# Each tool's cost is that of its process and all its descendants
# (bench/proc_cost.py sample): CPU is utime+stime (+ that of reaped
# children) from /proc/PID/stat, read WARMUP seconds after start and at the
# end; RSS and PSS are summed over the processes and the largest sum seen
# is kept.  The agent's scraper, a curl every 10 s, is no tool's
# descendant.  Prints a
# Markdown table of the medians over the runs, and each run's load.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(readlink -f "${1:-build/src/cli/sakimori}")
DURATION=${DURATION:-300}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-30}
SAMPLE=${SAMPLE:-3}

[ "$(id -u)" = 0 ] || { echo "agent_history_cost.sh: run as root" >&2; exit 77; }
[ -x "$SAKIMORI" ] || {
	echo "agent_history_cost.sh: cannot run '$SAKIMORI' (scripts/build.sh release)" >&2
	exit 66
}
(( WARMUP < DURATION )) || { echo "agent_history_cost.sh: WARMUP >= DURATION" >&2; exit 64; }
bench/peers.sh netdata prometheus-node-exporter prometheus

. bench/lib-cost.sh sakimori-hcost
chmod 755 "$T" # Netdata runs as its own user

# agent NAME HISTORY(yes|no) PORT: one agent of its own directories under $W.
agent() {
	local d=$W/$1
	mkdir -p "$d/state" "$d/run"
	{
		printf 'logs {\n\tdiscover no\n}\n'
		[ "$2" = yes ] || printf 'history { enabled no }\n'
	} > "$d/conf"
	"$SAKIMORI" agent -f "$d/conf" --state-dir "$d/state" --run-dir "$d/run" \
	    --listen "127.0.0.1:$3" > "$d.out" 2> "$d.err" &
	pids+=($!) && echo "$1 $!" >> "$W/tools"
}

run_one() { # run_one N -> $T/res.N, $T/load.N
	local n=$1 p
	W=$T/run$n
	mkdir -p "$W"
	: > "$W/tools"
	local AP NP DP PP
	AP=$(free_port)
	NP=$(free_port)
	DP=$(free_port)
	PP=$(free_port)
	t0=$(date +%s.%N)
	agent agent yes "$(free_port)"
	agent agent-scraped yes "$AP"
	agent agent-nohist no "$(free_port)"
	# Netdata: Debian's netdata.conf; what it writes stays in $W.
	mkdir -p "$W/netdata/cache" "$W/netdata/lib" "$W/netdata/log"
	chown -R netdata:netdata "$W/netdata"
	netdata -D -c /etc/netdata/netdata.conf -p "$DP" \
	    -W set global "update every" 10 \
	    -W set directories cache "$W/netdata/cache" \
	    -W set directories lib "$W/netdata/lib" \
	    -W set directories lock "$W/netdata/lib/lock" \
	    -W set directories registry "$W/netdata/lib/registry" \
	    -W set directories log "$W/netdata/log" \
	    > "$W/netdata.out" 2>&1 &
	pids+=($!) && echo "netdata $!" >> "$W/tools"
	# node_exporter as its Debian service runs it, on its own port.
	setpriv --reuid prometheus --regid prometheus --init-groups \
	    prometheus-node-exporter --web.listen-address="127.0.0.1:$NP" \
	    > "$W/node.out" 2>&1 &
	pids+=($!) && echo "node_exporter $!" >> "$W/tools"
	# Prometheus scraping node_exporter every 10 s, its database in $W.
	mkdir -p "$W/prometheus"
	printf '%s\n' 'global:' '  scrape_interval: 10s' 'scrape_configs:' \
	    '  - job_name: node' '    static_configs:' \
	    "      - targets: ['127.0.0.1:$NP']" > "$W/prometheus.yml"
	chown prometheus:prometheus "$W/prometheus"
	setpriv --reuid prometheus --regid prometheus --init-groups \
	    prometheus --config.file="$W/prometheus.yml" \
	    --storage.tsdb.path="$W/prometheus" \
	    --web.listen-address="127.0.0.1:$PP" > "$W/prometheus.out" 2>&1 &
	pids+=($!) && echo "prometheus $!" >> "$W/tools"
	# The scraped agent's scraper.
	(while :; do
		curl -fsS -o /dev/null "http://127.0.0.1:$AP/metrics" || true
		sleep 10
	done) > "$W/scrape.out" 2>&1 &
	local SCRAPER=$!
	pids+=("$SCRAPER")

	python3 bench/proc_cost.py sample "$W/tools" "$t0" "$T/res.$n" \
	    "$WARMUP" "$DURATION" "$SAMPLE"
	cut -d' ' -f1-3 /proc/loadavg > "$T/load.$n"
	for p in $(awk '{ print $2 }' "$W/tools"); do
		kill -0 "$p" 2> /dev/null || {
			echo "agent_history_cost.sh: $(grep " $p\$" "$W/tools") ended early" >&2
			cat "$W"/*.err "$W"/*.out "$W"/netdata/log/* >&2
			exit 70
		}
	done
	# The history was written: the agent's round-robin files, and the
	# samples Prometheus took in.
	find "$W/agent/state/rrd" -name "*.rrd" 2> /dev/null | wc -l > "$T/rrd.$n"
	curl -fsS "http://127.0.0.1:$PP/api/v1/query?query=sum(scrape_samples_scraped)" |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])' \
		> "$T/samples.$n" 2> /dev/null || echo '?' > "$T/samples.$n"
	for p in $SCRAPER $(awk '{ print $2 }' "$W/tools"); do
		kill "$p" 2> /dev/null || true
		wait "$p" 2> /dev/null || true
	done
	rm -rf "$W"
}

each_run

cost_table "the agent's round-robin files at the end of each run: $(cat "$T"/rrd.* | paste -sd/), samples per node_exporter scrape: $(cat "$T"/samples.* | paste -sd/)"
row agent "sakimori agent, history on (every 10 s)"
row agent-scraped "sakimori agent, history on, /metrics scraped every 10 s"
row agent-nohist "sakimori agent, history { enabled no }"
row netdata "netdata -D, Debian netdata.conf, update every 10 ($(dpkg-query -W -f '${Version}' netdata 2> /dev/null))"
row node_exporter "node_exporter, Debian defaults, scraped every 10 s ($(dpkg-query -W -f '${Version}' prometheus-node-exporter 2> /dev/null))"
row prometheus "prometheus, keeping node_exporter's series, scrape_interval 10s ($(dpkg-query -W -f '${Version}' prometheus 2> /dev/null))"
awk -v a="$(col agent 3)" -v s="$(col agent-scraped 3)" -v d="$(col netdata 3)" \
    -v n="$(col node_exporter 3)" -v p="$(col prometheus 3)" 'BEGIN {
	printf "\nCPU, peer / sakimori agent with history: Netdata %.1fx, node_exporter alone %.1fx, node_exporter + Prometheus %.1fx (/ the agent scraped: %.1fx, %.1fx, %.1fx)\n",
	    d / a, n / a, (n + p) / a, d / s, n / s, (n + p) / s }'
