#!/usr/bin/env bash
# fresh-build.sh - the main job on a machine with only the build set of
# scripts/deps.sh: a copy of the source tree without a build directory,
# with cmocka (a test-only library) hidden from meson, goes through
# scripts/run.sh check: it builds without the tests and runs status and
# check; scripts/run.sh runs the agent with its dashboard until Ctrl-C.
# Every build failure shows meson's or the compiler's message; the tests'
# build (scripts/test.sh's) still insists on cmocka.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
: "${SRCDIR:?SRCDIR must name the source tree}"
for p in meson ninja pkg-config tar; do
	command -v $p >/dev/null || skip_all "$p is not installed"
done

# The source files, whether committed or not, without any build directory.
src=$TMP/src
mkdir "$src"
if git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$SRCDIR" ls-files -z --cached --others --exclude-standard |
	    tar -C "$SRCDIR" --null --ignore-failed-read -T - -cf - 2>/dev/null |
	    tar -C "$src" -xf -
else
	tar -C "$SRCDIR" --exclude='./build*' -cf - . | tar -C "$src" -xf -
fi
check "the copy has scripts/run.sh" [ -x "$src/scripts/run.sh" ]
check "the copy has no build directory" [ ! -e "$src/build" ]

# pcdir DIR [NAME...]: a pkg-config directory with every .pc file of this
# machine except NAME.pc.
pcdir() {
	local dir=$1 d f b n skip
	shift
	mkdir -p "$dir"
	local IFS=:
	for d in $(pkg-config --variable pc_path pkg-config); do
		for f in "$d"/*.pc; do
			[ -e "$f" ] || continue
			b=${f##*/}
			skip=0
			for n in "$@"; do [ "$b" = "$n.pc" ] && skip=1; done
			[ $skip = 1 ] || [ -e "$dir/$b" ] || ln -s "$f" "$dir/$b"
		done
	done
}
pcdir "$TMP/pc" cmocka
pcdir "$TMP/pc-broken" cmocka jansson
# Neither pkg-config nor CMake finds cmocka (deps.sh's build set has no
# cmake).
unset PKG_CONFIG_PATH
export CMAKE=/nonexistent/cmake PKG_CONFIG_LIBDIR=$TMP/pc
check "cmocka is hidden from pkg-config" \
    [ "$(pkg-config --exists cmocka; echo $?)" != 0 ]
check "jansson is not" pkg-config --exists jansson

# A configure that fails shows meson's message.
PKG_CONFIG_LIBDIR=$TMP/pc-broken run "$src/scripts/build.sh" release
check_eq "a missing library: build.sh fails" 1 "$RC"
check_match "with meson's message on stderr" 'missing library "jansson".*libjansson-dev' "$ERR"
check_eq "and nothing on stdout" "" "$OUT"

# The tests' build insists on cmocka.
run "$src/scripts/build.sh" release --with-tests
check "--with-tests without cmocka: build.sh fails" [ "$RC" != 0 ]
check_match "with meson's message on stderr" 'missing library "cmocka".*libcmocka-dev' "$ERR"

# The main job: deps.sh's packages are installed (this suite runs).
SAKIMORI_NO_DEPS=1 run "$src/scripts/run.sh" check
check "run.sh check exits with check's status (0-3, got $RC)" [ "$RC" -le 3 ]
check_match "it says the tests are left out, and why" \
    'tests are not built: cmocka is missing' "$ERR"
check_nomatch "no build error" 'ERROR|build.sh:' "$ERR"
check "the binary is built" [ -x "$src/build/src/cli/sakimori" ]
check "the tests are not" [ ! -e "$src/build/tests" ]
check_match "status ran (load, memory, filesystems)" \
    'load [0-9.]+ [0-9.]+ [0-9.]+ .*mem .*FILESYSTEM' "$(printf '%s' "$OUT" | tr '\n' ' ')"
check_match "check ran (findings or OK)" \
    '^(SEVERITY +CHECK|OK: )' "$OUT"

# The main job itself: the watchman in the foreground with its dashboard
# (on a free port, the run directory the test's), until Ctrl-C.
WPORT=$(free_port)
SAKIMORI_NO_DEPS=1 SAKIMORI_LISTEN="127.0.0.1:$WPORT" SAKIMORI_RUN_DIR="$TMP/run" \
	"$src/scripts/run.sh" >"$TMP/watch.out" 2>"$TMP/watch.err" &
WATCH=$!
cleanup '[ -n "$WATCH" ] && kill $WATCH'
check "run.sh runs the agent, its dashboard on 127.0.0.1:$WPORT" wait_port "$WPORT"
check_match "it prints the dashboard's address" \
    "dashboard is on http://127\.0\.0\.1:$WPORT/" "$(cat "$TMP/watch.out")"
check_match "the dashboard answers there" '<title>sakimori: Overview</title>' \
    "$(curl -s -m 30 "http://127.0.0.1:$WPORT/")"
kill -INT "$WATCH"
wait "$WATCH"
WRC=$?
WATCH=
check_eq "Ctrl-C stops it (exit 0)" 0 "$WRC"
[ "$WRC" = 0 ] || printf '#   %s\n' "$(tail -n 5 "$TMP/watch.err")"
run "$src/scripts/run.sh" sideways
check_eq "run.sh with another argument is a usage error" 64 "$RC"

# A compiler error shows the compiler's message.
cp "$src/src/base/paths.c" "$TMP/paths.c"
echo '#error deliberately broken by fresh-build.sh' >> "$src/src/base/paths.c"
run "$src/scripts/build.sh" release
check "a compile error: build.sh fails" [ "$RC" != 0 ]
check_match "with the compiler's message on stderr" \
    'paths.c:[0-9]+:[0-9]+: error: #error deliberately broken' "$ERR"
cp "$TMP/paths.c" "$src/src/base/paths.c"

# An earlier configure without the tests does not let --with-tests pass.
run "$src/scripts/build.sh" release --with-tests
check "--with-tests on a build configured without tests: fails" [ "$RC" != 0 ]
check_match "with meson's message on stderr" 'missing library "cmocka"' "$ERR"

done_testing
