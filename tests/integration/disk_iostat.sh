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
# No lazy initialisation: its background writes would land in one interval only.
if mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$loop" 2>/dev/null && mkdir "$TMP/mnt" &&
	mount "$loop" "$TMP/mnt" 2>/dev/null; then
	cleanup "umount $TMP/mnt"
	target=$TMP/mnt/data
	sync
fi

# Both take their samples 4 s apart; the I/O happens well inside, so both
# intervals hold all of it whatever the start-up skew between them.  On a
# loaded machine a start can still be late: up to 3 attempts, the last
# one's figures are asserted.
measure() {
	iostat -dx -y -o JSON "$dev" 4 1 > "$TMP/iostat.json" &
	local ip=$!
	"$SAKIMORI" disk --no-kernel-log --interval 4 --json > "$TMP/saki.json" &
	local sp=$!
	sleep 1.5
	dd if=/dev/zero of="$target" bs=64k count=256 oflag=direct conv=fsync status=none
	dd if="$target" of=/dev/null bs=32k count=256 iflag=direct status=none
	wait "$ip"
	wait "$sp"
	io=$(jq -c --arg d "$dev" '.sysstat.hosts[0].statistics[0].disk[] | select(.disk_device==$d)' "$TMP/iostat.json")
	sk=$(jq -c --arg d "$dev" 'select(.type=="disk.io" and .device==$d)' "$TMP/saki.json")
}

# close A B: within 2%, or 0.02 (iostat rounds to 2 decimals)
close() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		d = a - b; if (d < 0) d = -d
		m = a; if (m < 0) m = -m
		exit !(d <= 0.02 * m || d <= 0.02)
	}'
}
# iostat's field:ours, ours converted to iostat's unit (kB, ms)
keys="w/s:writes_per_second r/s:reads_per_second wkB/s:(.write_bytes_per_second/1024) rkB/s:(.read_bytes_per_second/1024) wrqm/s:write_merges_per_second rrqm/s:read_merges_per_second r_await:(.read_await_seconds*1000) w_await:(.write_await_seconds*1000) aqu-sz:queue_length util:util_pct"
# the jq filter for our side of pair k
ours() { case ${1#*:} in "("*) echo "${1#*:}" ;; *) echo ".${1#*:}" ;; esac; }
all_close() {
	local k a b
	for k in $keys; do
		a=$(printf '%s' "$io" | jq -r ".\"${k%%:*}\"")
		b=$(printf '%s' "$sk" | jq -r "$(ours "$k")")
		close "$a" "$b" || return 1
	done
}
for attempt in 1 2 3; do
	measure
	[ -n "$io" ] && [ -n "$sk" ] && all_close && break
	echo "# attempt $attempt: figures differ, measuring again: iostat $io sakimori $sk"
done

check "iostat reported $dev" [ -n "$io" ]
check "sakimori reported $dev" [ -n "$sk" ]
check_match "over a 4 s interval" '"interval_seconds":(3\.9|4\.0)' "$sk"
for k in $keys; do
	a=$(printf '%s' "$io" | jq -r ".\"${k%%:*}\"")
	b=$(printf '%s' "$sk" | jq -r "$(ours "$k")")
	if close "$a" "$b"; then ok "${k%%:*} agrees: iostat $a, sakimori $b"
	else not_ok "${k%%:*} agrees within 2%" "iostat $a, sakimori $b"; fi
done
wkb=$(printf '%s' "$sk" | jq -r '.write_bytes_per_second / 1024')
check "the writes were seen (wkB/s $wkb >= 16384 kB / 4 s)" awk -v v="$wkb" 'BEGIN { exit !(v >= 4000) }'

done_testing
