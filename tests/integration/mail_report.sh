#!/usr/bin/env bash
# mail_report.sh - "sakimori mail report" on logs of each MTA (fixtures),
# gzip input, the mail analyzer under logs scan, garbage, the Nagios line,
# the deferred queue read from a fixture root (and its growth), and
# domains learned from the history in the state directory.
. "$(dirname "$0")/lib.sh"

M=$FIXTURES/mail

run "$SAKIMORI" mail report --no-learn --no-processes --json "$M/sendmail-session.log"
check_eq "sendmail: a relay probe is a warning" 1 "$RC"
check_match "sendmail: received 3, delivered 3" '"received":3,"delivered":3' "$OUT"
check_match "sendmail: the probing client is named" '"check":"mail-relay-probe","subject":"client:203.0.113.77"' "$OUT"

run "$SAKIMORI" mail report --no-learn --no-processes --json "$M/qmail-multilog.log"
check_eq "qmail: nothing to report" 0 "$RC"
check_match "qmail: received 3, one own bounce" '"received":3,.*"own_bounces":1' "$OUT"

gzip -c "$M/exim-mainlog.log" > "$TMP/mainlog.gz"
run "$SAKIMORI" mail report --no-learn --no-processes --json "$TMP/mainlog.gz"
check_match "exim, gzip: read through zlib" '"received":3,"delivered":3,"deferred":1,"bounced":1' "$OUT"

# The log engine's scan runs the mail analyzer when it is named: the
# summary and findings of mail report; exim's mainlog is read too.
run "$SAKIMORI" logs scan --json --analyzers mail "$M/sendmail-session.log"
check_eq "logs scan --analyzers mail: a relay probe is a warning" 1 "$RC"
check_match "logs scan --analyzers mail: received 3, delivered 3" '"type":"mail.summary".*"received":3,"delivered":3' "$OUT"
check_match "logs scan --analyzers mail: the probing client is named" '"check":"mail-relay-probe","subject":"client:203.0.113.77"' "$OUT"
run "$SAKIMORI" logs scan --json --analyzers mail "$TMP/mainlog.gz"
check_match "logs scan --analyzers mail: exim's mainlog" '"received":3,"delivered":3,"deferred":1,"bounced":1' "$OUT"
run "$SAKIMORI" logs scan --json "$M/sendmail-session.log"
check_nomatch "logs scan without --analyzers mail: no mail summary" 'mail.summary' "$OUT"

# postfix's pickup logs a local sender as uid=N: named from ROOT/etc/passwd.
R=$TMP/pickup-root
mkdir -p "$R/etc"
printf 'root:x:0:0:root:/root:/bin/bash\nhanako:x:1001:1001::/home/hanako:/bin/sh\n' > "$R/etc/passwd"
run "$SAKIMORI" --root "$R" mail report --no-learn --no-processes --json "$M/postfix-pickup.log"
check_match "pickup uid=1001: the local user by name" '"list":"users","key":"hanako","count":1' "$OUT"
check_nomatch "pickup uid=1001: not as a number" '"uid 1001"' "$OUT"
check_match "a uid without a passwd entry stays a number" '"list":"users","key":"uid 1002"' "$OUT"
run "$SAKIMORI" --root "$R" mail report --no-learn --no-processes "$M/postfix-pickup.log"
check_match "table: the local user by name" "^hanako +1 " "$OUT"
run "$SAKIMORI" mail report --no-learn --no-processes "$M/sendmail-session.log"
check_nomatch "table: labels, not snake_case keys" '^  [a-z]+_[a-z_]+ ' "$OUT"
check_match "table: a key in words" '^  reject warnings +0$' "$OUT"
check_match "table: in a pipe, sizes in bytes" '^  size received +2663$' "$OUT"
run "$SAKIMORI" mail report --no-learn --no-processes --human "$M/sendmail-session.log"
check_match "table: --human, sizes in IEC units" '^  size received +2\.6 KiB$' "$OUT"

{ head -c 3000 /dev/urandom | tr '\n' ' '; printf '\n\001\002 x\nNov 26 00:00:01\n'; } > "$TMP/garbage.log"
run "$SAKIMORI" mail report --no-learn --no-processes --json "$TMP/garbage.log"
check_eq "garbage: no findings, exit 0" 0 "$RC"
check_match "garbage: lines counted as garbage" '"garbage_lines":[1-9]' "$OUT"

