#!/bin/sh
# du.sh - "sakimori du -x PATH" against "du -x PATH | sort -n | tail" on
# the same tree, both with a warm cache (hyperfine warm-up runs), medians
# of RUNS runs each, interleaved by hyperfine in one invocation.
#   bench/du.sh [PATH] [RUNS]      (default /usr, 10)
# Needs a built sakimori (build/src/cli/sakimori) and hyperfine.
set -eu
cd "$(dirname "$0")/.."
path=${1:-/usr}
runs=${2:-10}
bin=${SAKIMORI:-build/src/cli/sakimori}
[ -x "$bin" ] || { echo "du.sh: build sakimori first (scripts/build.sh)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "du.sh: install hyperfine" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "tree: $path ($(find "$path" -xdev | wc -l) entries), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$out" \
	-n "sakimori du -x" "$bin du -x --top 10 $path" \
	-n "du -x | sort -n | tail" "sh -c 'du -x $path | sort -n | tail'" >/dev/null
python3 - "$out" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"]
med = {x["command"]: statistics.median(x["times"]) for x in r}
cpu = {x["command"]: x["user"] + x["system"] for x in r}  # hyperfine: means
for c in med:
    print(f"{c:26s} median wall {med[c]*1000:8.1f} ms   mean CPU (user+sys) {cpu[c]*1000:8.1f} ms")
s, d = "sakimori du -x", "du -x | sort -n | tail"
print(f"ratio du pipeline / sakimori: wall {med[d] / med[s]:.2f}x, CPU {cpu[d] / cpu[s]:.2f}x")
PY
