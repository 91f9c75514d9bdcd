#!/usr/bin/env bash
# net_flood.sh - the flood rules of "sakimori check" against real
# connections in network namespaces of the test's own: one address holding
# many connections to a local service (conn-flood, conn-flood-prefix), a
# SYN_RECV surge (SYNs from a peer namespace whose SYN-ACKs are dropped
# there, so the handshakes stay half-open), and the slow-connection attack
# (web-server workers near their limit while one address holds most of
# the web connections: 125 processes named apache2, plus any apache2 the
# machine runs, and a port-80 listener, against the process-count
# threshold; then a real Apache on port 8088 against its own
# MaxRequestWorkers).
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for network namespaces"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
HELPER="$(dirname "$0")/net_helper.py"
PY=/usr/bin/python3
ip link set lo up
# only what this test is about: no inventory of listeners (slow: package
# lookups), no swap sample
{ printf 'check inventory { disable }\n'; process_checks_off; } > "$SAKIMORI_CONFIG"
CHECK="check --interval 0 --json"

# --- one address holding 400 connections to port 8080 ---
"$PY" "$HELPER" listen 127.0.0.1 8080 40 > /dev/null 2>&1 &
cleanup "kill $!"
"$PY" "$HELPER" flood 127.0.0.1 8080 40 127.0.5.5:400 > "$TMP/flood.out" 2>&1 &
cleanup "kill $!"
for i in $(seq 1 100); do grep -q ready "$TMP/flood.out" && break; sleep 0.1; done
run "$SAKIMORI" $CHECK
check_eq "check: CRITICAL (exit 2)" 2 "$RC"
check_match "conn-flood names the address, the count and the port" \
	'"severity":"CRITICAL","check":"conn-flood","subject":"127.0.5.5","message":"127.0.5.5 holds 400 connections to local port 8080, above 300"' "$OUT"
check_match "conn-flood-prefix names the /24" '"check":"conn-flood-prefix","subject":"127.0.5.0/24"' "$OUT"
check_match "the finding says how to block it" '"block":"sakimori net block 127.0.5.5"' "$OUT"
check_nomatch "the listener's own address is not a flooder" '"subject":"127.0.0.1"' "$OUT"
{ printf 'check inventory { disable }\ncheck conn-flood "8080" { warning 1000 critical 2000 }\ncheck conn-flood-prefix { disable }\n'; process_checks_off; } > "$TMP/port.conf"
run "$SAKIMORI" -f "$TMP/port.conf" $CHECK
check_nomatch "a per-port threshold silences it" '"check":"conn-flood"' "$OUT"
check_match "perfdata: the largest holder" '"conns per addr max":400' "$OUT"

# --- a SYN_RECV surge from a peer namespace ---
unshare -n sleep 60 > /dev/null 2>&1 &
PEER=$!
cleanup "kill $PEER"
sleep 0.2
ip link add fl0 type veth peer name fl1
ip link set fl1 netns "$PEER"
ip addr add 10.8.0.1/24 dev fl0
ip link set fl0 up
nsenter -t "$PEER" -n ip link set lo up
nsenter -t "$PEER" -n ip addr add 10.8.0.2/24 dev fl1
nsenter -t "$PEER" -n ip link set fl1 up
"$PY" "$HELPER" listen 10.8.0.1 8081 40 > /dev/null 2>&1 &
cleanup "kill $!"
# The SYNs must find the listener, or they are answered with resets.
for i in $(seq 1 100); do ss -Hltn "sport = :8081" | grep -q . && break; sleep 0.1; done
# B drops the SYN-ACKs: A's handshakes stay in SYN_RECV
nsenter -t "$PEER" -n nft -f - <<'NFT'
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp flags & (syn | ack) == syn | ack drop
	}
}
NFT
nsenter -t "$PEER" -n "$PY" -c '
import socket
s = []
for i in range(150):
    c = socket.socket(); c.setblocking(False)
    try: c.connect(("10.8.0.1", 8081))
    except BlockingIOError: pass
    s.append(c)
import time; time.sleep(30)' > /dev/null 2>&1 &
cleanup "kill $!"
for i in $(seq 1 50); do [ "$(ss -Htn state syn-recv | wc -l)" -ge 150 ] && break; sleep 0.1; done
check_eq "ss sees 150 SYN_RECV" 150 "$(ss -Htn state syn-recv | wc -l)"
run "$SAKIMORI" net conns --json --state syn-recv
check_match "net conns counts them" '"state":"SYN_RECV","count":150' "$OUT"
run "$SAKIMORI" $CHECK
check_match "syn-flood: 150 half-open connections, a WARNING" '"severity":"WARNING","check":"syn-flood".*150 half-open' "$OUT"
check_eq "no block action unless configured" "" "$(ip route show type blackhole)"

