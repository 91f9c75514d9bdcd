#!/usr/bin/env bash
# alert_mail.sh - the mail alert action through a real Postfix on loopback
# (Maildirs under the test's directory, nothing leaves the machine):
# "sakimori alert test" hands one message per event to sendmail, it
# arrives exactly once, and Python's email module reads its headers (From,
# To and a UTF-8 Subject decoded, charset utf-8, Date, Message-ID, the
# envelope sender from mail-from); a subject with CR LF adds no header; a
# digest of three events arrives as one message; the checks and severity
# of a block choose its events; each mail is in the audit log.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"

need_postfix

PF=$TMP/pf
PORT=$(free_port)
mkdir -p "$PF/mail"
chown 65534 "$PF/mail"
# Virtual Maildirs for test.example: each message is one file in new/.
cat > "$TMP/maildirs.cf" <<EOF
virtual_mailbox_domains = test.example
virtual_mailbox_base = $PF/mail
virtual_mailbox_maps = texthash:$PF/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
EOF
mkdir -p "$PF"
printf 'alice@test.example alice/\nbob@test.example bob/\nevil@test.example evil/\n' > "$PF/vmailbox"
start_postfix "$PF" "$PORT" "$TMP/maildirs.cf" || { not_ok "postfix starts"; done_testing; exit 1; }
ok "postfix starts on 127.0.0.1:$PORT"
# Postfix's sendmail submits to the instance of MAIL_CONFIG.
export MAIL_CONFIG=$PF/etc

# count WHO: messages delivered to WHO's Maildir.
count() { find "$PF/mail/$1/new" -type f 2>/dev/null | wc -l; }
# settle: until the queue is empty (every message delivered or bounced).
settle() {
	local i
	for i in $(seq 300); do
		[ -z "$(find "$PF/spool/maildrop" "$PF/spool/incoming" \
		    "$PF/spool/active" "$PF/spool/deferred" -type f 2>/dev/null)" ] && return 0
		sleep 0.1
	done
	return 1
}

