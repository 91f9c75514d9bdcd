#!/usr/bin/env bash
# fim-vs-aide.sh - "sakimori fim init" and "fim check" against AIDE
# (Debian's aide) on the same tree, side by side, warm cache, the same
# number of workers and the same attributes (type, permissions, inode,
# links, owner, group, size, mtime, ctime, link target, SHA-256 only,
# xattrs, capabilities), the same exclusions.  Prints a Markdown table
# of medians (seconds, files/s, MB/s of hashed content, peak RSS) and the
# ratios.  Rerun as root:
#
#	bench/fim-vs-aide.sh                       # /usr, 5 runs, one worker per CPU
#	TREE=/usr/bin RUNS=3 WORKERS=2 bench/fim-vs-aide.sh
#	RUNS=5 AIDE_RUNS=1 bench/fim-vs-aide.sh    # AIDE once (it is slow)
#
# Needs: aide, GNU time (/usr/bin/time), jq; a built sakimori
# (SAKIMORI=path, default build/src/cli/sakimori).
set -eu
cd "$(dirname "$0")/.."
SAKIMORI=${SAKIMORI:-$PWD/build/src/cli/sakimori}
TREE=${TREE:-/usr}
RUNS=${RUNS:-5}
AIDE_RUNS=${AIDE_RUNS:-$RUNS} # AIDE is slow on a big tree: fewer runs of it
WORKERS=${WORKERS:-$(nproc)}
for p in aide jq /usr/bin/time; do
	command -v "$p" >/dev/null || { echo "missing $p (scripts/deps.sh test)" >&2; exit 1; }
done
[ -x "$SAKIMORI" ] || { echo "build sakimori first (scripts/build.sh)" >&2; exit 1; }

W=$(mktemp -d /tmp/fim-bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/state"

# AIDE: SHA-256 only, the attributes sakimori records, its exclusions.
cat > "$W/aide.conf" <<EOF
database_in=file:$W/aide.db
database_out=file:$W/aide.db.new
gzip_dbout=no
num_workers=$WORKERS
report_url=file:$W/aide.report
S = ftype+p+i+n+u+g+s+m+c+l+sha256+xattrs+caps
!/usr/lib/locale/locale-archive\$
!/.*/__pycache__(/.*)?\$
$TREE S
EOF
# sakimori: the same workers, no niceness (AIDE runs at the normal one).
cat > "$W/sakimori.conf" <<EOF
check fim { workers $WORKERS; nice 0; ionice none }
EOF
export SAKIMORI_CONFIG=$W/sakimori.conf SAKIMORI_STATE_DIR=$W/state
"$SAKIMORI" fim keygen >/dev/null

timed_as() { local n=$1; shift; /usr/bin/time -f '%e %M %U %S' -o "$W/t" "$@" >"$W/out.$n" 2>"$W/err.$n" || true; tail -1 "$W/t" >> "$W/$n"; }

# One pass reads every file into the page cache, for both tools.
echo "# warming the page cache over $TREE ..." >&2
"$SAKIMORI" fim init --json --baseline "$W/fim" "$TREE" > "$W/warm.json"
files=$(jq -r 'select(.type == "summary") | .files' "$W/warm.json")
bytes=$(jq -r 'select(.type == "summary") | .bytes_hashed' "$W/warm.json")

loads=""
for i in $(seq 1 "$RUNS"); do
	loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
	if [ "$i" -le "$AIDE_RUNS" ]; then
		timed_as aide-init aide --config "$W/aide.conf" --init
		mv "$W/aide.db.new" "$W/aide.db"
		timed_as aide-check aide --config "$W/aide.conf" --check
	fi
	timed_as fim-init "$SAKIMORI" fim init --force --baseline "$W/fim" "$TREE"
	timed_as fim-check "$SAKIMORI" fim check --baseline "$W/fim"
	echo "# run $i/$RUNS done (load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
grep -q "^init: " "$W/out.fim-init" || { echo "sakimori init failed:" >&2; cat "$W/err.fim-init" >&2; exit 1; }
aide_entries=$(grep -c '^/' "$W/aide.db" || true)

median() {	# median FILE COLUMN
	awk -v c="$2" '{print $c}' "$1" | sort -n |
		awk '{a[NR] = $1} END {if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}
row() {	# row LABEL NAME
	local s r c
	s=$(median "$W/$2" 1)
	r=$(median "$W/$2" 2)
	c=$(awk '{print $3 + $4}' "$W/$2" > "$W/$2.cpu"; median "$W/$2.cpu" 1)
	awk -v l="$1" -v s="$s" -v r="$r" -v c="$c" -v f="$files" -v b="$bytes" 'BEGIN {
		printf "| %s | %.2f | %.2f | %.0f | %.0f | %.0f | %.1f |\n", l, s, c, f / s, b / s / 1e6, b / c / 1e6, r / 1024 }'
}
ratio() { awk -v a="$(median "$W/$1" 1)" -v b="$(median "$W/$2" 1)" 'BEGIN { printf "%.1f", a / b }'; }
cpu_ratio() { awk -v a="$(median "$W/$1.cpu" 1)" -v b="$(median "$W/$2.cpu" 1)" 'BEGIN { printf "%.1f", a / b }'; }

echo "Tree: $TREE, $files entries (AIDE database: $aide_entries), $(awk -v b="$bytes" 'BEGIN {printf "%.2f GB", b / 1e9}') of file content hashed per run."
echo "Workers: $WORKERS on $(nproc) CPUs; $RUNS runs of sakimori, $AIDE_RUNS of AIDE, medians; $(aide --version 2>&1 | head -1); sakimori $("$SAKIMORI" --version | cut -d' ' -f2)."
echo "Load average (1 min) before each run and after the last:$loads"
echo
echo "| run | wall s | CPU s (user+sys) | files/s (wall) | MB/s hashed (wall) | MB/s per CPU-second | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
row "sakimori fim init" fim-init
row "AIDE --init (SHA-256 only)" aide-init
row "sakimori fim check" fim-check
row "AIDE --check (SHA-256 only)" aide-check
echo
echo "Ratios (AIDE / sakimori), wall time: init $(ratio aide-init fim-init)x, check $(ratio aide-check fim-check)x; CPU time: init $(cpu_ratio aide-init fim-init)x, check $(cpu_ratio aide-check fim-check)x."
echo
echo "Every run (wall s, peak RSS KB, user s, sys s):"
for n in fim-init aide-init fim-check aide-check; do
	echo "- $n: $(tr '\n' ';' < "$W/$n")"
done
