#!/bin/bash
# crs-vs-modsec.sh - sakimori's translation of the OWASP Core Rule Set
# against ModSecurity 3 (Debian's libmodsecurity3) with the same CRS files
# at the same paranoia level, request by request.
#
# ModSecurity runs in DetectionOnly, request phases only, on what an access
# log holds: the method, the URI and the User-Agent and Referer headers (no
# body, no other header).  The CRS rules that fire only because a header a
# log does not hold is missing (920280 Host, 920290 empty Host, 920300 no
# Accept, 920310/920311 empty Accept, 920350 Host as an address) are
# removed on ModSecurity's side.  sakimori reads the same requests as a
# combined log with "set crs yes" and the same paranoia level
# (`logs attacks --json`; its own rules take part in its verdict).
#
# Two sets of requests:
#   corpus  the rows of ../shared/corpus/attacks/coreruleset/
#           crs-regression-requests.tsv whose URI is more than a bare path
#           (it has a query, or a byte other than letters, digits and
#           "/._-"); spaces in a URI are sent as %20
#   log     LINES lines of bench/gen-access-log.py (benign traffic)
# A request counts as flagged by ModSecurity when rule 949110 (inbound
# anomaly score reached) fired, by sakimori when `logs attacks` reports
# it (its own rules or the CRS score).  Printed: per rule family (the
# row's CRS file) how many requests both flag, only ModSecurity, only
# sakimori, neither, and how many ModSecurity flags that sakimori's CRS
# score alone (rule 949110) does not; then the CRS rule
# ids that fired on one side only, with their counts; ModSecurity's
# requests per CPU second.  Then the speed (SPEED_RUNS > 0): CPU time
# (user + sys, one core) of `logs attacks` over SPEED_LINES lines of the
# benchmark log, the median of SPEED_RUNS runs each, with sakimori's own
# rules alone, with the rule set (compiled rules read from the cache),
# and with the rule set and SAKIMORI_ATTACK_MEMO=0; beside them
# ModSecurity's CPU time on the log set's lines, as MB/s of log lines.
#
# usage: bench/crs-vs-modsec.sh [SAKIMORI]  (default build/src/cli/sakimori)
#   PARANOIA=4, LINES=20000, CORPUS=../shared/corpus/attacks/coreruleset,
#   SPEED_RUNS=5 (0: no speed), SPEED_LINES=200000,
#   CRS_DIR=/usr/share/modsecurity-crs/rules, WORK=(a temporary directory)
# Needs libmodsecurity-dev, modsecurity-crs, python3 and cc.
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=$(realpath "${1:-build/src/cli/sakimori}")
PARANOIA=${PARANOIA:-4}
LINES=${LINES:-20000}
if [ -z "${CORPUS:-}" ]; then # beside the checkout (a worktree: one up)
	CORPUS=../shared/corpus/attacks/coreruleset
	[ -d "$CORPUS" ] || CORPUS=../../shared/corpus/attacks/coreruleset
fi
CRS_DIR=${CRS_DIR:-/usr/share/modsecurity-crs/rules}
[ -f /usr/include/modsecurity/modsecurity.h ] ||
	{ echo "crs-vs-modsec.sh: install libmodsecurity-dev" >&2; exit 69; }
[ -d "$CRS_DIR" ] ||
	{ echo "crs-vs-modsec.sh: install modsecurity-crs" >&2; exit 69; }
[ -f "$CORPUS/crs-regression-requests.tsv" ] ||
	{ echo "crs-vs-modsec.sh: cannot open '$CORPUS/crs-regression-requests.tsv'" >&2; exit 66; }
if [ -n "${WORK:-}" ]; then
	mkdir -p "$WORK"
else
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/crs-vs-modsec.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
fi

cc -O2 -Wall -Wextra -o "$WORK/modsec_eval" bench/modsec_eval.c -lmodsecurity

# ModSecurity's configuration: CRS setup as Debian's crs-setup.conf has it
# (anomaly scoring, the default actions), the paranoia level, the rules.
{
	echo 'SecRuleEngine DetectionOnly'
	echo 'SecRequestBodyAccess On'
	echo 'SecDefaultAction "phase:1,log,auditlog,pass"'
	echo 'SecDefaultAction "phase:2,log,auditlog,pass"'
	echo "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=$PARANOIA\""
	echo 'SecAction "id:900990,phase:1,nolog,pass,t:none,setvar:tx.crs_setup_version=334"'
	for f in "$CRS_DIR"/REQUEST-*.conf; do echo "Include $f"; done
	echo 'SecRuleRemoveById 920280 920290 920300 920310 920311 920350'
} > "$WORK/modsec.conf"
cat > "$WORK/sakimori.conf" <<EOF
set crs yes
set crs-dir "$CRS_DIR"
set state-dir "$WORK/state"
check web-attack { paranoia $PARANOIA }
EOF

