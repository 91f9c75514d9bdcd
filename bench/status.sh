#!/usr/bin/env bash
# bench/status.sh - the cost of one look at the machine: "sakimori status
# --json" against the pipeline an administrator runs by hand,
#   uptime; free; df; vmstat 1 1; ps aux --sort=-%cpu | head
# side by side in the same run.  Each sample runs a command BATCH times
# (default 10) in one shell loop, so that /usr/bin/time's 10 ms resolution
# does not hide a fast command; RUNS samples (default 9), alternating.
# /usr/bin/time gives the whole process tree's CPU time (user + system,
# every child the shell waited for), divided by BATCH.  Peak RSS (of the
# largest single process) comes from separate single runs.  Medians are
# printed with the ratio.
#
# Fairness: "vmstat 1 1" prints one report (averages since boot) without
# sleeping, so sakimori runs with --interval 0, which also answers at once
# with averages since boot (per-process CPU over each process's life, as
# ps).  The default "status" samples rates over 1 s (it reads the counters
# twice and the process table twice); that row is printed too.
#
#   bench/status.sh [SAKIMORI]     (default build/src/cli/sakimori)
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=${1:-build/src/cli/sakimori}
RUNS=${RUNS:-9}
BATCH=${BATCH:-10}
[ -x /usr/bin/time ] || { echo "bench/status.sh: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
[ -x "$SAKIMORI" ] || { echo "bench/status.sh: build first (scripts/build.sh release)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SAKIMORI_CONFIG=/dev/null.sakimori-bench-none NO_COLOR=1

measure() {	# measure NAME SCRIPT : appends "cpu_ms rss_kb" to $out/NAME
	/usr/bin/time -o "$out/t" -f '%U %S %M' sh -c \
	    "i=0; while [ \$i -lt $BATCH ]; do $2; i=\$((i + 1)); done" \
	    > /dev/null 2>&1 || true
	awk -v b="$BATCH" '{printf "%.2f\n", ($1 + $2) * 1000 / b}' "$out/t" >> "$out/$1.cpu"
	/usr/bin/time -o "$out/t" -f '%M' sh -c "$2" > /dev/null 2>&1 || true
	cat "$out/t" >> "$out/$1.rss"
}
for i in $(seq "$RUNS"); do
	measure sakimori0 "$SAKIMORI status --json --interval 0"
	measure pipeline "uptime; free; df; vmstat 1 1; ps aux --sort=-%cpu | head"
done
# the 1 s sample sleeps: fewer of them
BATCH=2
for i in $(seq "$RUNS"); do
	measure sakimori1 "$SAKIMORI status --json --interval 1"
done
med() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
cpu() { med < "$out/$1.cpu"; }
rss() { med < "$out/$1.rss"; }
p_cpu=$(cpu pipeline); p_rss=$(rss pipeline)
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(ls /proc | grep -c '^[0-9]') processes, medians of $RUNS samples"
echo
echo "| command | CPU time (ms, median) | peak RSS (kB, median) | CPU vs pipeline |"
echo "|---|---:|---:|---:|"
printf '| `uptime; free; df; vmstat 1 1; ps aux --sort=-%%cpu \\| head` | %s | %s | 1 |\n' "$p_cpu" "$p_rss"
for n in sakimori0 sakimori1; do
	c=$(cpu $n)
	label='`sakimori status --json --interval 0` (since boot, no wait)'
	[ $n = sakimori1 ] && label='`sakimori status --json` (1 s sample: two reads)'
	printf '| %s | %s | %s | %s |\n' "$label" "$c" "$(rss $n)" \
		"$(awk -v a="$c" -v b="$p_cpu" 'BEGIN{ if (b > 0) printf "%.2f", a / b; else print "-" }')"
done
