#!/bin/bash
# memo-off-floor.sh - where `logs attacks` without its memo stands against
# the 100 MB/s a log scanner should reach, and what part of that budget
# two of its parts take on their own: sakimori's own rules (the whole
# command, no CRS) and libinjection's SQL injection test on each
# request's User-Agent and Referer (rule 942100 of the Core Rule Set,
# paranoia level 1), called in a tight loop by bench/libinjection_floor.c,
# as it is and with the table of keyword lookups sakimori puts in front
# of it.
#
# Each figure is CPU time (user + sys) on one core over LINES lines of
# bench/gen-access-log.py, the median of RUNS runs, the runs interleaved:
#   own       SAKIMORI_ATTACK_MEMO=0 sakimori logs attacks, own rules only
#   crs       the same with "set crs yes"
#   floor     libinjection_floor on the same log (median of its 5 passes),
#             libinjection_sqli and sakimori's injection_sqli
# and the budget: the log's size at 100 MB/s.  Then what two other
# layouts of the Hyperscan databases would cost on the same fields
# (bench/hs_layout.c): sakimori's rules on 64 texts at once, and
# sakimori's and the Core Rule Set's User-Agent expressions in one
# database.
#
# usage: bench/memo-off-floor.sh [SAKIMORI]  (default build/src/cli/sakimori;
#   the floor program is linked with the libsakimori.a of its build)
#   LINES=200000, RUNS=5, CRS_DIR=/usr/share/modsecurity-crs/rules,
#   WORK=(a temporary directory)
# Needs libmodsecurity3, modsecurity-crs, python3, time and cc.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(realpath "${1:-build/src/cli/sakimori}")
LINES=${LINES:-200000}
RUNS=${RUNS:-5}
CRS_DIR=${CRS_DIR:-/usr/share/modsecurity-crs/rules}
[ -d "$CRS_DIR" ] ||
	{ echo "memo-off-floor.sh: install modsecurity-crs" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "memo-off-floor.sh: install time" >&2; exit 69; }
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/memo-off-floor.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
fi
LIB=$(dirname "$SAKIMORI")/../libsakimori.a
[ -f "$LIB" ] || { echo "memo-off-floor.sh: no $LIB (build sakimori)" >&2; exit 66; }
cc -O2 -Wall -Wextra -D_GNU_SOURCE -Isrc -o "$WORK/floor" \
	bench/libinjection_floor.c "$LIB" -ldl -lpthread -lm
cc -O2 -Wall -Wextra -D_GNU_SOURCE -Isrc -o "$WORK/layout" \
	bench/hs_layout.c "$LIB" -ldl -lpthread -lm
python3 bench/gen-access-log.py --lines "$LINES" > "$WORK/log"
mkdir -p "$WORK/state-own" "$WORK/state-crs"
printf 'set state-dir "%s"\n' "$WORK/state-own" > "$WORK/own.conf"
printf 'set crs yes\nset crs-dir "%s"\nset state-dir "%s"\n' \
	"$CRS_DIR" "$WORK/state-crs" > "$WORK/crs.conf"
# the compiled rules in their caches before the runs
for c in own crs; do
	"$SAKIMORI" -f "$WORK/$c.conf" logs attacks /dev/null > /dev/null || true
done
for _ in $(seq 1 "$RUNS"); do
	for c in own crs; do
		/usr/bin/time -q -f "%U %S" -o "$WORK/t" \
			env SAKIMORI_ATTACK_MEMO=0 taskset -c 1 "$SAKIMORI" \
			-f "$WORK/$c.conf" logs attacks "$WORK/log" > /dev/null || true
		awk '{ print $1 + $2 }' "$WORK/t" >> "$WORK/$c.cpu"
	done
	taskset -c 1 "$WORK/floor" "$WORK/log" >> "$WORK/floor.out"
done
python3 - "$WORK" "$LINES" <<'EOF'
import os, re, statistics, sys
work, lines = sys.argv[1], int(sys.argv[2])
mb = os.path.getsize(f"{work}/log") / 1e6
def med(v):
    return statistics.median(v), min(v), max(v)
own = med([float(x) for x in open(f"{work}/own.cpu")])
crs = med([float(x) for x in open(f"{work}/crs.cpu")])
out = open(f"{work}/floor.out").read()
fl = med([float(m[1]) for m in re.finditer(r"libinjection_sqli: ([0-9.]+) s",
                                           out)])
fw = med([float(m[1]) for m in
          re.finditer(r"with the keyword table: ([0-9.]+) s", out)])
budget = mb / 100
print(f"{lines} lines, {mb:.1f} MB; CPU s on one core, medians (min - max)\n")
print("| what | CPU s | MB/s | share of the 100 MB/s budget |")
print("|---|---:|---:|---:|")
for label, (m, lo, hi) in (("sakimori own rules, no memo", own),
                           ("sakimori + CRS, no memo", crs),
                           ("libinjection on User-Agent and Referer alone", fl),
                           ("the same with sakimori's keyword table", fw)):
    print(f"| {label} | {m:.3f} ({lo:.3f} - {hi:.3f}) | {mb / m:.1f} | "
          f"{m / budget * 100:.0f} % |")
print(f"| budget at 100 MB/s | {budget:.3f} | 100.0 | 100 % |")
print(f"\nown rules + libinjection with the table alone: "
      f"{own[0] + fw[0]:.3f} s, "
      f"{(own[0] + fw[0]) / budget * 100:.0f} % of the budget")
EOF
# the scans of other layouts (bench/hs_layout.c), on the same log
printf '\nHyperscan per text, CPU time, medians of 5 passes:\n\n'
taskset -c 1 "$WORK/layout" "$WORK/log" rules "$CRS_DIR" 1
