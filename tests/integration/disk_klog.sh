#!/usr/bin/env bash
# disk_klog.sh - the kernel-log disk-error scan: the project's fixture log
# (findings per device, CRITICAL, exit 2), rotated .1 and .gz files of a
# root tree, binary garbage around an error line, and /dev/kmsg read twice
# reporting each record once (sequence numbers kept in the state dir).
. "$(dirname "$0")/lib.sh"

log=$FIXTURES/kernel/disk-errors.log
run "$SAKIMORI" disk --kernel-log "$log" --json
check_eq "disk errors are CRITICAL: exit 2" 2 "$RC"
sdb=$(printf '%s\n' "$OUT" | grep '"type":"finding"' | jq -c 'select(.subject=="sdb")')
check_eq "sdb: 8 errors" 8 "$(printf '%s' "$sdb" | jq -r .evidence.count)"
check_eq "sdb: first seen" "2026-11-22T05:00:00" "$(printf '%s' "$sdb" | jq -r .evidence.first | cut -c1-19)"
check_match "sdb: by class" "io-error 5, medium-error 3" "$(printf '%s' "$sdb" | jq -r .evidence.classes)"
check_match "the back-up-and-replace advice" "may fail within days.*back up.*replace.*RAID1" "$(printf '%s' "$sdb" | jq -r .message)"
check_eq "64 error lines in all" 64 "$(printf '%s\n' "$OUT" | jq -r 'select(.type=="kernel.scan").errors')"
check_eq "the sshd line is not the kernel's" "" "$(printf '%s\n' "$OUT" | jq -r 'select(.subject=="sda").evidence.sectors' | grep -w 42)"

# The old IDE driver (hda), Linux 2.4 SCSI, FreeBSD ata(4) (ad0) and CAM
# (da0) wordings, and the line the admin greps for ("READ ERROR").
run "$SAKIMORI" disk --kernel-log "$FIXTURES/kernel/old-disks.log" --json
check_eq "old drivers: CRITICAL" 2 "$RC"
count_of() { printf '%s\n' "$OUT" | jq -r --arg d "$1" 'select(.type=="finding" and .subject==$d).evidence.count'; }
check_eq "hda: dma_intr/read_intr status and UncorrectableError, end_request, DMA timeouts" 8 "$(count_of hda)"
check_eq "ad0: HARD READ ERROR, command timeout, TIMEOUT/FAILURE/WARNING" 8 "$(count_of ad0)"
check_eq "da0: CAM MEDIUM ERROR" 3 "$(count_of da0)"
check_eq "the primer's own adX line counts" 1 "$(count_of adX)"
check_eq "Linux 2.4 dev 08:11 is sdb1" 1 "$(count_of sdb1)"
check_eq "34 error lines, none from drive_cmd or smartd" 34 \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="kernel.scan").errors')"

run "$SAKIMORI" disk --kernel-log "$FIXTURES/kernel/real/npd/readonly_filesystem.log" --json
check_eq "real NPD line: CRITICAL" 2 "$RC"
check_match "sda1 remounted read-only" '"subject":"sda1".*fs-readonly 1' "$OUT"

run "$SAKIMORI" disk --kernel-log "$FIXTURES/kernel/real/npd/oom_kill.log" \
	"$FIXTURES/kernel/real/wazuh/kernel.log"
check_eq "real logs without disk errors: exit 0" 0 "$RC"

# A root tree with rotated logs: kern.log (noise), kern.log.1, kern.log.2.gz.
R=$TMP/root
mkdir -p "$R/var/log" "$R/proc/self"
: > "$R/proc/self/mounts"
grep -v -E 'error|Error|ERROR|fail|read-only' "$log" | head -20 > "$R/var/log/kern.log"
echo "Nov 24 01:00:00 www kernel: [ 1.0] blk_update_request: I/O error, dev sdx, sector 1" > "$R/var/log/kern.log.1"
printf '%s\n' "Nov 22 01:00:00 www kernel: [ 1.0] blk_update_request: I/O error, dev sdx, sector 2" \
	"Nov 22 01:00:01 www kernel: [ 2.0] Buffer I/O error on dev sdy1, logical block 9" | gzip > "$R/var/log/kern.log.2.gz"
