#!/usr/bin/env bash
# mail_follow.sh - "sakimori mail follow" keeps a bookmark in the state
# directory: what the log got while it was not running is judged when it
# starts again; one follower per log at a time, apart from "logs follow".
. "$(dirname "$0")/lib.sh"

M=$FIXTURES/mail
LIVE=$TMP/live.log
: > "$LIVE"

# wait_for FILE PATTERN: up to 5 s for PATTERN to appear in FILE.
wait_for() {
	for _ in $(seq 50); do
		grep -q "$2" "$1" && return 0
		sleep 0.1
	done
	return 1
}

start_follow() {
	"$SAKIMORI" mail follow --json --no-processes --interval 0.2 "$LIVE" > "$1" 2>&1 &
	FPID=$!
	cleanup "kill $FPID 2>/dev/null"
}

stop_follow() {
	kill "$FPID" 2>/dev/null
	wait "$FPID" 2>/dev/null
}

start_follow "$TMP/f1.out"
sleep 0.5
stop_follow
check_nomatch "an empty log: no finding" '"type":"finding"' "$(cat "$TMP/f1.out")"

# Written while no follower ran: read from the bookmark on the next start.
cat "$M/sendmail-session.log" >> "$LIVE"
start_follow "$TMP/f2.out"
wait_for "$TMP/f2.out" mail-relay-probe
check_match "lines written while stopped are judged on restart" \
    '"check":"mail-relay-probe","subject":"client:203.0.113.77"' "$(cat "$TMP/f2.out")"

# A second mail follower of the same log is refused (the bookmark's lock).
run timeout 10 "$SAKIMORI" mail follow --json --no-processes --interval 0.2 "$LIVE"
check_eq "a second mail follow of the same log: exit 73" 73 "$RC"
check_match "and it says why" "in use by another follower" "$ERR"

# "logs follow" of the same log keeps its own bookmark.
run timeout 60 "$SAKIMORI" logs follow --analyzers stats --exit-idle 0.3 "$LIVE"
check_eq "logs follow of the same log runs beside it" 0 "$RC"
stop_follow

done_testing
