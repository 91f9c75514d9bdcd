#!/usr/bin/env bash
# agent_privsep.sh - the running agent parses its logs in an unprivileged
# child: the child "sakimori-logs" runs as the agent user (created when
# missing), with no capability, no_new_privs and a seccomp filter, and
# analyses what the root parent follows (an attack gives an open event);
# a forbidden system call made in it (socket(2), through gdb) kills it
# with SIGSYS, the parent logs that and starts another, and lines appended
# afterwards are analysed again, none lost; the lines a child killed
# before it acknowledged them go to the next one and count once.  On a
# fresh state directory the agent makes the attack rules' cache before
# its child starts (the child cannot write it).  An agent started by
# another user than root runs its child as that user, without switching,
# still with no_new_privs and the filter, and says so.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v gdb >/dev/null || skip_all "gdb is not installed"
command -v useradd >/dev/null || skip_all "useradd is missing"
. "$(dirname "$0")/lib-agent.sh"

# An agent user of this run only: created by the agent, removed at the end.
U=_skap$$
getent passwd "$U" >/dev/null && skip_all "user '$U' exists already"
cleanup "userdel '$U' 2>/dev/null"

LOG="$TMP/access.log"
: > "$LOG"
chmod 0600 "$LOG"
agent_base_conf "$TMP/base.conf"
{ cat "$TMP/base.conf"
  echo "set agent-user \"$U\""
  echo "logs { discover no; follow \"$LOG\" kind access }"; } > "$CONF"
opens() {	# opens ADDRESS: open web-attack events for it
	jq -r --arg s "$1" 'select(.type == "alert" and .check == "web-attack" and .event == "open" and .subject == $s) | .problem' \
		"$TMP/a.out" 2>/dev/null | grep -c .
}
has_open() { [ "$(opens "$1")" -ge 1 ]; }
child_pid() { pgrep -P "$AGENT" -x sakimori-logs | head -1; }
field() {	# field PID NAME: of /proc/PID/status, blanks squeezed
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' '  '
}

# A fresh state directory: the agent compiles the attack rules into its
# cache before the child starts (slow under ASan), the child is given it.
start_agent a
check "the agent follows the access log" wait_for 240 following
check "the agent made the attack rules' cache in the fresh state directory" \
	test -s "$STATE/attack-rules.hsdb"
check "it has a log child" wait_for 30 child_pid
# it makes its analyzers, then installs its filter (slow under ASan)
filtered() { [ "$(field "$(child_pid)" Seccomp 2>/dev/null)" = 2 ]; }
check "...which starts" wait_for 240 filtered
# The child analyses what the parent follows (a root-only file).
attack 203.0.113.7 5 >> "$LOG"
check "an attack gives an open event" wait_for 60 has_open 203.0.113.7

# The child that analysed it, its filter in force since.
c1=$(child_pid)
uid=$(id -u "$U" 2>/dev/null)
gid=$(id -g "$U" 2>/dev/null)
check_match "the missing agent user was created" '^[0-9]+$' "$uid"
check_eq "the parent runs as root" 0 "$(field "$AGENT" Uid | cut -d' ' -f1)"
check_eq "the child runs as the agent user (real, effective, saved, fs uid)" \
	"$uid $uid $uid $uid" "$(field "$c1" Uid)"
check_eq "...in its group only" "$gid $gid $gid $gid" "$(field "$c1" Gid)"
check_eq "...without supplementary groups" "" "$(field "$c1" Groups)"
for k in CapInh CapPrm CapEff CapBnd CapAmb; do
	check_eq "...with no capability: $k" 0000000000000000 "$(field "$c1" $k)"
done
check_eq "...with no_new_privs" 1 "$(field "$c1" NoNewPrivs)"
check_eq "...under a seccomp filter (mode 2)" 2 "$(field "$c1" Seccomp)"


# A forbidden system call in the child: socket(2), called through gdb.
gdb -batch -nx -p "$c1" -ex 'call (int)socket(2, 1, 0)' >"$TMP/gdb.out" 2>&1
died() { ! kill -0 "$c1" 2>/dev/null; }
check "the child that called socket(2) is gone" wait_for 20 died
logged() { grep -q "child 'logs' killed by SIGSYS (bad system call); restarting in 1 s" "$TMP/a.err"; }
check "the parent logs its death by SIGSYS and a restart in 1 s" wait_for 20 logged
restarted() { c2=$(child_pid); [ -n "$c2" ] && [ "$c2" != "$c1" ]; }
check "another child is started" wait_for 30 restarted
c2=$(child_pid)
check "...which starts" wait_for 240 filtered

