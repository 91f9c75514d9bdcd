#!/usr/bin/env bash
# check.sh - "sakimori check" on conditions made for real: a CPU spinner
# against a low load threshold, a process holding memory against an
# available-memory threshold, a nearly full small tmpfs (blocks and
# inodes), a process swapping all the time in a small memory cgroup,
# N sleeping processes of one name against a limit of N-1
# (the CPU spinner is in check_load.sh: the load average takes its time).
# Each must give the matching finding and exit status, and exit 0 again
# once the condition is removed.  Only the check under test is enabled in
# each part, so the rest of a busy machine cannot change the answer.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"

# Every check sakimori knows (other modules add theirs), from the
# effective list that "config check" prints.
ALL_CHECKS=$("$SAKIMORI" config check -f "$TMP/empty.conf" |
	sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/\1/p')
check "config check lists the built-in checks" \
	sh -c 'for c in load swap-activity memory fs-blocks fs-inodes process-count; do
		printf "%s\n" "$1" | grep -qx "$c" || exit 1; done' _ "$ALL_CHECKS"
# conf FILE CHECK [extra lines]: a configuration with only CHECK enabled
conf() {
	local f=$1 keep=$2
	shift 2
	{
		for c in $ALL_CHECKS; do
			[ "$c" = "$keep" ] || echo "check $c { disable }"
		done
		printf '%s\n' "$@"
	} > "$f"
}
ncpu=$(getconf _NPROCESSORS_ONLN)

# ---- process-count: N sleepers named skmr-sleeper, limit N-1 ----
cp "$(command -v sleep)" "$TMP/skmr-sleeper"
conf "$TMP/procs.conf" process-count 'check process-count "skmr-sleeper" { warning 4 critical 10 }'
pids=()
for i in 1 2 3 4 5; do
	"$TMP/skmr-sleeper" 300 &
	pids+=($!)
	cleanup "kill $!"
done
# each started: a child that has not yet run execve is still "bash"
five() { [ "$(pgrep -c -x skmr-sleeper)" -ge 5 ]; }
for _ in $(seq 100); do five && break; sleep 0.1; done
run "$SAKIMORI" check -f "$TMP/procs.conf" --interval 0 --json
check_eq "5 sleepers against a limit of 4: WARNING (exit 1)" 1 "$RC"
f=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="process-count")')
check_eq "the finding names the process" '"skmr-sleeper"' "$(printf '%s' "$f" | jq .subject)"
check_eq "the finding counts 5" 5 "$(printf '%s' "$f" | jq .evidence.count)"
run "$SAKIMORI" check -f "$TMP/procs.conf" --interval 0 --nagios
check_match "nagios: a WARNING line with the count as perfdata" \
	"^SAKIMORI WARNING - WARNING: 5 processes named 'skmr-sleeper'.*'procs skmr-sleeper'=5;4;10;0;" "$OUT"
kill "${pids[0]}"
wait "${pids[0]}" 2>/dev/null
run "$SAKIMORI" check -f "$TMP/procs.conf" --interval 0
check_eq "4 sleepers: OK again (exit 0)" 0 "$RC"
check_match "the table says so" "no problems found" "$OUT"
kill "${pids[@]}" 2>/dev/null
wait 2>/dev/null

# ---- the built-in httpd/apache2 limit (150) is there without a config ----
conf "$TMP/builtin.conf" process-count
run "$SAKIMORI" check -f "$TMP/builtin.conf" --interval 0 --nagios
check_match "apache2 and httpd are counted against 150 by default" \
	"'procs httpd'=[0-9]+;150;;0; 'procs apache2'=[0-9]+;150;;0;" "$OUT"

