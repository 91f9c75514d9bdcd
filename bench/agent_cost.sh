#!/bin/bash
# agent_cost.sh - what `sakimori agent` costs an idle server, side by side
# in one run with the peers an administrator would run instead: sadc
# (sysstat, every 10 s), Monit (Debian's /etc/monit/monitrc with its
# daemon interval at 30 s) and collectd (Debian's /etc/collectd/
# collectd.conf, its default plugins, Interval 10).  The agent runs with
# its default configuration (history and /metrics on) following a quiet
# access log that gets a line every WRITE_EVERY seconds, and a second agent
# with `history { enabled no }` on the same log shows the history's share.
# Then a burst: LINES access-log lines appended to the followed log at once
# while the agent runs, its CPU per line, the time until its analysed-lines
# counter (`ctl status --json`) has them all, and its largest RSS meanwhile.
#
# usage: bench/agent_cost.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   DURATION=300 seconds per run, RUNS=3, WARMUP=15 seconds counted as
#   start-up, SAMPLE=3 seconds between RSS samples, WRITE_EVERY=0.5,
#   LINES=1000000 (0: no burst), DISCOVER=no (yes: the agent also follows
#   the logs it finds on this machine, as by default; on a shared test
#   machine those are not quiet), WORK=/tmp/sakimori-bench (the burst's
#   generated log is kept there); as root.
# Installs nothing: says which of sysstat, monit, collectd is missing.
# Each tool's cost is that of its process and all its descendants: CPU is
# utime+stime (+ that of reaped children) from /proc/PID/stat, read once
# WARMUP seconds after start and once at the end; RSS and PSS are summed
# over the processes and the largest sum seen is kept.  Prints Markdown
# tables of the medians over the runs, and the load average of each run.
# Every run starts the agents on a new state directory: their start-up
# includes compiling the attack rules, which a restart reads from the
# state directory's cache instead.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(readlink -f "${1:-build/src/cli/sakimori}")
DURATION=${DURATION:-300}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-15}
SAMPLE=${SAMPLE:-3}
WRITE_EVERY=${WRITE_EVERY:-0.5}
LINES=${LINES:-1000000}
DISCOVER=${DISCOVER:-no}
WORK=${WORK:-/tmp/sakimori-bench}

missing=
[ -x /usr/lib/sysstat/sadc ] || missing="$missing sysstat"
command -v monit > /dev/null || missing="$missing monit"
command -v collectd > /dev/null || missing="$missing collectd"
[ -r /etc/monit/monitrc ] || missing="$missing monit(/etc/monit/monitrc)"
[ -r /etc/collectd/collectd.conf ] ||
	missing="$missing collectd(/etc/collectd/collectd.conf)"
if [ -n "$missing" ]; then
	echo "agent_cost.sh: missing:$missing (apt-get install$missing)" >&2
	exit 69
fi
[ -x "$SAKIMORI" ] || {
	echo "agent_cost.sh: cannot run '$SAKIMORI' (scripts/build.sh release)" >&2
	exit 66
}
[ "$(id -u)" = 0 ] || { echo "agent_cost.sh: run as root" >&2; exit 77; }
(( WARMUP < DURATION )) || { echo "agent_cost.sh: WARMUP >= DURATION" >&2; exit 64; }

mkdir -p "$WORK"
BIG=$WORK/access-$LINES.log
if (( LINES > 0 )); then
	[ -s "$BIG" ] || python3 bench/gen-access-log.py --lines "$LINES" > "$BIG"
fi
QUIET=$WORK/access-quiet.log
[ -s "$QUIET" ] || python3 bench/gen-access-log.py --lines 5000 --seed 7 > "$QUIET"

. bench/lib-cost.sh sakimori-cost

# analysed RUNDIR: the access follower's analysed-lines counter.
analysed() {
	"$SAKIMORI" ctl --run-dir "$1" status --json 2> /dev/null |
		python3 -c 'import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("type") == "logs" and o.get("name") == "access":
        print(o["analysed"]); break
else:
    print(-1)'
}
# tree_cpu PID / tree_rss PID: CPU seconds, RSS KiB of PID and descendants.
tree_cpu() { python3 bench/proc_cost.py cpu "$1"; }
tree_rss() {
	local p s=0 r
	for p in $1 $(pgrep -P "$1" || true); do
		r=$(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2> /dev/null || true)
		s=$((s + ${r:-0}))
	done
	echo "$s"
}

# agent DIR HISTORY: config and directories of one agent under DIR.
agent_conf() {
	mkdir -p "$1/state" "$1/run"
	{
		printf 'logs {\n\tfollow "%s"\n' "$LOG"
		[ "$DISCOVER" = yes ] || printf '\tdiscover no\n'
		printf '}\n'
		[ "$2" = yes ] || printf 'history { enabled no }\n'
	} > "$1/conf"
}

