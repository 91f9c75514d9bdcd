#!/usr/bin/env bash
# units.sh - the units and scheduled jobs behave as admins expect: the
# daily unit's run fails (so OnFailure= fires) when the worst finding
# reaches "set daily-fail-on"; the cron job prints nothing when all is
# well; the expiry timer's "net restore" says nothing when nothing
# expired; a report written to the journal's stream carries each
# finding's priority.  The commands are the ones the built unit and cron
# files run.
. "$(dirname "$0")/lib.sh"
: "${BUILDDIR:?BUILDDIR must name the build directory}"

unit=$BUILDDIR/etc/sakimori-daily.service
cron=$BUILDDIR/etc/sakimori.cron
expire=$BUILDDIR/etc/sakimori-net-expire.service

# conf FILE LINE...: every check off but the lines given
every_check_off() {
	"$SAKIMORI" check nosuchcheck 2>&1 | sed -n 's/.*one of: //p' | tr ' ' '\n' |
	    sed -n 's/^\(.\+\)$/check \1 { disable }/p'
}
conf() {
	local f=$1
	shift
	{ every_check_off; printf '%s\n' "$@"; } >"$f"
}
check "the list of checks is known" [ "$(every_check_off | wc -l)" -gt 10 ]

# ---- the daily unit: fails on CRITICAL by default --------------------------
check_match "the daily unit runs check --daily --unit" \
    "^ExecStart=.*/sakimori check --daily --unit$" "$(cat "$unit")"
check_nomatch "no exit status of a failed run counts as success" \
    "^SuccessExitStatus=" "$(cat "$unit")"

crit='check memory { enable warning 100% critical 100% }'
warn='check memory { enable warning 100% critical 0% }'
conf "$TMP/crit.conf" "$crit"
conf "$TMP/warn.conf" "$warn"
conf "$TMP/crit-never.conf" "$crit" 'set daily-fail-on never'
conf "$TMP/warn-warning.conf" "$warn" 'set daily-fail-on warning'
conf "$TMP/ok.conf" 'check load { enable warning 1000 critical 2000 }'

run "$SAKIMORI" -f "$TMP/crit.conf" check --interval 0 --unit
check_eq "a CRITICAL finding fails the unit (exit 2)" 2 "$RC"
check_match "and is reported" "^CRITICAL +memory " "$OUT"
run "$SAKIMORI" -f "$TMP/warn.conf" check --interval 0 --unit
check_eq "a WARNING does not fail it by default (exit 0)" 0 "$RC"
check_match "but is reported" "^WARNING +memory " "$OUT"
run "$SAKIMORI" -f "$TMP/warn-warning.conf" check --interval 0 --unit
check_eq "daily-fail-on warning: a WARNING fails it (exit 1)" 1 "$RC"
run "$SAKIMORI" -f "$TMP/crit-never.conf" check --interval 0 --unit
check_eq "daily-fail-on never: not even a CRITICAL (exit 0)" 0 "$RC"
run "$SAKIMORI" -f "$TMP/crit.conf" check --interval 0
check_eq "without --unit: the Nagios status (2)" 2 "$RC"
printf 'set daily-fail-on sometimes\n' >"$TMP/bad.conf"
run "$SAKIMORI" -f "$TMP/bad.conf" config check
check_eq "daily-fail-on takes critical, warning or never (exit 78)" 78 "$RC"

# ---- the cron job: quiet when all is well ----------------------------------
cmd=$(grep -v '^#' "$cron" | sed -n 's/.*|| [^ ]*\/sakimori \(check .*\)$/\1/p')
check_eq "the cron job runs check --daily --quiet" "check --daily --quiet" "$cmd"
run env SAKIMORI_CONFIG="$TMP/ok.conf" "$SAKIMORI" $cmd
check_eq "all well: exit 0" 0 "$RC"
check_eq "all well: nothing on stdout (no mail from cron)" "" "$OUT"
check_eq "all well: nothing on stderr" "" "$ERR"
run env SAKIMORI_CONFIG="$TMP/warn.conf" "$SAKIMORI" $cmd
check_eq "a problem: WARNING (exit 1)" 1 "$RC"
check_match "a problem: the report is printed (cron mails it)" "^WARNING +memory " "$OUT"

# ---- the expiry timer: nothing to expire, nothing said --------------------
cmd=$(sed -n 's/^ExecStart=[^ ]*\/sakimori //p' "$expire")
check_eq "the expiry unit runs net restore" "net restore" "$cmd"
if [ "$(id -u)" = 0 ]; then
	run "$SAKIMORI" $cmd
	check_eq "nothing to expire: exit 0" 0 "$RC"
	check_eq "nothing to expire: nothing on stdout" "" "$OUT"
	check_eq "nothing to expire: nothing on stderr" "" "$ERR"
	run "$SAKIMORI" $cmd --dry-run
	check_match "a dry run still says what it would do" "^dry run: 0 active blocks" "$OUT"
fi

# ---- the journal: sd-daemon priority prefixes -----------------------------
conf "$TMP/two.conf" "$crit" 'check load { enable warning 0 critical 1000 }'
( while :; do :; done ) &	# the 1-minute load above 0.00
spin=$!
cleanup "kill $spin"
sleep 1
out=$TMP/journal.out
: >"$out"
js=$(stat -c '%d:%i' "$out")
JOURNAL_STREAM=$js "$SAKIMORI" -f "$TMP/two.conf" check --interval 0 >"$out"
check_match "to the journal: the CRITICAL at priority 2" \
    "^<2>CRITICAL memory memory: available memory " "$(cat "$out")"
check_match "to the journal: the WARNING at priority 4" \
    "^<4>WARNING load load: 1-minute load average " "$(cat "$out")"
check_eq "to the journal: every line has its prefix" "" "$(grep -v '^<[0-7]>' "$out")"
JOURNAL_STREAM=$js "$SAKIMORI" -f "$TMP/ok.conf" check --interval 0 >"$out"
check_eq "to the journal, all well: at priority 6" "<6>OK: no problems found" "$(cat "$out")"
JOURNAL_STREAM=1:1 "$SAKIMORI" -f "$TMP/two.conf" check --interval 0 >"$out"
check_eq "another stream than the journal's: no prefixes" "" "$(grep '^<[0-7]>' "$out")"
check_match "...but the usual table" "^CRITICAL +memory" "$(cat "$out")"
JOURNAL_STREAM=$js "$SAKIMORI" -f "$TMP/two.conf" check --interval 0 --json >"$out"
check_eq "JSON lines to the journal: no prefixes" "" "$(grep -v '^{' "$out")"

done_testing
