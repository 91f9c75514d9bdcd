#!/bin/bash
# input.sh - what the log readers (logs scan/stats/attacks, mail report,
# disk --kernel-log) and config check -f are given besides a plain file:
# standard input ('-', /dev/stdin, plain or gzip), a pipe, a FIFO (its
# writer already there or coming later), /dev/null; a truncated or corrupt
# .gz (an error naming the lines read so far, exit 65, never a silent
# short read); missing, unreadable (read as nobody), directory files (exit
# 66, UNKNOWN with --nagios).  What comes from a stream equals what comes
# from the file.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
GEN="$SRCDIR/bench/gen-access-log.py"
T="timeout 60" # a read that hangs fails the test instead of the suite

python3 "$GEN" --lines 20000 --seed 16 > "$TMP/a.log"
gzip -c "$TMP/a.log" > "$TMP/a.log.gz"
size=$(stat -c %s "$TMP/a.log.gz")
head -c $((size / 2)) "$TMP/a.log.gz" > "$TMP/trunc.gz"
# complete lines in the readable half, as zcat counts them
want_lines=$(zcat "$TMP/trunc.gz" 2>/dev/null | wc -l)
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read())
for i in range(len(b) // 3, len(b) // 3 + 64):
    b[i] ^= 0x5a
open(sys.argv[2], 'wb').write(b)" "$TMP/a.log.gz" "$TMP/corrupt.gz"
MAIL="$FIXTURES/mail/fail2ban-postfix.log"
KLOG=$TMP/kern.log
{
	echo "Nov 25 00:00:01 www kernel: [ 1.0] eth0: link up"
	echo "Nov 25 00:00:02 www kernel: [ 2.0] blk_update_request: I/O error, dev sdv, sector 12345"
	echo "Nov 25 00:00:03 www kernel: [ 3.0] usb 1-1: new device"
} > "$KLOG"
gzip -c "$KLOG" > "$KLOG.gz"
# a kernel log without disk errors, truncated
for i in $(seq 1 200); do
	echo "Nov 25 00:01:$((i % 60)) www kernel: [ $i.0] usb 1-1: device $i"
done | gzip -c > "$TMP/kquiet.gz"
head -c $(($(stat -c %s "$TMP/kquiet.gz") - 6)) "$TMP/kquiet.gz" > "$TMP/ktrunc.gz"

# The JSON lines of a run, the file's name made "F" (to compare runs).
# (and without the findings' time of day)
norm() { printf '%s\n' "$OUT" | sed -E 's/"file":"[^"]*"/"file":"F"/g; s/"time":"[^"]*"/"time":"T"/g'; }

# ---- standard input, pipes and FIFOs read as the file is ----
for verb in stats scan attacks; do
	run $T "$SAKIMORI" logs $verb --json "$TMP/a.log"
	check_eq "logs $verb FILE: exit 0 or a finding" 1 \
		"$([ "$RC" -le 2 ] && echo 1 || echo "$RC")"
	frc=$RC
	file_out=$(norm)
	check_match "logs $verb FILE: 20000 lines" '"lines":20000,' "$OUT"
	run $T bash -c 'zcat "$2" | "$1" logs '$verb' --json -' _ "$SAKIMORI" "$TMP/a.log.gz"
	check_eq "zcat | logs $verb -: the file's exit status" "$frc" "$RC"
	check_eq "zcat | logs $verb -: the file's results" "$file_out" "$(norm)"
done
run $T bash -c '"$1" logs stats --json - < "$2"' _ "$SAKIMORI" "$TMP/a.log.gz"
check_eq "logs stats - < FILE.gz: gzip told on standard input" "$(run "$SAKIMORI" logs stats --json "$TMP/a.log"; norm)" "$(norm)"
run $T bash -c 'cat "$2" | "$1" logs stats --json /dev/stdin' _ "$SAKIMORI" "$TMP/a.log"
check_eq "cat | logs stats /dev/stdin: exit 0" 0 "$RC"
check_match "cat | logs stats /dev/stdin: every line" '"file":"/dev/stdin","lines":20000,' "$OUT"
run $T bash -c '"$1" logs stats --json <(cat "$2")' _ "$SAKIMORI" "$TMP/a.log.gz"
check_match "logs stats <(cat FILE.gz): a pipe, gzip" '"lines":20000,"records":20000' "$OUT"

mkfifo "$TMP/fifo"
cat "$TMP/a.log.gz" > "$TMP/fifo" &
run $T "$SAKIMORI" logs stats --json "$TMP/fifo"
wait
check_eq "logs stats FIFO (gzip, writer first): exit 0" 0 "$RC"
check_match "logs stats FIFO: every line" '"lines":20000,"records":20000' "$OUT"
(sleep 1; cat "$TMP/a.log" > "$TMP/fifo") &
run $T "$SAKIMORI" logs attacks --json "$TMP/fifo"
wait
check_nomatch "logs attacks FIFO, writer 1 s later: waited for it, not refused" "cannot|Invalid" "$ERR"
check_match "logs attacks FIFO, writer 1 s later: every line" '"lines":20000,"records":20000' "$OUT"

run $T "$SAKIMORI" logs stats --json /dev/null
check_eq "logs stats /dev/null: exit 0" 0 "$RC"
check_match "logs stats /dev/null: an empty input" '"file":"/dev/null","lines":0,' "$OUT"

run $T "$SAKIMORI" mail report --json --no-learn --no-processes "$MAIL"
mail_out=$(norm)
check_eq "mail report FILE: exit 0 or a finding" 1 "$([ "$RC" -le 2 ] && echo 1 || echo "$RC")"
run $T bash -c 'gzip -c "$2" | "$1" mail report --json --no-learn --no-processes -' _ "$SAKIMORI" "$MAIL"
check_eq "gzip | mail report -: the file's report" "$mail_out" "$(norm)"
gzip -c "$MAIL" > "$TMP/fifo" &
run $T "$SAKIMORI" mail report --json --no-learn --no-processes "$TMP/fifo"
wait
check_eq "mail report FIFO (gzip): the file's report" "$mail_out" "$(norm)"
run $T "$SAKIMORI" mail report --no-learn --no-processes /dev/null
check_eq "mail report /dev/null: exit 0" 0 "$RC"

run $T bash -c '"$1" disk --json --kernel-log - < "$2"' _ "$SAKIMORI" "$KLOG.gz"
check_eq "disk --kernel-log - (gzip): the error is found, exit 2" 2 "$RC"
check_match "disk --kernel-log -: sdv" '"subject":"sdv"' "$OUT"
cat "$KLOG" > "$TMP/fifo" &
run $T "$SAKIMORI" disk --json --kernel-log "$TMP/fifo"
wait
check_match "disk --kernel-log FIFO: sdv" '"subject":"sdv"' "$OUT"

printf 'set interval 3\ncheck load { warning 7; critical 9 }\n' > "$TMP/c.conf"
cat "$TMP/c.conf" > "$TMP/fifo" &
run $T "$SAKIMORI" -f "$TMP/fifo" config check
wait
check_eq "config check -f FIFO: exit 0" 0 "$RC"
check_match "config check -f FIFO: its settings" "set interval 3" "$OUT"
(sleep 1; cat "$TMP/c.conf" > "$TMP/fifo") &
run $T "$SAKIMORI" -f "$TMP/fifo" config check
wait
check_eq "config check -f FIFO, writer 1 s later: exit 0" 0 "$RC"
check_match "config check -f FIFO, writer 1 s later: read" "load .*7 /" "$OUT"
run $T bash -c '"$1" -f /dev/stdin config check < "$2"' _ "$SAKIMORI" "$TMP/c.conf"
check_eq "config check -f /dev/stdin: exit 0" 0 "$RC"
check_match "config check -f /dev/stdin: read" "set interval 3" "$OUT"
run $T bash -c 'printf "bogus-statement 1\n" | "$1" -f /dev/stdin config check' _ "$SAKIMORI"
check_eq "config check -f /dev/stdin: an error is still an error (78)" 78 "$RC"
check_match "config check -f /dev/stdin: the error names the line" "/dev/stdin:1:" "$ERR"

# ---- a truncated or corrupt .gz is an error, with the lines read so far ----
for verb in stats scan attacks; do
	run $T "$SAKIMORI" logs $verb --json "$TMP/trunc.gz"
	check_eq "logs $verb truncated .gz: exit 65" 65 "$RC"
	check_match "logs $verb truncated .gz: said, with the lines so far" \
		"trunc.gz'?: unexpected end of compressed data \\(after $want_lines lines\\)" "$ERR"
	check_match "logs $verb truncated .gz: the lines before it count" "\"lines\":$want_lines," "$OUT"
done
run $T bash -c '"$1" logs stats - < "$2"' _ "$SAKIMORI" "$TMP/trunc.gz"
check_eq "logs stats - < truncated .gz: exit 65" 65 "$RC"
check_match "logs stats - < truncated .gz: said" "unexpected end of compressed data" "$ERR"
run $T "$SAKIMORI" logs stats "$TMP/a.log" "$TMP/trunc.gz"
check_eq "a good file and a truncated one: exit 65" 65 "$RC"
check_match "the good file is still read" "a.log: 20000 lines" "$OUT"
run $T "$SAKIMORI" logs stats "$TMP/corrupt.gz"
check_eq "logs stats corrupt .gz: exit 65" 65 "$RC"
check_match "logs stats corrupt .gz: said" "corrupt.gz': .*\\(after [0-9]+ lines\\)" "$ERR"

gzip -c "$MAIL" > "$TMP/mail.gz"
head -c $(($(stat -c %s "$TMP/mail.gz") - 6)) "$TMP/mail.gz" > "$TMP/mailtrunc.gz"
run $T "$SAKIMORI" mail report --no-learn --no-processes "$TMP/mailtrunc.gz"
check_eq "mail report truncated .gz: exit 65" 65 "$RC"
check_match "mail report truncated .gz: said" "mailtrunc.gz': unexpected end of compressed data \\(after [0-9]+ lines\\)" "$ERR"

# ---- disk --kernel-log on what cannot be read to its end ----
for c in "truncated .gz|$TMP/ktrunc.gz|65|unexpected end of compressed data \\(after 200 lines\\)" \
    "corrupt .gz|$TMP/corrupt.gz|65|corrupt.gz': .*\\(after [0-9]+ lines\\)" \
    "missing|$TMP/missing.log|66|missing.log': No such file" \
    "directory|$TMP|66|Is a directory"; do
	IFS='|' read -r what f code msg <<< "$c"
	run $T "$SAKIMORI" disk --kernel-log "$f"
	check_eq "disk --kernel-log $what: exit $code" "$code" "$RC"
	check_match "disk --kernel-log $what: said" "$msg" "$ERR"
	check_nomatch "disk --kernel-log $what: no 'no problems found'" "no problems found" "$OUT"
	run $T "$SAKIMORI" --nagios disk --kernel-log "$f"
	check_eq "disk --kernel-log $what --nagios: exit 3" 3 "$RC"
	check_match "disk --kernel-log $what --nagios: one UNKNOWN line" "^SAKIMORI DISK UNKNOWN - .*$msg" "$OUT"
done
run $T "$SAKIMORI" disk --json --kernel-log "$KLOG" "$TMP/missing.log"
check_eq "a kernel log with a disk error and a missing one: exit 66" 66 "$RC"
check_match "the readable one is still scanned" '"subject":"sdv"' "$OUT"
head -c $(($(stat -c %s "$KLOG.gz") - 6)) "$KLOG.gz" > "$TMP/kerr.gz"
run $T "$SAKIMORI" --nagios disk --kernel-log "$TMP/kerr.gz"
check_eq "a disk error in a truncated .gz --nagios: CRITICAL (worse than UNKNOWN)" 2 "$RC"
check_match "a disk error in a truncated .gz --nagios: the status line is CRITICAL" "^SAKIMORI DISK CRITICAL - CRITICAL: sdv: " "$(printf '%s\n' "$OUT" | head -1)"
check_match "a disk error in a truncated .gz --nagios: the UNKNOWN said too" "^UNKNOWN: .*unexpected end of compressed data" "$OUT"

# ---- unreadable files, read as nobody ----
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	pub=$(mktemp -d /tmp/sakimori-input.XXXXXX)
	cleanup "rm -rf '$pub'"
	chmod 755 "$pub"
	: > "$pub/empty.conf"
	chmod 644 "$pub/empty.conf"
	cp "$KLOG" "$pub/kern.log"
	cp "$TMP/a.log" "$pub/a.log"
	chmod 000 "$pub/kern.log" "$pub/a.log"
	as_nobody() {
		setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    env SAKIMORI_CONFIG="$pub/empty.conf" \
		    SAKIMORI_STATE_DIR="$pub/state" "$@"
	}
	run as_nobody $T "$SAKIMORI" disk --kernel-log "$pub/kern.log"
	check_eq "disk --kernel-log unreadable (nobody): exit 66" 66 "$RC"
	check_match "disk --kernel-log unreadable: said" "kern.log': Permission denied" "$ERR"
	check_nomatch "disk --kernel-log unreadable: no 'no problems found'" "no problems found" "$OUT"
	run as_nobody $T "$SAKIMORI" logs stats "$pub/a.log"
	check_eq "logs stats unreadable (nobody): exit 66" 66 "$RC"
	check_match "logs stats unreadable: said" "a.log': Permission denied" "$ERR"
	run as_nobody $T "$SAKIMORI" mail report --no-learn --no-processes "$pub/a.log"
	check_eq "mail report unreadable (nobody): exit 66" 66 "$RC"
fi

done_testing
