#!/usr/bin/env bash
# agent_http_privsep.sh - the running agent speaks HTTP in an unprivileged
# child: "sakimori-http" runs as the agent user, with no capability,
# no_new_privs and a seccomp filter, on the socket the root parent bound;
# libmicrohttpd is mapped in it and in no other process of the agent (not
# the parent, not the log child); it refuses by itself a path that is too
# long or names no series (4xx); an unblock posted with the CSRF token
# reaches the parent, which lifts the block (a real route, in a network
# namespace of the test's own); a forbidden system call made in the child
# (socket(2), through gdb) kills it with SIGSYS, the parent logs that and
# starts another, and the dashboard answers again.  An agent told not to
# listen has no HTTP child; one that is not root runs it as its own user,
# still under the filter, and says so once for both children.
# The child runs on demand: the agent starts it once to see that it can
# serve, then has none until a connection comes; the first request is
# answered by the child started for it, which exits after "set
# listen-idle" without a connection and is started again by the next one,
# no request lost; with "set listen-idle 0" it runs from the start.  The
# log child maps libmodsecurity3 (for libinjection) only with the Core Rule
# Set on.  None of the agent's processes gets transparent huge pages.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for a network namespace"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
for p in curl jq gdb useradd; do
	command -v "$p" >/dev/null || skip_all "'$p' is not installed (scripts/deps.sh test)"
done
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"
ip link set lo up

# An agent user of this run only: created by the agent, removed at the end.
U=_skah$$
getent passwd "$U" >/dev/null && skip_all "user '$U' exists already"
cleanup "userdel '$U' 2>/dev/null"

LOG="$TMP/access.log"
: > "$LOG"
agent_base_conf "$TMP/base.conf"
{ cat "$TMP/base.conf"
  echo "set agent-user \"$U\""
  echo "logs { discover no; follow \"$LOG\" kind access }"; } > "$CONF"
# the attack rules compiled before the agent starts (slow under ASan)
"$SAKIMORI" --state-dir "$STATE" logs scan --analyzers attacks "$LOG" >/dev/null 2>&1
run "$SAKIMORI" --state-dir "$STATE" net block 192.0.2.66 --for 1h --reason test
check_eq "a block to lift: 192.0.2.66 blocked" 0 "$RC"

# listen_agent CONF PORT NAME: an agent on 127.0.0.1:PORT, its output
# in $TMP/NAME.out and .err, logging what it does (-v)
listen_agent() {
	URL="http://127.0.0.1:$2"
	"$SAKIMORI" -v agent -f "$1" --state-dir "$STATE" --run-dir "$RUN" \
		--json --listen "127.0.0.1:$2" >"$TMP/$3.out" 2>"$TMP/$3.err" &
	AGENT=$!
}
PORT=$(free_port)
listen_agent "$CONF" "$PORT" a
check "the agent listens on 127.0.0.1:$PORT" wait_port "$PORT"
code() { curl -s -m 30 -o /dev/null -w '%{http_code}' "$@"; }
answers() { [ "$(code "$URL/api/v1/status")" = 200 ]; }
http_pid() { pgrep -P "$AGENT" -x sakimori-http | head -1; }
logs_pid() { pgrep -P "$AGENT" -x sakimori-logs | head -1; }
no_http() { [ -z "$(http_pid)" ]; }
has_http() { [ -n "$(http_pid)" ]; }
has_logs() { [ -n "$(logs_pid)" ]; }
# the log child's set-up is over once its filter is in force
logs_ready() { [ "$(proc_field "$(logs_pid)" Seccomp 2>/dev/null)" = 2 ]; }
# the agent says it serves once the child it started to try has said so
serving() { grep -q "serving /metrics and the dashboard on" "$1"; }
check "the agent has a log child, set up" wait_for 120 logs_ready
check "the agent serves once an HTTP child has said it can" wait_for 120 serving "$TMP/a.err"
check "no HTTP child before a connection (the one started to try it exited)" \
	wait_for 60 no_http
check_eq "the first request is answered, by a child started for it" 200 \
	"$(code "$URL/api/v1/status")"
check "it has an HTTP child" wait_for 30 has_http
c1=$(http_pid)
check_nomatch "the log child maps no libmodsecurity (the Core Rule Set is off)" \
	'libmodsecurity' "$(cat "/proc/$(logs_pid)/maps")"
for p in "$AGENT" "$(logs_pid)" "$c1"; do
	check_eq "no transparent huge pages in $(cat "/proc/$p/comm")" 0 "$(proc_field "$p" THP_enabled)"
done

# The children name themselves (sakimori-logs, sakimori-http) in their
# command lines too, so the process checks do not take the agent's own
# children for programs in disguise.
names=$("$SAKIMORI" check --json proc-name-mismatch 2>&1)
for p in "$(logs_pid)" "$c1"; do
	check_match "$(cat "/proc/$p/comm")'s command line starts with its name" \
		"^$(cat "/proc/$p/comm") " "$(tr '\0' ' ' < "/proc/$p/cmdline")"
	check_nomatch "...and proc-name-mismatch says nothing of it" \
		"\"pid $p\"" "$names"
