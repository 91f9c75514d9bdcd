#!/usr/bin/env bash
# agent_respond.sh - the agent's respond rules over every detector it runs
# live, in a network namespace of its own (the host's firewall is never
# touched), through nftables: lines appended to a followed access log (a
# 404 scan), mail log (relay probing) and auth log (password guessing),
# and real connections from a peer namespace holding many connections to
# a local port (a connection flood, the conn-flood check).
#   - without respond rules each is found (an open problem) and nothing
#     is blocked;
#   - with "block web-404-scan", "block mail-relay-probe", "block
#     auth-brute-force" and "block conn-flood" each address is in the
#     kernel's set within a bound of its lines (the flood within a few of
#     the check's 1 s runs), and "net bans" gives the finding and its
#     evidence as the reason (the auth failures' file and line numbers);
#   - max-active stops blocking while that many blocks are active;
#   - the allow-list applies: this host's address, the default gateway and
#     an admin network guessing passwords are refused, never in the set;
#   - a repeat offender (unblocked, still flooding) is blocked twice as
#     long; net unblock takes an address out of the kernel's set;
#   - a reader of the site stays unblocked.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for network namespaces"; exit 77; }
	command -v ip >/dev/null || { echo "# SKIP: needs ip (iproute2)"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
nft list tables >/dev/null 2>&1 || skip_all "nftables cannot be used here"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"
unset SSH_CONNECTION
PY=/usr/bin/python3
HELPER="$(dirname "$0")/net_helper.py"

# This namespace (10.9.8.1) and a peer (10.9.8.2, the flooder) held by a
# process that ends by itself.
peer_netns 10.9.8
ip route add default via 10.9.8.254 dev sk0

ACCESS=$TMP/access.log
MAIL=$TMP/mail.log
AUTH=$TMP/auth.log
: > "$ACCESS"
: > "$MAIL"
: > "$AUTH"
# scan404 ADDR: 60 requests for missing pages (over the 50 of the rate)
scan404() {
	local t
	t=$(date -u '+%d/%b/%Y:%H:%M:%S +0000')
	for i in $(seq 1 60); do
		echo "$1 - - [$t] \"GET /old/page$i.php HTTP/1.1\" 404 196 \"-\" \"Mozilla/5.0\""
	done >> "$ACCESS"
}
read_page() {	# read_page ADDR: one page read
	echo "$1 - - [$(date -u '+%d/%b/%Y:%H:%M:%S +0000')] \"GET /index.html HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"" >> "$ACCESS"
}
relay() {	# relay ADDR: three relay attempts refused by postfix
	local t
	t=$(date '+%b %e %H:%M:%S')
	for i in 1 2 3; do
		echo "$t mx postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[$1]: 554 5.7.1 <victim$i@example.org>: Relay access denied; from=<spam@example.net> to=<victim$i@example.org> proto=ESMTP helo=<probe>"
	done >> "$MAIL"
}
guess() {	# guess ADDR: eight failed passwords to sshd
	local t
	t=$(date -u '+%Y-%m-%dT%H:%M:%S.000000+00:00')
	for i in $(seq 1 8); do
		echo "$t host sshd[$((5000 + i))]: Failed password for invalid user admin$i from $1 port $((40000 + i)) ssh2"
	done >> "$AUTH"
}
in_set() {	# in_set ADDRESS: the element is in the kernel's set
	nft list set inet sakimori block4 2>/dev/null | grep -q "[{ ,]$1[ ,}]"
}
set_elements() { nft list set inet sakimori block4 2>/dev/null | grep -c "elements" || true; }
opened() {	# opened NAME CHECK ADDRESS-RE: an open event of CHECK naming it
	jq -r --arg c "$2" 'select(.type == "alert" and .event == "open" and .check == $c) | .subject' \
		"$TMP/$1.out" 2>/dev/null | grep -Eq "$3"
}

# The flood: 40 connections from the peer's address to a local port.
"$PY" "$HELPER" listen 10.9.8.1 8090 300 > /dev/null 2>&1 &
cleanup "kill $!"
for i in $(seq 1 100); do ss -Hltn "sport = :8090" | grep -q . && break; sleep 0.1; done
# (nsenter itself, not inb in a subshell, so that $! is the flooder and
# the cleanup's kill reaches it)
nsenter -t "$PEER" -n "$PY" "$HELPER" flood 10.9.8.1 8090 300 10.9.8.2:40 > "$TMP/flood.out" 2>&1 &
cleanup "kill $!"
for i in $(seq 1 100); do grep -q ready "$TMP/flood.out" && break; sleep 0.1; done
check_match "the flooder holds its connections" ready "$(cat "$TMP/flood.out")"

agent_base_conf "$TMP/base.conf" "^check \(conn-flood\|web-attack\|web-404-scan\|mail-relay-probe\|auth-brute-force\) "
base() {
	cat "$TMP/base.conf"
	echo 'set block-backend "nftables"'
	echo 'set admin-networks "198.51.100.128/25"'
	echo "logs { discover no; follow \"$ACCESS\" kind access; follow \"$MAIL\" kind mail; follow \"$AUTH\" kind auth }"
	echo 'check conn-flood { warning 10 critical 20 every 1s }'
}
following() {	# following: the three logs followed
	[ "$(ctl status --json 2>/dev/null | jq -r 'select(.type == "logs") | .name' | sort | tr '\n' ' ')" = "access auth mail " ]
}

# ---- no respond rules: every finding, no block ----
base > "$CONF"
start_agent s1
check "s1: the agent follows the three logs" wait_for 120 following
scan404 198.51.100.1
relay 198.51.100.2
guess 198.51.100.3
check "s1: the 404 scan is found" wait_for 20 opened s1 web-attack '^198\.51\.100\.1$'
check "s1: the relay probing is found (live mail judge)" wait_for 20 opened s1 mail-relay-probe '198\.51\.100\.2$'
check "s1: the password guessing is found" wait_for 20 opened s1 auth-brute-force '198\.51\.100\.3'
check "s1: the connection flood is found" wait_for 20 opened s1 conn-flood '^10\.9\.8\.2$'
sleep 1
check_eq "s1: not configured: nothing in the kernel's set" 0 "$(set_elements)"
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_nomatch "s1: not configured: no ban" '"prefix"' "$OUT"
check_nomatch "s1: the agent blocked nothing" "respond: blocked" "$(cat "$TMP/s1.err")"
stop_agent
check_eq "s1: SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- the same detectors with respond rules: each address blocked ----
{ base
  printf 'respond {\n\tblock web-404-scan for 10m\n\tblock mail-relay-probe for 10m\n\tblock auth-brute-force for 10m\n\tblock conn-flood for 10m\n\tmax-active 5\n}\n'; } > "$CONF"
start_agent s2
check "s2: the agent follows the three logs" wait_for 120 following
# bounded: from the lines written to the element in the kernel
within() {	# within SECONDS ADDRESS: in the set within the bound
	local end
	end=$("$PY" -c 'import time, sys; print(time.time() + float(sys.argv[1]))' "$1")
	until in_set "$2"; do
		"$PY" -c 'import time, sys; sys.exit(time.time() < float(sys.argv[1]))' "$end" && return 1
		sleep 0.02
	done
}
read_page 198.51.100.20
scan404 198.51.100.11
check "s2: the 404 scanner is blocked within 2 s of its lines" within 2 198.51.100.11
relay 198.51.100.12
check "s2: the relay prober is blocked within 2 s of its lines" within 2 198.51.100.12
guess 198.51.100.13
check "s2: the password guesser is blocked within 2 s of its lines" within 2 198.51.100.13
check "s2: the connection flooder is blocked (the check runs every second)" within 10 10.9.8.2
check "s2: the reader is not blocked" eval '! in_set 198.51.100.20'
# the allow-list: this host, the gateway, an admin network
guess 10.9.8.1
guess 10.9.8.254
guess 198.51.100.200
refused() { grep -q "respond: $1 not blocked: refused: .*never blocked: $2" "$TMP/s2.err"; }
check "s2: this host's address is refused by the allow-list" wait_for 10 refused '10\.9\.8\.1' 'it is an address of this host'
check "s2: the default gateway is refused by the allow-list" wait_for 10 refused '10\.9\.8\.254' 'it is a default gateway'
check "s2: an admin network is refused by the allow-list" wait_for 10 refused '198\.51\.100\.200' 'a configured admin network'
check "s2: none of them is in the kernel's set" \
	eval '! in_set 10.9.8.1 && ! in_set 10.9.8.254 && ! in_set 198.51.100.200'
# max-active 5: four blocks are active (the refusals are none), a fifth
# guesser is blocked, a sixth is found and not blocked
guess 198.51.100.14
check "s2: max-active 5: the fifth block is made" within 2 198.51.100.14
guess 198.51.100.15
check "s2: a sixth guesser is found" wait_for 20 opened s2 auth-brute-force '198\.51\.100\.15'
sleep 0.5
check "s2: max-active 5: the sixth is not blocked" eval '! in_set 198.51.100.15'
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_nomatch "s2: max-active 5: nor among the bans" '"prefix":"198\.51\.100\.15"' "$OUT"
check "s2: the addresses of s1's lines are not blocked (their lines were read before)" \
	eval '! in_set 198.51.100.1 && ! in_set 198.51.100.2 && ! in_set 198.51.100.3'
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_match "net bans: the 404 scan, with the incident's class" \
	'"prefix":"198\.51\.100\.11","state":"active".*"by":"rule:respond","reason":"web-attack WARNING: 404-scan from 198\.51\.100\.11; classes=404-scan"' "$OUT"
check_match "net bans: the relay probing" \
	'"prefix":"198\.51\.100\.12","state":"active".*"by":"rule:respond","reason":"mail-relay-probe WARNING: client 198\.51\.100\.12: [0-9]+ relay attempts? refused' "$OUT"
check_match "net bans: the password guessing, with the auth log's file and line numbers" \
	"\"prefix\":\"198\\.51\\.100\\.13\",\"state\":\"active\".*\"by\":\"rule:respond\",\"reason\":\"auth-brute-force WARNING: 198\\.51\\.100\\.13: [0-9]+ authentication failures[^\"]*; lines=$AUTH:9-1[0-9]" "$OUT"
check_match "net bans: the connection flood" \
	'"prefix":"10\.9\.8\.2","state":"active".*"by":"rule:respond","reason":"conn-flood CRITICAL: ' "$OUT"
check_match "the agent logged the block of the flooder" "respond: blocked 10\.9\.8\.2 for 10m: conn-flood" "$(cat "$TMP/s2.err")"
run "$SAKIMORI" -f "$CONF" --state-dir "$STATE" net unblock 198.51.100.11
check_eq "net unblock: exit 0" 0 "$RC"
check "net unblock: gone from the kernel's set" eval '! in_set 198.51.100.11'
# a repeat offender: the flooder unblocked floods on, blocked again for 2 x 10m
run "$SAKIMORI" -f "$CONF" --state-dir "$STATE" net unblock 10.9.8.2
check_eq "net unblock of the flooder: exit 0" 0 "$RC"
again() { grep -q "respond: blocked 10\.9\.8\.2 for 20m: conn-flood" "$TMP/s2.err"; }
check "the flooder, a repeat offender, is blocked twice as long (20m)" wait_for 10 again
check "and is in the kernel's set again" within 2 10.9.8.2
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_eq "net bans: the repeat block lasts 20m" 1200 \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.prefix == "10.9.8.2" and .state == "active") | (.until | fromdateiso8601) - (.since | fromdateiso8601)')"
stop_agent
check_eq "s2: SIGTERM: exit 0" 0 "$AGENT_RC"
nft delete table inet sakimori 2>/dev/null || true

done_testing
