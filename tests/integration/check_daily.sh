#!/usr/bin/env bash
# check_daily.sh - "sakimori check --daily": a mounted ext4 image whose
# superblock records errors gives the fsck-due WARNING; kernel-log disk
# errors are reported once (the next daily run is quiet until a new one
# appears); the report is mailed through the sendmail interface when
# mail-to is set; usage samples kept between check runs give "full in N
# days" for a filling filesystem.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"

cat > "$TMP/quiet.conf" <<CONF
# Only the disk checks: the machine's own load and memory do not matter here.
check load { disable }
check memory { disable }
check swap-activity { disable }
check process-count { disable }
check fs-blocks { disable }
check fs-inodes { disable }
set mail-to "admin@example.org"
set mail-from "Sakimori on www <watch@example.org>"
set sendmail "$FIXTURES/bin/fake-sendmail"
$(process_checks_off)
CONF
export SAKIMORI_CONFIG=$TMP/quiet.conf
export FAKE_SENDMAIL_OUT=$TMP/mail.out

# Kernel log in a root tree: reported once, then only what is new.
R=$TMP/root
mkdir -p "$R/var/log" "$R/proc/self"
echo "Nov 24 01:00:00 www kernel: [ 1.0] blk_update_request: I/O error, dev sdx, sector 1" > "$R/var/log/kern.log"
printf '%s\n' "Nov 22 01:00:00 www kernel: [ 1.0] ata1.00: failed command: READ FPDMA QUEUED" | gzip > "$R/var/log/kern.log.2.gz"
run "$SAKIMORI" --root "$R" check --daily --interval 0 --json
check_eq "daily: disk errors are CRITICAL, exit 2" 2 "$RC"
check_match "sdx reported" '"check":"disk-errors","subject":"sdx"' "$OUT"
check_match "ata1.00 from the rotated .gz" '"check":"disk-errors","subject":"ata1.00"' "$OUT"
check_match "the report was mailed" "Subject: sakimori daily check on .*CRITICAL" "$(cat "$TMP/mail.out")"
check_match "to the configured address" "admin@example.org" "$(cat "$TMP/mail.out")"
check_match "the mail is MIME: MIME-Version" "^MIME-Version: 1\.0$" "$(cat "$TMP/mail.out")"
check_match "the mail is MIME: a UTF-8 text body" "^Content-Type: text/plain; charset=(UTF|utf)-8$" "$(cat "$TMP/mail.out")"
check_match "the envelope sender is mail-from's address (sendmail -f)" \
	'^ARGS: \[-i\] \[-f\] \[watch@example\.org\] \[--\] \[admin@example\.org\]$' "$(cat "$TMP/mail.out")"
check_match "the From: header is mail-from" "^From: Sakimori on www <watch@example\.org>$" "$(cat "$TMP/mail.out")"
check_match "with the finding in the body" "disk-errors +sdx" "$(cat "$TMP/mail.out")"
run "$SAKIMORI" --root "$R" check --daily --interval 0 --json
check_nomatch "the next daily run does not repeat them" '"check":"disk-errors"' "$OUT"
echo "Nov 25 01:00:00 www kernel: [ 2.0] Buffer I/O error on dev sdv1, logical block 7" >> "$R/var/log/kern.log"
run "$SAKIMORI" --root "$R" check --daily --interval 0 --json
check_eq "a new error: exit 2" 2 "$RC"
check_match "only the new one" '"subject":"sdv1"' "$OUT"
check_nomatch "not sdx again" '"subject":"sdx"' "$OUT"
run "$SAKIMORI" --root "$R" check --interval 0 --json
check_nomatch "without --daily the kernel log is not read" '"check":"disk-errors"' "$OUT"

if [ "$(id -u)" != 0 ] || ! command -v debugfs >/dev/null; then
	done_testing
	exit
fi

