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

# Everything that only needs the CPU runs niced in the background while a
# suite runs, since most integration tests wait on real servers and
# processes rather than compute: the Debian package (built from a clean copy
# of the tree, sharing nothing with the suites' build directories) from the
# start, the ASan build during the release suite, and the fuzz build and
# its smoke run (on one core) during the ASan suite.  lintian, installing
# the package and running it come at the end.
bg=$(mktemp -d "${TMPDIR:-/tmp}/sakimori-ci.XXXXXX")
debdir=$bg/debs
mkdir "$debdir"
trap 'rm -rf "$bg"' EXIT
nice -n 15 scripts/deb.sh build "$debdir" >"$bg/deb.out" 2>&1 &
debpid=$!

# suite FLAVOUR DIR: that build's unit and integration tests.
suite() {
	local only_once=()
	# Building and installing sakimori and the agreement of its help,
	# manual pages and completion (suite packaging) are the same in every
	# flavour: once, on the release build.
	[ "$1" = release ] || only_once=(--no-suite packaging)
	echo "=== meson test ($1)"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    meson test -C "$2" --print-errorlogs --num-processes 2 \
	    "${only_once[@]}" || true
	count_meson "$2"
}

# built FLAVOUR PID: waits for that background build and sets $dir to its
# directory; on failure shows its output and counts it.
built() {
	if wait "$2"; then
		dir=$(tail -n 1 "$bg/$1.out")
	else
		cat "$bg/$1.out"
		echo "FAILED: build ($1)"
		failed=$((failed + 1))
		return 1
	fi
}

if dir=$(scripts/build.sh release --with-tests); then
	nice -n 15 scripts/build.sh asan --with-tests >"$bg/asan.out" 2>&1 &
	asanpid=$!
	suite release "$dir"
else
	echo "FAILED: build (release)"
	failed=$((failed + 1))
	scripts/build.sh asan --with-tests >"$bg/asan.out" 2>&1 &
	asanpid=$!
fi

# The fuzz targets: built, then each run FUZZ_SECONDS on its seed corpus,
# one at a time, niced, while the ASan suite runs.
fuzz() {
	scripts/build.sh fuzz >"$bg/fuzzdir" &&
	    FUZZ_JOBS=1 FUZZ_SECONDS=${FUZZ_SECONDS:-4} \
	    scripts/fuzz-smoke.sh "$(tail -n 1 "$bg/fuzzdir")"
}
if built asan $asanpid; then
	(renice -n 15 -p $BASHPID >/dev/null && fuzz) >"$bg/fuzz.out" 2>&1 &
	fuzzpid=$!
	suite asan "$dir"
else
	fuzz >"$bg/fuzz.out" 2>&1 &
	fuzzpid=$!
fi

echo "=== fuzz smoke (waiting for it)"
wait "$fuzzpid"
rc=$?
cat "$bg/fuzz.out"
step "fuzz smoke" test "$rc" -eq 0

echo "=== deb build (waiting for it)"
if wait "$debpid"; then
	passed=$((passed + 1))
	step "deb lintian" scripts/deb.sh lintian "$debdir"
	step "deb install and run" scripts/deb.sh install "$debdir"
else
	cat "$bg/deb.out"
	echo "FAILED: deb build"
	failed=$((failed + 3)) # the build, lintian and the installed run
fi

step "clang-format" scripts/check-format.sh
step "mandoc -T lint" mandoc -T lint -W warning docs/sakimori.8 docs/sakimori.conf.5

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
