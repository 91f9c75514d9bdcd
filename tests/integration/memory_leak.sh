#!/usr/bin/env bash
# memory_leak.sh - the memory-leak check on a real process whose memory
# grows 10 MiB a second (grower.py): the one-shot "sakimori check" has no
# samples between runs and says nothing about it, though the check is
# enabled and the process grows.
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

done_testing
