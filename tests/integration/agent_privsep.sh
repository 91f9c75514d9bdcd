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
# still with no_new_privs and the filter, and says so.  The checks that
# read /proc (load, memory, process-count, fs-blocks) run in the child:
# the parent opens none of /proc/loadavg, /proc/meminfo, /proc/PID/stat
# while the child does; a child killed with SIGKILL while such a check's
# problem is open is replaced, and the problem is neither told again nor
# lost.
# /metrics: the machine's series (load, memory, CPU, disks, interfaces)
# are the child's, the parent opens none of /proc/loadavg, /proc/meminfo,
# /proc/stat, /proc/diskstats, /proc/net/dev for them; a stopped child
# gives sakimori_machine_up 0 and no such series.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v gdb >/dev/null || skip_all "gdb is not installed"
command -v useradd >/dev/null || skip_all "useradd is missing"
command -v strace >/dev/null || skip_all "strace is not installed"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"
command -v curl >/dev/null || skip_all "curl is not installed"
port_open() { curl -s -m 2 -o /dev/null "http://127.0.0.1:$PORT/metrics"; }

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
check_unprivileged "the child" "$c1" "$uid" "$gid"


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

# ---- the checks that read /proc run in the child ----
# No log followed: the load check every second, opened after a second;
# the history sampled every 10 s.
agent_base_conf "$TMP/base2.conf" '^check \(load\|memory\|process-count\|fs-blocks\) '
{ cat "$TMP/base2.conf"
  echo "set agent-user \"$U\""
  echo 'check load { warning 0 critical 1000 for 1s clear 0 every 1s }'; } > "$CONF"
rm -rf "$STATE/rrd"	# the earlier agents' history
start_agent d
load_events() {	# load_events EVENT: how many of the load problem's
	jq -r --arg e "$1" 'select(.type == "alert" and .check == "load" and .event == $e) | .problem' \
		"$TMP/d.out" 2>/dev/null | grep -c .
}
load_open() { [ "$(load_events open)" -ge 1 ]; }
check "the load check's problem opens" wait_for 60 load_open
check "...with a child" wait_for 30 filtered
cd1=$(child_pid)
# strace on every thread of the parent, and on the child, for 11 s: the
# check runs 11 times meanwhile, the history's step comes once
trace_both 11 open,openat "$cd1"
ptrace=$(cat "$TMP/parent.trace")
ctrace=$(cat "$TMP/child.trace")
check_match "the parent was traced (its loop waits)" 'epoll_wait' "$ptrace"
check_match "the child opens /proc/loadavg" '"/proc/loadavg"' "$ctrace"
check_match ".../proc/meminfo" '"/proc/meminfo"' "$ctrace"
check_match "...and /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ctrace"
check_match "...and, for the history, /proc/diskstats" '"/proc/diskstats"' "$ctrace"
check_match "...and /proc/net/dev" '"/proc/net/dev"' "$ctrace"
check_nomatch "the parent opens no /proc/loadavg" '/proc/loadavg' "$ptrace"
check_nomatch "...no /proc/meminfo" '/proc/meminfo' "$ptrace"
check_nomatch "...no /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ptrace"
check_nomatch "...no /proc/diskstats" '/proc/diskstats' "$ptrace"
check_nomatch "...no /proc/net/dev" '/proc/net/dev' "$ptrace"
check_eq "...and the child is the same (not restarted meanwhile)" "$cd1" "$(child_pid)"

# SIGKILL to the child while the problem is open: the next child runs
# the check again, the problem stays open, nothing is told again.
last_seen() {
	ctl problems --json 2>/dev/null | jq -r 'select(.check == "load" and .state == "open") | .last'
}
l1=$(last_seen)
kill -9 "$cd1"
restarted_d() { c=$(child_pid); [ -n "$c" ] && [ "$c" != "$cd1" ]; }
check "a child killed with SIGKILL is replaced" wait_for 30 restarted_d
check_match "...its death logged" \
	"child 'logs' killed by SIGKILL \(killed\); restarting in" "$(cat "$TMP/d.err")"
seen_again() { l=$(last_seen); [ -n "$l" ] && [[ "$l" > "$l1" ]]; }
check "the next child runs the check: the open problem seen again" wait_for 30 seen_again
sleep 3
check_eq "the problem was told open once" 1 "$(load_events open)"
check_eq "...and never resolved" 0 "$(load_events resolve)"
check_eq "...it is still open" open \
	"$(ctl problems --json | jq -r 'select(.check == "load") | .state')"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