run "$SAKIMORI" mail report --no-learn --no-processes --nagios "$M/fail2ban-postfix.log"
check_match "one Nagios line with the findings" '^SAKIMORI MAIL (WARNING|CRITICAL) - ' "$OUT"
check "the status line is under 1 KiB" [ "$(printf '%s\n' "$OUT" | head -1 | wc -c)" -lt 1024 ]
check_eq "then only finding lines (the long output) and perfdata" "" \
    "$(printf '%s\n' "$OUT" | tail -n +2 | grep -Ev '^((CRITICAL|WARNING|UNKNOWN): mail-[a-z-]+ |\| )')"

run "$SAKIMORI" mail report --no-learn "$TMP/missing.log"
check_eq "a missing file: exit 66" 66 "$RC"
run "$SAKIMORI" mail report --top x "$M/qmail-multilog.log"
check_eq "a bad option: exit 64" 64 "$RC"

# The deferred queue of a fixture root, and its growth between two runs.
R=$TMP/root
mkdir -p "$R/proc" "$R/var/spool/postfix/deferred/A" "$R/var/spool/postfix/deferred/B"
touch "$R/var/spool/postfix/deferred/A/"{A1,A2} "$R/var/spool/postfix/deferred/B/B1"
printf 'check mail-deferred { warning 3 critical 10 }\n' > "$TMP/q.conf"
run "$SAKIMORI" -f "$TMP/q.conf" --root "$R" mail report --no-learn --json "$M/qmail-multilog.log"
check_match "3 deferred files: a warning" '"check":"mail-deferred","subject":"queue","message":"3 messages in the deferred queue"' "$OUT"
touch "$R/var/spool/postfix/deferred/B/B2"
run "$SAKIMORI" -f "$TMP/q.conf" --root "$R" mail report --no-learn --json "$M/qmail-multilog.log"
check_match "4 deferred files: growing since the last run" '"message":"4 messages in the deferred queue and growing".*"previous":3[,}]' "$OUT"

# History: alice mails the same 30 domains on two days; on the third she
# adds 25 new ones.  Without history 55 unusual domains are flagged; with
# it only 25 are unusual, below the threshold of 50.
day() {	# day DAY EXTRA
	local d=$1 extra=$2 i q=$((0x10000 * $1))
	for i in $(seq 1 $((30 + extra))); do
		q=$((q + 1))
		local dom=partner$i.example
		[ "$i" -gt 30 ] && dom=new$i.example
		printf 'Nov %02d 10:%02d:00 mx postfix/smtpd[1]: %X: client=ws[10.0.0.5], sasl_method=PLAIN, sasl_username=alice\n' "$d" $((i % 60)) "$q"
		printf 'Nov %02d 10:%02d:01 mx postfix/qmgr[2]: %X: from=<alice@example.com>, size=1000, nrcpt=1 (queue active)\n' "$d" $((i % 60)) "$q"
		printf 'Nov %02d 10:%02d:02 mx postfix/smtp[3]: %X: to=<x@%s>, relay=mx.%s[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)\n' "$d" $((i % 60)) "$q" "$dom" "$dom"
		printf 'Nov %02d 10:%02d:03 mx postfix/qmgr[2]: %X: removed\n' "$d" $((i % 60)) "$q"
	done
}
day 10 0 > "$TMP/d10.log"
day 11 0 > "$TMP/d11.log"
day 12 25 > "$TMP/d12.log"
export SAKIMORI_STATE_DIR=$TMP/hist
run "$SAKIMORI" mail report --no-processes --no-learn --json "$TMP/d12.log"
check_match "no history: 55 unusual domains flagged" '"check":"mail-outside-domains","subject":"sasl:alice".*"domains":55[,}]' "$OUT"
run "$SAKIMORI" mail report --no-processes --json "$TMP/d10.log"
check_eq "day 10: nothing to report" 0 "$RC"
run "$SAKIMORI" mail report --no-processes --json "$TMP/d10.log"
check_eq "day 10 again: still nothing (learns no new days)" 0 "$RC"
run "$SAKIMORI" mail report --no-processes --json "$TMP/d12.log"
check_match "one day of history is not enough" '"subject":"sasl:alice"' "$OUT"
run "$SAKIMORI" mail report --no-processes --json "$TMP/d11.log"
run "$SAKIMORI" mail report --no-processes --json "$TMP/d12.log"
check_eq "two days of history: the 30 partners are usual, no finding" 0 "$RC"
check_nomatch "alice is not flagged" "mail-outside-domains" "$OUT"

done_testing