# Lines appended after the restart are analysed, and none was lost.
attack 198.51.100.9 5 >> "$LOG"
check "an attack after the restart gives an open event" wait_for 60 has_open 198.51.100.9
check_eq "...found by the new child, as the agent user" "$uid $uid $uid $uid" "$(field "$c2" Uid)"
check_eq "...with no capability" 0000000000000000 "$(field "$c2" CapEff)"
check_eq "...under the filter" 2 "$(field "$c2" Seccomp)"
caught_up() { [ "$(status analysed)" = 10 ]; }
check "every line is analysed once (10)" wait_for 30 caught_up
check_eq "...and read once" 10 "$(status lines)"
check_eq "the first address's problem is not opened again" 1 "$(opens 203.0.113.7)"

# A child killed while it holds lines it has not acknowledged: stopped,
# given lines, then killed; the next child is given them again, and they
# count once.
kill -STOP "$c2"
attack 192.0.2.44 5 >> "$LOG"
sleep 2
kill -9 "$c2"
restarted3() { c3=$(child_pid); [ -n "$c3" ] && [ "$c3" != "$c2" ]; }
check "a child killed holding lines is replaced" wait_for 30 restarted3
check_match "...its death logged" \
	"child 'logs' killed by SIGKILL \(killed\); restarting in" "$(cat "$TMP/a.err")"
check_nomatch "...not taken for a malformed message (the reset channel)" \
	"sent a malformed message" "$(cat "$TMP/a.err")"
check "...and the lines it held give their open event" wait_for 60 has_open 192.0.2.44
caught_up15() { [ "$(status analysed)" = 15 ]; }
check "...each analysed once (15 in all)" wait_for 30 caught_up15
check_eq "...and read once" 15 "$(status lines)"
run ctl problems --json
check_eq "...the problem counts its 5 requests, not more" 5 \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.check == "web-attack" and .subject == "192.0.2.44") | .count')"
c3=$(child_pid)
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
gone3() { ! kill -0 "$c3" 2>/dev/null; }
check "...and the child is gone with it" gone3

# Rotated while no agent ran: the agent reads the rest of the rotated file
# as it starts, and the child analyses those lines then.
attack 192.0.2.77 5 >> "$LOG"
mv "$LOG" "$LOG.1"
: > "$LOG"
chmod 0600 "$LOG"
start_agent b
opens_b() { jq -r 'select(.type == "alert" and .check == "web-attack" and .event == "open" and .subject == "192.0.2.77")' "$TMP/b.out" 2>/dev/null | grep -q .; }
check "lines rotated away while the agent was down are analysed at its start" wait_for 40 opens_b
caught_up20() { [ "$(status analysed)" = 20 ]; }
check "...once (20 lines in all)" wait_for 30 caught_up20
check_nomatch "...without the child taken for stuck" "stopping it" "$(cat "$TMP/b.err")"
stop_agent

# An agent that is not root (the agent user here): it may not switch
# user, its child runs as the same user, still without capabilities,
# with no_new_privs and the filter; it says so once.
N=$(mktemp -d /tmp/sakimori-nonroot.XXXXXX)
cleanup "rm -rf '$N'"
chmod 0755 "$N"
mkdir "$N/state" "$N/run"
cp "$STATE/attack-rules.hsdb" "$N/state/"
: > "$N/access.log"
{ cat "$TMP/base.conf"
  echo "logs { discover no; follow \"$N/access.log\" kind access }"; } > "$N/agent.conf"
chown -R "$uid:$gid" "$N"
setpriv --reuid="$uid" --regid="$gid" --clear-groups "$SAKIMORI" agent \
	-f "$N/agent.conf" --state-dir "$N/state" --run-dir "$N/run" --json \
	>"$TMP/c.out" 2>"$TMP/c.err" &
AGENT=$!
check "a non-root agent has a log child" wait_for 60 child_pid
check "...which starts" wait_for 240 filtered
c4=$(child_pid)
check_eq "...as the agent's own user (real, effective, saved, fs uid)" \
	"$uid $uid $uid $uid" "$(field "$c4" Uid)"
check_eq "...with no capability" 0000000000000000 "$(field "$c4" CapEff)"
check_eq "...with no_new_privs" 1 "$(field "$c4" NoNewPrivs)"
check_eq "...under the filter" 2 "$(field "$c4" Seccomp)"
check_eq "...said once in the agent's log" 1 \
	"$(grep -c "not running as root: the agent's children run as the invoking user (uid $uid)" "$TMP/c.err")"
attack 192.0.2.99 5 >> "$N/access.log"
opens_c() { jq -r 'select(.type == "alert" and .check == "web-attack" and .event == "open" and .subject == "192.0.2.99")' "$TMP/c.out" 2>/dev/null | grep -q .; }
check "...and it analyses the logs: an attack gives an open event" wait_for 60 opens_c
stop_agent
check_eq "...SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