cat > "$TMP/headers.py" <<'EOF'
import email, email.policy, json, re, sys
raw = open(sys.argv[1], "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
head = raw.split(b"\n\n", 1)[0]
print(json.dumps({
    "from": str(m["From"]), "to": str(m["To"]), "subject": str(m["Subject"]),
    "charset": m.get_content_charset(), "ctype": m.get_content_type(),
    "cte": str(m["Content-Transfer-Encoding"]), "mime": str(m["MIME-Version"]),
    "date": m["Date"] is not None and m["Date"].datetime is not None,
    "msgid": str(m["Message-ID"] or ""), "return_path": str(m["Return-Path"] or ""),
    "raw_subject": re.search(rb"^Subject:(.*(?:\n[ \t].*)*)", head, re.M).group(1).decode(),
    "headers": [k.lower() for k in m.keys()],
    "body": m.get_content(),
}))
EOF
hdr() { python3 "$TMP/headers.py" "$1" | jq -r "$2"; }

cat > "$TMP/a.conf" <<EOF
set mail-from "Sakimori Wächter <watch@test.example>"
set hostname "web1.test.example"
alert mail { to "alice@test.example" }
EOF

# 1. One event, a subject that is not ASCII: one message, headers parse.
run "$SAKIMORI" -f "$TMP/a.conf" alert test --check fs-blocks --subject "/srv/données"
check_eq "alert test exits 0 (mail handed to sendmail)" 0 "$RC"
check_match "the outcome is printed" "^ok .*alice@test.example.*exit status 0" "$OUT"
settle || not_ok "the queue empties"
check_eq "the message arrives exactly once" 1 "$(count alice)"
M=$(find "$PF/mail/alice/new" -type f | head -1)
check_eq "From: decoded" "Sakimori Wächter <watch@test.example>" "$(hdr "$M" .from)"
check_eq "To:" "alice@test.example" "$(hdr "$M" .to)"
check_eq "Subject: decoded from RFC 2047" \
    "[sakimori] web1.test.example: CRITICAL fs-blocks /srv/données: a test of the alert actions (sakimori alert test), not a problem" \
    "$(hdr "$M" .subject)"
check_match "the raw Subject is RFC 2047 encoded-words" '^ =\?UTF-8\?B\?' "$(hdr "$M" .raw_subject)"
check_eq "Content-Type text/plain" "text/plain" "$(hdr "$M" .ctype)"
check_eq "charset utf-8" "utf-8" "$(hdr "$M" .charset)"
check_eq "MIME-Version 1.0" "1.0" "$(hdr "$M" .mime)"
check_match "Content-Transfer-Encoding 7bit or 8bit" '^(7bit|8bit)$' "$(hdr "$M" .cte)"
check_eq "Date parses" "true" "$(hdr "$M" .date)"
check_match "Message-ID in the host's domain" '^<[0-9a-f.]+@web1\.test\.example>$' "$(hdr "$M" .msgid)"
check_eq "envelope sender from mail-from" "<watch@test.example>" "$(hdr "$M" .return_path)"
check_match "the body names the check" "Check: +fs-blocks" "$(hdr "$M" .body)"
check_match "the body names the subject (UTF-8)" "Subject: +/srv/données" "$(hdr "$M" .body)"
A=$(grep '"action":"alert-mail"' "$SAKIMORI_STATE_DIR/audit.log")
check_match "the mail is in the audit log when started" '"target":"alice@test.example".*"result":"started pid [0-9]+"' "$A"
check_match "and with sendmail's exit status" '"result":"ok: exit status 0"' "$A"

# 2. A hostile subject: CR LF and a Bcc must not become a header.
rm -f "$PF/mail/alice/new"/*
run "$SAKIMORI" -f "$TMP/a.conf" alert test --subject $'x\r\nBcc: evil@test.example\r\nX-Injected: 1'
check_eq "alert test with a hostile subject exits 0" 0 "$RC"
settle || not_ok "the queue empties"
check_eq "the message arrives once" 1 "$(count alice)"
check_eq "nothing reaches the Bcc address" 0 "$(count evil)"
M=$(find "$PF/mail/alice/new" -type f | head -1)
H=$(hdr "$M" '.headers | join(",")')
check_nomatch "no Bcc header" "bcc" "$H"
check_nomatch "no injected header" "x-injected" "$H"
check_match "the CR LF is shown escaped in the Subject" 'x\\x0d\\x0aBcc: evil@test.example' "$(hdr "$M" .subject)"

# 3. A digest: three events in one message.
rm -f "$PF/mail/alice/new"/*
cat > "$TMP/d.conf" <<EOF
set mail-from "watch@test.example"
set hostname "web1.test.example"
alert mail { to "alice@test.example"; digest 60s }
EOF
run "$SAKIMORI" -f "$TMP/d.conf" alert test --check load --check memory --check fs-blocks
check_eq "the digest test exits 0" 0 "$RC"
check_eq "one sendmail for the digest" 1 "$(printf '%s\n' "$OUT" | grep -c '^ok')"
settle || not_ok "the queue empties"
check_eq "the digest arrives as one message" 1 "$(count alice)"
M=$(find "$PF/mail/alice/new" -type f | head -1)
check_eq "the digest's Subject counts the events" \
    "[sakimori] web1.test.example: 3 alerts: 3 open (3 CRITICAL)" "$(hdr "$M" .subject)"
B=$(hdr "$M" .body)
for c in load memory fs-blocks; do
	check_match "the digest lists $c" "Check: +$c\$" "$B"
done
check_match "the digest groups them" "^Opened \(3\)" "$B"

# 4. checks and severity choose the events of a block.
rm -f "$PF/mail/alice/new"/*
cat > "$TMP/r.conf" <<EOF
alert mail all { to "alice@test.example" }
alert mail disks { to "bob@test.example"; checks "fs-*" disk-errors; severity critical }
EOF
run "$SAKIMORI" -f "$TMP/r.conf" alert test --check load --severity critical
check_eq "load: one action took it" 1 "$(printf '%s\n' "$OUT" | grep -c '^ok')"
run "$SAKIMORI" -f "$TMP/r.conf" alert test --check fs-inodes --severity warning
check_eq "a WARNING of fs-inodes: only the block without a severity" 1 "$(printf '%s\n' "$OUT" | grep -c '^ok')"
run "$SAKIMORI" -f "$TMP/r.conf" alert test --check fs-inodes --severity critical
check_eq "a CRITICAL of fs-inodes: both" 2 "$(printf '%s\n' "$OUT" | grep -c '^ok')"
settle || not_ok "the queue empties"
check_eq "alice got all three" 3 "$(count alice)"
check_eq "bob got only the critical fs-inodes" 1 "$(count bob)"
M=$(find "$PF/mail/bob/new" -type f | head -1)
check_match "bob's is about fs-inodes" "CRITICAL fs-inodes" "$(hdr "$M" .subject)"

# 5. A recipient sendmail refuses: the outcome says so, exit 69.
printf 'alert mail { to "alice@test.example" }\nset sendmail "/bin/false"\n' > "$TMP/f.conf"
run "$SAKIMORI" -f "$TMP/f.conf" alert test
check_eq "a failing sendmail: exit 69" 69 "$RC"
check_match "the failure is printed" "^FAILED .*exit status 1" "$OUT"
check_match "and audited" '"action":"alert-mail".*"result":"failed: exit status 1"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"

# 6. No recipient anywhere: a configuration error.
printf 'alert mail { }\n' > "$TMP/n.conf"
run "$SAKIMORI" -f "$TMP/n.conf" alert test
check_eq "a mail action without recipient: exit 78" 78 "$RC"
check_match "the error says what is missing" "alert mail has no recipient" "$ERR"

done_testing
