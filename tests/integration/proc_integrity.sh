#!/usr/bin/env bash
# proc_integrity.sh - running programs cross-checked against the integrity
# baseline: a program changed after "fim init" and then run is CRITICAL
# proc-exe-changed in "ps --suspicious" and "check", naming its PID; an
# unchanged running program is not reported; a baseline that fails its
# signature makes the cross-check UNKNOWN, never silently OK.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed"
[ "$(id -u)" = 0 ] || skip_all "needs root (a program directory outside /tmp)"

# Not under /tmp: a program run from there is another finding.
D=$(mktemp -d /opt/sakimori-integrity.XXXXXX)
cleanup "rm -rf '$D'"
cp /bin/sleep "$D/daemon"
cp /bin/sleep "$D/trojan"
chmod 755 "$D" "$D/daemon" "$D/trojan"
mkdir -p "$SAKIMORI_STATE_DIR"
echo "check fim { workers 1; nice 0 }" > "$TMP/fim.conf"
export SAKIMORI_CONFIG="$TMP/fim.conf"

run "$SAKIMORI" fim keygen
check_eq "fim keygen" 0 "$RC"
run "$SAKIMORI" fim init "$D"
check_eq "fim init of the program directory" 0 "$RC"

# After the baseline: one program gains a byte (an ELF still runs with
# trailing bytes), as a trojan replacing it would change its content.
printf 'x' >> "$D/trojan"
"$D/daemon" 300 &
good=$!
"$D/trojan" 300 &
bad=$!
cleanup "kill $good $bad"
sleep 0.3

changed() {	# changed JSON: the proc-exe-changed findings, one per line
	printf '%s\n' "$1" | jq -c 'select(.check == "proc-exe-changed")'
}

run "$SAKIMORI" ps --suspicious --no-hidden --json
f=$(changed "$OUT")
check_match "ps --suspicious: the changed program is CRITICAL" \
    '"severity":"CRITICAL"' "$f"
check_eq "ps --suspicious: one finding, about the changed program" \
    "$D/trojan" "$(printf '%s\n' "$f" | jq -r .subject)"
check_eq "ps --suspicious: it names the running process" "$bad" \
    "$(printf '%s\n' "$f" | jq -r '.evidence.pid')"
check_match "ps --suspicious: the class is fim check's" \
    '"class":"changed-program"' "$f"
check_match "ps --suspicious: both digests are given" \
    '"baseline_hash":"[0-9a-f]{64}".*"hash":"[0-9a-f]{64}"' "$f"
check_eq "ps --suspicious exits CRITICAL" 2 "$RC"

run "$SAKIMORI" check --json
f=$(changed "$OUT")
check_eq "check: the changed program, and only it" "$D/trojan" \
    "$(printf '%s\n' "$f" | jq -r .subject)"
check_match "check: CRITICAL" '"severity":"CRITICAL"' "$f"

# fim check agrees on the file.
run "$SAKIMORI" fim check --json
check_match "fim check reports the same file as changed-program" \
    "changed-program" "$(printf '%s\n' "$OUT" | grep -F "$D/trojan")"

# Disabled in the configuration: not compared.
echo "check proc-exe-changed { disable }" >> "$TMP/fim.conf"
run "$SAKIMORI" ps --suspicious --no-hidden --json
check_eq "disabled: no proc-exe-changed finding" "" "$(changed "$OUT")"
echo "check fim { workers 1; nice 0 }" > "$TMP/fim.conf"

refused() {	# refused LABEL PATTERN: the cross-check says it could not look
	run "$SAKIMORI" ps --suspicious --no-hidden --json
	f=$(changed "$OUT")
	check_match "$1: the cross-check is UNKNOWN" "$2" "$f"
	check_nomatch "$1: no verdict about the programs" \
	    "\"subject\":\"$D/trojan\"" "$f"
}

# A damaged record of the trusted key: fim check refuses the baseline, and
# so does the cross-check, with the same words.
pin="$SAKIMORI_STATE_DIR/fim-trusted-key"
cp -p "$pin" "$TMP/pin"
echo "SHA256:not-a-fingerprint" > "$pin"
run "$SAKIMORI" fim check
check_eq "damaged key record: fim check is CRITICAL" 2 "$RC"
refused "damaged key record" '"severity":"UNKNOWN".*damaged'
cp -p "$TMP/pin" "$pin"

# Without libcrypto the baseline cannot be verified: UNKNOWN, naming it.
export SAKIMORI_DYNLIB_FAIL=crypto
refused "without libcrypto" '"severity":"UNKNOWN".*libcrypto'
unset SAKIMORI_DYNLIB_FAIL

# A baseline altered after signing: not trusted, and not silently OK.
sed -i "s|$D/daemon|$D/daemoN|" "$SAKIMORI_STATE_DIR/fim/baseline"
refused "altered baseline" '"severity":"UNKNOWN"'

# Without a baseline there is nothing to compare with: no finding.
rm -rf "$SAKIMORI_STATE_DIR/fim"
run "$SAKIMORI" ps --suspicious --no-hidden --json
check_eq "no baseline: no proc-exe-changed finding" "" "$(changed "$OUT")"

done_testing
