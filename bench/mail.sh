#!/bin/sh
# mail.sh - "sakimori mail report" against pflogsumm (the report) and
# fail2ban-regex with the stock postfix filter (the scan), side by side on
# one deterministic generated postfix log of 1,000,000 lines.
#   bench/mail.sh [BUILD_DIR]     (default build; needs hyperfine, jq,
#                                  pflogsumm, fail2ban: scripts/deps.sh test)
# sakimori exits 1 or 2 when the log has findings (hyperfine -i).
# Prints the medians and the ratios; raw hyperfine results in $OUT.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$PWD/$build/src/cli/sakimori
lines=${LINES:-1000000}
runs=${RUNS:-5}
OUT=${OUT:-$(mktemp -d /tmp/sakimori-bench-mail.XXXXXX)}
log=$OUT/postfix-$lines.log
[ -x "$bin" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
[ -f "$log" ] || python3 bench/mail_gen.py "$lines" | head -n "$lines" > "$log"
echo "log: $log ($(wc -l < "$log") lines, $(du -h "$log" | cut -f1))"
filter=/etc/fail2ban/filter.d/postfix.conf
state=$OUT/state
hyperfine -i --style basic --runs "$runs" --warmup 1 \
    --export-json "$OUT/report.json" \
    -n sakimori "$bin --state-dir $state mail report --no-learn $log" \
    -n pflogsumm "pflogsumm $log"
hyperfine -i --style basic --runs "${F2B_RUNS:-3}" \
    --export-json "$OUT/scan.json" \
    -n sakimori-json "$bin --state-dir $state mail report --no-learn --json $log" \
    -n fail2ban-regex "fail2ban-regex $log $filter"
for f in report scan; do
	jq -r '.results[] | "\(.command) \(.median)"' "$OUT/$f.json"
done | awk '
	{ med[$1] = $2; printf "%-16s median %8.3f s\n", $1, $2 }
	END {
		printf "pflogsumm / sakimori:          %.1fx\n", med["pflogsumm"] / med["sakimori"]
		printf "fail2ban-regex / sakimori:     %.1fx\n", med["fail2ban-regex"] / med["sakimori-json"]
	}'
echo "raw results: $OUT"
