#!/usr/bin/env bash
# nagios.sh - with --nagios every failure is one "SAKIMORI ... UNKNOWN -
# reason" line on stdout and exit 3, whatever the command and wherever the
# option stands; without it the sysexits statuses are unchanged.
. "$(dirname "$0")/lib.sh"

# nagios_unknown LABEL NAME REASON-REGEX: the last run printed one UNKNOWN
# line of that plugin name and reason, and exited 3.
nagios_unknown() {
	check_eq "$1: exit 3" 3 "$RC"
	check_eq "$1: one line on stdout" 1 "$(printf '%s\n' "$OUT" | wc -l)"
	check_match "$1: the UNKNOWN line says why" "^$2 UNKNOWN - $3" "$OUT"
	check_nomatch "$1: no OK" " OK" "$OUT"
}

# A missing log.
run "$SAKIMORI" logs scan "$TMP/missing.log" --nagios
nagios_unknown "logs scan of a missing log" "SAKIMORI LOGS" "cannot open '$TMP/missing.log': No such file or directory$"
run "$SAKIMORI" logs attacks "$TMP/missing.log" --nagios
nagios_unknown "logs attacks of a missing log" "SAKIMORI LOGS" "cannot open '$TMP/missing.log'"
run "$SAKIMORI" logs scan "$TMP/missing.log"
check_eq "without --nagios a missing log still exits 66" 66 "$RC"

# A configuration error, the option before and after the command.
printf 'check load { warning lots }\ncheck memory { warning 150%% }\n' > "$TMP/bad.conf"
run "$SAKIMORI" --nagios -f "$TMP/bad.conf" check --interval 0
nagios_unknown "a configuration error" "SAKIMORI" "$TMP/bad.conf:[0-9]+: "
check_match "the configuration error is on stderr too" "bad.conf:2: 'warning' must be 0..100" "$ERR"
run "$SAKIMORI" status -f "$TMP/bad.conf" --nagios
nagios_unknown "a configuration error after the command" "SAKIMORI" "$TMP/bad.conf:[0-9]+: "
run "$SAKIMORI" -f "$TMP/bad.conf" check --interval 0
check_eq "without --nagios a configuration error still exits 78" 78 "$RC"

# fim check without a baseline.
run "$SAKIMORI" fim check --nagios
nagios_unknown "fim check without a baseline" "SAKIMORI FIM" "fim: no baseline"

# Usage errors: the subcommand's getopt, an unknown verb, an unknown command.
run "$SAKIMORI" ps --bogus --nagios
nagios_unknown "an unknown option" "SAKIMORI PS" "ps: unrecognized option '--bogus'"
run "$SAKIMORI" logs bogus --nagios
nagios_unknown "an unknown verb" "SAKIMORI LOGS" "unknown verb 'bogus'"
run "$SAKIMORI" --nagios nosuchcommand
nagios_unknown "an unknown command" "SAKIMORI" "unknown command 'nosuchcommand'"

# The kernel log named on the command line is missing.
run "$SAKIMORI" disk --kernel-log "$TMP/missing.log" --nagios
# (an UNKNOWN finding about the file, in the plugin line's usual form)
nagios_unknown "disk --kernel-log of a missing file" "SAKIMORI DISK" "(UNKNOWN: )?cannot open '$TMP/missing.log'"
run "$SAKIMORI" disk --kernel-log "$TMP/missing.log"
check_eq "without --nagios: exit 66" 66 "$RC"
check_nomatch "and no 'no problems found'" "no problems found" "$OUT"

# The reason is untrusted text: escaped, and no '|' (perfdata) in it.
run "$SAKIMORI" logs scan "$TMP/a|b$(printf '\033')[31m.log" --nagios
nagios_unknown "a file name with '|' and ESC" "SAKIMORI LOGS" "cannot open '$TMP/a/b\\\\x1b\\[31m.log'"

# A run that succeeds is untouched.
printf 'Dec  6 05:00:00 host sshd[1]: Accepted publickey for root from 192.0.2.1 port 22 ssh2\n' > "$TMP/auth.log"
run "$SAKIMORI" logs scan "$TMP/auth.log" --nagios
check "a good run keeps its own line and status (rc $RC)" [ "$RC" -le 2 ]
check_match "a good run keeps its own line" "^SAKIMORI LOGS (OK|WARNING|CRITICAL) - " "$OUT"

# One service name per command: SAKIMORI for check and status, SAKIMORI
# COMMAND for the others, on their findings' lines as on their failures'.
run "$SAKIMORI" ps --suspicious --nagios
check_match "ps --suspicious: SAKIMORI PS" "^SAKIMORI PS (OK|WARNING|CRITICAL|UNKNOWN) - " "$OUT"
run "$SAKIMORI" audit apache --nagios "$FIXTURES/apache/audit/backend.conf"
check_match "audit apache: SAKIMORI AUDIT" "^SAKIMORI AUDIT CRITICAL - CRITICAL: server-status handler " "$OUT"
run "$SAKIMORI" audit apache --nagios "$TMP/missing.conf"
nagios_unknown "audit apache of a missing file" "SAKIMORI AUDIT" ".*cannot open configuration file '$TMP/missing.conf'"
run "$SAKIMORI" status --nagios --interval 0
check_match "status: SAKIMORI" "^SAKIMORI (OK|WARNING|CRITICAL|UNKNOWN) - " "$OUT"

done_testing
