#!/usr/bin/env bash
# agent_snap.sh - each run of the agent's checks reads only what its due
# checks need: the child reads the mounts (mountinfo, a statfs per
# filesystem) only when a filesystem check is due, not at the ticks of
# the load check; the root process reads each process's stat for its
# process and socket checks and not their status, command line or
# executable (read only for the few processes a check names, such as an
# Apache master), while the process audit of proc-exe-deleted, in the
# child, still reads every part.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v strace >/dev/null || skip_all "strace is not installed"
. "$(dirname "$0")/lib-agent.sh"

child_pid() { pgrep -P "$AGENT" -x sakimori-logs | head -1; }
filtered() { [ "$(proc_field "$(child_pid)" Seccomp 2>/dev/null)" = 2 ]; }
# count PATTERN FILE: lines of the trace FILE matching PATTERN
count() { grep -cE "$1" "$2" || true; }

# ---- the child: the load every second, the filesystems every 6 s ----
agent_base_conf "$TMP/base.conf" '^check \(load\|fs-blocks\|conn-flood\|syn-flood\|web-conn-share\|apache-workers\) '
{ cat "$TMP/base.conf"
  echo 'history { enabled no }'
  echo 'check load { every 1s }'
  echo 'check fs-blocks { every 6s }'
  echo 'check conn-flood { every 1s }'
  echo 'check syn-flood { every 1s }'
  echo 'check web-conn-share { every 1s }'
  echo 'check apache-workers { every 1s }'; } > "$CONF"
start_agent a
check "the agent has a log child" wait_for 60 child_pid
check "...under its filter" wait_for 240 filtered
c=$(child_pid)
sleep 2
trace_both 7 open,openat,readlink,readlinkat,statfs "$c"
loads=$(count 'openat\(.*"/proc/loadavg"' "$TMP/child.trace")
mounts=$(count 'openat\(.*"/proc/self/mountinfo"' "$TMP/child.trace")
check "the child ran the load check at least 5 times in 7 s ($loads)" \
	test "$loads" -ge 5
check "...and read the mounts only for the filesystem check (at most 2 of 7 s: $mounts)" \
	test "$mounts" -le 2 -a "$mounts" -ge 1
check "...and statfs at those runs only" \
	test "$(count '^statfs\(' "$TMP/child.trace")" -le \
	"$(( mounts * $(grep -c . /proc/self/mountinfo) ))"
ptrace=$TMP/parent.trace
check "the parent read the processes' stat for its checks" \
	test "$(count 'openat\([0-9]+, "[0-9]+/stat"' "$ptrace")" -gt 0
check_eq "...and no process's status" 0 "$(count '"[0-9]+/status"' "$ptrace")"
# (web-conn-share's socket owners: the descriptors of Apache's own
# processes, when one runs here, are read with their links)
web=$(pgrep -d'|' -x 'apache2|httpd' || true)
check_eq "...nor executable link (but of Apache's processes)" 0 \
	"$(grep -E 'readlinkat\([0-9]+, "[0-9]+/exe"' "$ptrace" |
		grep -cvE "\"(${web:-none})/exe\"" || true)"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- the process audit still reads every part ----
agent_base_conf "$CONF" '^check proc-exe-deleted '
{ echo 'history { enabled no }'
  echo 'check proc-exe-deleted { every 2s }'; } >> "$CONF"
start_agent b
check "the agent has a log child" wait_for 60 child_pid
check "...under its filter" wait_for 240 filtered
sleep 1
trace_both 5 open,openat,readlink,readlinkat "$(child_pid)"
# (the audit runs in the child: the parent reads no process's text)
check "the audit reads each process's status" \
	test "$(count '"[0-9]+/status"' "$TMP/child.trace")" -gt 0
check "...command line" \
	test "$(count '"[0-9]+/cmdline"' "$TMP/child.trace")" -gt 0
check "...and executable" \
	test "$(count 'readlinkat\([0-9]+, "[0-9]+/exe"' "$TMP/child.trace")" -gt 0
check_eq "...in the child, not in the parent" 0 \
	"$(count '"[0-9]+/(status|cmdline)"' "$TMP/parent.trace")"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
