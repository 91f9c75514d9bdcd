#!/usr/bin/env bash
# check_load.sh - "sakimori check" and the load rule for real: CPU spinners
# push the 1-minute load average per CPU above a threshold set just above
# the load now (WARNING, exit 1); once they are gone the load decays below
# it again (exit 0).  The kernel updates the average every 5 s with a 60 s
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
spin=()
for i in $(seq $((ncpu * 2))); do
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
check_eq "$((ncpu * 2)) CPU spinners push the load per CPU above $thr: WARNING (exit 1)" 1 "$RC"
check_match "the load finding gives the load and the CPU count" '"check":"load".*"cpus":"'"$ncpu"'"' "$OUT"
if [ -n "$got" ]; then
	for i in $(seq 100); do
		run "$SAKIMORI" check -f "$TMP/load.conf" --interval 0
		[ "$RC" = 0 ] && break
		sleep 0.5
	done
	check_eq "the spinners gone, the load decays: OK again (exit 0)" 0 "$RC"
fi

done_testing
