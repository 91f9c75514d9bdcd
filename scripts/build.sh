#!/bin/sh
# build.sh - configure (once) and build one flavour of sakimori.
#   scripts/build.sh [release|asan|fuzz]   (default: release)
# release: gcc, warnings are errors; asan: gcc with AddressSanitizer and
# UBSan, every error fatal; fuzz: clang with libFuzzer, ASan and UBSan.
set -eu
cd "$(dirname "$0")/.."
flavour=${1:-release}
case $flavour in
release)
	dir=build
	[ -f $dir/build.ninja ] || meson setup $dir -Dwerror=true >/dev/null
	;;
asan)
	dir=build-asan
	[ -f $dir/build.ninja ] || meson setup $dir -Dwerror=true \
	    -Db_sanitize=address,undefined -Db_lundef=false \
	    -Dc_args=-fno-sanitize-recover=all -Dbuildtype=debug >/dev/null
	;;
fuzz)
	dir=build-fuzz
	[ -f $dir/build.ninja ] || CC=clang meson setup $dir -Dwerror=true \
	    -Dfuzz=true -Dtests=false -Db_sanitize=address,undefined \
	    -Db_lundef=false -Dc_args=-fno-sanitize-recover=all \
	    -Dbuildtype=debug >/dev/null
	;;
*)
	echo "usage: scripts/build.sh [release|asan|fuzz]" >&2
	exit 64
	;;
esac
ninja -C $dir >/dev/null
echo "$dir"
