# lib.sh - what every integration script shares: assertions that say what
# failed, a scratch directory removed on exit, and cleanup hooks.
# Source it first; each script ends with 'done_testing'.
set -u
: "${SAKIMORI:?SAKIMORI must name the built binary}"
: "${FIXTURES:?FIXTURES must name tests/fixtures}"

# Debian's python3 directly: a version manager's shim on PATH can take
# seconds per start.
if [ -x /usr/bin/python3 ]; then
	python3() { /usr/bin/python3 "$@"; }
fi

T_FAILS=0
T_COUNT=0
T_CLEANUP=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sakimori-test.XXXXXX")
export SAKIMORI_STATE_DIR="$TMP/state"
# An empty configuration: built-in defaults, whatever the machine has in /etc.
: > "$TMP/empty.conf"
export SAKIMORI_CONFIG="$TMP/empty.conf"
export NO_COLOR=1

on_exit() {
	local i
	for ((i = ${#T_CLEANUP[@]} - 1; i >= 0; i--)); do
		eval "${T_CLEANUP[$i]}" >/dev/null 2>&1 || true
	done
	rm -rf "$TMP"
}
trap on_exit EXIT
cleanup() { T_CLEANUP+=("$*"); }

ok() {	# ok DESCRIPTION -- a passed assertion
	T_COUNT=$((T_COUNT + 1))
	echo "ok $T_COUNT - $1"
}
not_ok() {	# not_ok DESCRIPTION [DETAIL]
	T_COUNT=$((T_COUNT + 1))
	T_FAILS=$((T_FAILS + 1))
	echo "not ok $T_COUNT - $1"
	[ $# -gt 1 ] && printf '#   %s\n' "$2"
}
check() {	# check DESCRIPTION COMMAND... -- passes when the command succeeds
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d" "command failed: $*"; fi
}
check_eq() {	# check_eq DESCRIPTION EXPECTED ACTUAL
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected '$2', got '$3'"; fi
}
check_match() {	# check_match DESCRIPTION REGEX TEXT
	if printf '%s' "$3" | grep -Eq -- "$2"; then ok "$1"; else not_ok "$1" "no match for /$2/ in: $(printf '%s' "$3" | head -c 2000)"; fi
}
check_nomatch() {	# check_nomatch DESCRIPTION REGEX TEXT
	if printf '%s' "$3" | grep -Eq -- "$2"; then not_ok "$1" "unexpected match for /$2/ in: $(printf '%s' "$3" | head -c 2000)"; else ok "$1"; fi
}
run() {	# run COMMAND... -- sets OUT (stdout), ERR (stderr), RC
	OUT=$("$@" 2>"$TMP/.stderr")
	RC=$?
	ERR=$(cat "$TMP/.stderr")
}
# process_checks_off: configuration lines that disable the suspicious-process
# checks (part of every "sakimori check"), for tests about other checks:
# the machine's own processes (a test harness run from a memfd, other
# tests' /tmp programs and listeners) are rightly reported by them.
process_checks_off() {
	local c
	for c in proc-exe-deleted proc-exe-location proc-exe-writable \
	    proc-name-mismatch proc-listener proc-sniffer net-promisc proc-hidden \
	    proc-exe-changed; do
		echo "check $c { disable }"
	done
}
skip_all() {	# skip_all REASON -- meson counts exit 77 as skipped
	echo "# SKIP: $1"
	exit 77
}
done_testing() {
	echo "# $T_COUNT assertions, $T_FAILS failed"
	[ "$T_COUNT" -gt 0 ] || { echo "# no assertion ran"; exit 1; }
	[ "$T_FAILS" -eq 0 ]
}
