#!/usr/bin/env bash
# agent_logs.sh - the agent follows the access logs of "logs { follow }"
# (discovery off: "discover no") with the attacks analyzer live: 20 attack
# requests from one address are one open web-attack event for it, its
# count 20, not 20 events; kill -9 while lines are being appended, then a
# restart: ctl status counts every line read and analysed once (none
# twice, none skipped), and the attacker's problem is not opened again.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
. "$(dirname "$0")/lib-agent.sh"
# a pointer into a frame that has returned is an error (ASan builds)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_stack_use_after_return=1"
PY=$(command -v /usr/bin/python3 || command -v python3)

LOG="$TMP/access.log"
: > "$LOG"
agent_base_conf "$TMP/base.conf"
{ cat "$TMP/base.conf"
  echo "logs { discover no; follow \"$LOG\" kind access }"; } > "$CONF"
opens() {	# opens NAME ADDRESS: open web-attack events for it
	jq -r --arg s "$2" 'select(.type == "alert" and .check == "web-attack" and .event == "open" and .subject == $s) | .problem' \
		"$TMP/$1.out" 2>/dev/null | grep -c .
}
has_open() {	# has_open NAME ADDRESS: an open web-attack event for it yet
	[ "$(opens "$1" "$2")" -ge 1 ]
}

# The attack rules compiled once into the state directory's cache before
# the agent starts (as the first "logs attacks" run would): under ASan on
# a loaded machine the compile alone takes a minute, and this test is
# about following.
"$SAKIMORI" --state-dir "$STATE" logs scan --analyzers attacks "$LOG" >/dev/null 2>&1
test -s "$STATE/attack-rules.hsdb" || not_ok "the attack rules' cache is made"

# ---- a: 20 attack requests, one problem ----
start_agent l1
check "the agent follows the configured access log" wait_for 60 following
check_eq "only it: discovery is off" "[\"$LOG\"]" "$(status paths | jq -c .)"
attack 203.0.113.7 20 >> "$LOG"
check "an open web-attack event for 203.0.113.7" wait_for 60 has_open l1 203.0.113.7
sleep 2
check_eq "exactly one open event for the 20 requests" 1 "$(opens l1 203.0.113.7)"
check_eq "no other web-attack problem" 1 "$(jq -r 'select(.type == "alert" and .check == "web-attack")' "$TMP/l1.out" | jq -s length)"
run ctl problems --json
check_eq "ctl problems: its count is the 20 requests" 20 \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.check == "web-attack" and .subject == "203.0.113.7") | .count')"
check_eq "ctl status: 20 lines read" 20 "$(status lines)"
check_eq "ctl status: 20 lines analysed" 20 "$(status analysed)"

# ---- b: kill -9 while lines are appended, restart: each line once ----
# 3000 lines over about 3 s: one attack from 203.0.113.7 (whose problem
# is open) in a hundred, the rest from many addresses
"$PY" - "$LOG" "$TMP/written" <<'PYEOF' &
import sys, time
log, done = sys.argv[1], sys.argv[2]
n = 0
with open(log, "a") as f:
    for batch in range(60):
        for i in range(50):
            if n % 100 == 0:
                line = ('203.0.113.7 - - [06/Dec/2026:10:01:00 +0000] "GET /index.php?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"')
            else:
                line = ('10.%d.%d.%d - - [06/Dec/2026:10:01:00 +0000] "GET /page/%d HTTP/1.1" 200 100 "-" "Mozilla/5.0"'
                        % (n % 250, (n // 250) % 250, 1 + n % 200, n))
            f.write(line + "\n")
            n += 1
        f.flush()
        time.sleep(0.05)
open(done, "w").write("%d\n" % n)
PYEOF
writer=$!
cleanup "kill $writer"
# killed while the writer writes
sleep 1.5
check "the writer is still writing at the kill" test ! -e "$TMP/written"
kill -9 "$AGENT"
wait "$AGENT" 2>/dev/null
start_agent l2
check "restarted: it follows again" wait_for 60 following
wait "$writer"
written=$(( 20 + $(cat "$TMP/written") ))
caught_up() { [ "$(status lines)" = "$written" ]; }
check "every line written ($written) is read, once" wait_for 60 caught_up
check_eq "lines read after the restart: exactly the lines written" "$written" "$(status lines)"
check_eq "lines analysed: exactly the lines written (none twice, none skipped)" "$written" "$(status analysed)"
check_eq "203.0.113.7's problem is not opened again after the restart" 0 "$(opens l2 203.0.113.7)"
run ctl problems --json
check "though the restarted agent noted its new attacks (count > 20)" \
	test "$(printf '%s\n' "$OUT" | jq -r 'select(.check == "web-attack" and .subject == "203.0.113.7") | .count')" -gt 20
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- c: the heap the attack rules' compile freed goes back ----
# A fresh state directory: the agent compiles the rules itself, and its
# heap keeps the pages the compile freed until the agent gives them back
# (glibc's malloc_trim, at the first tick).  Not under ASan, whose
# allocator is another.
if ldd "$SAKIMORI" | grep -q libasan; then
	echo "# ASan build: the heap part is skipped"
else
	STATE=$TMP/state-c
	mkdir -p "$STATE"
	start_agent l3
	check "a fresh state directory: it follows" wait_for 60 following
	sleep 3
	anon=$(awk '/^Anonymous:/ { print $2 }' "/proc/$AGENT/smaps_rollup")
	check "its private memory after the compile is under 20 MiB (${anon} kB)" \
		test "$anon" -lt 20480
	stop_agent
fi

# ---- a bad value of discover is refused with its place ----
echo 'logs { discover maybe }' > "$TMP/bad.conf"
run "$SAKIMORI" agent -f "$TMP/bad.conf" --state-dir "$STATE" --run-dir "$RUN"
check_eq "logs { discover maybe }: exit 78" 78 "$RC"
check_match "naming file:line" "bad.conf:1" "$ERR"

done_testing
