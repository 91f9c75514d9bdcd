#!/bin/bash
# logs-rotation.sh - the rotation torture test: a writer appends numbered
# lines (1,000,000 by default; SAKIMORI_TORTURE_LINES to change) while it
# rotates the file by rename (writing on to the renamed file a while, as a
# daemon not yet told to reopen) and by copytruncate, with delaycompress
# (the rotated file before last is gzip'd as the writing goes on), and the
# follower is killed with SIGKILL at random moments and restarted at once
# or seconds later.  Every line must be processed exactly once and in
# order: the follower's --lines-to file must hold 1..N with no gap and no
# repeat.
. "$(dirname "$0")/lib.sh"
: "${LOGWRITER:?LOGWRITER must name the test writer}"

N=${SAKIMORI_TORTURE_LINES:-1000000}
SECS=${SAKIMORI_TORTURE_SECS:-30}     # how long the writer writes
ROT=${SAKIMORI_TORTURE_ROTATIONS:-8}  # rename, copytruncate, rename, ...
RATE=$(( N / SECS ))
LOG=$TMP/log/app.log
OUT=$TMP/out.txt
mkdir -p "$TMP/log"
: > "$LOG"

FPID=
follower() {
	"$SAKIMORI" ${SAKIMORI_TORTURE_DEBUG:+-v -v} logs follow --analyzers stats --from-start --poll 0.2 \
	    --name torture --lines-to "$OUT" "$@" "$LOG" \
	    >/dev/null 2>>"$TMP/follower.err" &
	FPID=$!
}
cleanup 'kill -9 $FPID $WPID'

follower
# The first bookmark is written at start: wait for it before writing.
for _ in $(seq 100); do
	[ -f "$SAKIMORI_STATE_DIR/logs/follow-torture.bm" ] && break
	sleep 0.05
done
check "first bookmark written" test -f "$SAKIMORI_STATE_DIR/logs/follow-torture.bm"

"$LOGWRITER" "$LOG" "$N" "$ROT" "$RATE" &
WPID=$!
kills=0
while kill -0 "$WPID" 2>/dev/null; do
	# A random moment between 0.1 and 1.3 s, or right after the start.
	if [ $(( RANDOM % 4 )) -eq 0 ]; then
		sleep "0.0$(( RANDOM % 10 ))"
	else
		sleep "0.$(( RANDOM % 9 + 1 ))$(( RANDOM % 10 ))"
		[ $(( RANDOM % 3 )) -eq 0 ] && sleep 0.4
	fi
	kill -9 "$FPID" 2>/dev/null
	wait "$FPID" 2>/dev/null
	kills=$((kills + 1))
	# Sometimes stay down a while (up to 4 s, across rotations and
	# compressions): lines must be read from the rotated files afterwards.
	[ $(( RANDOM % 4 )) -eq 0 ] && sleep "$(( RANDOM % 4 )).$(( RANDOM % 10 ))"
	follower
done
wait "$WPID"
check_eq "writer finished" 0 $?
kill -9 "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null
# Last run: catch up and stop after 3 idle seconds.
follower --exit-idle 3
wait "$FPID"
check_eq "follower exits cleanly at the end" 0 $?
echo "# $kills SIGKILLs, $ROT rotations, $N lines"
check "the follower was killed at least 10 times" test "$kills" -ge 10
ls "$TMP/log" | grep -q 'app.log.8' && ok "rotated $ROT times" || not_ok "rotated $ROT times" "$(ls "$TMP/log")"
check "rotated files were compressed (delaycompress)" test -f "$TMP/log/app.log.8.gz"

lines=$(wc -l < "$OUT")
distinct=$(cut -c1-9 "$OUT" | sort -u | wc -l)
check_eq "lost lines" 0 "$(( N - distinct ))"
check_eq "duplicated lines" 0 "$(( lines - distinct ))"
check_eq "every line once: count" "$N" "$lines"
bad=$(awk '{ if ($1 + 0 != NR) { bad++; if (bad < 4) print "line " NR ": " $1 > "/dev/stderr" } } END { print bad + 0 }' "$OUT")
check_eq "every line once, in order, none lost or repeated" 0 "$bad"
check_eq "no partial line was processed" 0 "$(grep -vc '^[0-9]\{9\} the quick brown fox jumps over the dog$' "$OUT")"
if [ -s "$TMP/follower.err" ]; then
	echo "# follower stderr:"; sed 's/^/#   /' "$TMP/follower.err" | head -20
fi
[ "$T_FAILS" -gt 0 ] && [ -n "${KEEP_FAIL:-}" ] && cp -a "$TMP" "$KEEP_FAIL"
done_testing
