#!/usr/bin/env bash
# agent_sockwalk.sh - the agent walks the TCP socket table every few
# seconds (once for the connection checks of a run, which share it, and
# for the history's counts by state) with the
# kernel's BPF socket iterator; the iterator's program is loaded and
# verified once per set of states it keeps, for the agent's life, not at
# every walk (the verifier costs more than the walk).  In a network
# namespace of its own, so that the walks see only the test's sockets.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v strace >/dev/null || skip_all "strace is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
. "$(dirname "$0")/lib-agent.sh"
ip link set lo up
SAKIMORI_SOCK_BPF=1 "$SAKIMORI" net conns --json >/dev/null 2>&1 ||
	skip_all "the BPF socket iterator cannot be used here"

# every connection check and the history on, each every 2 s
agent_base_conf "$TMP/base.conf" '^check \(conn-flood\|conn-flood-prefix\|syn-flood\|web-conn-share\) '
{ cat "$TMP/base.conf"
  for c in conn-flood conn-flood-prefix syn-flood web-conn-share; do
	echo "check $c { every 2s }"
  done
} > "$CONF"
start_agent a
up() { ctl status --json >/dev/null 2>&1; }
check "the agent runs" wait_for 60 up
timeout -s INT 13 strace -f -qq -e trace=bpf -o "$TMP/bpf.trace" -p "$AGENT" 2>/dev/null
loads=$(grep -c 'BPF_PROG_LOAD' "$TMP/bpf.trace")
walks=$(grep -c 'BPF_ITER_CREATE' "$TMP/bpf.trace")
# 6 or 7 runs of the four checks in 13 s and 1 or 2 history samples: a
# walk each, the checks of one run sharing theirs (not 24 and more)
check "the table was walked at every run of the checks (${walks} walks in 13 s)" test "$walks" -ge 5
check "...once for the four checks of a run" test "$walks" -le 10
check "the iterator's program was not loaded again for them (${loads} loads)" test "$loads" -le 4
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