# ---- fs-blocks and fs-inodes: a small tmpfs (256 pages, 64 inodes) ----
if [ "$(id -u)" = 0 ]; then
	mnt=$TMP/mnt
	mkdir -p "$mnt"
	if mount -t tmpfs -o size=1m,nr_inodes=64 skmr-test "$mnt"; then
		cleanup "umount -l '$mnt'"
		conf "$TMP/fs.conf" fs-blocks "check fs-blocks { disable }" \
			"check fs-blocks \"$mnt\" { enable }" \
			"check fs-inodes \"$mnt\" { enable }"
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0
		check_eq "an empty tmpfs: OK" 0 "$RC"
		head -c 950000 /dev/zero > "$mnt/fill"
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0 --json
		check_eq "a tmpfs 91% full: WARNING (exit 1)" 1 "$RC"
		head -c 50000 /dev/zero >> "$mnt/fill"
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0 --json
		check_eq "96% full: CRITICAL (exit 2)" 2 "$RC"
		f=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="fs-blocks")')
		check_eq "the finding names the mount point" "\"$mnt\"" "$(printf '%s' "$f" | jq .subject)"
		check_eq "and its device" '"skmr-test"' "$(printf '%s' "$f" | jq .evidence.device)"
		check_eq "no other filesystem is reported" 1 "$(printf '%s\n' "$OUT" | grep -c '"type":"finding"')"
		rm "$mnt/fill"
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0
		check_eq "the file removed: OK again (exit 0)" 0 "$RC"
		# 64 inodes: the root directory and 60 files are 95.3% used
		for i in $(seq 60); do : > "$mnt/f$i"; done
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0 --json
		check_eq "61 of 64 inodes used: CRITICAL (exit 2)" 2 "$RC"
		check_match "the finding is about inodes" '"check":"fs-inodes","subject":"'"$mnt"'"' "$OUT"
		rm -f "$mnt"/f*
		run "$SAKIMORI" check -f "$TMP/fs.conf" --interval 0
		check_eq "the files removed: OK again (exit 0)" 0 "$RC"
	else
		echo "# cannot mount a tmpfs here; filesystem part skipped"
	fi
fi

# ---- memory: a process holding 8% of RAM; the threshold is set half-way
# ---- between what was available before and while it holds the memory,
# ---- so other programs allocating or freeing up to 4% do not matter ----
avail=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
total=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
if [ -n "$avail" ] && [ "$avail" -gt $((total / 5)) ]; then
	hold=$((total * 8 / 100))
	# dd reads that much of /dev/zero into one buffer (the kernel writes
	# every page), then blocks writing it into a FIFO nobody reads.
	mkfifo "$TMP/fifo"
	dd if=/dev/zero of="$TMP/fifo" bs="${hold}K" count=1 iflag=fullblock 2>/dev/null &
	hog=$!
	cleanup "kill $hog"
	sleep 300 < "$TMP/fifo" &
	cleanup "kill $!"
	# wait until it holds the memory
	for i in $(seq 120); do
		rss=$(awk '/^VmRSS:/ {print $2}' /proc/$hog/status 2>/dev/null)
		[ "${rss:-0}" -ge $((hold * 95 / 100)) ] && break
		sleep 0.25
	done
	held=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
	thr=$(awk -v a="$avail" -v b="$held" -v t="$total" 'BEGIN{printf "%.2f", (a + b) / 2 * 100 / t}')
	conf "$TMP/mem.conf" memory "check memory { warning $thr% critical 1% }"
	run "$SAKIMORI" check -f "$TMP/mem.conf" --interval 0 --json
	check_eq "a process holding ${hold} kB (available $avail -> $held kB, threshold $thr%): WARNING (exit 1)" 1 "$RC"
	check_match "the memory finding says how much is available" '"check":"memory".*"available_bytes":[0-9]+[,}]' "$OUT"
	kill $hog
	wait $hog 2>/dev/null
	# The kernel may take a while to give the pages back (an ASan build
	# and a busy machine are slow): up to 30 s.
	for i in $(seq 120); do
		run "$SAKIMORI" check -f "$TMP/mem.conf" --interval 0
		[ "$RC" = 0 ] && break
		sleep 0.25
	done
	check_eq "the process gone: available above $thr% again, OK (exit 0; available now $(awk '/^MemAvailable:/ {print $2}' /proc/meminfo) kB)" 0 "$RC"