done

# ---- who the child is ----
uid=$(id -u "$U" 2>/dev/null)
gid=$(id -g "$U" 2>/dev/null)
check_match "the agent user was created" '^[0-9]+$' "$uid"
check_unprivileged "the HTTP child" "$c1" "$uid" "$gid"
# the listening socket's inode, and whether a process holds it
listen_ino() {
	awk -v p=":$(printf '%04X' "$PORT")" '$2 ~ p"$" && $4 == "0A" { print $10 }' /proc/net/tcp | head -1
}
holds() { ls -l "/proc/$1/fd" | grep -q "socket:\[$2\]"; }
ino=$(listen_ino)
check_match "the agent has a listening socket on $PORT" '^[0-9]+$' "$ino"
check "...bound by the root parent, which holds it" holds "$AGENT" "$ino"
check "...and served by the child it was given to" holds "$c1" "$ino"

# ---- libmicrohttpd is the child's only ----
check_match "libmicrohttpd is mapped in the HTTP child" 'libmicrohttpd' "$(cat "/proc/$c1/maps")"
check_nomatch "...and not in the root parent" 'libmicrohttpd' "$(cat "/proc/$AGENT/maps")"
check_nomatch "...nor in the log child" 'libmicrohttpd' "$(cat "/proc/$(logs_pid)/maps")"

# ---- what the child refuses by itself ----
long=$(head -c 300 /dev/zero | tr '\0' a)
check_eq "a series name longer than a name may be: 404" 404 "$(code "$URL/graphs/$long")"
check_eq "a graph path that climbs: 404" 404 "$(code --path-as-is "$URL/graph/../../etc/passwd/day.png")"
check_eq "a series name with a NUL byte: 404" 404 "$(code --path-as-is "$URL/graphs/lo%00ad")"
huge=$(head -c 20000 /dev/zero | tr '\0' a)
check_match "a path of 20000 bytes: a 4xx" '^4[0-9][0-9]$' "$(code "$URL/graphs/$huge")"
check_eq "...and the dashboard still answers, by the same child" "200 $c1" \
	"$(code "$URL/api/v1/status") $(http_pid)"

# ---- unblock through the child, done by the parent ----
curl -s -m 30 -o "$TMP/conns.html" "$URL/connections"
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/conns.html" | head -n 1)
check_match "the connections page carries the CSRF token" '^[0-9a-f]{64}$' "$TOKEN"
check_eq "unblock without the token is refused (403)" 403 \
	"$(code -d prefix=192.0.2.66 "$URL/unblock")"
check_match "...its route still there" '192\.0\.2\.66' "$(ip route show type blackhole)"
check_eq "unblock of a malformed prefix is refused by the child (400)" 400 \
	"$(code -d "csrf=$TOKEN" -d 'prefix=192.0.2.666' "$URL/unblock")"
check_eq "unblock with the token: 303" 303 \
	"$(code -d "csrf=$TOKEN" -d prefix=192.0.2.66 "$URL/unblock")"
check_eq "...the block is lifted" "" \
	"$(curl -s -m 30 "$URL/api/v1/blocks" | jq -r '.blocks[].prefix')"
check_nomatch "...and its route, by the root parent" '192\.0\.2\.66' "$(ip route show type blackhole)"
check_match "...the audit log names the dashboard" '"action":"unblock","who":"dashboard","target":"192.0.2.66/32"' \
	"$(cat "$STATE/audit.log")"

# ---- a forbidden system call: socket(2), called through gdb ----
gdb -batch -nx -p "$c1" -ex 'call (int)socket(2, 1, 0)' >"$TMP/gdb.out" 2>&1
died() { ! kill -0 "$c1" 2>/dev/null; }
check "the HTTP child that called socket(2) is gone" wait_for 20 died
logged() { grep -q "child 'http' killed by SIGSYS (bad system call); restarting in 1 s" "$TMP/a.err"; }
check "the parent logs its death by SIGSYS and a restart in 1 s" wait_for 20 logged
restarted() { c2=$(http_pid); [ -n "$c2" ] && [ "$c2" != "$c1" ]; }
check "another HTTP child is started" wait_for 30 restarted
check "the dashboard answers again" wait_for 60 answers
c2=$(http_pid)
check_eq "...from the new child, as the agent user" "$uid $uid $uid $uid" "$(proc_field "$c2" Uid)"
check_eq "...under the filter" 2 "$(proc_field "$c2" Seccomp)"
check_nomatch "the parent still maps no libmicrohttpd" 'libmicrohttpd' "$(cat "/proc/$AGENT/maps")"

stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
gone() { ! kill -0 "$c2" 2>/dev/null; }
check "...and the HTTP child is gone with it" gone

