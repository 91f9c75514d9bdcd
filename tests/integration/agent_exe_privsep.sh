#!/usr/bin/env bash
# agent_exe_privsep.sh - the agent's proc-exe-deleted check (and the
# executable checks of its entry) runs in the unprivileged child: root's
# programs run from a 0700 directory under /root, one deleted, one
# replaced by another file since it started, one in a directory everyone
# may write.  The child may read neither their /proc/PID/exe nor stat
# their paths: the root parent reads the links and stats each path and
# its directory for it (PRIV_LINKS, PRIV_EXEFACTS), so the deleted one is
# CRITICAL, the replaced one only a WARNING (not read as deleted) and the
# writable directory is seen.  A private Apache with two workers of at
# most two is reported by apache-workers, from the child too (its
# configuration is readable by anyone; the workers are told by the
# SIGCHLD they do not ignore).  The parent opens no /proc/PID/stat,
# status or cmdline meanwhile; the child does, and the debug log says
# where the checks ran.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v strace >/dev/null || skip_all "strace is not installed"
command -v useradd >/dev/null || skip_all "useradd is missing"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"

agent_user _skex

# root's programs under a directory only root may enter
D=$(mktemp -d /root/sakimori-exe.XXXXXX)
cleanup "rm -rf '$D'"
chmod 0700 "$D"
mkdir -m 0777 "$D/open"
chmod 0777 "$D/open" # not sticky: anyone may replace what is in it
cp /bin/sleep "$D/gone"
cp /bin/sleep "$D/swapped"
cp /bin/sleep "$D/open/shared"
"$D/gone" 600 &
gone=$!
cleanup "kill -9 $gone 2>/dev/null"
"$D/swapped" 600 &
swapped=$!
cleanup "kill -9 $swapped 2>/dev/null"
"$D/open/shared" 600 &
shared=$!
cleanup "kill -9 $shared 2>/dev/null"
started() { [ "$(readlink "/proc/$shared/exe")" = "$D/open/shared" ]; }
wait_for 10 started
rm "$D/gone" "$D/swapped"
cp /bin/sleep "$D/swapped" # another file at the path
check_match "the first runs a deleted program" ' \(deleted\)$' "$(readlink "/proc/$gone/exe")"
check_match "...the second one too, replaced since" ' \(deleted\)$' "$(readlink "/proc/$swapped/exe")"

# a private Apache: 2 workers of at most 2
master=
if [ -x /usr/sbin/apache2 ]; then
	W="$TMP/www"
	mkdir -p "$W"
	printf 'StartServers 2\nMinSpareServers 1\nMaxSpareServers 2\nMaxRequestWorkers 2\n' >"$TMP/workers.conf"
	chmod 644 "$TMP/workers.conf"
	start_apache "$W" "$(free_port)" "$TMP/workers.conf" && master=$(cat "$W/httpd.pid")
	two() { [ "$(pgrep -x apache2 -P "$master" | wc -l)" -eq 2 ]; }
	check "the private Apache runs two workers" wait_for 10 two
fi

agent_base_conf "$TMP/base.conf" '^check \(proc-exe-\(deleted\|writable\)\|apache-workers\) '
{ cat "$TMP/base.conf"
  echo "set agent-user \"$U\""
  echo "check proc-exe-deleted { every 1s }"
  echo "check apache-workers { every 1s }"; } > "$CONF"
"$SAKIMORI" -v -v agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" --json \
	>"$TMP/a.out" 2>"$TMP/a.err" &
AGENT=$!
child_pid() { pgrep -P "$AGENT" -x sakimori-logs | head -1; }
filtered() { [ "$(proc_field "$(child_pid)" Seccomp 2>/dev/null)" = 2 ]; }
event() {	# event CHECK PID: the open event of CHECK about PID
	jq -c --arg c "$1" --arg s "pid $2" \
		'select(.type == "alert" and .event == "open" and .check == $c and .subject == $s)' \
		"$TMP/a.out" 2>/dev/null | head -1
}
check "the agent has a log child" wait_for 60 child_pid
check "...under its filter" wait_for 240 filtered
c=$(child_pid)
check_eq "...running as the agent's user" "$(id -u "$U")" "$(proc_field "$c" Uid | cut -d' ' -f1)"
seen() { [ -n "$(event proc-exe-deleted "$gone")" ] && [ -n "$(event proc-exe-deleted "$swapped")" ] &&
	[ -n "$(event proc-exe-writable "$shared")" ]; }
