#!/bin/bash
# attacks.sh - `sakimori logs attacks` (the whole shipped rule set) against
# `grep -c -i -E -f` with the same patterns and against fail2ban-regex with
# Debian's stock apache filters, on the 1,000,000-line combined log of
# bench/gen-access-log.py (the log-engine benchmark's log), side by side in
# one run.
#
# usage: bench/attacks.sh [SAKIMORI]   (default: build/src/cli/sakimori)
#   RUNS=5 (sakimori and grep runs), LINES=1000000,
#   NOMEMO_RUNS=3 (sakimori with SAKIMORI_ATTACK_MEMO=0: every field
#   decoded and scanned, none remembered - the engine without help from
#   the log's repetitions),
#   FB_LINES=100000 (fail2ban-regex is slow: it reads the first FB_LINES
#   lines once with each filter), WORK=/tmp/sakimori-bench,
#   CRS_RUNS=3 (sakimori with "set crs yes": the shipped rules and Debian's
#   OWASP Core Rule Set at paranoia 1, memo on and off; 0 skips them)
# Prints a Markdown table of medians for BENCHMARKS.md.  Everything runs on
# one core (taskset).  CPU time (user+sys) is the single-core cost and the
# fairer figure on a busy machine; wall time is what a user waits.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=${1:-build/src/cli/sakimori}
RUNS=${RUNS:-5}
LINES=${LINES:-1000000}
FB_LINES=${FB_LINES:-100000}
WORK=${WORK:-/tmp/sakimori-bench}
RULES=$PWD/rules
mkdir -p "$WORK/state"
command -v fail2ban-regex >/dev/null || { echo "install fail2ban" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "install time" >&2; exit 1; }

LOG=$WORK/access-$LINES.log
if [ ! -s "$LOG" ]; then
	[ -f bench/gen-access-log.py ] || { echo "bench/gen-access-log.py" \
	    "(the log-engine benchmark's generator) is missing" >&2; exit 1; }
	python3 bench/gen-access-log.py --lines "$LINES" > "$LOG"
fi
FBLOG=$WORK/access-$FB_LINES-head.log
head -n "$FB_LINES" "$LOG" > "$FBLOG"
BYTES=$(stat -L -c %s "$LOG")
CPU=$(( $(nproc) - 1 ))

# The rules' patterns as POSIX extended regular expressions for grep:
# \d becomes [0-9], \xNN the character, inline (?i) goes (grep -i is
# caseless anyway); a pattern GNU grep still refuses is left out and
# counted.
PAT=$WORK/patterns.ere
python3 - "$RULES" "$PAT" <<'EOF'
import glob, re, subprocess, sys
rules, out = sys.argv[1], sys.argv[2]
pats = []
for f in sorted(glob.glob(rules + "/*.rules")):
    for stanza in open(f, encoding="utf-8").read().split("\n\n"):
        kv = {}
        for line in stanza.splitlines():
            if line.startswith("#") or ":" not in line:
                continue
            k, v = line.split(":", 1)
            kv[k.strip()] = v.strip()
        # the rules sakimori uses by default: enabled, paranoia 1
        if "pattern" in kv and kv.get("disabled") != "yes" and \
                kv.get("paranoia", "1") == "1":
            pats.append(kv["pattern"])
good, bad = [], 0
for p in pats:
    e = p.replace("(?i)", "").replace("\\d", "[0-9]")
    e = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), e)
    if "\0" in e or "\n" in e:
        bad += 1
        continue
    r = subprocess.run(["grep", "-E", "-e", e, "/dev/null"],
                       capture_output=True)
    if r.returncode == 2:
        bad += 1
    else:
        good.append(e)
open(out, "w").write("\n".join(good) + "\n")
print("patterns: %d for grep, %d left out" % (len(good), bad),
      file=sys.stderr)
EOF

