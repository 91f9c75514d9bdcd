#!/usr/bin/env bash
# auth_journal.sh - authentication failures read from the journal: a real
# systemd-journald, started by hand in a private mount namespace (tmpfs
# over /run and /var/log/journal, so the machine's own journal, if it has
# one, is never touched), receives sshd's failure messages, natively
# (systemd-cat, as sshd under systemd writes them) and through syslog(3)
# (logger); `journalctl -o json` of them, read by "sakimori logs scan
# --analyzers auth", gives one record per failure with its address, user
# and time, and the brute force of the address.
if [ -z "${AUTH_JOURNAL_NS:-}" ] && [ "$(id -u)" = 0 ] &&
    command -v unshare >/dev/null; then
	AUTH_JOURNAL_NS=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root for a mount namespace"
JD=
for p in /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald; do
	[ -x "$p" ] && JD=$p && break
done
[ -n "$JD" ] || skip_all "systemd-journald is not installed"
command -v journalctl >/dev/null || skip_all "journalctl is not installed"
command -v systemd-cat >/dev/null || skip_all "systemd-cat is not installed"
command -v logger >/dev/null || skip_all "logger is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
[ -n "${AUTH_JOURNAL_NS:-}" ] || skip_all "unshare is not installed"
[ -s /etc/machine-id ] || skip_all "no /etc/machine-id (journald needs one)"

mount -t tmpfs tmpfs /run || { not_ok "a private /run"; done_testing; }
[ -d /var/log/journal ] && mount -t tmpfs tmpfs /var/log/journal
mkdir -p /run/systemd/journal /run/log/journal
"$JD" 2>"$TMP/journald.err" &
JPID=$!
cleanup "kill $JPID; wait $JPID"
for _ in $(seq 100); do
	[ -S /run/systemd/journal/socket ] && [ -S /run/systemd/journal/dev-log ] && break
	sleep 0.1
done
check "journald's sockets are there" [ -S /run/systemd/journal/socket ]

# 6 failures natively, 3 through syslog(3) to journald's /dev/log socket
for i in 1 2 3 4 5 6; do
	echo "Failed password for invalid user guest$i from 203.0.113.77 port 4$i ssh2" |
		systemd-cat -t sshd
done
for i in 7 8 9; do
	logger -u /run/systemd/journal/dev-log -t sshd -i \
		"Failed password for root from 203.0.113.78 port 4$i ssh2"
done
J=$TMP/journal.json
sshd_entries() {
	journalctl -D /run/log/journal --no-pager -o json SYSLOG_IDENTIFIER=sshd > "$J"
	[ "$(wc -l < "$J")" -ge 9 ]
}
journalctl -D /run/log/journal --sync 2>/dev/null
for _ in $(seq 50); do sshd_entries && break; sleep 0.1; done
check_eq "the journal holds the nine messages" 9 "$(wc -l < "$J")"

jq_ok() { printf '%s\n' "$OUT" | jq -e -s "$1" >/dev/null; }
run "$SAKIMORI" --json logs scan --analyzers auth --format journal "$J"
check "journal: nine failure records" \
    jq_ok '[.[] | select(.type == "auth.event" and (.event == "sshd.invalid-user-password" or .event == "sshd.failed-password"))] | length == 9'
check "journal: a native entry's address, user, service and time" \
    jq_ok '[.[] | select(.type == "auth.event" and .user == "guest1")][0] | .address == "203.0.113.77" and .service == "sshd" and .line == 1 and (.time|test("^20[0-9-]+T"))'
check "journal: a syslog(3) entry's address and user" \
    jq_ok '[.[] | select(.type == "auth.event" and .address == "203.0.113.78")] | length == 3 and .[0].user == "root"'
check "journal: the brute force of 203.0.113.77 (6 failures)" \
    jq_ok '[.[] | select(.type == "finding" and .check == "auth-brute-force" and .subject == "203.0.113.77")][0] | .evidence.failures == 6'
run "$SAKIMORI" --json logs scan --analyzers auth "$J"
check "journal: the format found by itself (auto)" \
    jq_ok '[.[] | select(.type == "auth.event")] | length == 9'

done_testing
