#!/usr/bin/env bash
# history.sh - the agent keeps a history: after it has run a short while
# there is one RRD per series under STATE/rrd with the documented step,
# data source and archives (rrdtool info); "history --json" gives back the
# values it wrote (the load the kernel showed meanwhile, the count of the
# processes named in "history { processes }"), stored in batches and when
# the agent stops; "graph" draws a PNG and an SVG with the period's
# figures; bad names and missing series are refused; without librrd the agent
# still runs and says why it keeps no history.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v rrdtool >/dev/null || skip_all "rrdtool is not installed (scripts/deps.sh test)"
. "$(dirname "$0")/lib-agent.sh"

# three processes with a name of our own, for the process-count series
NAME="hsleep$$"
NAME=${NAME:0:15}
cp /bin/sleep "$TMP/$NAME"
PIDS=()
for i in 1 2 3; do
	"$TMP/$NAME" 300 &
	PIDS+=($!)
done
cleanup 'kill ${PIDS[*]}'

# five connections held from 127.0.0.78 to a listener on 127.0.0.77: the
# busiest remote address holds five or more
PY3=/usr/bin/python3
[ -x "$PY3" ] || PY3=$(command -v python3)
"$PY3" - "$TMP/conns.ready" >/dev/null 2>&1 <<'PY' &
import socket, sys, time
srv = socket.socket()
srv.bind(("127.0.0.77", 0))
srv.listen(16)
cl, acc = [], []
for _ in range(5):
    c = socket.socket()
    c.bind(("127.0.0.78", 0))
    c.connect(srv.getsockname())
    cl.append(c)
    acc.append(srv.accept()[0])
open(sys.argv[1], "w").close()
time.sleep(120)
PY
CONNS=$!
cleanup "kill $CONNS"
wait_for 10 test -e "$TMP/conns.ready" || not_ok "the connections are up"

agent_base_conf "$TMP/base.conf"
{ cat "$TMP/base.conf"
  echo "history { processes \"$NAME\" \"no-such-proc-$$\" }"
} > "$CONF"

# the load the kernel shows while the agent runs, sampled often (it
# changes every 5 s)
: > "$TMP/loads"
( while :; do cut -d' ' -f1 /proc/loadavg >> "$TMP/loads"; sleep 0.2; done ) &
SAMPLER=$!
cleanup "kill $SAMPLER"

points() { "$SAKIMORI" history --state-dir "$STATE" "$1" --json 2>/dev/null | jq -s 'length'; }

# two steps at least (the first on the first 10-s boundary); the values
# wait in memory for their batch (a minute), so nothing is stored yet,
# and the agent stores them when it stops
start_agent h1
sleep 25
check "after 25 s the values still wait for their batch: no RRD yet" test ! -e "$STATE/rrd/load.rrd"
stop_agent
kill "$SAMPLER" "$CONNS"
check_eq "the agent stopped cleanly" 0 "$AGENT_RC"
check "stopping stored two steps or more of the load" test "$(points load)" -ge 2
check "and of the process count" test "$(points "procs.$NAME.count")" -ge 2
run "$SAKIMORI" history --state-dir "$STATE" load --json
LOADJ=$OUT
run "$SAKIMORI" history --state-dir "$STATE" "procs.$NAME.count" --json
PROCJ=$OUT
run "$SAKIMORI" history --state-dir "$STATE" --list
LIST=$OUT

# ---- the files and their archives ----
R="$STATE/rrd/load.rrd"
check "load.rrd exists under STATE/rrd" test -f "$R"
INFO=$(rrdtool info "$R")
field() { printf '%s\n' "$INFO" | sed -n "s/^$1 = //p" | tr -d '"'; }
check_eq "step 10 s" 10 "$(field step)"
check_eq "one GAUGE data source v" GAUGE "$(field 'ds\[v\]\.type')"
check_eq "heartbeat two steps" 20 "$(field 'ds\[v\]\.minimal_heartbeat')"
# cf:steps per row:rows, as hist.h documents them
want="AVERAGE:1:1080 MAX:1:1080 AVERAGE:30:576 MAX:30:576 AVERAGE:180:672 MAX:180:672 AVERAGE:720:744 MAX:720:744 AVERAGE:8640:730 MAX:8640:730"
got=""
for i in 0 1 2 3 4 5 6 7 8 9; do
	got="$got $(field "rra\[$i\]\.cf"):$(field "rra\[$i\]\.pdp_per_row"):$(field "rra\[$i\]\.rows")"
done
check_eq "the archives: 10 s for 3 h (average and max); 5 min 2 days, 30 min 2 weeks, 2 h 2 months, 1 day 2 years (average and max)" "$want" "${got# }"
check_eq "no eleventh archive" "" "$(field 'rra\[10\]\.cf')"

