#!/usr/bin/env bash
# disk_iostat.sh - the I/O figures of "sakimori disk --interval S" agree
# with iostat -dx from sysstat over the same interval within 2%, while dd
# writes and reads a file on a loop device that nothing else uses.
. "$(dirname "$0")/lib.sh"

command -v iostat >/dev/null || skip_all "sysstat (iostat) not installed"
command -v jq >/dev/null || skip_all "jq not installed"
[ "$(id -u)" = 0 ] || skip_all "needs root for a loop device"
truncate -s 96M "$TMP/io.img"
loop=$(losetup -f --show "$TMP/io.img" 2>/dev/null) || skip_all "no loop device"
cleanup "losetup -d $loop"
dev=${loop#/dev/}
target=$loop
if mkfs.ext4 -q -F "$loop" 2>/dev/null && mkdir "$TMP/mnt" &&
	mount "$loop" "$TMP/mnt" 2>/dev/null; then
	cleanup "umount $TMP/mnt"
	target=$TMP/mnt/data
	sync
fi

# Both take their samples 3 s apart; the I/O happens well inside, so both
# intervals hold all of it whatever the start-up skew between them.
iostat -dx -y -o JSON "$dev" 3 1 > "$TMP/iostat.json" &
ip=$!
"$SAKIMORI" disk --no-kernel-log --interval 3 --json > "$TMP/saki.json" &
sp=$!
sleep 0.8
dd if=/dev/zero of="$target" bs=64k count=256 oflag=direct conv=fsync status=none
dd if="$target" of=/dev/null bs=32k count=256 iflag=direct status=none
wait "$ip"
wait "$sp"

io=$(jq -c --arg d "$dev" '.sysstat.hosts[0].statistics[0].disk[] | select(.disk_device==$d)' "$TMP/iostat.json")
sk=$(jq -c --arg d "$dev" 'select(.type=="device" and .name==$d)' "$TMP/saki.json")
check "iostat reported $dev" [ -n "$io" ]
check "sakimori reported $dev" [ -n "$sk" ]
check_match "over a 3 s interval" '"interval_s":(2\.9|3\.0)' "$sk"

# agree NAME IOSTAT_KEY SAKIMORI_KEY: within 2%, or 0.02 (iostat rounds to 2 decimals)
agree() {
	local a b
	a=$(printf '%s' "$io" | jq -r ".\"$2\"")
	b=$(printf '%s' "$sk" | jq -r ".$3")
	if awk -v a="$a" -v b="$b" 'BEGIN {
		d = a - b; if (d < 0) d = -d
		m = a; if (m < 0) m = -m
		exit !(d <= 0.02 * m || d <= 0.02)
	}'; then ok "$1 agrees: iostat $a, sakimori $b"
	else not_ok "$1 agrees within 2%" "iostat $a, sakimori $b"; fi
}
agree "w/s" "w/s" w_s
agree "r/s" "r/s" r_s
agree "wkB/s" "wkB/s" wkb_s
agree "rkB/s" "rkB/s" rkb_s
agree "wrqm/s" "wrqm/s" wrqm_s
agree "rrqm/s" "rrqm/s" rrqm_s
agree "r_await" "r_await" r_await
agree "w_await" "w_await" w_await
agree "aqu-sz" "aqu-sz" aqu_sz
agree "%util" "util" util
wkb=$(printf '%s' "$sk" | jq -r '.wkb_s')
check "the writes were seen (wkB/s $wkb >= 16384 kB / 3 s)" awk -v v="$wkb" 'BEGIN { exit !(v >= 5000) }'

done_testing
