#!/usr/bin/env bash
# memory_leak.sh - the memory-leak check on a real process whose memory
# grows 10 MiB a second (grower.py): the one-shot "sakimori check" has no
# samples between runs and says nothing about it, though the check is
# enabled and the process grows; the agent, with the window shortened to
# 20 s and the check run every second, opens a problem naming the
# process while it grows, and resolves it once the growth stops
# (SIGUSR1: the grower keeps what it has and sleeps).
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
GROWER=$(dirname "$0")/grower.py

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

check_match "memory-leak is enabled by default" '^#   memory-leak +enabled' \
	"$("$SAKIMORI" config check -f "$TMP/empty.conf")"

# the interpreter itself, not lib.sh's function: $! is then the grower
PY=$(type -P python3) || skip_all "python3 is not installed"
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3
"$PY" "$GROWER" 10 &
G=$!
cleanup "kill $G"
sleep 1
R0=$(rss_kb "$G")

# ---- one-shot runs while it grows: nothing ----
for i in 1 2 3; do
	run "$SAKIMORI" check --json --interval 0
	check_eq "one-shot run $i: no memory-leak finding" "" \
		"$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="memory-leak")')"
	sleep 1
done
R1=$(rss_kb "$G")
check "the grower grew meanwhile ($R0 kB -> $R1 kB)" [ "$((R1 - R0))" -ge 20000 ]
kill "$G"
wait "$G" 2>/dev/null

# ---- the agent: named while it grows, resolved after it stops ----
# every other check disabled: the machine's own findings are not ours
"$SAKIMORI" config check -f "$TMP/empty.conf" |
	sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/check \1 { disable }/p' |
	grep -v '^check memory-leak ' > "$TMP/agent.conf"
echo 'check memory-leak { window 20s every 1s clear 3s flap-changes 0 }' >> "$TMP/agent.conf"
"$PY" "$GROWER" 10 &
G=$!
cleanup "kill $G"
"$SAKIMORI" agent -f "$TMP/agent.conf" --state-dir "$TMP/agent-state" \
	--run-dir "$TMP/run" --json > "$TMP/events" 2> "$TMP/agent.err" &
A=$!
cleanup "kill $A"
wait_for() {	# wait_for SECONDS COMMAND... -- until it succeeds
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.2
	done
}
# ours EVENT: the grower's memory-leak events of that kind, one JSON each
ours() {
	jq -c --arg s "pid $G" --arg e "$1" \
		'select(.type == "alert" and .check == "memory-leak" and .subject == $s and .event == $e)' \
		"$TMP/events" 2>/dev/null
}
has() { [ -n "$(ours "$1")" ]; }
check "an open event while it grows" wait_for 60 has open
O=$(ours open | head -1)
check_eq "it names the PID" "$G" "$(jq -r .evidence.pid <<<"$O")"
check_eq "and the command" python3 "$(jq -r .evidence.command <<<"$O")"
check_eq "and the user" "$(id -un)" "$(jq -r .evidence.user <<<"$O")"
check_eq "a WARNING" WARNING "$(jq -r .severity <<<"$O")"
RATE=$(jq -r .evidence.growth_bytes_per_second <<<"$O")
check "the growth rate is about 10 MiB/s ($RATE bytes/s)" \
	awk -v r="$RATE" 'BEGIN { exit !(r > 7 * 1048576 && r < 13 * 1048576) }'
check_match "the message gives the rate and the time left" \
	"pid $G, user .*grows steadily by [0-9.]+ MiB/s.*exhausted in" "$(jq -r .message <<<"$O")"
check "the grower was growing when it was named" kill -0 "$G"
kill -USR1 "$G"
STOP=$(date -u +%s)
# the last event of the problem: a resolve, told after the growth stopped
resolved() {
	local last
	last=$(jq -r --arg s "pid $G" \
		'select(.type == "alert" and .check == "memory-leak" and .subject == $s) | "\(.event) \(.time)"' \
		"$TMP/events" 2>/dev/null | tail -1)
	[ "${last%% *}" = resolve ] &&
		[ "$(date -u -d "${last#* }" +%s)" -ge "$STOP" ]
}
check "the problem resolves after the growth stops" wait_for 60 resolved
R2=$(rss_kb "$G")
sleep 3
check "the grower holds its memory, not growing ($R2 kB)" \
	[ "$(( $(rss_kb "$G") - R2 ))" -lt 2048 ]
check_eq "and it is still running" 0 "$(kill -0 "$G"; echo $?)"
kill "$A"
wait "$A"
check_eq "the agent ends with 0 on SIGTERM" 0 "$?"

done_testing
