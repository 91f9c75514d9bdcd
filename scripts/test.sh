#!/bin/bash
# test.sh - the whole test suite on a fresh Debian 12 machine (as root):
# installs what is missing, builds three flavours, runs the unit and
# integration tests on the release build and again under ASan+UBSan, smoke-
# runs every fuzz target, builds the Debian package (lintian, install and
# run it), checks formatting and the man pages, and ends
# with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
# Packages: deps.sh runs apt-get install for whatever is missing (build, test
# and benchmark dependencies; needs root on a fresh machine).
scripts/deps.sh test || exit 1

passed=0
failed=0
skipped=0

# count_meson BUILDDIR: adds that run's results (meson-logs/testlog.json).
count_meson() {
	local r
	r=$(/usr/bin/python3 - "$1/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    res = json.loads(line).get("result")
    if res in ("OK", "EXPECTEDFAIL"):
        p += 1
    elif res == "SKIP":
        s += 1
    else:
        f += 1
print(p, f, s)
PY
)
	set -- $r
	passed=$((passed + $1))
	failed=$((failed + $2))
	skipped=$((skipped + $3))
}

step() {	# step NAME COMMAND...: one pass/fail outside meson
	echo "=== $1"
	if "${@:2}"; then passed=$((passed + 1)); else
		failed=$((failed + 1))
		echo "FAILED: $1"
	fi
}

# The Debian package is built from a clean copy of the tree, in the
# background while the suites run (it shares nothing with their build
# directories); lintian, installing it and running it come at the end.
debdir=$(mktemp -d "${TMPDIR:-/tmp}/sakimori-debs.XXXXXX")
trap 'rm -rf "$debdir"' EXIT
scripts/deb.sh build "$debdir" >"$debdir/deb.out" 2>&1 &
debpid=$!

for flavour in release asan; do
	# Building and installing sakimori (suite packaging) is the same in
	# every flavour: once, on the release build.
	only_once=()
	[ $flavour = release ] || only_once=(--no-suite packaging)
	if dir=$(scripts/build.sh $flavour --with-tests); then
		echo "=== meson test ($flavour)"
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		    meson test -C "$dir" --print-errorlogs --num-processes 2 \
		    "${only_once[@]}" || true
		count_meson "$dir"
	else
		echo "FAILED: build ($flavour)"
		failed=$((failed + 1))
	fi
done

if dir=$(scripts/build.sh fuzz); then
	step "fuzz smoke" scripts/fuzz-smoke.sh "$dir"
else
	echo "FAILED: build (fuzz)"
	failed=$((failed + 1))
fi

echo "=== deb build (waiting for it)"
if wait "$debpid"; then
	passed=$((passed + 1))
	step "deb lintian" scripts/deb.sh lintian "$debdir"
	step "deb install and run" scripts/deb.sh install "$debdir"
else
	cat "$debdir/deb.out"
	echo "FAILED: deb build"
	failed=$((failed + 3)) # the build, lintian and the installed run
fi

step "clang-format" scripts/check-format.sh
step "mandoc -T lint" mandoc -T lint -W warning docs/sakimori.8 docs/sakimori.conf.5

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
