#!/usr/bin/env bash
# check_load.sh - "sakimori check" and the load rule for real: CPU spinners
# push the 1-minute load average per CPU above a threshold set just above
# the load now (WARNING, exit 1); once they are gone the load decays below
# the peak they made (exit 0).  The kernel updates the average every 5 s with a 60 s
# time constant, so the spinners are stopped as soon as the finding shows.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
ncpu=$(getconf _NPROCESSORS_ONLN)
# every other check sakimori knows (other modules add theirs) disabled
"$SAKIMORI" config check -f "$TMP/empty.conf" |
	sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/check \1 { disable }/p' |
	grep -v '^check load ' > "$TMP/base.conf"

# ---- load: spinners against a threshold just above the load now ----
read -r l1 _ < /proc/loadavg
thr=$(awk -v l="$l1" -v n="$ncpu" 'BEGIN{printf "%.2f", l / n + 0.10}')
{ cat "$TMP/base.conf"; echo "check load { warning $thr critical 1000 }"; } > "$TMP/load.conf"
# four spinners per CPU: the load climbs past the threshold within
# seconds even when other jobs that made the load now are finishing
spin=()
for i in $(seq $((ncpu * 4))); do
	( while :; do :; done ) &
	spin+=($!)
	cleanup "kill $!"
done
got=
for i in $(seq 60); do
	run "$SAKIMORI" check -f "$TMP/load.conf" --interval 0 --json
	[ "$RC" = 1 ] && { got=1; break; }
	sleep 0.5
done
kill "${spin[@]}" 2>/dev/null
wait "${spin[@]}" 2>/dev/null
check_eq "$((ncpu * 4)) CPU spinners push the load per CPU above $thr: WARNING (exit 1)" 1 "$RC"
check_match "the load finding gives the load and the CPU count" '"check":"load".*"cpus":'"$ncpu"'[,}]' "$OUT"
if [ -n "$got" ]; then
	# back below the load the spinners made: other jobs on a shared
	# machine may keep the load above where it started, not above its
	# peak with eight more runnable processes
	peak=$(printf '%s\n' "$OUT" | jq -r 'select(.type == "summary") | .perfdata.load_per_cpu')
	below=$(awk -v p="$peak" 'BEGIN{printf "%.2f", p - 0.05}')
	{ cat "$TMP/base.conf"; echo "check load { warning $below critical 1000 }"; } > "$TMP/peak.conf"
	for i in $(seq 240); do
		run "$SAKIMORI" check -f "$TMP/peak.conf" --interval 0
		[ "$RC" = 0 ] && break
		sleep 0.5
	done
	check_eq "the spinners gone, the load decays below their peak: OK again (exit 0)" 0 "$RC"
fi

done_testing
