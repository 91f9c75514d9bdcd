#!/usr/bin/env bash
# check_libs.sh - a library loaded at first use that cannot be loaded
# makes the check that needs it UNKNOWN, naming the library and its Debian
# package, while every other check still runs: SQLite hidden behind a
# broken libsqlite3.so.0 on LD_LIBRARY_PATH (fs-full-forecast keeps its
# samples in the state database), Hyperscan refused through the test knob
# SAKIMORI_DYNLIB_FAIL (the daily kernel-log scan).  A command whose whole
# job needs the library stops with 69 (EX_UNAVAILABLE) and says why.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"

cat > "$TMP/c.conf" <<CONF
check load { warning 100000 critical 100000 }
check memory { disable }
check swap-activity { disable }
$(process_checks_off)
CONF
export SAKIMORI_CONFIG=$TMP/c.conf

# A "library" the dynamic loader finds first and cannot load.
mkdir -p "$TMP/lib"
printf 'not a library\n' > "$TMP/lib/libsqlite3.so.0"
printf 'not a library\n' > "$TMP/lib/libhs.so.5"

OUT=$(LD_LIBRARY_PATH=$TMP/lib "$SAKIMORI" check --interval 0 --json 2>"$TMP/err")
RC=$?
check_nomatch "SQLite missing: check does not stop with 127" '^127$' "$RC"
f=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="fs-full-forecast")')
check_eq "fs-full-forecast is UNKNOWN" '"UNKNOWN"' "$(printf '%s' "$f" | jq .severity)"
check_match "naming the library and its package" \
	'cannot load libsqlite3\.so\.0 \(Debian package libsqlite3-0\)' "$f"
check_match "the other checks ran: load's perfdata" '"load1":' "$OUT"
check_match "and the filesystems'" '"type":"summary".*"/":' "$OUT"
check_eq "the exit status is the worst finding: UNKNOWN (3)" 3 "$RC"
check_eq "nothing on stderr" "" "$(cat "$TMP/err")"

# --daily: the kernel-log scan needs Hyperscan; fs-errors still runs.
R=$TMP/root
mkdir -p "$R/var/log" "$R/proc/self"
echo "Nov 24 01:00:00 www kernel: [ 1.0] blk_update_request: I/O error, dev sdx, sector 1" > "$R/var/log/kern.log"
OUT=$(SAKIMORI_DYNLIB_FAIL=hs "$SAKIMORI" --root "$R" check --daily --interval 0 --json 2>"$TMP/err")
RC=$?
f=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="disk-errors")')
check_eq "Hyperscan refused: disk-errors is UNKNOWN" '"UNKNOWN"' "$(printf '%s' "$f" | jq .severity)"
check_match "naming libhs" 'cannot load libhs\.so\.5 \(Debian package libhyperscan5 or libvectorscan5\)' "$f"
check_match "the run finished with its summary" '"type":"summary"' "$OUT"
check_nomatch "not the loader's 127" '^127$' "$RC"
OUT=$("$SAKIMORI" --root "$R" check --daily --interval 0 --json 2>/dev/null)
check_match "with Hyperscan the same run reports sdx" '"check":"disk-errors","subject":"sdx"' "$OUT"

# A command that is all about the library: a clear message, exit 69.
printf '%s\n' '192.0.2.1 - - [24/Nov/2025:10:00:00 +0000] "GET /index.html HTTP/1.1" 200 5 "-" "curl"' > "$TMP/access.log"
OUT=$(LD_LIBRARY_PATH=$TMP/lib "$SAKIMORI" logs attacks "$TMP/access.log" 2>"$TMP/err")
RC=$?
check_eq "logs attacks without Hyperscan: exit 69 (EX_UNAVAILABLE)" 69 "$RC"
check_match "saying which library and package" \
	'^sakimori: cannot load libhs\.so\.5 \(Debian package libhyperscan5 or libvectorscan5\)' "$(cat "$TMP/err")"

done_testing
