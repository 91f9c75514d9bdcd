#!/bin/bash
# logs-follow.sh - `sakimori logs follow` on real files: a file that
# appears later, a partial last line that waits for its newline, delete and
# recreate, a file replaced by a directory and back, a rename rotation and
# a gzip'd rotated file read after a restart, and findings (floods and
# attacks) printed live.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"

D=$TMP/logs
OUT=$TMP/lines.txt
mkdir -p "$D"
FPID=
start_follow() {
	"$SAKIMORI" logs follow --json --poll 0.1 --name t --lines-to "$OUT" \
	    "$@" "$D/app.log" > "$TMP/follow.out" 2> "$TMP/follow.err" &
	FPID=$!
	# Ready when it writes its bookmark: the first start compiles the
	# attack rules (seconds; longer under ASan on a busy machine).
	for _ in $(seq 1200); do
		[ -f "$SAKIMORI_STATE_DIR/logs/follow-t.bm" ] && break
		kill -0 "$FPID" 2>/dev/null || break
		sleep 0.05
	done
}
stop_follow() {
	kill -TERM "$FPID" 2>/dev/null
	wait "$FPID"
}
cleanup 'kill -9 $FPID'
# wait_lines N: until the sink holds N lines (5 s at most).
wait_lines() {
	for _ in $(seq 100); do
		[ "$({ wc -l < "$OUT"; } 2>/dev/null || echo 0)" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# A file that does not exist yet: read from its start when it appears.
start_follow
check "the follower starts and writes its first bookmark" test -f "$SAKIMORI_STATE_DIR/logs/follow-t.bm"
echo "one" > "$D/app.log"
echo "two" >> "$D/app.log"
check "a file that appears later is read from its start" wait_lines 2
printf 'thr' >> "$D/app.log"
sleep 0.5
check_eq "a partial last line waits" 2 "$(wc -l < "$OUT")"
printf 'ee\n' >> "$D/app.log"
check "the partial line is read once complete" wait_lines 3
check_eq "...as one line" "three" "$(tail -1 "$OUT")"

# Delete and recreate.
rm "$D/app.log"
echo "four" > "$D/app.log"
check "delete and recreate: the new file is read" wait_lines 4

# Replaced by a directory, then a file again.
rm "$D/app.log"
mkdir "$D/app.log"
sleep 0.5
check "a directory in its place: still running" kill -0 "$FPID"
rmdir "$D/app.log"
echo "five" > "$D/app.log"
check "a file again after the directory" wait_lines 5

# Rename rotation while running.
echo "six" >> "$D/app.log"
mv "$D/app.log" "$D/app.log.1"
echo "seven" >> "$D/app.log.1"
echo "eight" > "$D/app.log"
check "rename rotation: the old file is finished first" wait_lines 8
check_eq "...in order" "six seven eight" "$(tail -3 "$OUT" | tr '\n' ' ' | sed 's/ $//')"
stop_follow
check_eq "SIGTERM: exit 0" 0 $?

# While stopped: more lines, a rotation, the rotated file compressed.
echo "nine" >> "$D/app.log"
mv "$D/app.log.1" "$D/app.log.2"
mv "$D/app.log" "$D/app.log.1"
gzip "$D/app.log.1"
echo "ten" > "$D/app.log"
start_follow
check "after a restart: the rest of the .gz, then the new file" wait_lines 10
check_eq "...in order, nothing repeated" "one two three four five six seven eight nine ten" \
    "$(tr '\n' ' ' < "$OUT" | sed 's/ $//')"

# Findings as lines arrive: a flood in an error log.
for i in $(seq 1 120); do
	echo "[Sun Oct 10 12:00:00 2004] [error] [client 10.0.0.$((i % 200))] panic: POPSTACK"
done >> "$D/app.log"
check "a flood is reported live" wait_lines 130
for _ in $(seq 50); do
	grep -q logs.flood "$TMP/follow.out" && break
	sleep 0.1
done
check_eq "...once" 1 "$(grep -c '"check":"logs.flood"' "$TMP/follow.out")"

# Attacks are part of follow by default: the IIS Unicode request, live.
echo '10.9.9.9 - - [10/Oct/2004:12:00:00 +0000] "GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0" 200 1234 "-" "-"' >> "$D/app.log"
check "an attack line is read" wait_lines 131
for _ in $(seq 50); do
	grep -q '"check":"web-attack"' "$TMP/follow.out" && break
	sleep 0.1
done
check "...and reported live without --analyzers" \
    grep -q '"check":"web-attack","subject":"10.9.9.9"' "$TMP/follow.out"
stop_follow
# With findings the status is the worst severity: 2 for the attack, not a
# crash (the incident report is printed after the files are closed).
check_eq "SIGTERM after the attack: exit 2, the report printed" 2 $?
check "...with the incident in it" grep -q '"type":"attack.incident"' "$TMP/follow.out"
check_eq "no repeated line over the whole run" 0 \
    "$(sort "$OUT" | uniq -d | grep -vc 'POPSTACK')"
check_eq "bookmark kept" 1 "$(grep -c '^file ' "$SAKIMORI_STATE_DIR/logs/follow-t.bm")"
[ -s "$TMP/follow.err" ] && sed 's/^/# stderr: /' "$TMP/follow.err"
done_testing
