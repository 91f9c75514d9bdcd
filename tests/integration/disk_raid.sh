#!/bin/bash
# disk_raid.sh - the md RAID check and view: on fixture trees of real
# /proc/mdstat and /sys/block/mdN/md captures (--root), and where the
# kernel has md, on a real RAID1 of two loop devices made with mdadm:
# OK, then a failed member (CRITICAL naming it and its disk), then the
# member removed and added again (WARNING with progress while it
# rebuilds), then OK again.
. "$(dirname "$0")/lib.sh"

raid_lines() {	# the raid findings of a check's JSON lines
	printf '%s\n' "$1" | jq -c 'select(.type=="finding" and .check=="raid")'
}

# --- fixture trees --------------------------------------------------------
run "$SAKIMORI" check --json --root "$FIXTURES/md/procfs"
R=$(raid_lines "$OUT")
check_eq "RAID5 with a faulty member: CRITICAL" CRITICAL \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md5").severity')"
check_eq "... naming the failed member" sdp \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md5").evidence.failed')"
check_eq "RAID6 recovering: WARNING with its progress" "WARNING 75" \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md6") | "\(.severity) \(.evidence.progress)"')"
check_nomatch "clean RAID1 and RAID10 say nothing" '"subject":"md1[0]?"' "$R"
check_eq "the exit status is CRITICAL" 2 "$RC"

printf 'check raid "md5" { disable }\n' >"$TMP/md5off.conf"
run "$SAKIMORI" -f "$TMP/md5off.conf" check --json --root "$FIXTURES/md/procfs"
R=$(raid_lines "$OUT")
check_eq "an array's own block turns it off, the others still count" "md6" \
	"$(printf '%s\n' "$R" | jq -r .subject | xargs)"

run "$SAKIMORI" check --json --root "$FIXTURES/md/exporter"
R=$(raid_lines "$OUT")
check_match "RAID1 recovering: progress and finish in the message" \
	'rebuilding 8\.5%, about 17 minutes left \(until ' \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md6").message')"
check_match "... and the finish time as evidence" '^20[0-9-]+T' \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md6").evidence.finish')"
check_eq "degraded RAID6 without a rebuild: CRITICAL" CRITICAL \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md7").severity')"

run "$SAKIMORI" check --json --root "$FIXTURES/md/scrub"
R=$(raid_lines "$OUT")
check_eq "mismatches after a check: WARNING" "WARNING 128" \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md4") | "\(.severity) \(.evidence.mismatch_cnt)"')"
check_eq "a check in progress is no problem" "" \
	"$(printf '%s\n' "$R" | jq -r 'select(.subject=="md2").severity')"

run "$SAKIMORI" disk --json --no-kernel-log --root "$FIXTURES/md/procfs"
check_eq "disk shows every array" "md1 md10 md5 md6" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="raid").name' | sort | xargs)"
check_eq "... with each member's state" "sdaa:spare sdn:in_sync sdo:in_sync sdp:faulty" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="raid" and .name=="md5").members[] | "\(.name):\(.state)"' | xargs)"
run "$SAKIMORI" disk --no-kernel-log --root "$FIXTURES/md/exporter"
check_match "the table shows the rebuild" 'md6 +raid1 +active +1/2 \[U_\] +sda2 sdb2 +rebuilding 8\.5%' "$OUT"

run "$SAKIMORI" check --daily --json --root "$FIXTURES/md/procfs"
check_match "check --daily includes the arrays" '"check":"raid"' "$OUT"

# --- a real RAID1 on two loop devices -------------------------------------
if [ ! -e /proc/mdstat ]; then
	echo "# SKIP real RAID1: this kernel has no md (/proc/mdstat absent); the fixture trees above stand in"
	done_testing
	exit
fi
if ! command -v mdadm >/dev/null || [ "$(id -u)" != 0 ]; then
	echo "# SKIP real RAID1: needs root and mdadm"
	done_testing
	exit
fi

truncate -s 64M "$TMP/a.img" "$TMP/b.img"
LA=$(losetup -f --show "$TMP/a.img") && cleanup "losetup -d $LA"
LB=$(losetup -f --show "$TMP/b.img") && cleanup "losetup -d $LB"
MD=
for n in $(seq 100 127); do
	[ -e "/sys/block/md$n" ] && continue
	MD=md$n
	break
done
[ -n "$MD" ] || { not_ok "a free md device number"; done_testing; exit; }
cleanup "mdadm --stop /dev/$MD"
mdadm --create "/dev/$MD" --run --quiet --level=1 --raid-devices=2 \
	--metadata=1.2 --assume-clean "$LA" "$LB" >/dev/null 2>&1 ||
	{ not_ok "mdadm makes a RAID1"; done_testing; exit; }
DA=${LA#/dev/}
DB=${LB#/dev/}

raid_of() {	# the raid finding about our array: "SEVERITY message"
	run "$SAKIMORI" check --json
	printf '%s\n' "$OUT" | jq -r --arg md "$MD" \
		'select(.type=="finding" and .check=="raid" and .subject==$md) | "\(.severity) \(.message)"'
}

check_eq "a clean RAID1: OK" "" "$(raid_of)"

mdadm "/dev/$MD" --fail "$LB" >/dev/null 2>&1
S=$(raid_of)
check_match "a failed member: CRITICAL naming it" "^CRITICAL $MD \\(raid1\\) has a failed member: $DB" "$S"
check_match "... the mirror runs on one disk" "mirror is running on one disk" "$S"

mdadm "/dev/$MD" --remove "$LB" >/dev/null 2>&1
S=$(raid_of)
check_match "the member removed: CRITICAL, degraded" "^CRITICAL $MD \\(raid1\\) is degraded: 1 of 2" "$S"

# Slow the rebuild down so that it is seen while it runs.
echo 100 >"/sys/block/$MD/md/sync_speed_min"
echo 200 >"/sys/block/$MD/md/sync_speed_max"
mdadm "/dev/$MD" --add "$LB" >/dev/null 2>&1
sleep 1
S=$(raid_of)
check_match "re-added: WARNING while it rebuilds, with progress" \
	"^WARNING $MD \\(raid1\\) is rebuilding a member: rebuilding [0-9.]+%" "$S"

echo system >"/sys/block/$MD/md/sync_speed_min"
echo system >"/sys/block/$MD/md/sync_speed_max"
for _ in $(seq 1 300); do
	[ "$(cat "/sys/block/$MD/md/sync_action")" = idle ] && break
	sleep 0.2
done
check_eq "rebuilt: OK again" "" "$(raid_of)"

run "$SAKIMORI" disk --json --no-kernel-log --no-smart
check_eq "disk shows the array with both members in sync" "$DA:in_sync $DB:in_sync" \
	"$(printf '%s\n' "$OUT" | jq -r --arg md "$MD" 'select(.type=="raid" and .name==$md).members[] | "\(.name):\(.state)"' | sort | xargs)"

done_testing
