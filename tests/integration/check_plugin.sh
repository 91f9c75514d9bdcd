#!/usr/bin/env bash
# check_plugin.sh - "sakimori check" as a Nagios plugin on the command
# line: NAME... runs only those checks (a proc-* id only its own findings),
# -w/-c set one check's thresholds and are checked as the configuration
# is, -t ends a long run with UNKNOWN, -V prints the version; every usage
# error is 64, or one UNKNOWN line and 3 with --nagios.
. "$(dirname "$0")/lib.sh"

version=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$SRCDIR/meson.build")
run "$SAKIMORI" check -V
check_eq "check -V: the version" "sakimori $version" "$OUT"
run "$SAKIMORI" -V
check_eq "sakimori -V: the version" "sakimori $version" "$OUT"

# ---- only the named checks -------------------------------------------------
printf 'check load { warning 0 critical 1000 }\ncheck memory { warning 100%% critical 0%% }\n' >"$TMP/warn.conf"
( while :; do :; done ) &	# the 1-minute load above 0.00
spin=$!
cleanup "kill $spin"
sleep 1
run "$SAKIMORI" -f "$TMP/warn.conf" check --interval 0 --json load
check_eq "check load: WARNING (exit 1)" 1 "$RC"
check_eq "check load: only load's findings" '"load"' \
    "$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding") | .check' | sort -u)"
check_eq "check load: only load's perfdata" "load1 load15 load5 load_per_cpu" \
    "$(printf '%s\n' "$OUT" | jq -r 'select(.type=="summary") | .perfdata | keys | join(" ")')"
run "$SAKIMORI" -f "$TMP/warn.conf" check --interval 0 --json memory load
check_eq "check memory load: both, in registry order" '"load","memory"' \
    "$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding") | .check' | paste -sd,)"

# a proc-* id: its own findings, not those of the checks run with it
cp /bin/sleep "$TMP/skmr-plugin-sleep"
"$TMP/skmr-plugin-sleep" 300 &
pid=$!
cleanup "kill $pid"
# deleted once it runs: before its execve the child is still bash, and
# removing the file then leaves nothing to run
for _ in $(seq 100); do
	[ "$(readlink "/proc/$pid/exe")" = "$TMP/skmr-plugin-sleep" ] && break
	sleep 0.1
done
rm "$TMP/skmr-plugin-sleep"
sleep 0.2
procs() { printf '%s\n' "$OUT" | jq -r --arg s "pid $pid" 'select(.type=="finding" and .subject==$s) | .check' | sort -u | paste -sd' '; }
run "$SAKIMORI" check --interval 0 --json
check_match "a full run: the deleted /tmp program is proc-exe-deleted" "proc-exe-deleted" "$(procs)"
check_match "a full run: ...and proc-exe-location" "proc-exe-location" "$(procs)"
run "$SAKIMORI" check --interval 0 --json proc-exe-location
check_eq "check proc-exe-location: only that finding of the process" "proc-exe-location" "$(procs)"
run "$SAKIMORI" check --interval 0 --json proc-exe-deleted
check_eq "check proc-exe-deleted: only that one" "proc-exe-deleted" "$(procs)"

# ---- -w / -c ---------------------------------------------------------------
run "$SAKIMORI" check --interval 0 --nagios load -w 1000 -c 2000
check_eq "load -w 1000 -c 2000: OK" 0 "$RC"
check_match "the thresholds given are in the perfdata" "load_per_cpu=[0-9.]+;1000;2000;0;$" "$OUT"
run "$SAKIMORI" -f "$TMP/warn.conf" check --interval 0 --nagios load -c 0
check_eq "-c alone over the configuration's: CRITICAL" 2 "$RC"
check_match "-c alone: the configured warning stays" "load_per_cpu=[0-9.]+;0;0;0;$" "$OUT"
run "$SAKIMORI" check --interval 0 --nagios memory -w 100 -c 99.99
check_eq "memory -w 100 -c 99.99: CRITICAL" 2 "$RC"
check_match "a lower bound is a range in the perfdata" "mem_available=[0-9.]+%;100:;99.99:;0;100$" "$OUT"

# ---- usage errors ----------------------------------------------------------
usage() {	# usage LABEL REGEX ARGS...: 64 with the message, 3 with --nagios
	local label=$1 re=$2
	shift 2
	run "$SAKIMORI" check --interval 0 "$@"
	check_eq "$label: exit 64" 64 "$RC"
	check_match "$label: says why" "^sakimori check: $re" "$ERR"
	run "$SAKIMORI" check --interval 0 --nagios "$@"
	check_eq "$label --nagios: exit 3" 3 "$RC"
	check_eq "$label --nagios: one line" 1 "$(printf '%s\n' "$OUT" | wc -l)"
	check_match "$label --nagios: UNKNOWN" "^SAKIMORI UNKNOWN - $re" "$OUT"
}
usage "an unknown name" "unknown check 'nosuch'; one of: load swap-activity memory .*proc-exe-location .* fim$" nosuch
usage "-w with two names" "-w and -c want exactly one check NAME" -w 1 load memory
usage "-w without a name" "-w and -c want exactly one check NAME" -w 1
usage "-w not a number" "-w and -c want a number, got '1 } check x \\{'" load -w '1 } check x {'
usage "-c not a number" "-w and -c want a number, got 'x}'" load -c 'x}'
usage "-w out of range" "'warning' must be 0..100" memory -w 200
usage "-w on the wrong side of -c" "check 'memory': warning 1 is below critical 5" memory -w 1 -c 5
usage "-t 0" "-t wants seconds \\(1 to 86400\\), got '0'" -t 0 load

# ---- -t ------------------------------------------------------------------
run "$SAKIMORI" check --interval 10 -t 1 swap-activity
check_eq "-t 1 on a 10 s sample: exit 3" 3 "$RC"
check_eq "-t 1: nothing on stdout" "" "$OUT"
check_eq "-t 1: says so on stderr" "sakimori check: timed out after 1 s" "$ERR"
start=$(date +%s)
run "$SAKIMORI" check --interval 10 -t 2 --nagios swap-activity
check_eq "-t 2 --nagios: one UNKNOWN line" "SAKIMORI UNKNOWN - check timed out after 2 s" "$OUT"
check "-t 2: ended within 5 s" [ $(($(date +%s) - start)) -lt 5 ]

done_testing
