#!/bin/sh
# run.sh - the main job on built-in defaults: install what is missing,
# build, then run the watchman, "sakimori agent", in the foreground with
# its dashboard on 127.0.0.1:9947 ($SAKIMORI_LISTEN, or "no"): it prints
# the dashboard's address, then one line for each problem as it opens,
# changes or resolves, until Ctrl-C (exit 0).
#   scripts/run.sh check   the one-shot instead: "sakimori status" and
#                          "sakimori check", exiting with check's status
#                          (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)
# Needs only the build set of scripts/deps.sh (the tests are built only
# when cmocka is there).  SAKIMORI_NO_DEPS=1 skips scripts/deps.sh
# (packages installed otherwise).
set -eu
cd "$(dirname "$0")/.."
case ${1:-} in
"" | check) ;;
*)
	echo "usage: scripts/run.sh [check]" >&2
	exit 64
	;;
esac
[ "${SAKIMORI_NO_DEPS:-}" = 1 ] || scripts/deps.sh
dir=$(scripts/build.sh release)
if [ "${1:-}" = check ]; then
	"./$dir/src/cli/sakimori" status || true
	echo
	exec "./$dir/src/cli/sakimori" check
fi
listen=${SAKIMORI_LISTEN:-127.0.0.1:9947}
if [ "$listen" != no ]; then
	echo "sakimori: watching; the dashboard is on http://$listen/ (Ctrl-C stops)"
fi
echo "sakimori: the problems, as they open, change and resolve:"
exec "./$dir/src/cli/sakimori" agent --listen "$listen"
