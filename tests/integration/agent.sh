#!/usr/bin/env bash
# agent.sh - "sakimori agent" for real: with "check load { warning 0 for
# 3s }" it tells exactly one open event, not before 3 s; "ctl problems
# --json" lists the problem; a reload to a configuration without that
# threshold tells exactly one resolve; a configuration with an error is
# refused with its file:line and the agent goes on with the one it has;
# after kill -9 and a restart on the same state directory nothing is told
# again, and a problem that no longer holds resolves once; SIGTERM ends
# it with 0 and removes its socket.  The load check runs every 2 s here
# ("every") so that the test does not wait for the default 10 s.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

. "$(dirname "$0")/lib-agent.sh"
# every other check disabled (the machine's own findings are not this
# test's business)
agent_base_conf "$TMP/base.conf" '^check \(load\|fs-inodes\) '
# fs-inodes runs, on its own interval, for the schedule's assertions
echo 'check fs-inodes { every 45s warning 100 critical 100 }' >> "$TMP/base.conf"
fires() { { cat "$TMP/base.conf"; echo 'check load { warning 0 critical 1000 for 3s clear 0 every 2s }'; } > "$CONF"; }
quiet() { { cat "$TMP/base.conf"; echo 'check load { warning 1000 critical 1000 for 3s clear 0 every 2s }'; } > "$CONF"; }

# count NAME EVENT: events of that kind for the load check in NAME.out
count() {
	jq -r 'select(.type == "alert" and .check == "load") | .event' "$TMP/$1.out" 2>/dev/null |
		grep -c "^$2\$"
}
has() { [ "$(count "$1" "$2")" -ge "${3:-1}" ]; }
# background helpers run the interpreter itself (not lib.sh's function in a
# subshell), so that their pid is theirs and the cleanup's kill reaches them
PY=$(command -v /usr/bin/python3 || command -v python3)

# ---- 1: one open event, not before its 3 s ----
fires
t0=$(date +%s.%N)
start_agent a1
check "the control socket appears" wait_for 10 test -S "$RUN/ctl"
check_eq "the socket is its owner's only (0600)" 600 "$(stat -c %a "$RUN/ctl")"
check "an open event for load" wait_for 20 has a1 open
t1=$(date +%s.%N)
ev_time=$(jq -r 'select(.type == "alert" and .check == "load" and .event == "open") | .time' "$TMP/a1.out" | head -1)
after=$(python3 -c 'import sys, datetime
t = datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp()
print(int(t - int(float(sys.argv[2]))))' "$ev_time" "$t0")
check "the open event is told no earlier than 3 s after the start (its time: ${after} s)" test "$after" -ge 3
check "and seen no earlier than 3 s after the start" awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 3) }'
sleep 5 # two more runs of load
check_eq "exactly one open event while the load stays above 0" 1 "$(count a1 open)"
run ctl problems --json
check_eq "ctl problems --json: exit 0" 0 "$RC"
check_eq "ctl problems --json lists the open load problem" "open WARNING" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.check == "load") | "\(.state) \(.severity)"')"
check_eq "its id is the event's" \
	"$(jq -r 'select(.check == "load" and .event == "open") | .problem' "$TMP/a1.out")" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.check == "load") | .problem')"
run ctl status --json
check_eq "ctl status --json: one open problem" 1 "$(printf '%s\n' "$OUT" | jq -r 'select(.type == "agent.status") | .problems_open')"
check_eq "ctl status: load every 2 s (every), fs-inodes every 45 s, inventory off" "2 45 false" \
	"$(printf '%s\n' "$OUT" | jq -rs '[(.[] | select(.check == "load") | .every_seconds), (.[] | select(.check == "fs-inodes") | .every_seconds), (.[] | select(.check == "inventory") | .enabled)] | join(" ")')"
run ctl status
check_match "ctl status (text) names the checks and their next run" '^load +2s ' "$OUT"