run_one() { # run_one N -> $T/res.N, $T/burst.N, $T/load.N
	local n=$1 W=$T/run$1 t0 p
	mkdir -p "$W"
	LOG=$W/access.log
	: > "$LOG"
	agent_conf "$W/agent" yes
	agent_conf "$W/agent-nohist" no
	# Monit: Debian's monitrc with what it writes kept in $W.
	sed -e 's/^set daemon .*/set daemon 30/' \
	    -e "s|^set log .*|set log $W/monit.log|" \
	    -e "s|^set idfile .*|set idfile $W/monit.id|" \
	    -e "s|^set statefile .*|set statefile $W/monit.state|" \
	    -e "s|basedir /var/lib/monit/events|basedir $W/monit-events|" \
	    /etc/monit/monitrc > "$W/monitrc"
	chmod 600 "$W/monitrc"
	# collectd: Debian's collectd.conf, its round-robin files in $W.
	sed -e "s|DataDir \"/var/lib/collectd/rrd\"|DataDir \"$W/rrd\"|" \
	    /etc/collectd/collectd.conf > "$W/collectd.conf"
	printf 'BaseDir "%s"\nPIDFile "%s/collectd.pid"\n' "$W" "$W" \
	    >> "$W/collectd.conf"

	: > "$W/tools"
	t0=$(date +%s.%N)
	"$SAKIMORI" agent -f "$W/agent/conf" --state-dir "$W/agent/state" \
	    --run-dir "$W/agent/run" --listen "127.0.0.1:$(free_port)" \
	    > "$W/agent.out" 2> "$W/agent.err" &
	pids+=($!) && echo "agent $!" >> "$W/tools"
	local AGENT=$!
	"$SAKIMORI" agent -f "$W/agent-nohist/conf" \
	    --state-dir "$W/agent-nohist/state" --run-dir "$W/agent-nohist/run" \
	    --listen "127.0.0.1:$(free_port)" \
	    > "$W/agent-nohist.out" 2> "$W/agent-nohist.err" &
	pids+=($!) && echo "agent-nohist $!" >> "$W/tools"
	/usr/lib/sysstat/sadc -S DISK 10 "$W/sa" &
	pids+=($!) && echo "sadc $!" >> "$W/tools"
	monit -I -c "$W/monitrc" -p "$W/monit.pid" > "$W/monit.out" 2>&1 &
	pids+=($!) && echo "monit $!" >> "$W/tools"
	collectd -f -C "$W/collectd.conf" > "$W/collectd.out" 2>&1 &
	pids+=($!) && echo "collectd $!" >> "$W/tools"
	# The quiet web server: a line every WRITE_EVERY seconds.
	(while read -r l; do
		printf '%s\n' "$l" >> "$LOG"
		sleep "$WRITE_EVERY"
	done < "$QUIET") &
	local WRITER=$!
	pids+=($WRITER)

	python3 bench/proc_cost.py sample "$W/tools" "$t0" "$T/res.$n" "$WARMUP" \
	    "$DURATION" "$SAMPLE"
	cut -d' ' -f1-3 /proc/loadavg > "$T/load.$n"
	for p in $(awk '{ print $2 }' "$W/tools"); do
		kill -0 "$p" 2> /dev/null || {
			echo "agent_cost.sh: $(grep " $p\$" "$W/tools") ended early" >&2
			cat "$W"/*.err "$W"/*.out >&2
			exit 70
		}
	done
	kill "$WRITER" 2> /dev/null || true
	wait "$WRITER" 2> /dev/null || true
	# Only the default agent runs during the burst.
	for p in $(awk '$1 != "agent" { print $2 }' "$W/tools"); do
		kill "$p" 2> /dev/null || true
		wait "$p" 2> /dev/null || true
	done

	if ((LINES > 0)); then
		local before c0 c1 w0 w1 s0 rss max=0 got
		# The quiet lines are analysed (those written before the agent
		# opened the log are not: it starts at the end of a new log).
		before=-2
		while [ "$before" != "$(analysed "$W/agent/run")" ]; do
			before=$(analysed "$W/agent/run")
			sleep 2
		done
		c0=$(tree_cpu "$AGENT")
		w0=$(date +%s.%N)
		s0=$SECONDS
		cat "$BIG" >> "$LOG"
		while :; do
			rss=$(tree_rss "$AGENT")
			((rss > max)) && max=$rss
			got=$(analysed "$W/agent/run")
			((got >= before + LINES)) && break
			((SECONDS - s0 > 900)) && {
				echo "agent_cost.sh: burst not analysed in 900 s" >&2
				exit 70
			}
			sleep 0.5
		done
		w1=$(date +%s.%N)
		c1=$(tree_cpu "$AGENT")
		echo "$c0 $c1 $w0 $w1 $max" |
			awk -v n="$LINES" '{ printf "%.2f %.2f %.2f %.1f\n",
			    $2 - $1, ($2 - $1) * 1e6 / n, $4 - $3, $5 / 1024 }' \
			    > "$T/burst.$n"
	fi
	kill "$AGENT" 2> /dev/null || true
	wait "$AGENT" 2> /dev/null || true
	rm -rf "$W"
}

each_run

cost_table
row agent "sakimori agent, defaults (history, /metrics)"
row agent-nohist "sakimori agent, history { enabled no }"
row sadc "sadc -S DISK 10 (sysstat $(dpkg-query -W -f '${Version}' sysstat 2> /dev/null))"
row monit "monit -I, Debian monitrc, daemon 30 ($(dpkg-query -W -f '${Version}' monit 2> /dev/null))"
row collectd "collectd -f, Debian collectd.conf, Interval 10 ($(dpkg-query -W -f '${Version}' collectd-core 2> /dev/null))"
if ((LINES > 0)); then
	bcol() { cat "$T"/burst.* | python3 bench/proc_cost.py median "$1"; }
	echo
	echo "| burst: $LINES access-log lines appended at once | CPU s | CPU µs per line | wall s until all analysed | max RSS MiB |"
	echo "|---|---|---|---|---|"
	printf '| sakimori agent, defaults | %.2f | %.2f | %.2f | %.1f |\n' \
	    "$(bcol 1)" "$(bcol 2)" "$(bcol 3)" "$(bcol 4)"
fi