# the history's values (written in batches, and at the stop): those the
# child sampled, and those the parent adds (the sockets, the problems)
check "the history's load, sampled by the child, is stored" test -s "$STATE/rrd/load.rrd"
check "...its memory used" test -s "$STATE/rrd/mem.used_bytes.rrd"
check "...the TCP sockets counted by the parent" test -s "$STATE/rrd/tcp.established.count.rrd"
check "...and the open problems" test -s "$STATE/rrd/problems.warning.rrd"

# ---- /metrics: the machine's series are written by the child ----
# Every check off: between the history's steps (one in 10 s) the child
# reads /proc for the scrapes only.
PORT=$(free_port)
{ cat "$TMP/base.conf"
  echo "set agent-user \"$U\""
  echo "set listen \"127.0.0.1:$PORT\""; } > "$CONF"
start_agent e
check "an agent with /metrics listens" wait_for 60 port_open
check "...with a child" wait_for 240 filtered
ce=$(child_pid)
scrape() {	# scrape FILE [CURL-ARGS...]: /metrics into FILE
	local f=$1
	shift
	curl -sS -m 30 -o "$f" "$@" "http://127.0.0.1:$PORT/metrics"
}
machine_in() { scrape "$TMP/m0" && grep -q '^sakimori_machine_up 1$' "$TMP/m0"; }
check "/metrics has the machine's series once the child answers" wait_for 60 machine_in
ptids=$(ls "/proc/$AGENT/task")
strace -qq -e trace=open,openat,epoll_wait -o "$TMP/parent-m.trace" \
	$(printf -- '-p %s ' $ptids) 2>/dev/null &
sp=$!
strace -qq -e trace=open,openat -o "$TMP/child-m.trace" -p "$ce" 2>/dev/null &
sc=$!
cleanup "kill $sp $sc 2>/dev/null"
sleep 1	# strace attached
for i in 1 2 3 4 5; do
	scrape "$TMP/m$i"
done
scrape "$TMP/om" -H 'Accept: application/openmetrics-text;version=1.0.0'
kill -INT "$sp" "$sc"
wait "$sp" "$sc"
ptrace=$(cat "$TMP/parent-m.trace")
ctrace=$(cat "$TMP/child-m.trace")
check_match "the parent was traced during the scrapes (its loop waits)" 'epoll_wait' "$ptrace"
for f in loadavg meminfo stat diskstats net/dev; do
	check_nomatch "...it opens no /proc/$f while /metrics is scraped" \
		"\"/proc/$f\"" "$ptrace"
done
check "...the child opens /proc/loadavg for each scrape (6, the history 1 at most)" \
	test "$(grep -c '"/proc/loadavg"' "$TMP/child-m.trace")" -ge 6
for f in meminfo stat diskstats net/dev; do
	check_match "...and /proc/$f" "\"/proc/$f\"" "$ctrace"
done
mem=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
check_eq "the child's sakimori_memory_total_bytes is /proc/meminfo's MemTotal" "$mem" \
	"$(awk '$1 == "sakimori_memory_total_bytes" { print $2 }' "$TMP/m5")"
check_match "...its load, CPU seconds, disks and interfaces are there" \
	'sakimori_load1 .*sakimori_cpu_seconds_total\{mode="user"\} .*sakimori_disk_io_now.*sakimori_network_receive_bytes_total\{device="lo"\}' \
	"$(tr '\n' ' ' <"$TMP/m5")"
check_eq "...the last of them followed by the parent's sakimori_machine_up 1" \
	"sakimori_machine_up 1" "$(grep -v '^#' "$TMP/m5" | awk '
		p && !/^sakimori_network_/ { print; exit }
		/^sakimori_network_transmit_drop_total/ { p = 1 }')"
check_match "...in OpenMetrics when asked (families without _total)" \
	'^# TYPE sakimori_cpu_seconds counter$' "$(cat "$TMP/om")"
check_eq "...which ends with one # EOF" "1 # EOF" \
	"$(grep -c '^# EOF' "$TMP/om") $(tail -n 1 "$TMP/om")"
# A child that does not answer (stopped): /metrics says so, without the
# machine's series, and the parent still reads no /proc for them.
kill -STOP "$ce"
cleanup "kill -CONT $ce 2>/dev/null"
scrape "$TMP/mdown"
kill -CONT "$ce"
check_match "a stopped child: /metrics answers sakimori_machine_up 0" \
	'^sakimori_machine_up 0$' "$(cat "$TMP/mdown")"
check_nomatch "...without the machine's series" '^sakimori_(load1|memory_total_bytes|network_receive_bytes_total)' \
	"$(cat "$TMP/mdown")"
check_match "...with the parent's own" '^sakimori_agent_start_time_seconds ' "$(cat "$TMP/mdown")"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