# ---- 2: a configuration with an error is refused, the old one goes on ----
{ cat "$CONF"; echo 'set daily-at 25:00'; } > "$CONF.new"
bad_line=$(wc -l < "$CONF.new")
mv "$CONF.new" "$CONF"
kill -HUP "$AGENT"
check "SIGHUP with an error: stderr names $CONF:$bad_line" wait_for 10 grep -q "^$CONF:$bad_line: .*daily-at" "$TMP/a1.err"
check_match "and says the agent keeps its configuration" "not reloaded, still running" "$(cat "$TMP/a1.err")"
run ctl status
check_eq "ctl status answers after the refused reload" 0 "$RC"
run ctl reload
check_eq "ctl reload of the bad configuration: exit 78" 78 "$RC"
check_match "ctl reload says why" "has 1 error" "$ERR"
sleep 5 # the load check runs on, on the old configuration
check_eq "the refused configuration caused no resolve" 0 "$(count a1 resolve)"
check_eq "nor another open" 1 "$(count a1 open)"

# ---- 3: without the threshold: exactly one resolve ----
quiet
kill -HUP "$AGENT"
check "SIGHUP without the threshold: a resolve event" wait_for 15 has a1 resolve
sleep 5
check_eq "exactly one resolve event" 1 "$(count a1 resolve)"
check_eq "still one open event" 1 "$(count a1 open)"
run ctl problems --json
check_eq "ctl problems --json lists no load problem now" "" "$(printf '%s\n' "$OUT" | jq -r 'select(.check == "load") | .problem')"

# ---- 4: SIGTERM: exit 0, the socket removed ----
kill -TERM "$AGENT"
wait "$AGENT"
rc=$?
AGENT=
check_eq "SIGTERM: exit 0" 0 "$rc"
check "SIGTERM: the control socket is removed" test ! -e "$RUN/ctl"
run ctl status
check_eq "ctl with no agent: exit 69" 69 "$RC"
check_match "and says so" "is the agent running" "$ERR"

# ---- 5: kill -9 while a problem is open, restart: not told again ----
fires
start_agent a2
check "a new problem opens" wait_for 20 has a2 open
kill -9 "$AGENT"
wait "$AGENT" 2>/dev/null
check "kill -9 leaves the socket behind" test -S "$RUN/ctl"
start_agent a3
answers() { ctl status >/dev/null 2>&1; }
check "restarted on the same state directory: it answers" wait_for 10 answers
sleep 8 # past the 3 s "for" and several runs of load
check_eq "no second open event after the restart" 0 "$(count a3 open)"
run ctl problems --json
check_eq "the open problem is still listed" "open" "$(printf '%s\n' "$OUT" | jq -r 'select(.check == "load") | .state')"

# ---- 6: killed again; it no longer fires when the agent comes back ----
kill -9 "$AGENT"
wait "$AGENT" 2>/dev/null
quiet
start_agent a4
check "back with a configuration where it no longer fires: a resolve" wait_for 15 has a4 resolve
sleep 5
check_eq "exactly one resolve" 1 "$(count a4 resolve)"
check_eq "and no open" 0 "$(count a4 open)"
check_eq "that of the problem opened before the kills" \
	"$(jq -r 'select(.check == "load" and .event == "open") | .problem' "$TMP/a2.out")" \
	"$(jq -r 'select(.check == "load" and .event == "resolve") | .problem' "$TMP/a4.out")"

# ---- 7: silence; and clients that misbehave do not stop the agent ----
run ctl silence load 1h
check_eq "ctl silence load 1h: exit 0" 0 "$RC"
fires
kill -HUP "$AGENT"
sleep 7 # past the 3 s "for": the problem is open again, silently
check_eq "silenced: no open event" 0 "$(count a4 open)"
run ctl problems --json
check_eq "silenced: ctl problems lists it open, with its silence" "open true" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.check == "load") | "\(.state) \(.silenced_until != null)"')"
run ctl silence Load 1h
check_eq "ctl silence of a bad check name: exit 64" 64 "$RC"
run ctl silence load soon
check_eq "ctl silence with a bad duration: exit 64" 64 "$RC"
run ctl frobnicate
check_eq "ctl with an unknown command: exit 64" 64 "$RC"
# a request line past the limit is refused, not buffered
run python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.settimeout(10)
try:
    s.sendall(b"x" * 100000)
except OSError:
    pass # the agent stops reading at its limit, answers and closes
