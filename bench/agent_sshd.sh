#!/bin/bash
# agent_sshd.sh - the agent's line-to-block latency against a real sshd:
# runs tests/integration/agent_sshd.sh with RUNS attacking addresses (each
# blocked by the respond rule once its failed logins cross the threshold)
# and reports the median and the 99th percentile of the time from the
# stamp of the threshold line in the auth log to the moment the address
# is in the kernel's nftables set (polled every 5 ms).
#
# usage: bench/agent_sshd.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   RUNS=30 addresses (one run of the test); as root
# Prints a Markdown table row for BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(readlink -f "${1:-build/src/cli/sakimori}")
RUNS=${RUNS:-30}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
RUNS=$RUNS SAKIMORI=$SAKIMORI FIXTURES=$PWD/tests/fixtures \
	bash tests/integration/agent_sshd.sh > "$out" 2>&1 || {
	grep -E '^not ok' "$out" >&2
	echo "agent_sshd.sh failed" >&2
	exit 1
}
sed -n 's/^# latency //p' "$out" | sort -n | awk '
	{ v[NR] = $1 }
	END {
		if (NR == 0) exit 1
		med = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		i = int(0.99 * NR + 0.999999); if (i < 1) i = 1; if (i > NR) i = NR
		printf "| agent: auth-log line to nftables block (real sshd) | %d addresses | median %.0f ms | p99 %.0f ms | max %.0f ms |\n",
		    NR, med * 1000, v[i] * 1000, v[NR] * 1000
	}'
