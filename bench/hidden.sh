#!/usr/bin/env bash
# bench/hidden.sh - the hidden-process scan (sakimori ps --suspicious with
# every other suspicious check disabled) over the machine's pid_max and
# over 4194304 (systemd's pid_max on large machines), against unhide's
# kill(..,0) scan (unhide-linux checkkill), the Debian peer.
#   bench/hidden.sh [SAKIMORI] [UNHIDE_TIMEOUT_SECONDS]
# Needs hyperfine and unhide (scripts/deps.sh test).  Run as root.
set -eu
S=${1:-build/src/cli/sakimori}
UT=${2:-600}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
only_hidden() { # only_hidden FILE [PIDMAX]
	{
		for c in proc-exe-deleted proc-exe-location proc-exe-writable \
		    proc-name-mismatch proc-listener proc-sniffer net-promisc; do
			echo "check $c { disable }"
		done
		if [ -n "${2:-}" ]; then echo "check proc-hidden { pid-max $2 }"; fi
	} >"$1"
}
only_hidden "$tmp/default.conf"
only_hidden "$tmp/4m.conf" 4194304
echo "pid_max: $(cat /proc/sys/kernel/pid_max), CPUs: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N -w 2 -r 10 --export-json "$tmp/h.json" \
    "$S -f $tmp/default.conf ps --suspicious" \
    "$S -f $tmp/4m.conf ps --suspicious" >/dev/null
jq -r '.results[] | "\(.command | sub(".*-f [^ ]*/"; "")): median \(.median * 1000 | floor) ms (min \(.min * 1000 | floor), max \(.max * 1000 | floor))"' "$tmp/h.json"
if command -v unhide-linux >/dev/null; then
	start=$(date +%s.%N)
	if timeout "$UT" unhide-linux checkkill >/dev/null 2>&1; then
		end=$(date +%s.%N)
		echo "unhide-linux checkkill: $(echo "($end - $start) * 1000 / 1" | bc) ms (one run)"
	else
		echo "unhide-linux checkkill: did not finish within $UT s (one run)"
	fi
fi