print(s.recv(4096).decode().strip())' "$RUN/ctl"
check_eq "a request of 100000 bytes without a newline: refused" "error 64 request too long" "$OUT"
# 16 clients that connect and say nothing: the 17th is turned away, the
# agent goes on, and they are dropped after 5 s
"$PY" -c 'import socket, sys, time
c = []
for i in range(16):
    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); c.append(s)
open(sys.argv[2], "w").close()
for s in c:
    s.settimeout(15)
    d = s.recv(1)
    assert d == b"", d
open(sys.argv[3], "w").close()' "$RUN/ctl" "$TMP/idle.held" "$TMP/idle.dropped" &
idle=$!
cleanup "kill $idle"
check "16 idle clients connected" wait_for 10 test -e "$TMP/idle.held"
sleep 0.5
run ctl status
check_eq "a 17th client is turned away: exit 69" 69 "$RC"
check_match "saying the agent is busy" "busy" "$ERR"
check "the idle clients are dropped after their 5 s" wait_for 10 test -e "$TMP/idle.dropped"
wait "$idle"
check_eq "each of them saw the connection closed, nothing sent" 0 "$?"
run ctl status
check_eq "then ctl status answers again" 0 "$RC"
check_eq "and the agent ran on meanwhile: no event while silenced" 0 "$(count a4 open)"

# ---- 8: a second agent on the same run directory is refused ----
run "$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN"
check_eq "a second agent on the same socket: exit 69" 69 "$RC"
check_match "it says another agent answers" "already answers" "$ERR"
kill -TERM "$AGENT"
wait "$AGENT"
rc=$?
AGENT=
check_eq "SIGTERM: exit 0 again" 0 "$rc"

# ---- 9: systemd's notifications (sd_notify) and its watchdog ----
NSOCK="$TMP/notify.sock"
"$PY" -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
with open(sys.argv[2], "a") as f:
    while True:
        f.write(s.recv(4096).decode().replace("\n", " ") + "\n"); f.flush()' "$NSOCK" "$TMP/notify.log" &
nl=$!
cleanup "kill $nl"
wait_for 5 test -S "$NSOCK"
: > "$TMP/notify.log"
quiet
NOTIFY_SOCKET=$NSOCK WATCHDOG_USEC=1000000 start_agent a5
notified() { grep -c "$1" "$TMP/notify.log"; }
check "READY=1 once it runs" wait_for 10 grep -q '^READY=1' "$TMP/notify.log"
check_match "with a STATUS= of the open problems (the silenced one, from the state)" \
	'^READY=1 STATUS=watching; 1 problem open' "$(cat "$TMP/notify.log")"
sleep 2.2
n=$(notified '^WATCHDOG=1$')
check "WATCHDOG=1 every half of WATCHDOG_USEC (1 s): $n in about 2 s" test "$n" -ge 3
kill -HUP "$AGENT"
check "SIGHUP: RELOADING=1, then READY=1 again" wait_for 5 \
	sh -c "grep -A100 '^RELOADING=1' '$TMP/notify.log' | grep -q '^READY=1'"
kill -TERM "$AGENT"
wait "$AGENT"
rc=$?
AGENT=
check_eq "SIGTERM: exit 0" 0 "$rc"
check "SIGTERM: STOPPING=1" grep -q '^STOPPING=1' "$TMP/notify.log"

# ---- 10: readable lines without --json; the run directory from the file ----
{ cat "$TMP/base.conf"; echo "set run-dir \"$TMP/run2\""
  echo 'check load { warning 0 critical 1000 every 2s }'; } > "$CONF"
"$SAKIMORI" agent -f "$CONF" --state-dir "$TMP/state2" >"$TMP/a6.out" 2>"$TMP/a6.err" &
AGENT=$!
check "set run-dir: the socket is made there" wait_for 10 test -S "$TMP/run2/ctl"
run "$SAKIMORI" ctl -f "$CONF" status
check_eq "ctl -f FILE finds it through the same setting" 0 "$RC"
check "without --json: one readable line for the open event" wait_for 10 \
	grep -Eq '^[0-9T:-]+Z OPEN WARNING load .*load average.*\[problem [0-9]+\]$' "$TMP/a6.out"
kill -TERM "$AGENT"
wait "$AGENT"
rc=$?
AGENT=
check_eq "SIGTERM: exit 0" 0 "$rc"
check "and its socket removed" test ! -e "$TMP/run2/ctl"

done_testing