# ---- the series ----
for s in load cpu.user_pct cpu.system_pct cpu.iowait_pct cpu.steal_pct \
    mem.used_bytes mem.available_bytes mem.cache_bytes swap.used_bytes \
    swap.in_pages_ps swap.out_pages_ps fs.root.used_bytes fs.root.inodes_used \
    tcp.established.count tcp.listen.count tcp.time_wait.count \
    tcp.busiest_remote_count net.lo.in_bytes_ps net.lo.out_bytes_ps \
    net.lo.in_packets_ps net.lo.out_packets_ps \
    problems.critical problems.warning problems.unknown \
    "procs.$NAME.count" "procs.no-such-proc-$$.count"; do
	check_match "history --list names $s" "^${s//./\\.}\$" "$LIST"
done
check_match "each disk with I/O has its iostat series" '^disk\.[A-Za-z0-9_-]+\.(reads_ps|writes_ps|read_kb_ps|write_kb_ps|await_ms|util_pct)$' "$LIST"

# ---- the values written ----
check_eq "history --json: schema 2 and RFC 3339 times on every line" "" \
	"$(printf '%s\n' "$LOADJ" | jq -r 'select(.schema != 2 or (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$") | not) or .step_seconds != 10 or .series != "load")')"
lo=$(sort -g "$TMP/loads" | head -1)
hi=$(sort -g "$TMP/loads" | tail -1)
bad=$(printf '%s\n' "$LOADJ" | jq -r --argjson lo "$lo" --argjson hi "$hi" 'select(.value < $lo or .value > $hi) | .value')
check_eq "every load value is one the kernel showed meanwhile ($lo to $hi)" "" "$bad"
check_eq "the process count is 3 at every step" "3" \
	"$(printf '%s\n' "$PROCJ" | jq -r '.value' | sort -u | tr '\n' ' ' | sed 's/ $//')"
run "$SAKIMORI" history --state-dir "$STATE" "procs.no-such-proc-$$.count" --json
check_eq "a name with no process counts 0" "0" "$(printf '%s\n' "$OUT" | jq -r '.value' | sort -u | head -1)"
run "$SAKIMORI" history --state-dir "$STATE" tcp.busiest_remote_count --json
check_eq "the busiest remote address holds 5 connections or more at every step" "" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.value < 5) | .value')"
check "(and there were steps)" test -n "$OUT"
run "$SAKIMORI" history --state-dir "$STATE" tcp.established.count --json
check_eq "10 established connections or more at every step" "" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.value < 10) | .value')"
run "$SAKIMORI" history --state-dir "$STATE" mem.used_bytes --json
total=$(awk '/^MemTotal:/ { print $2 * 1024 }' /proc/meminfo)
check_eq "memory used is between 0 and MemTotal" "" \
	"$(printf '%s\n' "$OUT" | jq -r --argjson t "$total" 'select(.value <= 0 or .value > $t) | .value')"
run "$SAKIMORI" history --state-dir "$STATE" load --max --json
check_eq "--max reads the MAX archive: at 10 s each step's maximum is its value" \
	"$(printf '%s\n' "$LOADJ" | jq -c '[.time, .value, "max"]')" "$(printf '%s\n' "$OUT" | jq -c '[.time, .value, .cf]')"
run "$SAKIMORI" history --state-dir "$STATE" load
check_match "the text form: one 'TIME VALUE' line per step" '^[0-9-]+T[0-9:]+Z [0-9.]+$' "$OUT"
since=$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)
run "$SAKIMORI" history --state-dir "$STATE" load --since "$since" --json
check_eq "--since an RFC 3339 time 20 min ago gives the same steps" \
	"$(printf '%s\n' "$LOADJ" | jq -c '[.time, .value]')" "$(printf '%s\n' "$OUT" | jq -c '[.time, .value]' | tail -n "$(printf '%s\n' "$LOADJ" | wc -l)")"

# ---- graphs ----
run "$SAKIMORI" graph --state-dir "$STATE" load --period day --output "$TMP/load.png"
check_eq "graph load --period day --output F.png exits 0" 0 "$RC"
check_eq "it is a PNG (magic)" "89504e470d0a1a0a" "$(head -c 8 "$TMP/load.png" | od -An -tx1 | tr -d ' \n')"
check_match "file(1) agrees" 'PNG image data' "$(file -b "$TMP/load.png")"
run "$SAKIMORI" graph --state-dir "$STATE" "procs.$NAME.count" --period week --output "$TMP/p.svg"
check_eq "graph --output F.svg exits 0" 0 "$RC"
check_match "it is an SVG" '<svg' "$(head -c 2000 "$TMP/p.svg")"
# the legend's figures, as the graph computed them, over the fine archive
run "$SAKIMORI" graph --state-dir "$STATE" "procs.$NAME.count" --period 1h --output "$TMP/p1.png" --json
check_eq "the legend of the process count: max, average and current 3" "3 3 3" \
	"$(printf '%s\n' "$OUT" | jq -r '"\(.max) \(.average) \(.current)"')"