# The requests: a TSV for ModSecurity (method, URI, User-Agent, Referer,
# family) and the same as a combined log for sakimori.
python3 - "$CORPUS/crs-regression-requests.tsv" "$WORK" "$LINES" <<'EOF'
import re, subprocess, sys
tsv, work, lines = sys.argv[1], sys.argv[2], int(sys.argv[3])
BARE = re.compile(r"^[A-Za-z0-9/._-]*$")

def write(name, reqs):
    with open(f"{work}/{name}.tsv", "w") as t, open(f"{work}/{name}.log", "w") as l:
        for i, (m, u, ua, ref, fam) in enumerate(reqs):
            t.write("\t".join([m, u, ua, ref, fam]) + "\n")
            esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
            # a client per request: no rate rule of sakimori's takes part
            l.write('10.%d.%d.%d - - [06/Dec/2026:10:00:00 +0000] "%s %s HTTP/1.1" '
                    '200 0 "%s" "%s"\n' % (i >> 16, i >> 8 & 255, i & 255, m,
                    esc(u), esc(ref or "-"), esc(ua or "-")))

reqs = []
with open(tsv, encoding="utf-8", errors="surrogateescape") as f:
    head = f.readline().rstrip("\n").split("\t")
    for row in f:
        r = dict(zip(head, row.rstrip("\n").split("\t")))
        u = r.get("uri", "")
        if not u or BARE.match(u) or any(c in u for c in "\t\r\n"):
            continue
        u = u.replace(" ", "%20")
        fam = r["rule_file_group"].split("-")[1]
        ua = r.get("user_agent", "").replace("\t", " ")
        reqs.append((r["method"] or "GET", u, ua, "", fam))
write("corpus", reqs)

gen = subprocess.run([sys.executable, "bench/gen-access-log.py", "--lines",
                      str(lines)], capture_output=True, text=True,
                     check=True).stdout
CLF = re.compile(r'^\S+ \S+ \S+ \[[^]]*\] "(\S+) (\S+)[^"]*" \d+ \S+ "([^"]*)" "([^"]*)"')
reqs = []
for line in gen.splitlines():
    m = CLF.match(line)
    if m:
        reqs.append((m[1], m[2], m[4], m[3], "log"))
write("log", reqs)
EOF

for set in corpus log; do
	cut -f1-4 "$WORK/$set.tsv" |
		"$WORK/modsec_eval" "$WORK/modsec.conf" > "$WORK/$set.modsec" 2> "$WORK/$set.modsec-err"
	"$SAKIMORI" -f "$WORK/sakimori.conf" logs attacks --json "$WORK/$set.log" \
		> "$WORK/$set.sakimori" || [ $? -le 2 ]
done

python3 - "$WORK" "$PARANOIA" <<'EOF'
import collections, json, sys
work, pl = sys.argv[1], sys.argv[2]

def crs_ids(ids):
    # the detection rules: not the anomaly verdicts (949, 959, 980)
    return {i for i in ids if 913000 <= i < 949000}