# --- conn-flood's opt-in block action: B's address (CRITICAL with these
#     thresholds) is blocked through the allow-list, recorded and audited as
#     the rule's; the loopback flooder of port 8080 is refused ---
{ printf 'check inventory { disable }\ncheck conn-flood "8081" { warning 50 critical 100 action block block-for 2m }\ncheck conn-flood "8080" { action block }\n'; process_checks_off; } > "$TMP/act.conf"
# a block the audit log cannot record is not made, and is an UNKNOWN
mkdir -p "$TMP/noaudit/audit.log"
run "$SAKIMORI" -f "$TMP/act.conf" --state-dir "$TMP/noaudit" $CHECK
check_match "action block without an audit log: the flooder is found" '"check":"conn-flood","subject":"10.8.0.2"' "$OUT"
check_match "action block without an audit log: an UNKNOWN that says why" '"severity":"UNKNOWN","check":"conn-flood".*audit log cannot be written, so nothing is done' "$OUT"
check_eq "action block without an audit log: no route" "" "$(ip route show type blackhole)"
run "$SAKIMORI" -f "$TMP/act.conf" $CHECK
OUT0=$OUT
check_match "action block: the flooder is blocked" '"check":"conn-flood","subject":"10.8.0.2".*"action":"blocked until [^"]+"' "$OUT"
check_match "action block: a blackhole route for it" '^blackhole 10\.8\.0\.2 ' "$(ip route show type blackhole)"
check_match "action block: audited as the rule's" '"action":"block","who":"rule:conn-flood","target":"10.8.0.2/32","reason":"conn-flood: 150 connections to local port 8081; until [^"]+","result":"ok"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"
run "$SAKIMORI" net bans --json
check_match "action block: bans says by whom and why" '"prefix":"10.8.0.2","state":"active".*"by":"rule:conn-flood","reason":"conn-flood: 150 connections to local port 8081"' "$OUT"
before=$(jq -r 'select(.prefix == "10.8.0.2") | .until' <<<"$OUT")
now=$(date +%s)
check "action block: for block-for (2m)" test $(( $(date -d "$before" +%s) - now )) -le 120 -a $(( $(date -d "$before" +%s) - now )) -ge 100
check_match "action block: the loopback flooder is refused by the allow-list" '"subject":"127.0.5.5".*"action":"refused: [^"]*loopback' "$(grep '"check":"conn-flood","subject":"127.0.5.5"' <<<"$OUT0" || true)"
check_nomatch "action block: the refusal says 'refused:' once" '"action":"refused: refused:' "$(grep '"check":"conn-flood","subject":"127.0.5.5"' <<<"$OUT0" || true)"
{ printf 'check inventory { disable }\ncheck conn-flood { action blok }\n'; process_checks_off; } > "$TMP/bad.conf"
run "$SAKIMORI" -f "$TMP/bad.conf" $CHECK
check_eq "a misspelt action is a configuration error, not a silent no" 78 "$RC"
check_match "and the error names its line and the choices" "bad.conf:2: 'action' wants block or none, not 'blok'" "$ERR"
"$SAKIMORI" net unblock 10.8.0.2 > /dev/null

# --- slow connections: apache2 workers near the limit, one address with
#     most of the web connections ---
cp /bin/sleep "$TMP/apache2"
for i in $(seq 1 125); do "$TMP/apache2" 40 > /dev/null 2>&1 & done
cleanup "pkill -x apache2 -P $$"
"$PY" "$HELPER" listen 127.0.0.1 80 40 > /dev/null 2>&1 &
cleanup "kill $!"
"$PY" "$HELPER" flood 127.0.0.1 80 40 127.0.4.4:150 127.0.3.1:10 127.0.3.2:10 \
	127.0.3.3:10 127.0.3.4:10 127.0.3.5:10 > "$TMP/web.out" 2>&1 &
cleanup "kill $!"
for i in $(seq 1 100); do grep -q ready "$TMP/web.out" && break; sleep 0.1; done
run "$SAKIMORI" $CHECK
# (125 or more: other tests on the machine may run an Apache too)
check_match "web-conn-share: workers near the limit, one address holds 75%" \
	'"severity":"CRITICAL","check":"web-conn-share","subject":"127.0.4.4","message":"1[2-9][0-9] apache2 workers \(limit 150\) while 127.0.4.4 holds 75% of the 200 web connections"' "$OUT"
check_match "no Apache listens on port 80: the limit is the process-count threshold" \
	'"limit_from":"the process-count threshold for apache2"' "$OUT"
pkill -x apache2 -P $$
for i in $(seq 1 50); do pgrep -x apache2 -P $$ > /dev/null || break; sleep 0.1; done
run "$SAKIMORI" $CHECK
check_nomatch "without the workers, no web-conn-share" '"check":"web-conn-share"' "$OUT"

# --- the same with a real Apache (prefork) on port 8088: the limit is its
#     own MaxRequestWorkers, found through the process holding the port ---
. "$(dirname "$0")/lib-servers.sh"
printf 'StartServers 10\nMinSpareServers 10\nMaxSpareServers 12\nServerLimit 12\nMaxRequestWorkers 12\n' > "$TMP/mpm.conf"
start_apache "$TMP/apache" 8088 "$TMP/mpm.conf" || not_ok "apache starts on 127.0.0.1:8088"
for i in $(seq 1 100); do
	[ "$(pgrep -c -P "$(cat "$TMP/apache/httpd.pid")" -x apache2)" -ge 10 ] && break
	sleep 0.1
done
"$PY" "$HELPER" flood 127.0.0.1 8088 40 127.0.4.4:150 127.0.3.1:10 127.0.3.2:10 \
	127.0.3.3:10 127.0.3.4:10 127.0.3.5:10 > "$TMP/web2.out" 2>&1 &
cleanup "kill $!"
for i in $(seq 1 100); do grep -q ready "$TMP/web2.out" && break; sleep 0.1; done
{ printf 'check inventory { disable }\ncheck web-conn-share { ports 8088 }\n'; process_checks_off; } > "$TMP/web.conf"
run "$SAKIMORI" -f "$TMP/web.conf" $CHECK
check_match "real Apache: the limit is its MaxRequestWorkers (12)" \
	'"check":"web-conn-share","subject":"127.0.4.4","message":"1[0-2] apache2 workers \(limit 12\) while 127.0.4.4 holds 75% of the 200 web connections"' "$OUT"
check_match "real Apache: the finding says where the limit comes from" \
	'"limit_from":"prefork MaxRequestWorkers 12 \([^"]*/mpm.conf:5\)","master":'"$(cat "$TMP/apache/httpd.pid")"'[,}]' "$OUT"

done_testing