# measure NAME RUNS CMD... -> appends "wall cpu rss" lines to $WORK/NAME
measure() {
	local name=$1 runs=$2 i
	shift 2
	: > "$WORK/$name"
	for ((i = 0; i < runs; i++)); do
		cat "$LOG" > /dev/null # warm cache
		/usr/bin/time -q -f "%e %U %S %M" -o "$WORK/$name.t" \
		    taskset -c "$CPU" "$@" > "$WORK/$name.out" 2>&1 || true
		awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' \
		    "$WORK/$name.t" >> "$WORK/$name"
	done
}
median() { # median FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

export SAKIMORI_RULES=$RULES SAKIMORI_STATE_DIR=$WORK/state
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# compile once: the runs measured read the compiled rules from the cache
: > "$WORK/empty.log"
rm -f "$WORK/state/attack-rules.hsdb"
/usr/bin/time -q -f "%e %U %S" -o "$WORK/compile.t" \
    "$SAKIMORI" logs attacks "$WORK/empty.log" > /dev/null 2>&1 || true
measure sakimori "$RUNS" "$SAKIMORI" logs attacks "$LOG"
SAKIMORI_ATTACK_MEMO=0 measure nomemo "${NOMEMO_RUNS:-3}" \
    "$SAKIMORI" logs attacks "$LOG"
CRS_RUNS=${CRS_RUNS:-3}
if [ "$CRS_RUNS" -gt 0 ] && [ -d /usr/share/modsecurity-crs/rules ]; then
	printf 'set crs yes\nset state-dir "%s"\n' "$WORK/state" > "$WORK/crs.conf"
	rm -f "$WORK/state/attack-crs.hsdb"
	/usr/bin/time -q -f "%e %U %S" -o "$WORK/crs-compile.t" \
	    "$SAKIMORI" -f "$WORK/crs.conf" logs attacks "$WORK/empty.log" \
	    > /dev/null 2>&1 || true
	measure crs "$CRS_RUNS" "$SAKIMORI" -f "$WORK/crs.conf" logs attacks "$LOG"
	SAKIMORI_ATTACK_MEMO=0 measure crs_nomemo "$CRS_RUNS" \
	    "$SAKIMORI" -f "$WORK/crs.conf" logs attacks "$LOG"
	CRS_FLAGGED=$("$SAKIMORI" -f "$WORK/crs.conf" --json logs attacks "$LOG" \
	    2>/dev/null | grep '"type":"attack.request"' > "$WORK/crs.flagged"; \
	    grep -c '' "$WORK/crs.flagged" || true)
	CRS_ONLY=$(grep -c '"crs_score":\([5-9]\|[1-9][0-9]\)' "$WORK/crs.flagged" || true)
else
	CRS_RUNS=0
fi
measure grep "$RUNS" grep -c -i -E -f "$PAT" "$LOG"
FLAGGED=$("$SAKIMORI" --json logs attacks "$LOG" 2>/dev/null |
    grep -c '"type":"attack.request"' || true)
GREPPED=$(grep -c -i -E -f "$PAT" "$LOG" || true)

# fail2ban-regex: every stock apache filter, one after the other, once
: > "$WORK/fail2ban"
fbw=0 fbc=0
for f in /etc/fail2ban/filter.d/apache-*.conf; do
	grep -q '^failregex' "$f" || continue
	/usr/bin/time -q -f "%e %U %S" -o "$WORK/fb.t" taskset -c "$CPU" \
	    fail2ban-regex "$FBLOG" "$f" > "$WORK/fb.out" 2>&1 || true
	read -r w u s < "$WORK/fb.t"
	echo "$(basename "$f") $w $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')" >> "$WORK/fail2ban"
done
NFB=$(grep -c '' "$WORK/fail2ban")
fbw=$(awk '{ s += $2 } END { print s }' "$WORK/fail2ban")
fbc=$(awk '{ s += $3 } END { print s }' "$WORK/fail2ban")

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
sw=$(median "$WORK/sakimori" 1); sc=$(median "$WORK/sakimori" 2)
nw=$(median "$WORK/nomemo" 1); nc=$(median "$WORK/nomemo" 2)
gw=$(median "$WORK/grep" 1); gc=$(median "$WORK/grep" 2)
echo "log: $LINES lines, $BYTES bytes (bench/gen-access-log.py); sakimori and grep: medians of $RUNS runs; fail2ban-regex: $NFB stock apache filters over the first $FB_LINES lines, one run each"
echo "load average (1, 5, 15 min) before: $LOAD0; after: $LOAD1; $(nproc) CPUs"
echo "compiling the rules (no cache): $(awk '{ printf "%.2f s wall, %.2f s CPU", $1, $2 + $3 }' "$WORK/compile.t")"
echo "flagged by sakimori: $FLAGGED requests; lines grep counts: $GREPPED"
if [ "$CRS_RUNS" -gt 0 ]; then
	echo "compiling the CRS rules (no cache): $(awk '{ printf "%.2f s wall, %.2f s CPU", $1, $2 + $3 }' "$WORK/crs-compile.t")"
	echo "flagged with set crs yes: $CRS_FLAGGED requests, $CRS_ONLY of them with a CRS anomaly score of 5 or more"
fi
echo
echo "| tool | wall s | CPU s | MB/s (wall) | MB/s (CPU) | lines/s (wall) | lines/s (CPU) |"
echo "|---|---|---|---|---|---|---|"
awk -v l="sakimori logs attacks (all rules)" -v w="$sw" -v c="$sc" -v n="$LINES" -v b="$BYTES" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", l, w, c, b / w / 1e6, b / c / 1e6, n / w, n / c }'
awk -v l="sakimori, SAKIMORI_ATTACK_MEMO=0" -v w="$nw" -v c="$nc" -v n="$LINES" -v b="$BYTES" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", l, w, c, b / w / 1e6, b / c / 1e6, n / w, n / c }'
if [ "$CRS_RUNS" -gt 0 ]; then
	for k in crs crs_nomemo; do
		w=$(median "$WORK/$k" 1); c=$(median "$WORK/$k" 2)
		l="sakimori + OWASP CRS (set crs yes, paranoia 1)"
		[ "$k" = crs_nomemo ] && l="$l, SAKIMORI_ATTACK_MEMO=0"
		awk -v l="$l" -v w="$w" -v c="$c" -v n="$LINES" -v b="$BYTES" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", l, w, c, b / w / 1e6, b / c / 1e6, n / w, n / c }'
	done
fi
awk -v l="grep -c -i -E -f (same patterns)" -v w="$gw" -v c="$gc" -v n="$LINES" -v b="$BYTES" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f |\n", l, w, c, b / w / 1e6, b / c / 1e6, n / w, n / c }'
awk -v l="fail2ban-regex, $NFB apache filters, $FB_LINES lines" -v w="$fbw" -v c="$fbc" -v n="$FB_LINES" -v b="$(stat -c %s "$FBLOG")" 'BEGIN {
	printf "| %s | %.2f | %.2f | %.1f | %.1f | %.0f | %.0f |\n", l, w, c, b / w / 1e6, b / c / 1e6, n / w, n / c }'
echo
awk -v sw="$sw" -v sc="$sc" -v gw="$gw" -v gc="$gc" -v nc="$nc" -v fw="$fbw" -v fc="$fbc" \
    -v n="$LINES" -v fn="$FB_LINES" 'BEGIN {
	printf "sakimori / grep: %.1fx (wall), %.1fx (CPU)\n", gw / sw, gc / sc
	printf "sakimori without the memo / grep: %.1fx (CPU)\n", gc / nc
	printf "sakimori / fail2ban-regex (all filters), lines/s: %.0fx (wall), %.0fx (CPU)\n",
	    (n / sw) / (fn / fw), (n / sc) / (fn / fc)
}'
awk -v sw="$sw" -v sc="$sc" -v n="$LINES" -v fn="$FB_LINES" -v k="$NFB" \
    '{ w += $2; c += $3 } END {
	printf "sakimori / fail2ban-regex (one filter, mean), lines/s: %.0fx (wall), %.0fx (CPU)\n",
	    (n / sw) / (fn / (w / k)), (n / sc) / (fn / (c / k)) }' "$WORK/fail2ban"