for name in ("corpus", "log"):
    fams = [l.rstrip("\n").split("\t")[4] for l in open(f"{work}/{name}.tsv")]
    ms = {}
    for l in open(f"{work}/{name}.modsec"):
        n, ids = l.rstrip("\n").split("\t")
        ms[int(n)] = {int(i) for i in ids.split(",") if i}
    sk = collections.defaultdict(set)
    flagged, crs_flagged = set(), set()
    for l in open(f"{work}/{name}.sakimori"):
        o = json.loads(l)
        if o.get("type") != "attack.request":
            continue
        flagged.add(o["line"])
        if 949110 in o.get("rules", []):
            crs_flagged.add(o["line"])
        sk[o["line"]] |= {m["rule"] for m in o.get("crs_matches", [])}
    table = collections.OrderedDict()
    only = collections.Counter()
    for i, fam in enumerate(fams, 1):
        a, b = 949110 in ms.get(i, ()), i in flagged
        t = table.setdefault(fam, [0, 0, 0, 0, 0])
        t[0 if a and b else 1 if a else 2 if b else 3] += 1
        t[4] += a and i not in crs_flagged
        for r in crs_ids(ms.get(i, set())) - sk[i]:
            only[("modsec", r)] += 1
        for r in crs_ids(sk[i]) - ms.get(i, set()):
            only[("sakimori", r)] += 1
    print(f"\n{name}: {len(fams)} requests, paranoia {pl}\n")
    print("| family | requests | both | only ModSecurity | only sakimori | neither "
          "| ModSecurity, not sakimori's CRS score alone |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    tot = [0, 0, 0, 0, 0]
    for fam, t in sorted(table.items()):
        print(f"| {fam} | {sum(t[:4])} | " + " | ".join(map(str, t)) + " |")
        tot = [x + y for x, y in zip(tot, t)]
    print(f"| all | {sum(tot[:4])} | " + " | ".join(map(str, tot)) + " |")
    for side in ("modsec", "sakimori"):
        ids = sorted(((c, r) for (s, r), c in only.items() if s == side),
                     reverse=True)
        who = "ModSecurity" if side == "modsec" else "sakimori"
        print(f"\nCRS rules that fired only in {who} (rule: requests): " +
              (", ".join(f"{r}: {c}" for c, r in ids) or "none"))
    print("\n" + open(f"{work}/{name}.modsec-err").read().strip())
EOF

SPEED_RUNS=${SPEED_RUNS:-5}
SPEED_LINES=${SPEED_LINES:-200000}
[ "$SPEED_RUNS" -gt 0 ] || exit 0
[ -x /usr/bin/time ] || { echo "crs-vs-modsec.sh: install time" >&2; exit 69; }
python3 bench/gen-access-log.py --lines "$SPEED_LINES" > "$WORK/speed.log"
mkdir -p "$WORK/state-own"
printf 'set state-dir "%s"\n' "$WORK/state-own" > "$WORK/own.conf"
# the compiled rules in their caches before the runs
"$SAKIMORI" -f "$WORK/sakimori.conf" logs attacks /dev/null > /dev/null || true
"$SAKIMORI" -f "$WORK/own.conf" logs attacks /dev/null > /dev/null || true
# cpu NAME CONF ENV...: one run of logs attacks over the log, its CPU
# time added as a line to $WORK/NAME.cpu
cpu() {
	local name=$1 conf=$2
	shift 2
	/usr/bin/time -q -f "%U %S" -o "$WORK/t" env "$@" "$SAKIMORI" -f "$conf" \
		logs attacks "$WORK/speed.log" > /dev/null || true
	awk '{ print $1 + $2 }' "$WORK/t" >> "$WORK/$name.cpu"
}
for _ in $(seq 1 "$SPEED_RUNS"); do
	cpu own "$WORK/own.conf" SAKIMORI_ATTACK_MEMO=1
	cpu crs "$WORK/sakimori.conf" SAKIMORI_ATTACK_MEMO=1
	cpu crs_nomemo "$WORK/sakimori.conf" SAKIMORI_ATTACK_MEMO=0
done
/usr/bin/time -q -f "%U %S" -o "$WORK/t" "$SAKIMORI" -f "$WORK/sakimori.conf" \
	logs attacks /dev/null > /dev/null || true
awk '{ print $1 + $2 }' "$WORK/t" > "$WORK/start.cpu"
python3 - "$WORK" "$SPEED_LINES" "$PARANOIA" <<'EOF'
import os, re, statistics, sys
work, lines, pl = sys.argv[1], int(sys.argv[2]), sys.argv[3]
mb = os.path.getsize(f"{work}/speed.log") / 1e6
def med(n):
    v = [float(x) for x in open(f"{work}/{n}.cpu")]
    return statistics.median(v), min(v), max(v)
start = float(open(f"{work}/start.cpu").read())
print(f"\nspeed: {lines} lines of the benchmark log, {mb:.1f} MB, paranoia {pl}; "
      "CPU time (user + sys) on one core, median of the runs (min - max); "
      f"a start with the rule set and an empty log takes {start:.2f} s\n")
print("| | CPU s | MB/s | lines/s |")
print("|---|---:|---:|---:|")
for n, label in (("own", "sakimori, its own rules"),
                 ("crs", "sakimori + CRS"),
                 ("crs_nomemo", "sakimori + CRS, SAKIMORI_ATTACK_MEMO=0")):
    m, lo, hi = med(n)
    print(f"| {label} | {m:.2f} ({lo:.2f} - {hi:.2f}) | {mb / m:.1f} | {lines / m:,.0f} |")
err = open(f"{work}/log.modsec-err").read()
m = re.search(r"(\d+) requests, ([0-9.]+) s CPU", err)
if m:
    n, s = int(m[1]), float(m[2])
    lmb = os.path.getsize(f"{work}/log.log") / 1e6
    print(f"| ModSecurity 3 + CRS ({n:,} lines of the log set) | {s:.2f} | "
          f"{lmb / s:.2f} | {n / s:,.0f} |")
EOF
