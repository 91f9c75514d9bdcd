#!/usr/bin/env bash
# status.sh - "sakimori status": its figures agree with uptime, free -k,
# df -kP, vmstat, iostat -dx and who taken at the same moment; it works on
# fixture trees (vanished, malformed entries) and under a real hidepid
# procfs, counting what it skips instead of failing.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
for t in uptime free df vmstat iostat who; do
	command -v $t >/dev/null || skip_all "$t is not installed"
done

# Numeric comparisons are queued and run by one awk at the end of each
# part (a process per comparison is slow on a busy machine).
NEAR=()
# near DESC A B REL ABS: |A-B| <= max(REL * |B|, ABS)
near() { NEAR+=("$1"$'\t'"near"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$5"); }
# within DESC A LO HI SLACK: A in [min(LO,HI) - SLACK, max(LO,HI) + SLACK]
within() { NEAR+=("$1"$'\t'"within"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"$5"); }
flush() {
	local line
	[ ${#NEAR[@]} -gt 0 ] || return 0
	while IFS=$'\t' read -r res desc; do
		if [ "$res" = ok ]; then ok "$desc"; else not_ok "$desc" "$res"; fi
	done < <(printf '%s\n' "${NEAR[@]}" | awk -F'\t' '
		function num(x) { return x ~ /^-?[0-9.]+(e-?[0-9]+)?$/ }
		{
			if (!num($3) || !num($4) || !num($5)) { print "not numbers: " $3 " " $4 " " $5 "\t" $1; next }
			if ($2 == "near") {
				d = $3 - $4; if (d < 0) d = -d
				t = $5 * ($4 < 0 ? -$4 : $4); if (t < $6) t = $6
				r = d <= t
				why = "|" $3 " - " $4 "| > " t
			} else {
				lo = $4 < $5 ? $4 : $5; hi = $4 < $5 ? $5 : $4
				r = $3 >= lo - $6 && $3 <= hi + $6
				why = $3 " not in [" lo - $6 ", " hi + $6 "]"
			}
			print (r ? "ok" : why) "\t" $1
		}')
	NEAR=()
}
# load JSON lines into V[TYPE[KEY].FIELD]=VALUE (one jq run)
declare -A V
load() {
	V=()
	local k v
	while IFS=$'\t' read -r k v; do V[$k]=$v; done < <(printf '%s\n' "$1" | jq -r '
	    . as $o | ((if $o.type == "disk.io" then "disk" else $o.type end) + (
	    if $o.type == "filesystem" then "[" + $o.mount + "]"
	    elif $o.type == "disk.io" then "[" + $o.device + "]"
	    elif $o.type == "cpu" then "[" + ($o.cpu | tostring) + "]"
	    elif $o.type == "user" then "[" + $o.tty + "]"
	    elif $o.type == "process" then "[" + ($o.pid | tostring) + "]"
	    else "" end)) as $k | $o | to_entries[] |
	    "\($k).\(.key)\t\(.value)"')
}
# bytes as KiB (free, df and vmstat count in KiB); rates keep fractions
kib() { awk -v a="$1" 'BEGIN{print a / 1024}'; }
# words of a line into array W (W[1] is the first)
words() { read -r -a W <<< "$1"; W=("" "${W[@]}"); }

# ---- uptime, who, free -k, df -kP, bracketed by the same tools ----
U1=$(uptime); W1=$(who | wc -l); F1=$(free -k); D1=$(df -kP)
run "$SAKIMORI" status --json --interval 0
J=$OUT
U2=$(uptime); F2=$(free -k)
check "status --json exits with a health status ($RC)" [ "$RC" -le 3 ]
check "every line is a JSON object with a type" \
	sh -c 'printf "%s\n" "$1" | jq -e -s "all(.type != null)" >/dev/null' _ "$J"
load "$J"

words "$(printf '%s' "${U1#*load average: }" | tr -d ',')"; L1=("${W[@]}")
words "$(printf '%s' "${U2#*load average: }" | tr -d ',')"; L2=("${W[@]}")
within "load1 ${V[host.load1]} agrees with uptime" "${V[host.load1]}" "${L1[1]}" "${L2[1]}" 0.011
within "load5 ${V[host.load5]} agrees with uptime" "${V[host.load5]}" "${L1[2]}" "${L2[2]}" 0.011
within "load15 ${V[host.load15]} agrees with uptime" "${V[host.load15]}" "${L1[3]}" "${L2[3]}" 0.011
check_eq "users: as many as who lists" "$W1" "${V[host.users]}"
read -r up_s _ < /proc/uptime
near "uptime_seconds is the kernel's uptime" "${V[host.uptime_seconds]}" "$up_s" 0.01 2

row() { printf '%s\n' "$1" | while read -r a rest; do [ "$a" = "$2" ] && echo "$rest"; done; }
words "$(row "$F1" Mem:)"; M1=("${W[@]}")
words "$(row "$F2" Mem:)"; M2=("${W[@]}")
words "$(row "$F1" Swap:)"; S1=("${W[@]}")
words "$(row "$F2" Swap:)"; S2=("${W[@]}")
check_eq "memory total = free's total" "${M1[1]}" "$(( ${V[memory.total_bytes]} / 1024 ))"
check_eq "swap total = free's total" "${S1[1]}" "$(( ${V[memory.swap_total_bytes]} / 1024 ))"
# free(1) columns: total used free shared buff/cache available.  Between
# the runs other processes allocate and free: each figure must lie
# between free's before and after, give or take 1% of the total memory.
i=2
for k in used_bytes free_bytes shared_bytes buff_cache_bytes available_bytes; do
	within "memory $k ${V[memory.$k]} agrees with free -k (${M1[$i]} .. ${M2[$i]}) within 1% of total" \
		"$(( ${V[memory.$k]} / 1024 ))" "${M1[$i]}" "${M2[$i]}" "$(( M1[1] / 100 + 1 ))"
	i=$((i + 1))
done
within "swap used agrees with free -k" "$(( ${V[memory.swap_used_bytes]} / 1024 ))" "${S1[2]}" "${S2[2]}" "$(( S1[1] / 100 + 1 ))"
within "swap free agrees with free -k" "$(( ${V[memory.swap_free_bytes]} / 1024 ))" "${S1[3]}" "${S2[3]}" "$(( S1[1] / 100 + 1 ))"

# df -kP: the same filesystems, sizes exact, used/avail within 1%,
# Capacity = our used_pct rounded up (df rounds up).
dfm=$(printf '%s\n' "$D1" | awk 'NR > 1 {print $6}' | sort)
ours=$(printf '%s\n' "${!V[@]}" | sed -n 's/^filesystem\[\(.*\)\]\.mount$/\1/p' | sort)
check_eq "the filesystems df -kP lists" "$dfm" "$ours"
while read -r src size used avail cap mnt; do
	f="filesystem[$mnt]"
	[ -n "${V[$f.size_bytes]:-}" ] || continue
	check_eq "df $mnt: size" "$size" "$(( ${V[$f.size_bytes]} / 1024 ))"
	near "df $mnt: used within 1% ($used)" "$(( ${V[$f.used_bytes]} / 1024 ))" "$used" 0.01 1024
	near "df $mnt: available within 1% ($avail)" "$(( ${V[$f.available_bytes]} / 1024 ))" "$avail" 0.01 1024
	pct=${V[$f.used_pct]}
	up=$(awk -v p="$pct" 'BEGIN{c = int(p); if (c < p) c++; print c}')
	near "df $mnt: capacity $cap vs $pct rounded up" "$up" "${cap%\%}" 0 1
done < <(printf '%s\n' "$D1" | tail -n +2)
flush

# ---- vmstat 1 2 and iostat -dx 1 2, started together with status: their
# ---- first report is the average since boot, as status --interval 0
# ---- taken at the same moment; their second covers about the same second
# ---- as status --interval 1 started right after.  vmstat divides its
# ---- first-line rates by the CPU time of all CPUs, so they are ours
# ---- divided by the CPU count.
vmstat 1 2 > "$TMP/vm2" &
vpid=$!
iostat -dx 1 2 > "$TMP/io2" &
ipid=$!
J0=$("$SAKIMORI" status --json --interval 0 --top 0)
J1=$("$SAKIMORI" status --json --interval 1 --top 0)
wait $vpid $ipid
VM=$(sed -n 3p "$TMP/vm2")
IO=$(awk '/^Device/ {n++} n == 1' "$TMP/io2")
IO2=$(awk '/^Device/ {n++} n == 2' "$TMP/io2")
load "$J0"
ncpu=${V[host.cpus]}
words "$VM"
# vmstat columns: r b swpd free buff cache si so bi bo in cs us sy id wa st
near "vmstat us (since boot) ${W[13]} vs ${V[cpu[all].user]}" "${V[cpu[all].user]}" "${W[13]}" 0 1.01
near "vmstat sy (since boot) ${W[14]} vs ${V[cpu[all].system]}" "${V[cpu[all].system]}" "${W[14]}" 0 1.01
near "vmstat id (since boot) ${W[15]} vs ${V[cpu[all].idle]}" "${V[cpu[all].idle]}" "${W[15]}" 0 1.01
near "vmstat wa (since boot) ${W[16]} vs ${V[cpu[all].iowait]}" "${V[cpu[all].iowait]}" "${W[16]}" 0 1.01
pc() { awk -v a="$1" -v n="$ncpu" 'BEGIN{print a / n}'; }
near "vmstat bi ${W[9]} = pgpgin/s per CPU" "$(pc "$(kib "${V[memory.pgpgin_bytes_per_second]}")")" "${W[9]}" 0.02 1
near "vmstat bo ${W[10]} = pgpgout/s per CPU" "$(pc "$(kib "${V[memory.pgpgout_bytes_per_second]}")")" "${W[10]}" 0.02 1
near "vmstat in ${W[11]} = interrupts/s per CPU" "$(pc "${V[system.interrupts_per_second]}")" "${W[11]}" 0.02 1
near "vmstat cs ${W[12]} = context switches/s per CPU" "$(pc "${V[system.context_switches_per_second]}")" "${W[12]}" 0.02 1
# vmstat's si and so are kB per second; ours are pages per second
pkb=$(( $(getconf PAGESIZE) / 1024 ))
near "vmstat si (since boot) ${W[7]} = pages swapped in/s x $pkb kB per CPU" \
	"$(pc "$(awk -v a="${V[memory.swapin_pages_per_second]}" -v k="$pkb" 'BEGIN{print a * k}')")" "${W[7]}" 0.02 1
near "vmstat so (since boot) ${W[8]} = pages swapped out/s x $pkb kB per CPU" \
	"$(pc "$(awk -v a="${V[memory.swapout_pages_per_second]}" -v k="$pkb" 'BEGIN{print a * k}')")" "${W[8]}" 0.02 1
# vmstat's memory columns are one sample, a moment apart from ours, while
# other tests make and delete files: 1% of total memory, as for free -k
mem1pc=$(( M1[1] / 100 + 1 ))
near "vmstat free ${W[4]} within 1% of total memory" "$(kib "${V[memory.free_bytes]}")" "${W[4]}" 0.01 "$mem1pc"
near "vmstat buff+cache within 1% of total memory" "$(kib "${V[memory.buff_cache_bytes]}")" "$(( W[5] + W[6] ))" 0.01 "$mem1pc"
near "vmstat swpd" "$(kib "${V[memory.swap_used_bytes]}")" "${W[3]}" 0.01 1024

idev=$(printf '%s\n' "$IO" | awk '/^Device/ {h = 1; next} h && NF > 1 {print $1}' | sort)
ours=$(printf '%s\n' "${!V[@]}" | sed -n 's/^disk\[\(.*\)\]\.device$/\1/p' | sort)
check_eq "the devices iostat -dx lists" "$idev" "$ours"
# iostat -dx (sysstat 12): columns found by their header names
words "$(printf '%s\n' "$IO" | grep -m1 '^Device')"; H=("${W[@]}")
while read -r line; do
	words "$line"
	dev=${W[1]}
	[ -n "${V[disk[$dev].device]:-}" ] || continue
	# iostat's column, our field, and what ours is multiplied by to be
	# in iostat's unit (kB, ms)
	for pair in "r/s reads_per_second 1" "w/s writes_per_second 1" \
	    "rkB/s read_bytes_per_second 0.0009765625" \
	    "wkB/s write_bytes_per_second 0.0009765625" \
	    "rrqm/s read_merges_per_second 1" "wrqm/s write_merges_per_second 1" \
	    "r_await read_await_seconds 1000" "w_await write_await_seconds 1000" \
	    "aqu-sz queue_length 1" "%util util_pct 1"; do
		set -- $pair
		for ((c = 1; c < ${#H[@]}; c++)); do
			[ "${H[$c]}" = "$1" ] || continue
			o=$(awk -v a="${V[disk[$dev].$2]}" -v m="$3" 'BEGIN{print a * m}')
			near "iostat $dev $1 ${W[$c]} vs $o" "$o" "${W[$c]}" 0.01 0.011
		done
	done
done < <(printf '%s\n' "$IO" | awk '/^Device/ {h = 1; next} h && NF > 1')
flush

# The second reports and status --interval 1 sample nearly (not exactly)
# the same second of a machine that other programs keep busy: the figures
# must be of the same size, not equal.
load "$J1"
words "$(sed -n 4p "$TMP/vm2")"
near "the 1 s sample: CPU idle ${V[cpu[all].idle]} near vmstat's ${W[15]} (about the same second)" "${V[cpu[all].idle]}" "${W[15]}" 0 15
near "the sample's interval is about 1 s" "${V[host.interval_seconds]}" 1 0 0.3
idev2=$(printf '%s\n' "$IO2" | awk '/^Device/ {h = 1; next} h && NF > 1 {print $1}' | sort)
check_eq "iostat's second report lists the same devices" "$idev2" \
	"$(printf '%s\n' "${!V[@]}" | sed -n 's/^disk\[\(.*\)\]\.device$/\1/p' | sort)"
words "$(printf '%s\n' "$IO2" | grep -m1 '^Device')"; H=("${W[@]}")
while read -r line; do
	words "$line"
	dev=${W[1]}
	[ -n "${V[disk[$dev].device]:-}" ] || continue
	for ((c = 1; c < ${#H[@]}; c++)); do
		[ "${H[$c]}" = "%util" ] || continue
		near "iostat $dev %util over about the same second ${W[$c]} vs ${V[disk[$dev].util_pct]}" "${V[disk[$dev].util_pct]}" "${W[$c]}" 0 25
	done
done < <(printf '%s\n' "$IO2" | awk '/^Device/ {h = 1; next} h && NF > 1')
flush

# ---- who on a utmp with sessions (fixture tree) ----
FX=$FIXTURES/proc/modern
run "$SAKIMORI" status --json --root "$FX" --interval 0
J=$OUT
load "$J"
who "$FX/run/utmp" | awk '{print $1, $2, $3 " " $4}' > "$TMP/who"
printf '%s\n' "$J" | jq -r 'select(.type=="user") | "\(.user) \(.tty) \(.login_time | fromdateiso8601)"' |
	while read -r u t e; do echo "$u $t $(date -d "@$e" '+%Y-%m-%d %H:%M')"; done > "$TMP/ours"
check_eq "who's sessions and ours (user, tty, login time)" "$(cat "$TMP/who")" "$(cat "$TMP/ours")"
check_eq "the remote host" "192.0.2.10" "${V[user[pts/0].from]}"

# ---- bad input: vanished, malformed, unreadable entries are counted ----
check "fixture: status exits with a health status ($RC)" [ "$RC" -le 3 ]
check_eq "fixture: six processes kept" 6 "${V[processes.count]}"
check_eq "fixture: two vanished PIDs counted" 2 "${V[processes.vanished]}"
check_eq "fixture: one malformed stat counted" 1 "${V[processes.malformed]}"
check_eq "fixture: the old kernel's missing fields are tolerated" "www-data" "${V[process[1234].user]}"
run "$SAKIMORI" status --root "$FX" --interval 0 --top 50
check_match "the table says what it skipped" "skipped: 2 vanished while read, 0 unreadable, 1 malformed" "$OUT"
check_nomatch "no raw escape character reaches the terminal" $'\x1b' "$OUT"
check_match "the escape is shown escaped" '\./evil \\x1b\]0;pwned\\x07' "$OUT"
run "$SAKIMORI" status --json --root "$FIXTURES/proc/old" --interval 0
load "$OUT"
check "an old kernel's tree: status works ($RC)" [ "$RC" -le 3 ]
check_eq "old kernel: available memory is estimated" true "${V[memory.available_estimated]}"
check_eq "old kernel: a stat without vsize/rss is kept" 0 "${V[process[2000].rss_bytes]}"
run "$SAKIMORI" status --json --root "$TMP/nothing" --interval 0
check_eq "an empty root: every section unreadable, exit UNKNOWN" 3 "$RC"
check_match "each unreadable section is an error line" '"type":"error","schema":2,"section":"memory"' "$OUT"

# A real procfs with hidepid=1 in a private mount namespace, read as
# nobody: other users' processes are listed but unreadable.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v setpriv >/dev/null; then
	mkdir -p "$TMP/hp/proc"
	cp "$SAKIMORI" "$TMP/hp/sakimori"
	chmod 755 "$TMP" "$TMP/hp" "$TMP/hp/sakimori"
	chmod 644 "$TMP/empty.conf"
	sleep 300 &
	spid=$!
	cleanup "kill $spid"
	OUT=$(unshare -m sh -c 'mount -t proc -o hidepid=1 proc "$1/hp/proc" &&
		exec setpriv --reuid=65534 --regid=65534 --clear-groups \
		env SAKIMORI_STATE_DIR=/nonexistent "$1/hp/sakimori" status \
		--json --interval 0 --top 1000 --root "$1/hp" -f "$1/empty.conf"' _ "$TMP" 2>"$TMP/hp.err")
	RC=$?
	if [ -z "$OUT" ] && grep -q mount "$TMP/hp.err"; then
		echo "# cannot mount procfs here: $(cat "$TMP/hp.err")"
	else
		load "$OUT"
		check "hidepid: status exits with a health status ($RC)" [ "$RC" -le 3 ]
		check "hidepid: root's processes counted as unreadable (${V[processes.unreadable]:-})" \
			[ "${V[processes.unreadable]:-0}" -gt 0 ]
		check_eq "hidepid: root's sleep is not shown" "" "${V[process[$spid].pid]:-}"
	fi
fi

# ---- vanishing for real: processes that exit while status reads them ----
( for i in $(seq 200); do /bin/true & done; wait ) &
churn=$!
cleanup "kill $churn"
worst=0
for i in 1 2 3 4 5; do
	"$SAKIMORI" status --json --interval 0 --top 3 > "$TMP/churn.json"
	rc=$?
	[ $rc -gt $worst ] && worst=$rc
done
wait $churn
check "status never fails while processes come and go (worst exit $worst)" [ "$worst" -le 3 ]
check "its output stays valid JSON" jq -e . "$TMP/churn.json" >/dev/null

# ---- usage ----
run "$SAKIMORI" status --interval abc
check_eq "a bad interval is a usage error" 64 "$RC"
run "$SAKIMORI" status --bogus
check_eq "an unknown option is a usage error" 64 "$RC"
run "$SAKIMORI" status --help
check_match "--help says what --interval 0 means" "since boot" "$OUT"

flush
done_testing
