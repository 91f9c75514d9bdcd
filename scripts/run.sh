#!/bin/sh
# run.sh - the main job on built-in defaults: install what is missing,
# build, then "sakimori status" and "sakimori check".  Exits with check's
# status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release >/dev/null
./build/src/cli/sakimori status || true
echo
exec ./build/src/cli/sakimori check