echo "Nov 23 01:00:00 www kernel: [ 1.0] end_request: I/O error, dev sdz, sector 3" | gzip > "$R/var/log/messages.1.gz"
run "$SAKIMORI" --root "$R" disk --json
check_eq "rotated logs: exit 2" 2 "$RC"
check_eq "sdx counted in kern.log.1 and kern.log.2.gz" 2 \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.subject=="sdx").evidence.count')"
check_eq "sdy1 from the .gz" 1 "$(printf '%s\n' "$OUT" | jq -r 'select(.subject=="sdy1").evidence.count')"
check_eq "sdz from messages.1.gz" 1 "$(printf '%s\n' "$OUT" | jq -r 'select(.subject=="sdz").evidence.count')"
check_match "the .gz file was read" '"path":"[^"]*kern.log.2.gz","status":"read","lines":2' "$OUT"

# With --new, the second run reports nothing already reported.
run "$SAKIMORI" --root "$R" disk --new --json
check_eq "--new, first run: exit 2" 2 "$RC"
run "$SAKIMORI" --root "$R" disk --new --json
check_eq "--new, second run: nothing new, exit 0" 0 "$RC"
echo "Nov 25 01:00:00 www kernel: [ 1.0] blk_update_request: I/O error, dev sdw, sector 5" >> "$R/var/log/kern.log"
run "$SAKIMORI" --root "$R" disk --new --json
check_eq "--new, a new line: exit 2" 2 "$RC"
check_match "only the new device" '"subject":"sdw"' "$OUT"
check_nomatch "not the old ones" '"subject":"sdx"' "$OUT"

# Binary garbage around one error line; a 1 MB line without newline.
g=$TMP/garbage.log
head -c 65536 /dev/urandom > "$g"
printf '\n\x00\x00[ 5.0] blk_update_request: I/O error, dev sdq, sector 77\n' >> "$g"
head -c 65536 /dev/urandom | tr -d '\n' >> "$g"
printf '\n' >> "$g"
head -c 1048576 /dev/zero | tr '\0' 'a' >> "$g"
gzip -c "$g" > "$g.gz"
for f in "$g" "$g.gz"; do
	run "$SAKIMORI" disk --kernel-log "$f" --json
	check_eq "garbage ($(basename "$f")): the one error is found" 1 \
		"$(printf '%s\n' "$OUT" | jq -r 'select(.subject=="sdq").evidence.count')"
	check_match "long lines (the 1 MB one, 64 KiB of random bytes) are cut and counted" '"cut":2' "$OUT"
done

run "$SAKIMORI" disk --kernel-log "$TMP/missing.log"
check_match "a missing file is named" "missing.log.*No such file" "$ERR"

# /dev/kmsg twice: each record once.
if [ -r /dev/kmsg ] && [ "$(id -u)" = 0 ]; then
	run "$SAKIMORI" disk --new --json --no-kernel-log
	run "$SAKIMORI" disk --new --json
	k1=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="kernel.source" and .kind=="kmsg")')
	l1=$(printf '%s' "$k1" | jq -r .last_seq)
	check "first read saw records" [ "$(printf '%s' "$k1" | jq -r .lines)" -gt 0 ]
	echo "<14>sakimori-test: kmsg marker $$" > /dev/kmsg
	run "$SAKIMORI" disk --new --json
	k2=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="kernel.source" and .kind=="kmsg")')
	check_eq "second read starts after the first's last record" $((l1 + 1)) "$(printf '%s' "$k2" | jq -r .first_seq)"
	check "and saw the new record" [ "$(printf '%s' "$k2" | jq -r .lines)" -ge 1 ]
	check "and skipped everything read before" [ "$(printf '%s' "$k2" | jq -r .skipped)" -ge 1 ]
	l2=$(printf '%s' "$k2" | jq -r .last_seq)
	run "$SAKIMORI" disk --new --json
	k3=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="kernel.source" and .kind=="kmsg")')
	n3=$(printf '%s' "$k3" | jq -r .lines)
	f3=$(printf '%s' "$k3" | jq -r .first_seq)
	if [ "$n3" = 0 ] || [ "$f3" -gt "$l2" ]; then
		ok "third read: nothing read twice (lines $n3, first $f3 > $l2)"
	else
		not_ok "third read: nothing read twice" "lines $n3, first $f3, last before $l2"
	fi
	run "$SAKIMORI" disk --json
	k4=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="kernel.source" and .kind=="kmsg")')
	check "without --new everything is read again" [ "$(printf '%s' "$k4" | jq -r .skipped)" = 0 ]
else
	echo "# /dev/kmsg not readable: kmsg test skipped"
fi

done_testing