else
	echo "# less than 20% of memory available; memory part skipped"
fi

# ---- swap-activity: a process in a memory cgroup of 64 MB that keeps
# ---- touching 128 MB swaps all the time (a swap file of our own) ----
swap_part() {
	local d cg cgv=1 hog pid i
	d=$(mktemp -d /var/tmp/sakimori-swap.XXXXXX) || return 1
	cleanup "rm -rf '$d'"
	dd if=/dev/zero of="$d/swap" bs=1M count=256 status=none &&
		chmod 600 "$d/swap" && mkswap "$d/swap" >/dev/null 2>&1 &&
		swapon "$d/swap" 2>/dev/null || { echo "# swapon failed here"; return 1; }
	cleanup "swapoff '$d/swap'"
	if [ -d /sys/fs/cgroup/memory ] && [ -w /sys/fs/cgroup/memory ]; then
		cg=/sys/fs/cgroup/memory/sakimori-test-$$
		mkdir "$cg" && echo 64M > "$cg/memory.limit_in_bytes" &&
			echo 100 > "$cg/memory.swappiness" || return 1
	elif [ -f /sys/fs/cgroup/cgroup.controllers ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
		cgv=2
		cg=/sys/fs/cgroup/sakimori-test-$$
		echo +memory > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null
		mkdir "$cg" && echo 64M > "$cg/memory.max" || return 1
	else
		echo "# no memory cgroup to limit the test process"
		return 1
	fi
	cleanup "rmdir '$cg'"
	conf "$TMP/swap.conf" swap-activity
	run "$SAKIMORI" check -f "$TMP/swap.conf" --interval 1
	check_eq "swap on, nothing swapping: OK (exit 0)" 0 "$RC"
	sh -c 'echo $$ > "$1/cgroup.procs" && exec perl -e '"'"'
	    my $x = "x" x (128 << 20);
	    for (my $i = 0; ; $i = ($i + 4096) % length($x)) { substr($x, $i, 1, "y") }'"'"'' _ "$cg" &
	hog=$!
	cleanup "kill $hog"
	for i in $(seq 40); do
		[ "$(awk '$1 == "pswpout" {print $2}' /proc/vmstat)" -gt 0 ] 2>/dev/null &&
			[ -n "$(awk '$1 != "Filename" && $4 > 0' /proc/swaps)" ] && break
		sleep 0.25
	done
	run "$SAKIMORI" check -f "$TMP/swap.conf" --interval 1 --json
	check_eq "a process swapping all the time: WARNING (exit 1)" 1 "$RC"
	check_match "the finding gives the pages swapped per second" \
		'"check":"swap-activity","subject":"swap".*"swapout_pages_per_second":[0-9.]+[,}]' "$OUT"
	kill $hog
	wait $hog 2>/dev/null
	for i in 1 2 3; do
		run "$SAKIMORI" check -f "$TMP/swap.conf" --interval 1
		[ "$RC" = 0 ] && break
	done
	check_eq "the process gone: OK again (exit 0)" 0 "$RC"
	return 0
}
if [ "$(id -u)" = 0 ] && command -v mkswap >/dev/null && command -v swapon >/dev/null &&
	[ -z "$(awk 'NR > 1' /proc/swaps)" ]; then
	swap_part || echo "# swap part skipped"
else
	echo "# swap part skipped: not root, no mkswap/swapon, or swap already on"
fi

# ---- output modes and usage ----
conf "$TMP/none.conf" none
run "$SAKIMORI" check -f "$TMP/none.conf" --json --interval 0
check_eq "nothing enabled: exit 0" 0 "$RC"
check_match "--json ends with a summary line" '"type":"summary","schema":2,"severity":"OK"' "$OUT"
run "$SAKIMORI" check --interval -1
check_eq "a negative interval is a usage error" 64 "$RC"
printf 'check load { warning }\n' > "$TMP/bad.conf"
run "$SAKIMORI" check -f "$TMP/bad.conf"
check_eq "a bad configuration exits 78" 78 "$RC"

done_testing
