#!/bin/sh
# run.sh - the main job on built-in defaults: install what is missing,
# build, then "sakimori status" and "sakimori check".  Exits with check's
# status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).  Needs only the build
# set of scripts/deps.sh (the tests are built only when cmocka is there).
# SAKIMORI_NO_DEPS=1 skips scripts/deps.sh (packages installed otherwise).
set -eu
cd "$(dirname "$0")/.."
[ "${SAKIMORI_NO_DEPS:-}" = 1 ] || scripts/deps.sh
dir=$(scripts/build.sh release)
"./$dir/src/cli/sakimori" status || true
echo
exec "./$dir/src/cli/sakimori" check