check "the three programs give open events" wait_for 60 seen

ev=$(event proc-exe-deleted "$gone")
check_match "the deleted program is CRITICAL" '"severity":"CRITICAL"' "$ev"
check_match "...said deleted" "runs an executable that was deleted: $D/gone\"" "$ev"
check_match "...its executable read by root for the child" "\"exe\":\"$D/gone\"" "$ev"
ev=$(event proc-exe-deleted "$swapped")
check_match "the replaced program is a WARNING, not read as deleted" '"severity":"WARNING"' "$ev"
check_match "...said replaced" "runs an executable replaced since it started: $D/swapped" "$ev"
ev=$(event proc-exe-writable "$shared")
check_match "the program in a directory everyone may write is CRITICAL" '"severity":"CRITICAL"' "$ev"
check_match "...said so" "runs from a directory everyone may write: $D/open/shared" "$ev"
check_match "the debug log says the check ran in the child" \
	'ran proc-exe-deleted in the child' "$(cat "$TMP/a.err")"
check_nomatch "...and never in the parent" 'ran proc-exe-deleted: next' "$(cat "$TMP/a.err")"
if [ -n "$master" ]; then
	workers() { jq -c --arg s "apache2 pid $master" \
		'select(.type == "alert" and .event == "open" and .check == "apache-workers" and .subject == $s)' \
		"$TMP/a.out" 2>/dev/null | head -1; }
	seen_workers() { [ -n "$(workers)" ]; }
	check "apache-workers gives an open event for the private Apache" wait_for 30 seen_workers
	check_match "...2 of 2 workers, CRITICAL" '"severity":"CRITICAL".*"children":2,.*"limit":2[,}]' "$(workers)"
	check_match "...the limit from its own configuration" "\"config\":\"$W/httpd.conf\"" "$(workers)"
	check_match "the debug log says apache-workers ran in the child" \
		'ran apache-workers in the child' "$(cat "$TMP/a.err")"
	check_nomatch "...and never in the parent" 'ran apache-workers: next' "$(cat "$TMP/a.err")"
fi

# the check runs every second: 4 runs traced
trace_both 4 open,openat,readlink,readlinkat,stat,newfstatat "$c"
ptrace=$(cat "$TMP/parent.trace")
ctrace=$(cat "$TMP/child.trace")
check_match "the parent was traced (its loop waits)" 'epoll_wait' "$ptrace"
check_match "the child opens /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ctrace"
check_match "...and /proc/PID/cmdline" '"(/proc/)?[0-9]+/cmdline"' "$ctrace"
check_match "...is refused the replaced program's path" "\"$D/swapped\".*EACCES" "$ctrace"
check_match "the parent reads the executable's link for the child" \
	"readlink\\(\"/proc/$swapped/exe\"" "$ptrace"
check_match "...and stats its path" "stat[a-z]*\\((AT_FDCWD, )?\"$D/swapped\"" "$ptrace"
check_match "...and the directory of the shared one" "stat[a-z]*\\((AT_FDCWD, )?\"$D/open\"" "$ptrace"
check_nomatch "the parent opens no /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ptrace"
check_nomatch "...no /proc/PID/status" '"(/proc/)?[0-9]+/status"' "$ptrace"
check_nomatch "...no /proc/PID/cmdline" '"(/proc/)?[0-9]+/cmdline"' "$ptrace"
check_eq "the child is the same (not killed by its filter)" "$c" "$(child_pid)"
check_nomatch "no malformed message" "malformed" "$(cat "$TMP/a.err")"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

# one process reads itself: `check` as root gives the same verdicts
run "$SAKIMORI" check proc-exe-deleted --interval 0 --json -f "$TMP/base.conf"
check_match "check: the deleted program is CRITICAL" \
	"\"severity\":\"CRITICAL\",\"check\":\"proc-exe-deleted\",\"subject\":\"pid $gone\"" "$OUT"
check_match "check: the replaced one a WARNING" \
	"\"severity\":\"WARNING\",\"check\":\"proc-exe-deleted\",\"subject\":\"pid $swapped\"" "$OUT"
done_testing
