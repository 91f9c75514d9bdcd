#!/bin/bash
# auth.sh - `sakimori logs scan --analyzers auth` against fail2ban-regex
# (Debian package fail2ban) with the stock sshd filter on the same
# 1,000,000-line auth.log from bench/gen-auth-log.py, side by side: CPU
# time (user+sys, one core each: taskset) and the addresses each finds,
# which must be the same set.
#
# usage: bench/auth.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   RUNS=3 (sakimori runs), LINES=1000000, WORK=/tmp/sakimori-bench
# Prints a Markdown table for BENCHMARKS.md.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=${1:-build/src/cli/sakimori}
RUNS=${RUNS:-3}
LINES=${LINES:-1000000}
WORK=${WORK:-/tmp/sakimori-bench}
mkdir -p "$WORK"
command -v fail2ban-regex >/dev/null || { echo "install fail2ban" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install time" >&2; exit 1; }

LOG=$WORK/auth-$LINES.log
[ -s "$LOG" ] || python3 bench/gen-auth-log.py --lines "$LINES" > "$LOG"
CPU=$(( $(nproc) - 1 ))

# cpu FILE -> user+sys seconds of a /usr/bin/time -f "%e %U %S %M" file
# (the last line: "Command exited with non-zero status" may come first)
cpu() { tail -n1 "$1" | awk '{ printf "%.2f", $2 + $3 }'; }

best=""
for ((i = 0; i < RUNS; i++)); do
	cat "$LOG" > /dev/null
	/usr/bin/time -f "%e %U %S %M" -o "$WORK/auth-s.t" taskset -c "$CPU" \
	    "$SAKIMORI" logs scan --analyzers auth "$LOG" \
	    > "$WORK/auth-s.txt" || [ $? -le 2 ]
	c=$(cpu "$WORK/auth-s.t")
	if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN{exit !(a < b)}'; then
		best=$c
		cp "$WORK/auth-s.t" "$WORK/auth-s.best"
	fi
done
# the records, for the addresses (not timed: the table is what a user reads)
"$SAKIMORI" --json logs scan --analyzers auth "$LOG" > "$WORK/auth-s.json" ||
    [ $? -le 2 ]
/usr/bin/time -f "%e %U %S %M" -o "$WORK/auth-f.t" taskset -c "$CPU" \
    fail2ban-regex -o ip "$LOG" sshd > "$WORK/auth-f.out"

grep '"type":"auth\.event"' "$WORK/auth-s.json" |
    sed -n 's/.*"address":"\([^"]*\)".*/\1/p' | sort -u > "$WORK/auth-s.addr"
grep -E '^[0-9a-f.:]+$' "$WORK/auth-f.out" | sort -u > "$WORK/auth-f.addr"
ns=$(wc -l < "$WORK/auth-s.addr")
nf=$(wc -l < "$WORK/auth-f.addr")
if ! cmp -s "$WORK/auth-s.addr" "$WORK/auth-f.addr"; then
	echo "FAIL: the addresses differ (sakimori $ns, fail2ban $nf):" >&2
	diff "$WORK/auth-s.addr" "$WORK/auth-f.addr" | head >&2
	exit 1
fi
sf=$(grep -c '"type":"auth\.event".*"service":"sshd"' "$WORK/auth-s.json" || true)
ff=$(wc -l < "$WORK/auth-f.out")
s=$(cpu "$WORK/auth-s.best")
f=$(cpu "$WORK/auth-f.t")
echo "| $LINES-line auth.log | CPU s | wall s | peak RSS | failures | addresses |"
echo "|---|---:|---:|---:|---:|---:|"
awk -v n="sakimori logs scan --analyzers auth" -v c="$s" -v k="$sf" -v a="$ns" \
    '{ printf "| %s | %s | %s | %d MiB | %s | %s |\n", n, c, $1, $4/1024, k, a }' \
    <(tail -n1 "$WORK/auth-s.best")
awk -v n="fail2ban-regex (sshd, normal)" -v c="$f" -v k="$ff" -v a="$nf" \
    '{ printf "| %s | %s | %s | %d MiB | %s | %s |\n", n, c, $1, $4/1024, k, a }' \
    <(tail -n1 "$WORK/auth-f.t")
awk -v s="$s" -v f="$f" 'BEGIN { printf "\nCPU ratio: %.0fx (same %d addresses)\n", f / (s > 0 ? s : 0.01), 0 }' | sed "s/same 0/same $ns/"
