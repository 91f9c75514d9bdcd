#!/bin/sh
# build.sh - configure (once) and build one flavour of sakimori.
#   scripts/build.sh [release|asan|fuzz] [--with-tests]   (default: release)
# release: gcc, warnings are errors; asan: gcc with AddressSanitizer and
# UBSan, every error fatal; fuzz: clang with libFuzzer, ASan and UBSan.
# The tests need cmocka (scripts/deps.sh test): they are built when it is
# installed; --with-tests makes a missing cmocka an error (scripts/test.sh).
# Prints the build directory.  meson's and ninja's output is kept out of
# the way while all goes well (meson's messages and warnings still reach
# stderr); when a step fails, all of it goes to stderr.
set -eu
cd "$(dirname "$0")/.."
flavour=release
tests=auto
for a in "$@"; do
	case $a in
	release | asan | fuzz) flavour=$a ;;
	--with-tests) tests=enabled ;;
	*)
		echo "usage: scripts/build.sh [release|asan|fuzz] [--with-tests]" >&2
		exit 64
		;;
	esac
done

log=$(mktemp "${TMPDIR:-/tmp}/sakimori-build.XXXXXX")
trap 'rm -f "$log"' EXIT

# step COMMAND...: runs it with its output in $log; shows meson's messages
# when it succeeds, everything when it fails (and exits with its status).
step() {
	if "$@" >"$log" 2>&1; then
		grep -E '^(Message|WARNING|DEPRECATION):' "$log" >&2 || true
		return 0
	else
		rc=$?
	fi
	cat "$log" >&2
	echo "build.sh: '$*' failed (exit $rc)" >&2
	exit "$rc"
}

# configure DIR SETUP-ARGS...: meson setup, once; an existing directory
# whose tests were left out is reconfigured when --with-tests asks for them.
configure() {
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		step meson setup "$dir" -Dwerror=true -Dtests=$tests "$@"
		return
	fi
	[ "$tests" = enabled ] || return 0
	now=$(meson introspect --buildoptions "$dir" | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "tests"))')
	[ "$now" = enabled ] || step meson configure "$dir" -Dtests=enabled
}

case $flavour in
release)
	dir=build
	configure $dir
	;;
asan)
	dir=build-asan
	configure $dir -Db_sanitize=address,undefined -Db_lundef=false \
	    -Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug
	;;
fuzz)
	dir=build-fuzz
	tests=disabled
	export CC=clang
	configure $dir -Dfuzz=true -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dc_args=-fno-sanitize-recover=all \
	    -Dbuildtype=debug
	;;
esac
step ninja -C $dir
echo "$dir"
