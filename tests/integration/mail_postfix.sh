#!/usr/bin/env bash
# mail_postfix.sh - a real Postfix on loopback (its own configuration, queue
# and log file in the test's directory, no delivery to the outside) gets
# normal mail, a relay attempt, mail to unknown users and a message that
# bounces; "sakimori mail report" counts each exactly, flags the relay
# attempt and the enumeration with the client address, and does not flag
# the bounce's from=<>.  "sakimori mail follow" reports the same live.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root to run postfix"
command -v postfix >/dev/null || skip_all "postfix is not installed"
command -v python3 >/dev/null || skip_all "python3 is not installed"
id postfix >/dev/null 2>&1 || skip_all "no postfix user"

# Our own instance rather than start_postfix: virtual mailboxes (nothing
# lands in /var/mail), a pipe transport that fails (a real bounce), and
# mynetworks of 127.0.0.1 only, so 127.0.0.2 is an outsider.
PF=$TMP/pf
mkdir -p "$PF/etc" "$PF/spool" "$PF/data" "$PF/mail"
chown postfix "$PF/data"
chown 65534 "$PF/mail"
traversable "$PF"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$PF/maillog

cat > "$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $PF/etc
queue_directory = $PF/spool
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.test.example
mydomain = test.example
myorigin = test.example
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.1/32
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_soft_error_limit = 100
smtpd_hard_error_limit = 100
relayhost =
default_transport = error:outside delivery disabled in this test
transport_maps = texthash:$PF/etc/transport
virtual_mailbox_domains = test.example
virtual_mailbox_base = $PF/mail
virtual_mailbox_maps = texthash:$PF/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
alias_maps =
alias_database =
maillog_file = $LOG
maillog_file_prefixes = $PF
biff = no
EOF
printf 'alice@test.example alice/\nbob@test.example bob/\n' > "$PF/etc/vmailbox"
# far.example goes to a pipe that fails: the message bounces back to its sender.
printf 'far.example bouncer:\n' > "$PF/etc/transport"
cat > "$PF/etc/master.cf" <<EOF
127.0.0.1:$PORT inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
bouncer   unix  - n n - - pipe flags= user=nobody argv=/bin/false
EOF

cleanup "postfix -c '$PF/etc' stop; sleep 0.5; postfix -c '$PF/etc' abort"
if ! postfix -c "$PF/etc" start >"$TMP/start.log" 2>&1; then
	cat "$TMP/start.log"
	not_ok "postfix starts" "$(cat "$TMP/start.log")"
	done_testing
fi
ok "postfix starts on 127.0.0.1:$PORT"

wait_port "$PORT" || not_ok "smtpd listens on $PORT"

cat > "$TMP/send.py" <<'EOF'
import smtplib, sys
port = int(sys.argv[1])
def send(src, frm, rcpts):
    s = smtplib.SMTP("127.0.0.1", port, source_address=(src, 0), timeout=20)
    s.ehlo("client.test")
    try:
        refused = s.sendmail(frm, rcpts, "Subject: test\r\n\r\nhello\r\n")
    except smtplib.SMTPRecipientsRefused as e:
        refused = e.recipients
    s.quit()
    print(src, len(rcpts) - len(refused), "accepted", len(refused), "refused")
# normal mail: three messages, four recipients
send("127.0.0.1", "carol@test.example", ["alice@test.example"])
send("127.0.0.1", "carol@test.example", ["bob@test.example"])
send("127.0.0.1", "dave@test.example", ["alice@test.example", "bob@test.example"])
# a relay attempt from a client outside mynetworks
send("127.0.0.2", "spammer@evil.example", ["victim@outside.example"])
# address enumeration: twelve unknown users from one client
send("127.0.0.3", "probe@evil.example", ["nobody%d@test.example" % i for i in range(12)])
# a message that bounces back to alice (from=<>)
send("127.0.0.1", "alice@test.example", ["someone@far.example"])
EOF
run python3 "$TMP/send.py" "$PORT"
check_eq "the SMTP client ran" 0 "$RC"
check_match "the relay attempt was refused" "127.0.0.2 0 accepted 1 refused" "$OUT"
check_match "the unknown users were refused" "127.0.0.3 0 accepted 12 refused" "$OUT"

# Wait until every message (four, plus the bounce notification) left the queue.
for _ in $(seq 200); do
	[ "$(grep -c ': removed$' "$LOG" 2>/dev/null)" -ge 5 ] && break
	sleep 0.1