# A mounted ext4 filesystem with errors recorded in its superblock.
img=$TMP/errors.img
truncate -s 16M "$img"
mkfs.ext4 -q -F "$img"
for c in "ssv state 3" "ssv error_count 4" "ssv first_error_time @1700000000" \
	"ssv first_error_func ext4_lookup" "ssv last_error_time @1700500000" \
	"ssv last_error_func ext4_iget"; do
	debugfs -w -R "$c" "$img" >/dev/null 2>&1
done
if loop=$(losetup -f --show "$img" 2>/dev/null); then
	cleanup "losetup -d $loop"
	mkdir "$TMP/mnt"
	if mount "$loop" "$TMP/mnt" 2>/dev/null; then
		cleanup "umount $TMP/mnt"
		: > "$TMP/mail.out"
		run "$SAKIMORI" check --daily --interval 0 --json
		f=$(printf '%s\n' "$OUT" | jq -c --arg m "$TMP/mnt" 'select(.check=="fs-errors" and .subject==$m)')
		check_match "check --daily: WARNING for the mounted fs" '"severity":"WARNING"' "$f"
		check_eq "its error count" 4 "$(printf '%s' "$f" | jq -r .evidence.error_count)"
		check_eq "its first error function" ext4_lookup "$(printf '%s' "$f" | jq -r .evidence.first_error_func)"
		check_eq "its last error function" ext4_iget "$(printf '%s' "$f" | jq -r .evidence.last_error_func)"
		check_match "its last error time" "^2023-11-20T" "$(printf '%s' "$f" | jq -r .evidence.last_error_time)"
		check_match "the single-user advice" "single-user mode" "$f"
		check_match "check exits 1 or 2" "^[12]$" "$RC"
		check_match "and mails it" "fs-errors" "$(cat "$TMP/mail.out")"
		umount "$TMP/mnt"
	fi
	losetup -d "$loop"
fi

# Forecast: a filesystem that fills between check runs.
cat >> "$TMP/quiet.conf" <<CONF
check fs-full-forecast { min-span 0 }
CONF
mkdir "$TMP/fill"
if mount -t tmpfs -o size=8m sakimori-test "$TMP/fill" 2>/dev/null; then
	cleanup "umount $TMP/fill"
	run "$SAKIMORI" check --interval 0 --json
	check_nomatch "one sample: no forecast" "\"subject\":\"$TMP/fill\"" "$OUT"
	head -c 1048576 /dev/zero > "$TMP/fill/a"
	sleep 1.1
	run "$SAKIMORI" check --interval 0 --json
	head -c 1048576 /dev/zero > "$TMP/fill/b"
	sleep 1.1
	run "$SAKIMORI" check --interval 0 --json
	f=$(printf '%s\n' "$OUT" | jq -c --arg m "$TMP/fill" 'select(.check=="fs-full-forecast" and .subject==$m)')
	# 1 MB a second into 8 MB: full within seconds, said so, not "0.0 days"
	check_match "a filling filesystem: full in N seconds" "full in [1-9][0-9]* (seconds?|minutes?) at the current rate" "$f"
	check_match "the samples span seconds too" "3 samples over [1-9][0-9]* seconds" "$f"
	check_match "the rate and the space left in IEC units" "\\(\\+[0-9.]+ [KMGT]iB a day, [0-9.]+ [KMG]?i?B left;" "$f"
	check "the evidence keeps the days" [ "$(printf '%s' "$f" | jq -r '.evidence.days | tonumber < 1')" = true ]
	check_match "CRITICAL (within 7 days)" '"severity":"CRITICAL"' "$f"
	check "from 3 samples" [ "$(printf '%s' "$f" | jq -r .evidence.samples)" = 3 ]
	rm -f "$TMP/fill/a" "$TMP/fill/b"
	# Empty samples spread over as much time as the filling ones, so the
	# least-squares trend turns down whatever the machine's speed.
	for i in 1 2 3; do
		sleep 1.1
		run "$SAKIMORI" check --interval 0 --json
	done
	f=$(printf '%s\n' "$OUT" | jq -c --arg m "$TMP/fill" 'select(.check=="fs-full-forecast" and .subject==$m)')
	check_eq "once emptied, the trend no longer rises: no finding" "" "$f"
fi

done_testing
