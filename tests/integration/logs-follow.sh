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
# wait_lines N: until the sink holds N lines (30 s at most: the tests
# beside this one, or ASan, can hold the follower up).
wait_lines() {
	for _ in $(seq 600); do
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
for _ in $(seq 300); do
	grep -q logs.flood "$TMP/follow.out" && break
	sleep 0.1
done
check_eq "...once" 1 "$(grep -c '"check":"logs.flood"' "$TMP/follow.out")"

# Attacks are part of follow by default: the IIS Unicode request, live.
echo '10.9.9.9 - - [10/Oct/2004:12:00:00 +0000] "GET /scripts/..%c0%af../winnt/system32/cmd.exe?/c+dir HTTP/1.0" 200 1234 "-" "-"' >> "$D/app.log"
check "an attack line is read" wait_lines 131
for _ in $(seq 300); do
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

# More followers, each with its own directory, bookmark set NAME and
# output $TMP/NAME.out (the web statistics only: quick to start).
GPID=
cleanup 'kill -9 $GPID'
# follow_as NAME FILE [OPTIONS]: starts one, waits for its first commit.
follow_as() {
	local name=$1 file=$2 bm="$SAKIMORI_STATE_DIR/logs/follow-$1.bm"
	shift 2
	touch "$TMP/$name.mark"
	sleep 0.01
	"$SAKIMORI" logs follow --analyzers stats --poll 0.1 --name "$name" \
	    --lines-to "$TMP/$name.out" "$@" "$file" \
	    >/dev/null 2>>"$TMP/$name.err" &
	GPID=$!
	for _ in $(seq 600); do
		[ "$bm" -nt "$TMP/$name.mark" ] && break
		kill -0 "$GPID" 2>/dev/null || break
		sleep 0.05
	done
}
# out_has NAME N: until $TMP/NAME.out holds N lines (30 s at most).
out_has() {
	for _ in $(seq 600); do
		[ "$({ wc -l < "$TMP/$1.out"; } 2>/dev/null || echo 0)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}
out_is() { tr '\n' ' ' < "$TMP/$1.out" | sed 's/ $//'; }

# Restarted while the renamed file is still written (the daemon has not
# reopened its log yet): what is written there after the restart counts.
L=$TMP/r7/app.log
mkdir -p "$TMP/r7"
exec 3>>"$L"
printf 'a1\na2\n' >&3
follow_as r7 "$L" --from-start
check "renamed, still written: the follower starts" out_has r7 2
mv "$L" "$L.1"
echo a3 >&3
check "...a line written after the rename" out_has r7 3
kill -9 "$GPID"; wait "$GPID" 2>/dev/null
echo a4 >&3
follow_as r7 "$L"
echo a5 >&3
check "...restarted: a line written to the renamed file after the restart is read" out_has r7 5
exec 3>&- 3>>"$L"
echo a6 >&3
check "...then the new file once the daemon reopened" out_has r7 6
check_eq "...in order, none repeated" "a1 a2 a3 a4 a5 a6" "$(out_is r7)"
exec 3>&-
kill -TERM "$GPID"; wait "$GPID"

# copytruncate while the follower is down, the file regrown past the old
# offset with the same first lines: the copy is read from the bookmark,
# then the new contents from their start.
L=$TMP/r9/app.log
mkdir -p "$TMP/r9"
HEAD="#Software: a server whose first log line is always this same long header line, longer than the 128 bytes of the fingerprint ............................"
{ echo "$HEAD"; printf 'b%s\n' 1 2 3; } > "$L"
follow_as r9 "$L" --from-start
check "copytruncate while down: the follower read the file" out_has r9 4
kill -TERM "$GPID"; wait "$GPID"
printf 'b%s\n' 4 5 >> "$L"
cp "$L" "$L.1"
truncate -s 0 "$L"
{ echo "$HEAD"; printf 'c%s\n' 1 2 3 4 5 6 7 8; } >> "$L"
follow_as r9 "$L"
check "...restarted after the file regrew with the same first bytes" out_has r9 15
check_eq "...the copy's tail, then the new file from its start" \
    "$HEAD b1 b2 b3 b4 b5 $HEAD c1 c2 c3 c4 c5 c6 c7 c8" "$(out_is r9)"
kill -TERM "$GPID"; wait "$GPID"

# One follower per bookmark set; --lines-to must not be a followed file.
L=$TMP/r10/app.log
mkdir -p "$TMP/r10"
echo d1 > "$L"
follow_as r10 "$L" --from-start
run timeout 10 "$SAKIMORI" logs follow --analyzers stats --name r10 \
    --lines-to "$TMP/r10b.out" "$L"
check_eq "a second follower of the same bookmark set is refused: exit 73" 73 "$RC"
check_match "...saying why" "bookmark set 'r10' is in use by another follower \(pid $GPID\)" "$ERR"
check_eq "...and the first one goes on alone" "d1" "$(out_is r10)"
kill -TERM "$GPID"; wait "$GPID"
run timeout 10 "$SAKIMORI" logs follow --analyzers stats --name r11 \
    --from-start --lines-to "$L" "$L"
check_eq "--lines-to naming the followed file: exit 64" 64 "$RC"
check_match "...saying why" "is the followed file" "$ERR"
run timeout 10 "$SAKIMORI" logs follow --analyzers stats --name r11 \
    --from-start --lines-to "$TMP/r10/app.log.copy" "$L"
check_eq "--lines-to named like a rotated copy of it: exit 64" 64 "$RC"

# Temporary bookmark files a killed follower left behind are removed.
sleep 0 & DEAD=$!
wait "$DEAD"
touch "$SAKIMORI_STATE_DIR/logs/follow-r12.bm.tmp.$DEAD" \
    "$SAKIMORI_STATE_DIR/logs/follow-other.bm.tmp.$DEAD" \
    "$SAKIMORI_STATE_DIR/logs/follow-other.bm.tmp.$$"
follow_as r12 "$L"
kill -TERM "$GPID"; wait "$GPID"
check "stale temporary bookmark files are removed" \
    test ! -e "$SAKIMORI_STATE_DIR/logs/follow-r12.bm.tmp.$DEAD"
check "...of other bookmark sets too, when their process is gone" \
    test ! -e "$SAKIMORI_STATE_DIR/logs/follow-other.bm.tmp.$DEAD"
check "...but not a live process's" \
    test -e "$SAKIMORI_STATE_DIR/logs/follow-other.bm.tmp.$$"

# A compressed file is not followed as text; a cut rotated .gz is said.
printf 'e1\ne2\n' | gzip > "$TMP/r10/old.log.gz"
run timeout 10 "$SAKIMORI" logs follow --analyzers stats --name r13 "$TMP/r10/old.log.gz"
check_eq "following a .gz: refused, exit 64" 64 "$RC"
check_match "...saying why" "is compressed" "$ERR"
check_eq "...and no report claiming all is well" "" "$OUT"
L=$TMP/r13/app.log
mkdir -p "$TMP/r13"
echo f1 > "$L"
follow_as r13 "$L" --from-start
check "a rotated .gz cut short: the follower started" out_has r13 1
kill -TERM "$GPID"; wait "$GPID"
seq -f 'f%g' 2 20000 >> "$L"
mv "$L" "$L.1"
gzip "$L.1"
head -c 20000 "$L.1.gz" > "$TMP/cut.gz" && mv "$TMP/cut.gz" "$L.1.gz"
echo g1 > "$L"
follow_as r13 "$L"
check "...the new file is still read" out_has r13 3
check_match "...and the cut file reported" "cannot read '.*app.log.1.gz' to its end after line [0-9]+: unexpected end of compressed data" "$(cat "$TMP/r13.err")"
kill -TERM "$GPID"; wait "$GPID"

# delaycompress caught in the middle: app.log.1.gz being written while
# app.log.1 is still there.  The .gz is left for its original.
L=$TMP/r8/app.log
mkdir -p "$TMP/r8"
echo k1 > "$L"
follow_as r8 "$L" --from-start
check "a .gz being written beside its original: the follower started" out_has r8 1
kill -TERM "$GPID"; wait "$GPID"
seq -f 'k%g' 2 5000 >> "$L"
mv "$L" "$L.1"
gzip -c "$L.1" | head -c 4000 > "$L.1.gz"
touch -r "$L.1" "$L.1.gz"
echo m1 > "$L"
follow_as r8 "$L"
check "...the rest of the original, then the new file" out_has r8 5001
sleep 0.5
check_eq "...each line once" "5001 0" "$(wc -l < "$TMP/r8.out") $(sort "$TMP/r8.out" | uniq -d | wc -l)"
check_eq "...in order" "k1 k4999 k5000 m1" "$(sed -n '1p;4999p;5000p;5001p' "$TMP/r8.out" | tr '\n' ' ' | sed 's/ $//')"
kill -TERM "$GPID"; wait "$GPID"

# A file that cannot be read is reported once, with the reason, and again
# when it can be read (run as nobody: root reads any file).
U=$(mktemp -d /tmp/sakimori-follow-u.XXXXXX)
cleanup "rm -rf '$U'"
: > "$U/empty.conf"
chown nobody "$U"
echo h1 > "$U/app.log"
chmod 600 "$U/app.log"
# as_nobody ERRFILE: a follower of $U/app.log run as nobody.
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$U" \
	    SAKIMORI_CONFIG="$U/empty.conf" SAKIMORI_STATE_DIR="$U/state" \
	    "$SAKIMORI" logs follow --analyzers stats --poll 0.1 --name r17 \
	    --from-start --lines-to "$U/r17.out" "$U/app.log" >/dev/null 2>"$1" &
	GPID=$!
}
as_nobody "$TMP/r17.err"
# said when it starts (30 s at most), and not again over its next tries
for _ in $(seq 300); do
	grep -q "Permission denied; retrying" "$TMP/r17.err" && break
	sleep 0.1
done
sleep 1.5
check_eq "an unreadable file: said once" 1 "$(grep -c "cannot open '$U/app.log': Permission denied; retrying" "$TMP/r17.err")"
chmod 644 "$U/app.log"
for _ in $(seq 600); do
	[ -s "$U/r17.out" ] && break
	sleep 0.05
done
check_eq "...read once it can be" "h1" "$(cat "$U/r17.out" 2>/dev/null)"
check "...and said" grep -q "'$U/app.log' can be read again" "$TMP/r17.err"
kill -TERM "$GPID"; wait "$GPID"
# Unreadable at a restart: the bookmark waits for it.
echo h2 >> "$U/app.log"
chmod 600 "$U/app.log"
as_nobody "$TMP/r17b.err"
sleep 1.5
chmod 644 "$U/app.log"
for _ in $(seq 600); do
	[ "$(wc -l < "$U/r17.out")" -ge 2 ] && break
	sleep 0.05
done
sleep 0.3
check_eq "unreadable at a restart: read from the bookmark once it can be" \
    "h1 h2" "$(tr '\n' ' ' < "$U/r17.out" | sed 's/ $//')"
check_nomatch "...not taken for a lost file" "not found" "$(cat "$TMP/r17b.err")"
kill -TERM "$GPID"; wait "$GPID"
done_testing
