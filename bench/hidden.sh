#!/usr/bin/env bash
# bench/hidden.sh - the hidden-process scan (sakimori ps --suspicious with
# every other suspicious check disabled) against unhide's kill(..,0) scan
# (unhide-linux checkkill, the Debian peer), at the kernel's default
# pid_max (32768) and at systemd's (4194304).
#
#   bench/hidden.sh [SAKIMORI] [RUNS]
#
# Two settings:
#  - host: this machine's processes, sakimori only (unhide's checkkill forks
#    ps for every live PID it meets and takes minutes on a busy machine);
#    the 4194304 range through "check proc-hidden { pid-max 4194304 }":
#    the sweep inside the kernel (BPF, as root), the system-call sweep
#    (SAKIMORI_HIDDEN_BPF=0), and no sweep (the cross-checks alone).
#  - a private PID namespace (unshare -pf --mount-proc) whose pid_max is
#    set to each range (per namespace since Linux 6.14): both tools sweep
#    the same range side by side, with only a handful of live PIDs; there
#    sakimori uses system calls (the kernel's PIDs are not the namespace's).
# Needs hyperfine, jq and unhide (scripts/deps.sh test).  Run as root.
set -eu
S=$(realpath "${1:-build/src/cli/sakimori}")
R=${2:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
conf() { # conf FILE [proc-hidden keys]
	{
		for c in proc-exe-deleted proc-exe-location proc-exe-writable \
		    proc-name-mismatch proc-listener proc-sniffer net-promisc; do
			echo "check $c { disable }"
		done
		echo "check proc-hidden { ${2:-} }"
	} >"$1"
}
conf "$tmp/default.conf"
conf "$tmp/4m.conf" "pid-max 4194304"
conf "$tmp/4m-nosweep.conf" "pid-max 4194304; sweep no"
summary() { # summary JSON
	jq -r '.results[] | "  \(.command | sub(" 2>/dev/null"; "")): median \(.median * 1000 | floor) ms (min \(.min * 1000 | floor), max \(.max * 1000 | floor), \(.times | length) runs)"' "$1"
}
echo "pid_max: $(cat /proc/sys/kernel/pid_max), CPUs: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg), processes: $(ls -d /proc/[0-9]* | wc -l)"
echo "host:"
SAKIMORI_HIDDEN_BPF=1 "$S" -f "$tmp/default.conf" ps --suspicious >/dev/null ||
	echo "(the sweep inside the kernel cannot run here: see the first rows)"
hyperfine -N -i -w 1 -r "$R" --export-json "$tmp/host.json" \
    -n "sakimori, kernel.pid_max" "$S -f $tmp/default.conf ps --suspicious" \
    -n "sakimori, kernel.pid_max, system calls" "env SAKIMORI_HIDDEN_BPF=0 $S -f $tmp/default.conf ps --suspicious" \
    -n "sakimori, pid-max 4194304" "$S -f $tmp/4m.conf ps --suspicious" \
    -n "sakimori, pid-max 4194304, system calls" "env SAKIMORI_HIDDEN_BPF=0 $S -f $tmp/4m.conf ps --suspicious" \
    -n "sakimori, pid-max 4194304, sweep no" "$S -f $tmp/4m-nosweep.conf ps --suspicious" \
    >/dev/null
summary "$tmp/host.json"
command -v unhide-linux >/dev/null || { echo "unhide-linux is not installed"; exit 0; }
for max in 32768 4194304; do
	echo "private PID namespace, pid_max $max:"
	unshare -pf --mount-proc bash -c "
		echo $max > /proc/sys/kernel/pid_max
		hyperfine -N -i -w 1 -r $R --export-json $tmp/ns-$max.json \
		    -n 'sakimori' '$S -f $tmp/default.conf ps --suspicious' \
		    -n 'unhide-linux checkkill' 'unhide-linux checkkill' >/dev/null"
	summary "$tmp/ns-$max.json"
	jq -r '.results as $r | "  ratio unhide / sakimori: \(($r[1].median / $r[0].median * 10 | floor) / 10)"' "$tmp/ns-$max.json"
done
