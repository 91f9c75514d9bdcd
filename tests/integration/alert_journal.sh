#!/usr/bin/env bash
# alert_journal.sh - the journal alert action against a real
# systemd-journald: started by hand in a private mount namespace (tmpfs
# over /run and /var/log/journal, so the machine's own journal, if it has
# one, is never touched), the test's journal read back with journalctl.
#   - with the journal's socket: sd_journal_send's fields (PRIORITY per
#     severity and event, MESSAGE, SYSLOG_IDENTIFIER, SAKIMORI_*);
#   - without it, syslog(3) to /dev/log (here journald's own syslog
#     socket, so the same journal shows what arrived, _TRANSPORT=syslog);
#   - with neither, the action fails and says so.
# Everything runs in a mount namespace of its own (the script again,
# inside it).
if [ -z "${ALERT_JOURNAL_NS:-}" ] && [ "$(id -u)" = 0 ] &&
    command -v unshare >/dev/null; then
	ALERT_JOURNAL_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"

[ -n "${ALERT_JOURNAL_NS:-}" ] || skip_all "unshare is not installed"
start_private_journald
printf 'alert journal { severity unknown }\n' > "$TMP/j.conf"

# entries: the alert entries of the test's journal, one JSON each (the
# audit log's copies to syslog, "audit: ...", left out).
all_entries() {
	journalctl -D /run/log/journal --no-pager -o json SYSLOG_IDENTIFIER=sakimori
}
entries() {
	all_entries | jq -c 'select(.MESSAGE | startswith("audit: ") | not)'
}
# field N KEY: KEY of the Nth entry (1-based).
field() { entries | sed -n "${1}p" | jq -r ".$2"; }

run "$SAKIMORI" -f "$TMP/j.conf" alert test --check fs-blocks --subject /var --severity critical
check_eq "alert test exits 0" 0 "$RC"
check_match "written to the journal" "^ok +journal#1 \(journal\): ok \(journal\)" "$OUT"
run "$SAKIMORI" -f "$TMP/j.conf" alert test --check load --severity warning
run "$SAKIMORI" -f "$TMP/j.conf" alert test --check disk-errors --severity unknown
run "$SAKIMORI" -f "$TMP/j.conf" alert test --check load --event resolve --severity critical
journalctl -D /run/log/journal --sync 2>/dev/null
for _ in $(seq 50); do
	[ "$(entries | wc -l)" -ge 4 ] && break
	sleep 0.1
done
check_eq "four entries" 4 "$(entries | wc -l)"
check_eq "CRITICAL: PRIORITY 2" 2 "$(field 1 PRIORITY)"
check_eq "SAKIMORI_CHECK" fs-blocks "$(field 1 SAKIMORI_CHECK)"
check_eq "SAKIMORI_SUBJECT" /var "$(field 1 SAKIMORI_SUBJECT)"
check_eq "SAKIMORI_SEVERITY" CRITICAL "$(field 1 SAKIMORI_SEVERITY)"
check_eq "SAKIMORI_EVENT" open "$(field 1 SAKIMORI_EVENT)"
check_match "SAKIMORI_PROBLEM" '^[0-9]+$' "$(field 1 SAKIMORI_PROBLEM)"
check_eq "MESSAGE" "CRITICAL fs-blocks /var: a test of the alert actions (sakimori alert test), not a problem" "$(field 1 MESSAGE)"
check_eq "sent natively (sd_journal_send)" journal "$(field 1 _TRANSPORT)"
check_eq "WARNING: PRIORITY 4" 4 "$(field 2 PRIORITY)"
check_eq "UNKNOWN: PRIORITY 3" 3 "$(field 3 PRIORITY)"
check_eq "a resolve: PRIORITY 5" 5 "$(field 4 PRIORITY)"
check_eq "a resolve: SAKIMORI_EVENT" resolve "$(field 4 SAKIMORI_EVENT)"
check_match "the journal write is audited" '"action":"alert-journal".*"target":"journal".*"result":"ok \(journal\)"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"

# Without the journal's socket: syslog(3).  /dev/log is journald's syslog
# socket, in a /dev of this namespace's own.
rm /run/systemd/journal/socket
mkdir -p "$TMP/dev"
mount -t tmpfs tmpfs "$TMP/dev"
for n in null zero urandom random; do
	touch "$TMP/dev/$n" && mount --bind "/dev/$n" "$TMP/dev/$n"
done
mount --move "$TMP/dev" /dev
ln -s /run/systemd/journal/dev-log /dev/log
run "$SAKIMORI" -f "$TMP/j.conf" alert test --check memory --severity critical
check_eq "syslog: alert test exits 0" 0 "$RC"
check_match "the outcome says syslog" "^ok +journal#1 \(syslog\): ok \(syslog\)" "$OUT"
for _ in $(seq 50); do
	[ "$(entries | wc -l)" -ge 5 ] && break
	sleep 0.1
done
check_eq "a fifth entry" 5 "$(entries | wc -l)"
check_eq "it came through syslog" syslog "$(field 5 _TRANSPORT)"
check_eq "the same MESSAGE" "CRITICAL memory: a test of the alert actions (sakimori alert test), not a problem" "$(field 5 MESSAGE)"
check_eq "syslog: PRIORITY 2" 2 "$(field 5 PRIORITY)"
check_eq "syslog: facility daemon" 3 "$(field 5 SYSLOG_FACILITY)"
check_match "the audit entry went to syslog too (authpriv)" '"SYSLOG_FACILITY":"10"' \
    "$(all_entries | jq -c 'select(.MESSAGE | startswith("audit: ")) | {SYSLOG_FACILITY, MESSAGE}' | grep alert-journal)"

rm /dev/log
run "$SAKIMORI" -f "$TMP/j.conf" alert test
check_eq "neither journal nor syslog: exit 69" 69 "$RC"
check_match "and says so" "FAILED .*no journal .* and no syslog \(/dev/log\)" "$OUT"
done_testing