run "$SAKIMORI" graph --state-dir "$STATE" load --period 1h --output "$TMP/l1.png" --json
lmax=$(printf '%s\n' "$LOADJ" | jq -s 'map(.value) | max')
check_eq "the legend's load maximum is the largest value history gave" "$lmax" "$(printf '%s\n' "$OUT" | jq '.max')"
GRAPHJ=$OUT

# ---- the JSON contract (docs/schema) ----
if python3 -c 'import jsonschema' 2>/dev/null; then
	run "$SAKIMORI" history --state-dir "$STATE" --list --json
	printf '%s\n' "$LOADJ" "$PROCJ" "$OUT" "$GRAPHJ" >"$TMP/all.jsonl"
	check_eq "history, history --list and graph --json: valid against their schemas" "" \
		"$(python3 "$(dirname "$0")/json_validate.py" \
			"${SRCDIR:-$(dirname "$0")/../..}/docs/schema" "$TMP/all.jsonl")"
	check_eq "(the three types were there)" "graph history.point history.series" \
		"$(jq -r .type "$TMP/all.jsonl" | sort -u | xargs)"
fi
run "$SAKIMORI" graph --state-dir "$STATE" load --period fortnight --output "$TMP/x.png"
check_eq "an unknown period is a usage error" 64 "$RC"
run "$SAKIMORI" graph --state-dir "$STATE" ../etc/passwd --output "$TMP/x.png"
check_eq "a series name with a path in it is a usage error" 64 "$RC"
check_match "which says why" "not a series name" "$ERR"
run "$SAKIMORI" graph --state-dir "$STATE" no.such.series --output "$TMP/x.png"
check_eq "a series without history: 66" 66 "$RC"
check_match "named in the message" "no history of 'no.such.series'" "$ERR"
run "$SAKIMORI" history --state-dir "$STATE" load --since yesterdayish
check_eq "a --since that is no time is a usage error" 64 "$RC"
run "$SAKIMORI" history --state-dir "$TMP/empty-state" --list
check_eq "--list without any history: 66" 66 "$RC"

# ---- history { batch 10s }: every step stored at once ----
rm -rf "$STATE/rrd"
{ cat "$TMP/base.conf"; echo "history { batch 10s }"; } > "$CONF"
start_agent h3
stored() { [ "$(points load)" -ge 1 ]; }
check "with batch 10s the first step is stored while the agent runs" wait_for 25 stored
# stored by a short-lived writer: librrd (and cairo, pango, glib) never
# stays in the agent; nor libcrypto without an integrity baseline (the
# attack rules' cache is keyed without it)
check_eq "librrd is not loaded in the agent" 0 \
	"$(grep -c -e 'librrd' -e 'libcairo' "/proc/$AGENT/maps")"
check_eq "libcrypto is not loaded in the agent" 0 \
	"$(grep -c -e 'libcrypto' "/proc/$AGENT/maps")"
stop_agent

# ---- the configuration ----
printf 'history { batch 5s }\n' > "$TMP/bad.conf"
run "$SAKIMORI" config check -f "$TMP/bad.conf"
check_eq "a batch under 10s is a configuration error" 78 "$RC"
printf 'history { processes "sendmail" "apache2"; batch 2m; enabled yes }\n' > "$TMP/good.conf"
run "$SAKIMORI" config check -f "$TMP/good.conf"
check_eq "the history block of the manual is accepted" 0 "$RC"

# ---- without librrd ----
export SAKIMORI_DYNLIB_FAIL=rrd
rm -rf "$STATE/rrd"
start_agent h2
check "the agent runs without librrd" wait_for 10 ctl status
sleep 1
check_match "and says it keeps no history, naming librrd and its package" \
	"librrd\.so\.8 \(Debian package librrd8\).*no history is kept" "$(cat "$TMP/h2.err")"
kill -0 "$AGENT" 2>/dev/null && ok "still running" || not_ok "still running"
stop_agent
check "no RRD was written" test ! -e "$STATE/rrd/load.rrd"
run "$SAKIMORI" graph --state-dir "$STATE" load --output "$TMP/y.png"
check_eq "graph without librrd: 69" 69 "$RC"
check_match "naming the library" "librrd" "$ERR"
unset SAKIMORI_DYNLIB_FAIL

done_testing