done
check_eq "five messages left the queue" 5 "$(grep -c ': removed$' "$LOG")"
# postlogd writes what every daemon sends it: lines of another daemon may
# still come after qmgr's last "removed"; the log is read once it has
# been quiet for half a second
last=-1
for _ in $(seq 40); do
	size=$(stat -c %s "$LOG")
	[ "$size" = "$last" ] && break
	last=$size
	sleep 0.5
done

run "$SAKIMORI" mail report --json --no-learn "$LOG"
check_eq "report exits 1 (warnings)" 1 "$RC"
S=$(printf '%s\n' "$OUT" | grep '"type":"mail.summary"')
field() { printf '%s' "$S" | jq -r ".$1"; }
check_eq "received: 3 normal + 1 that bounced" 4 "$(field received)"
check_eq "delivered: 4 recipients + the bounce notification" 5 "$(field delivered)"
check_eq "bounced: 1" 1 "$(field bounced)"
check_eq "deferred: 0" 0 "$(field deferred)"
check_eq "rejected: 1 relay + 12 unknown users" 13 "$(field rejected)"
check_eq "rejected as relay: 1" 1 "$(field rejected_by.relay)"
check_eq "rejected as unknown user: 12" 12 "$(field rejected_by[\"unknown-user\"])"
check_eq "our own bounce notification: 1" 1 "$(field own_bounces)"
check_eq "null-sender messages: 1" 1 "$(field null_sender)"
check_eq "null-sender messages not ours: 0" 0 "$(field null_sender_not_ours)"
check_eq "no garbage lines" 0 "$(field garbage_lines)"
check_eq "nothing left in the queue" 0 "$(field still_queued)"
if [ "$(field still_queued)" != 0 ]; then
	# which queue ids have no "removed", with their lines
	for id in $(grep -oE ' [0-9A-F]{6,}: ' "$LOG" | sort -u | tr -d ' :'); do
		grep -q "$id: removed$" "$LOG" || grep -F "$id" "$LOG" | sed 's/^/# /'
	done
fi

F=$(printf '%s\n' "$OUT" | grep '"type":"finding"')
check_match "the relay attempt is flagged with its client" \
    '"check":"mail-relay-probe","subject":"client:127.0.0.2"' "$F"
check_match "the enumeration is flagged with its client" \
    '"check":"mail-enumeration","subject":"client:127.0.0.3"' "$F"
check_match "the enumeration counts 12 unknown users" '"unknown_users":12[,}]' "$F"
check_nomatch "the bounce's from=<> is not flagged" "mail-null-sender" "$F"
check_eq "exactly two findings" 2 "$(printf '%s\n' "$F" | grep -c .)"
check_match "top senders are listed" '"list":"senders","key":"carol@test.example","count":2' "$OUT"

# The processes of the running instance (master, qmgr, pickup, postlogd...).
printf 'check mail-processes { warning 4 }\n' > "$TMP/procs.conf"
run "$SAKIMORI" -f "$TMP/procs.conf" mail report --json --no-learn "$LOG"
n=$(printf '%s\n' "$OUT" | jq -r 'select(.check=="mail-processes") | .evidence.processes')
check "the running postfix's processes are counted (${n:-none})" [ "${n:-0}" -ge 4 ]

run "$SAKIMORI" mail report --no-learn "$LOG"
check_match "the table names the relay client" "mail-relay-probe.*127\.0\.0\.2" "$OUT"

# follow: the same findings, live, from a growing file.
: > "$TMP/live.log"
"$SAKIMORI" mail follow --json --interval 0.2 "$TMP/live.log" > "$TMP/follow.out" 2>&1 &
FPID=$!
cleanup "kill $FPID"
sleep 0.5
cat "$LOG" >> "$TMP/live.log"
for _ in $(seq 50); do
	grep -q mail-enumeration "$TMP/follow.out" && grep -q mail-relay-probe "$TMP/follow.out" && break
	sleep 0.1
done
kill "$FPID" 2>/dev/null
wait "$FPID" 2>/dev/null
FO=$(cat "$TMP/follow.out")
check_match "follow reports the relay probe" '"check":"mail-relay-probe","subject":"client:127.0.0.2"' "$FO"
check_match "follow reports the enumeration" '"check":"mail-enumeration","subject":"client:127.0.0.3"' "$FO"
check_eq "follow prints each finding once" 2 "$(grep -c '"type":"finding"' "$TMP/follow.out")"

done_testing
