#!/bin/bash
# disk_smart.sh - SMART through the real smartctl on this machine's disks:
# a disk without SMART (a virtual disk) is said to be one, once, and is
# no error; a missing smartctl is one UNKNOWN, not one per disk; a
# smartctl that hangs is stopped at the timeout.
. "$(dirname "$0")/lib.sh"

SMARTCTL=$(command -v smartctl || ls /usr/sbin/smartctl 2>/dev/null)
[ -n "$SMARTCTL" ] || skip_all "smartmontools not installed (scripts/deps.sh test)"

run "$SAKIMORI" disk --json --no-kernel-log
check_eq "disk runs" 0 "$([ "$RC" -le 2 ] && echo 0 || echo "$RC")"
H=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="disk.health")')
N=$(printf '%s\n' "$H" | grep -c . || true)
check "every disk of this machine has a health line" [ "$N" -ge 1 ]
check_eq "each disk's SMART was read, or the disk has none" "" \
	"$(printf '%s\n' "$H" | jq -r 'select(.smart != "PASSED" and .smart != "FAILED" and .smart != "read" and .smart != "no SMART" and .smart != "asleep") | "\(.device): \(.smart) \(.smart_message)"')"
NONE=$(printf '%s\n' "$H" | jq -r 'select(.smart=="no SMART").device' | xargs)
for d in $NONE; do
	L=$(printf '%s\n' "$H" | jq -c --arg d "$d" 'select(.device==$d)')
	check_eq "$d: no SMART, verdict OK" OK "$(printf '%s' "$L" | jq -r .verdict)"
	check_match "$d: smartctl's own reason is kept" '.' "$(printf '%s' "$L" | jq -r .smart_message)"
done
echo "# disks without SMART here: ${NONE:-none}"

run "$SAKIMORI" disk --no-kernel-log
for d in $NONE; do
	check_eq "$d: said once in the table" 1 \
		"$(printf '%s\n' "$OUT" | grep -cE "^$d +.*no SMART")"
done
check_nomatch "no error about a disk without SMART" 'SMART not read' "$OUT"

run "$SAKIMORI" check --json
S=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="smart")')
for d in $NONE; do
	check_nomatch "check: nothing about $d" "\"subject\":\"$d\"" "$S"
done
check_nomatch "check: no UNKNOWN from SMART" '"severity":"UNKNOWN"' "$S"
run "$SAKIMORI" check --daily --json
check_nomatch "check --daily runs SMART without an error" \
	'"check":"smart".*"severity":"UNKNOWN"|"severity":"UNKNOWN".*"check":"smart"' "$OUT"

# smartctl missing: one UNKNOWN for all disks.
printf 'check smart { smartctl "%s" }\n' "$TMP/no/smartctl" >"$TMP/missing.conf"
run "$SAKIMORI" -f "$TMP/missing.conf" check --json
S=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="smart")')
check_eq "smartctl missing: one finding" 1 "$(printf '%s\n' "$S" | grep -c .)"
check_match "... UNKNOWN, saying so" '"severity":"UNKNOWN".*smartctl not installed' "$S"
run "$SAKIMORI" -f "$TMP/missing.conf" check --daily --json
check_match "check --daily runs the SMART check too" '"check":"smart".*smartctl not installed' "$OUT"
run "$SAKIMORI" -f "$TMP/missing.conf" disk --no-kernel-log
check_eq "disk says it once" 1 "$(printf '%s\n' "$OUT" | grep -c '^smartctl not installed')"
run "$SAKIMORI" disk --no-kernel-log --no-smart --json
check_eq "--no-smart: smartctl is not run" "" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="disk.health" and .smart!="not read").device')"

# A smartctl that does not answer is stopped at the timeout.
printf '#!/bin/sh\nexec sleep 30\n' >"$TMP/slow"
chmod +x "$TMP/slow"
printf 'check smart { smartctl "%s"\n timeout 1 }\n' "$TMP/slow" >"$TMP/slow.conf"
t0=$(date +%s)
run "$SAKIMORI" -f "$TMP/slow.conf" check --json
t1=$(date +%s)
S=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="smart")')
check_match "a hanging smartctl: UNKNOWN after the timeout" 'did not finish in 1 seconds' "$S"
check "... and the check goes on within seconds per disk" [ $((t1 - t0)) -lt $((10 + 2 * N)) ]
check_eq "no sleeping smartctl left behind" "" "$(pgrep -f "$TMP/slow" || true)"

done_testing
