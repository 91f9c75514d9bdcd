#!/bin/sh
# bench/inventory.sh - the whole inventory against the commands that give
# the same facts by hand: `ss -ltnup` (listeners and their processes) plus
# `dpkg-query -W` (package versions).  Wall time, medians of 15 runs
# (hyperfine), side by side in one run.
#   bench/inventory.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/.."
bin=${1:-build}/src/cli/sakimori
[ -x "$bin" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
hyperfine -N --warmup 3 --runs 15 --export-json "$state/r.json" \
    "$bin --state-dir $state inventory --no-save --json" \
    "ss -ltnup" "dpkg-query -W" >/dev/null
/usr/bin/python3 - "$state/r.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
med = {x["command"].split()[0].split("/")[-1]: x["median"] * 1000 for x in r}
cpu = {x["command"].split()[0].split("/")[-1]: (x["user"] + x["system"]) * 1000 for x in r}
s = med["sakimori"]
peer = med["ss"] + med["dpkg-query"]
print("sakimori inventory (all facts): %.1f ms median" % s)
print("ss -ltnup: %.1f ms, dpkg-query -W: %.1f ms, together %.1f ms" % (med["ss"], med["dpkg-query"], peer))
print("ratio (ss + dpkg-query) / sakimori: %.2f" % (peer / s))
print("CPU time (user+sys, mean): sakimori %.1f ms, ss %.1f ms, dpkg-query %.1f ms" % (cpu["sakimori"], cpu["ss"], cpu["dpkg-query"]))
PY
