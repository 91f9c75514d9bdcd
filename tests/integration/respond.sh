#!/usr/bin/env bash
# respond.sh - "sakimori respond" against the real Apache, inside a network
# namespace of its own (the host's routes are never touched): an address
# in a peer namespace attacks Apache, another only reads a page.  Without
# respond rules nothing is blocked; with "block web-attack critical" the
# attacker's incident leads to a blackhole route (traffic stops, the
# reader still gets through), --dry-run lists the same decision and
# changes nothing, "net bans" shows the finding and its evidence, a
# second run says it is already blocked, and unblock removes it.  Then the
# agent following Apache's log: without the rule the new attack is a
# problem and nothing more; with it, the attacker's route within 2 s.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for network namespaces"; exit 77; }
	command -v ip >/dev/null || { echo "# SKIP: needs ip (iproute2)"; exit 77; }
	[ -x /usr/sbin/apache2 ] || { echo "# SKIP: needs apache2"; exit 77; }
	command -v curl >/dev/null || { echo "# SKIP: needs curl"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
export SAKIMORI_RULES="$SRCDIR/rules"
unset SSH_CONNECTION
mkdir -p "$SAKIMORI_STATE_DIR"

# This namespace (A, 10.9.0.1) runs Apache; a peer namespace (B) holds the
# attacker 10.9.0.2 and the reader 10.9.0.3.
ip link set lo up
unshare -n sleep 300 > /dev/null 2>&1 &
PEER=$!
cleanup "kill $PEER"
sleep 0.2
ip link add sk0 type veth peer name sk1
ip link set sk1 netns "$PEER"
ip addr add 10.9.0.1/24 dev sk0
ip link set sk0 up
inb() { nsenter -t "$PEER" -n "$@"; }
inb ip link set lo up
inb ip addr add 10.9.0.2/24 dev sk1
inb ip addr add 10.9.0.3/24 dev sk1
inb ip link set sk1 up

PORT=8088
W=$TMP/www
mkdir -p "$W"
echo "Listen 10.9.0.1:$PORT" > "$TMP/listen.conf"
start_apache "$W" "$PORT" "$TMP/listen.conf" || { not_ok "apache starts"; done_testing; }
echo hello > "$W/htdocs/index.html"
get() {	# get SOURCE PATH -> HTTP status ("000": no answer)
	inb curl -s -o /dev/null -m 2 --interface "$1" -w '%{http_code}' \
	    "http://10.9.0.1:$PORT$2"
}
for i in $(seq 1 50); do [ "$(get 10.9.0.3 /index.html)" = 200 ] && break; sleep 0.1; done
check_eq "the reader gets the page" 200 "$(get 10.9.0.3 /index.html)"
get 10.9.0.2 "/index.html?id=1%20UNION%20SELECT%20password%20FROM%20users--" > /dev/null
get 10.9.0.2 "/../../../../etc/passwd" > /dev/null
get 10.9.0.2 "/cgi-bin/test.cgi?cmd=;cat%20/etc/passwd" > /dev/null
get 10.9.0.3 "/index.html?page=2" > /dev/null
LOG=$W/logs/access.log
for i in $(seq 1 50); do [ "$(wc -l < "$LOG")" -ge 5 ] && break; sleep 0.1; done
check_match "Apache logged the attack" '^10\.9\.0\.2 .*UNION' "$(cat "$LOG")"

blackholes() { ip route show type blackhole | awk '{ print $2 }' | sort; }

# --- not configured: nothing blocked ---
: > "$TMP/none.conf"
run "$SAKIMORI" -f "$TMP/none.conf" respond "$LOG"
check_eq "no rules: exit 0" 0 "$RC"
check_match "no rules: says so" "no 'respond \{ block \.\.\. \}' rules" "$ERR"
check_match "no rules: nothing to block" "^nothing to block" "$OUT"
check_eq "no rules: no route" "" "$(blackholes)"
check_eq "no rules: the attacker still gets an answer" 200 "$(get 10.9.0.2 /index.html)"

# --- configured ---
cat > "$TMP/respond.conf" <<EOC
respond {
	block web-attack critical for 1h
	block auth-brute-force for 10m
}
EOC
run "$SAKIMORI" -f "$TMP/respond.conf" --json respond --dry-run "$LOG"
check_eq "dry run: exit 0" 0 "$RC"
DRY=$(printf '%s\n' "$OUT" | jq -c 'select(.block) | [.address, .duration_seconds, .finding]')
check_eq "dry run: the attacker would be blocked for 1h, for the web attack" '["10.9.0.2",3600,"web-attack"]' "$DRY"
check_match "dry run: the reason names the incident and its evidence" '"reason":"web-attack CRITICAL: 10\.9\.0\.2: 3 attack requests.*classes=' "$OUT"
check_nomatch "dry run: the reader is not listed" '10\.9\.0\.3' "$OUT"
check_eq "dry run: no route" "" "$(blackholes)"
run "$SAKIMORI" -f "$TMP/respond.conf" respond --dry-run "$LOG"
check_match "dry run table: would block 10.9.0.2 for 1h" "^10\.9\.0\.2 +would block +1h +web-attack" "$OUT"
run "$SAKIMORI" -f "$TMP/respond.conf" respond --dry-rn "$LOG"
check_eq "a misspelt option is a usage error (64)" 64 "$RC"
check_match "...naming it" "unrecognized option '--dry-rn'" "$ERR"
check_eq "...and nothing is blocked" "" "$(blackholes)"

run "$SAKIMORI" -f "$TMP/respond.conf" --json respond "$LOG"
check_eq "respond: exit 0" 0 "$RC"
APPLIED=$(printf '%s\n' "$OUT" | jq -c 'select(.block) | [.address, .duration_seconds, .finding]')
check_eq "respond: the same decision as the dry run" "$DRY" "$APPLIED"
check_match "respond: blocked" '"decision":"blocked until 20' "$OUT"
check_eq "the blackhole route for the attacker only" "10.9.0.2" "$(blackholes)"
check_eq "the attacker no longer gets an answer" 000 "$(get 10.9.0.2 /index.html)"
check_eq "the reader still does" 200 "$(get 10.9.0.3 /index.html)"
run "$SAKIMORI" net bans --json
check_match "net bans: by the respond rule, with the finding and its evidence" \
    '"prefix":"10\.9\.0\.2","state":"active".*"by":"rule:respond","reason":"web-attack CRITICAL: 10\.9\.0\.2: 3 attack requests[^"]*; classes=[^"]*sql-injection' "$OUT"
run "$SAKIMORI" -f "$TMP/respond.conf" respond "$LOG"
check_match "again: already blocked" "^10\.9\.0\.2 +already blocked" "$OUT"
check_eq "again: still one route" "10.9.0.2" "$(blackholes)"
run "$SAKIMORI" net unblock 10.9.0.2
check_eq "unblock: exit 0" 0 "$RC"
check_eq "unblock: the route is gone" "" "$(blackholes)"
check_eq "the former attacker gets an answer again" 200 "$(get 10.9.0.2 /index.html)"

# --- the agent following Apache's log: live, the same decision ---
. "$(dirname "$0")/lib-agent.sh"
agent_base_conf "$TMP/base.conf" "^check web-attack "
following() { [ "$(ctl status --json 2>/dev/null | jq -r 'select(.type == "logs") | .name')" = access ]; }
attack() {	# attack: the attacker's three attack requests again
	get 10.9.0.2 "/index.html?id=1%20UNION%20SELECT%20password%20FROM%20users--" > /dev/null
	get 10.9.0.2 "/../../../../etc/passwd" > /dev/null
	get 10.9.0.2 "/cgi-bin/test.cgi?cmd=;cat%20/etc/passwd" > /dev/null
}
opened() { jq -r 'select(.type == "alert" and .event == "open" and .check == "web-attack") | .subject' "$TMP/$1.out" 2>/dev/null | grep -qx 10.9.0.2; }
{ cat "$TMP/base.conf"; echo "logs { discover no; follow \"$LOG\" kind access }"; } > "$CONF"
start_agent live1
check "agent, no rules: follows Apache's log" wait_for 120 following
attack
check "agent, no rules: the attack is a problem" wait_for 20 opened live1
sleep 1
check_eq "agent, no rules: no route" "" "$(blackholes)"
check_eq "agent, no rules: the attacker still gets an answer" 200 "$(get 10.9.0.2 /index.html)"
stop_agent
{ cat "$TMP/base.conf"; echo "logs { discover no; follow \"$LOG\" kind access }"
  printf 'respond {\n\tblock web-attack critical for 1h\n}\n'; } > "$CONF"
start_agent live2
check "agent, with the rule: follows Apache's log" wait_for 120 following
attack
routed() { [ "$(blackholes)" = 10.9.0.2 ]; }
check "agent, with the rule: the attacker's blackhole route within 2 s" wait_for 2 routed
check_eq "agent: the attacker no longer gets an answer" 000 "$(get 10.9.0.2 /index.html)"
check_eq "agent: the reader still does" 200 "$(get 10.9.0.3 /index.html)"
check_match "agent: logged the block, for the web attack" "respond: blocked 10\.9\.0\.2 for 1h: web-attack CRITICAL" "$(cat "$TMP/live2.err")"
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_match "agent: net bans gives the finding, its class and request" \
    '"prefix":"10\.9\.0\.2","state":"active".*"by":"rule:respond","reason":"web-attack CRITICAL: [^"]*10\.9\.0\.2[^"]*; classes=' "$OUT"
stop_agent
run "$SAKIMORI" --state-dir "$STATE" net unblock 10.9.0.2
check_eq "agent's block: unblock removes the route" "" "$(blackholes)"

# --- without the privilege to block: exit 77, nothing in the kernel ---
NB=$TMP/nobody-state
mkdir -p "$NB"
chown nobody "$NB"
run setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env SAKIMORI_STATE_DIR="$NB" "$SAKIMORI" -f "$TMP/respond.conf" respond "$LOG"
check_eq "not root: exit 77" 77 "$RC"
check_eq "not root: no route" "" "$(blackholes)"

# --- a bad rule is a configuration error ---
printf 'respond {\n\tblock load for 1h\n}\n' > "$TMP/bad.conf"
run "$SAKIMORI" -f "$TMP/bad.conf" respond "$LOG"
check_eq "a bad rule: exit 78" 78 "$RC"
check_match "a bad rule: names it" "block 'load': not a finding" "$ERR"
run "$SAKIMORI" respond
check_eq "no LOG: exit 64" 64 "$RC"
run "$SAKIMORI" -f "$TMP/respond.conf" respond "$TMP/missing.log"
check_eq "a missing log: exit 66" 66 "$RC"
check_match "a missing log: named" "cannot open '$TMP/missing.log'" "$ERR"

done_testing