# ---- no listening, no child ----
{ cat "$CONF"; echo 'set listen "no"'; } > "$TMP/off.conf"
"$SAKIMORI" agent -f "$TMP/off.conf" --state-dir "$STATE" --run-dir "$RUN" --json \
	>"$TMP/b.out" 2>"$TMP/b.err" &
AGENT=$!
check "an agent told not to listen runs (its log child starts)" wait_for 60 has_logs
check_eq "...without an HTTP child" "" "$(http_pid)"
stop_agent

# ---- on demand: started by a connection, gone when idle ----
# with the Core Rule Set on, whose rules call libinjection (when the
# rules and libmodsecurity3 are there)
CRS=no
[ -d /usr/share/modsecurity-crs/rules ] && [ -e /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3 ] && CRS=yes
{ cat "$CONF"; echo 'set listen-idle 2s'; echo "set crs $CRS"; } > "$TMP/idle.conf"
# its rules compiled before the agent starts (slow under ASan)
"$SAKIMORI" -f "$TMP/idle.conf" --state-dir "$STATE" logs scan --analyzers attacks "$LOG" >/dev/null 2>&1
PORT3=$(free_port)
listen_agent "$TMP/idle.conf" "$PORT3" d
check "listen-idle 2s: the agent listens" wait_port "$PORT3"
check "...has a log child, set up" wait_for 240 logs_ready
check "...serves" wait_for 120 serving "$TMP/d.err"
check "...and has no HTTP child" wait_for 60 no_http
if [ "$CRS" = yes ]; then
	check_match "...the log child maps libmodsecurity (the Core Rule Set is on)" \
		'libmodsecurity' "$(cat "/proc/$(logs_pid)/maps")"
else
	echo "# no Core Rule Set or libmodsecurity3 here: its mapping not checked"
fi
check_eq "the first request is answered" 200 "$(code "$URL/api/v1/status")"
d1=$(http_pid)
check_match "...by an HTTP child started for it" '^[0-9]+$' "$d1"
check "...which exits after 2 s without a connection" wait_for 30 no_http
idle_logged() { grep -q "child 'http' exited, idle after" "$TMP/d.err"; }
check "...as the agent logs (not as a death)" wait_for 10 idle_logged
check_nomatch "...and it is not restarted for nothing" "child 'http' .*restarting" "$(cat "$TMP/d.err")"
check_eq "the next request is answered" 200 "$(code "$URL/metrics")"
d2=$(http_pid)
check "...by another child, started for it" test -n "$d2" -a "$d2" != "$d1"
# requests that come as the child may be deciding to exit: each waits in
# the parent's queue and is served by this child or the next
lost=0
for i in $(seq 1 8); do
	sleep "$(awk -v i="$i" 'BEGIN { printf "%.2f", 1.6 + i * 0.1 }')"
	[ "$(code "$URL/api/v1/status")" = 200 ] || lost=$((lost + 1))
done
check_eq "8 requests at the edge of the idle time: none lost" 0 "$lost"
stop_agent
check_eq "...SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- an agent that is not root (the agent user here) ----
# It may not switch user: both children run as its user, still without
# capabilities, with no_new_privs and the filter, and it says so once.
N=$(mktemp -d /tmp/sakimori-nonroot.XXXXXX)
cleanup "rm -rf '$N'"
chmod 0755 "$N"
mkdir "$N/state" "$N/run"
cp "$STATE/attack-rules.hsdb" "$N/state/" 2>/dev/null
: > "$N/access.log"
{ cat "$TMP/base.conf"
  echo "logs { discover no; follow \"$N/access.log\" kind access }"
  echo "set listen-idle 0"; } > "$N/agent.conf"
chown -R "$uid:$gid" "$N"
PORT2=$(free_port)
setpriv --reuid="$uid" --regid="$gid" --clear-groups "$SAKIMORI" agent \
	-f "$N/agent.conf" --state-dir "$N/state" --run-dir "$N/run" --json \
	--listen "127.0.0.1:$PORT2" >"$TMP/c.out" 2>"$TMP/c.err" &
AGENT=$!
URL="http://127.0.0.1:$PORT2"
check "listen-idle 0: an HTTP child runs before any connection" wait_for 60 has_http
c3=$(http_pid)
check "a non-root agent's dashboard answers" wait_for 120 answers
check_eq "...from that HTTP child, still there" "$c3" "$(http_pid)"
check_eq "...as the agent's own user (real, effective, saved, fs uid)" \
	"$uid $uid $uid $uid" "$(proc_field "$c3" Uid)"
check_eq "...with no capability" 0000000000000000 "$(proc_field "$c3" CapEff)"
check_eq "...with no_new_privs" 1 "$(proc_field "$c3" NoNewPrivs)"
check_eq "...under the filter" 2 "$(proc_field "$c3" Seccomp)"
check "...beside a log child" wait_for 60 has_logs
check_eq "...said once in the agent's log, for both children" 1 \
	"$(grep -c "not running as root: the agent's children run as the invoking user (uid $uid)" "$TMP/c.err")"
stop_agent
check_eq "...SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
