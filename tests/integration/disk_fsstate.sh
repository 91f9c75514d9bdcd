#!/usr/bin/env bash
# disk_fsstate.sh - "sakimori disk" reports the error state that debugfs
# wrote into a real ext4 image's superblock (state, error count, first and
# last error time/function/line, mount count), read from the image file
# and from the loop device it is mounted on; a clean image gives nothing;
# a corrupt superblock and an unreadable device give a clear message.
. "$(dirname "$0")/lib.sh"

command -v mkfs.ext4 >/dev/null && command -v debugfs >/dev/null ||
	skip_all "e2fsprogs not installed"

img=$TMP/errors.img
truncate -s 16M "$img"
mkfs.ext4 -q -F "$img"
for c in "ssv state 3" "ssv error_count 7" \
	"ssv first_error_time @1700000000" "ssv first_error_func ext4_lookup" \
	"ssv first_error_line 1234" "ssv last_error_time @1700086400" \
	"ssv last_error_func ext4_readdir" "ssv last_error_line 77" \
	"ssv mnt_count 31" "ssv max_mnt_count 30"; do
	debugfs -w -R "$c" "$img" >/dev/null 2>&1
done
dumpe2fs -h "$img" 2>/dev/null | grep -q "FS Error count: *7" ||
	{ not_ok "debugfs set the error count"; done_testing; }

run "$SAKIMORI" disk --device "$img" --json
check_eq "an image with errors: exit 1 (WARNING)" 1 "$RC"
fs=$(printf '%s\n' "$OUT" | grep '"type":"filesystem.state"')
jq_eq() { check_eq "$1" "$2" "$(printf '%s' "$fs" | jq -r "$3")"; }
jq_eq "state" "errors" .state
jq_eq "error count" 7 .error_count
jq_eq "first error time" 1700000000 ".first_error_time | fromdateiso8601"
jq_eq "first error function" ext4_lookup .first_error_func
jq_eq "first error line" 1234 .first_error_line
jq_eq "last error time" 1700086400 ".last_error_time | fromdateiso8601"
jq_eq "last error function" ext4_readdir .last_error_func
jq_eq "last error line" 77 .last_error_line
jq_eq "mount count" 31 .mount_count
jq_eq "maximum mount count" 30 .max_mount_count
jq_eq "checksum verified" true .checksum
f=$(printf '%s\n' "$OUT" | grep '"type":"finding"')
check_match "a WARNING that fsck is due" '"severity":"WARNING","check":"fs-errors"' "$f"
check_match "with the single-user advice" "single-user mode" "$f"
check_match "and the error count in the message" "7 errors" "$f"

run "$SAKIMORI" disk --device "$img"
check_match "the table shows the state and count" "ext4 +errors +7 " "$OUT"
check_match "and the first error" "ext4_lookup" "$OUT"

clean=$TMP/clean.img
truncate -s 16M "$clean"
mkfs.ext4 -q -F "$clean"
run "$SAKIMORI" disk --device "$clean" --json
check_eq "a clean image: exit 0" 0 "$RC"
check_nomatch "and no finding" '"type":"finding"' "$OUT"
check_match "state clean" '"state":"clean"' "$OUT"

# Corrupt and truncated superblocks.
cp "$clean" "$TMP/badmagic.img"
printf '\x00\x00' | dd of="$TMP/badmagic.img" bs=1 seek=$((1024 + 0x38)) conv=notrunc status=none
head -c 1500 "$clean" > "$TMP/short.img"
cp "$clean" "$TMP/badsum.img"
printf 'X' | dd of="$TMP/badsum.img" bs=1 seek=$((1024 + 0x100)) conv=notrunc status=none
run "$SAKIMORI" disk --device "$TMP/badmagic.img" --device "$TMP/short.img" \
	--device "$TMP/nonexistent" --device "$TMP/badsum.img" --device "$img" --json
check_eq "bad devices are UNKNOWN, the good one still WARNING: exit 1" 1 "$RC"
check_match "bad magic is named" "badmagic.img.*not an ext2/3/4 filesystem" "$OUT"
check_match "a short superblock is named" "short.img.*superblock is 476 bytes" "$OUT"
check_match "a missing device is named" "nonexistent.*No such file" "$OUT"
check_match "a bad checksum is reported" 'badsum.img.*"checksum":false' "$OUT"
check_match "a bad checksum is a WARNING" "badsum.img.*checksum does not match" "$OUT"
check_match "the good image is still reported" '"error_count":7' "$OUT"
check_match "stderr says why" "not an ext2/3/4" "$ERR"

# Attached to a loop device and mounted, where the machine allows it.
if [ "$(id -u)" = 0 ] && loop=$(losetup -f --show "$img" 2>/dev/null); then
	cleanup "losetup -d $loop"
	mkdir "$TMP/mnt"
	if mount -t ext4 "$loop" "$TMP/mnt" 2>/dev/null; then
		cleanup "umount $TMP/mnt"
		run "$SAKIMORI" disk --no-kernel-log --json
		fs=$(printf '%s\n' "$OUT" | grep '"type":"filesystem.state"' | grep -F "\"$loop\"")
		check_match "the mounted loop device is listed" "\"mount\":\"$TMP/mnt\"" "$fs"
		jq_eq "its state is read from the device" "errors" .state
		jq_eq "its error count" 7 .error_count
		jq_eq "its first error time" 1700000000 ".first_error_time | fromdateiso8601"
		jq_eq "its last error function" ext4_readdir .last_error_func
		jq_eq "mounting counted once more" 32 .mount_count
		check_match "exit 1 or 2 with the mounted fs in error" "^[12]$" "$RC"
		check_match "the finding names the mount point" "\"subject\":\"$TMP/mnt\"" "$OUT"
		umount "$TMP/mnt"
	else
		echo "# mount not permitted: the image was read directly"
	fi
	losetup -d "$loop"
	# A loop device read directly (not mounted).
	loop=$(losetup -f --show -r "$clean")
	cleanup "losetup -d $loop"
	run "$SAKIMORI" disk --device "$loop" --json
	check_eq "a clean loop device: exit 0" 0 "$RC"
	check_match "read from the block device" '"state":"clean"' "$OUT"
	losetup -d "$loop"
else
	echo "# no loop device here: images were read directly"
fi

done_testing
