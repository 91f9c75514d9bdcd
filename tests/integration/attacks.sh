#!/usr/bin/env bash
# attacks.sh - "sakimori logs attacks": the IIS Unicode attack request in
# Apache combined and IIS W3C logs (flagged, incident successful), benign
# look-alikes not flagged, bad input survived, rate rules, the JSON
# objects, the compiled-rules cache and rule overrides from the
# configuration.
. "$(dirname "$0")/lib.sh"

export SAKIMORI_RULES="$SRCDIR/rules"
A="$FIXTURES/attacks"
export SAKIMORI_STATE_DIR="$TMP/state"
mkdir -p "$SAKIMORI_STATE_DIR" # the compiled rules are cached there

jq_ok() { printf '%s\n' "$OUT" | jq -e -s "$1" >/dev/null; }

for f in seed-combined.log seed-iis-w3c.log; do
	run "$SAKIMORI" --json logs attacks "$A/$f"
	check_eq "$f: exit 2 (critical)" 2 "$RC"
	check "$f: the IIS Unicode request is IIS Unicode traversal with command execution" \
	    jq_ok 'map(select(.type=="attack.request" and (.request|test("^/scripts/\\.\\.(%c0%af)?\\.\\./winnt/system32/cmd\\.exe\\?/c\\+dir$")))) | length > 0 and all(.classes|index("iis-unicode") and index("command-exec"))'
	check "$f: a 200 on it marks the incident successful, on an executable" \
	    jq_ok 'map(select(.type=="attack.incident" and .source=="203.0.113.5")) | .[0] | .succeeded and .succeeded_executable and .severity=="critical"'
	check "$f: every attack.request has the documented fields" \
	    jq_ok 'map(select(.type=="attack.request")) | all(has("file") and has("line") and has("time") and has("source") and has("method") and has("request") and has("status") and has("class") and has("rule"))'
done
# The primer's own IIS line (header-less W3C, dd/mm/yyyy, a host name as
# the client, spaces in the User-Agent) and the request in IIS native form.
for f in seed-s18-iis.log seed-s18-iis-native.log; do
	run "$SAKIMORI" --json logs attacks "$A/$f"
	check_eq "$f: exit 2 (critical)" 2 "$RC"
	check_eq "$f: every line parsed" "$(wc -l < "$A/$f")" \
	    "$(printf '%s\n' "$OUT" | jq -r 'select(.type=="logs.file").records')"
	check "$f: the cmd.exe request is flagged as traversal from attacker.com" \
	    jq_ok 'map(select(.type=="attack.request" and .source=="attacker.com" and .method=="GET" and (.request|test("^/scripts/\\.\\.(%c0%af)?[./]*winnt/system32/cmd[.,]exe\\?/c\\+dir")))) | length == 1 and (.[0].classes|index("traversal"))'
	check "$f: a successful incident for attacker.com" \
	    jq_ok 'map(select(.type=="attack.incident" and .source=="attacker.com")) | length == 1 and .[0].succeeded'
	run "$SAKIMORI" logs attacks "$A/$f"
	check_nomatch "$f: not OK" "no problems found" "$OUT"
	check_match "$f: the table shows the request as GET path?query" \
	    " GET /scripts/[^ ]*cmd[.,]exe\?/c\+dir" "$OUT"
	check_nomatch "$f: no comma after the method" "GET," "$OUT"
done

run "$SAKIMORI" --json logs attacks "$A/seed-combined.log"
check "what did they do next: the later page request is listed" \
    jq_ok 'map(select(.type=="attack.incident" and .source=="203.0.113.5")) | .[0].next | map(.request) | index("/index.html") != null'
check "the sh.exe copy is in the timeline" \
    jq_ok 'map(select(.type=="attack.incident" and .source=="203.0.113.5")) | .[0].timeline | map(.request|test("sh\\.exe")) | any'
check "the benign search in the same log is not flagged" \
    jq_ok 'map(select(.type=="attack.request" and .source=="192.0.2.11")) | length == 0'

run "$SAKIMORI" logs attacks "$A/seed-combined.log"
check_match "table: the incident is ranked first" "1 +203\.0\.113\.5 .*critical +EXECUTABLE" "$OUT"
check_match "table: 'then:' lists what they did next" "then:" "$OUT"

run "$SAKIMORI" --json logs attacks "$A/benign.log"
check_eq "benign look-alikes: exit 0" 0 "$RC"
check "benign look-alikes: nothing flagged" jq_ok 'map(select(.type=="attack.request")) | length == 0'

run "$SAKIMORI" --json logs attacks "$A/bad-input.log"
check "bad input: every line was read" jq_ok 'map(select(.type=="logs.file")) | .[0].records == 6'
check "bad input: NUL-byte traversal flagged" jq_ok 'map(select(.type=="attack.request" and .line==5)) | .[0].classes | index("traversal")'
check "bad input: injection at the end of a 60 kB query flagged" jq_ok 'map(select(.type=="attack.request" and .line==4)) | .[0].class == "sql-injection"'
check "bad input: cut percent sequences are not attacks" jq_ok 'map(select(.type=="attack.request" and .line<=2)) | length == 0'

# Rate rules: 30 login POSTs in a minute, 60 404s, a benign address
{
	for i in $(seq 10 39); do
		printf '198.51.100.50 - - [12/Oct/2024:12:00:%02d +0000] "POST /wp-login.php HTTP/1.1" 200 3000 "-" "Mozilla/5.0"\n' $((i % 60))
	done
	for i in $(seq 0 59); do
		printf '198.51.100.60 - - [12/Oct/2024:12:01:%02d +0000] "GET /probe%d.html HTTP/1.1" 404 100 "-" "Mozilla/5.0"\n' "$i" "$i"
	done
	printf '192.0.2.30 - - [12/Oct/2024:12:02:00 +0000] "POST /wp-login.php HTTP/1.1" 302 0 "-" "Mozilla/5.0"\n'
} > "$TMP/rate.log"
run "$SAKIMORI" --json logs attacks "$TMP/rate.log"
check "a login burst is an incident" jq_ok 'map(select(.type=="attack.incident" and .source=="198.51.100.50")) | .[0].classes | index("login-burst")'
check "a 404 scanner is an incident" jq_ok 'map(select(.type=="attack.incident" and .source=="198.51.100.60")) | .[0].classes | index("404-scan")'
check "one login is not" jq_ok 'map(select(.type=="attack.incident" and .source=="192.0.2.30")) | length == 0'

# Configuration: a higher login threshold, a disabled rule, an extra rule file
mkdir -p "$TMP/extra"
cat > "$TMP/extra/local.rules" <<'RULES'
id: 900001
class: local-probe
severity: high
description: our own canary path
fields: path
pattern: ^/canary-[0-9]+$
RULES
cat > "$TMP/s.conf" <<CONF
check web-login-burst { warning 100 window 10m }
check web-attack { rules "$TMP/extra" ; disable-rules 100110 100113 }
CONF
printf '192.0.2.99 - - [12/Oct/2024:13:00:00 +0000] "GET /canary-42 HTTP/1.1" 404 10 "-" "x"\n' >> "$TMP/rate.log"
mkdir -p "$TMP/state2" "$TMP/iis" # its own cache: other rules, other hash
cp "$SRCDIR/rules/10-iis.rules" "$TMP/iis/" # a small set compiles fast
run env SAKIMORI_STATE_DIR="$TMP/state2" "$SAKIMORI" -f "$TMP/s.conf" \
    --json logs attacks --rules "$TMP/iis" "$TMP/rate.log" "$A/seed-combined.log"
check "config: login threshold raised, no burst" jq_ok 'map(select(.type=="attack.incident" and .source=="198.51.100.50")) | length == 0'
check "config: an extra rule file is loaded" jq_ok 'map(select(.type=="attack.request" and .rule==900001)) | length == 1'
check "config: disabled rules do not fire" jq_ok 'map(select(.type=="attack.request")) | map(.rules[]) | (index(100110) == null and index(100113) == null)'

# Paranoia: the array-parameter rule (paranoia 4) only at level 4
mkdir -p "$TMP/state3" "$TMP/proto"
cp "$SRCDIR/rules/05-protocol.rules" "$TMP/proto/"
printf '192.0.2.98 - - [12/Oct/2024:13:00:00 +0000] "GET /get?foo[1]=bar HTTP/1.1" 200 10 "-" "x"\n' > "$TMP/para.log"
run env SAKIMORI_STATE_DIR="$TMP/state3" "$SAKIMORI" --json logs attacks \
    --rules "$TMP/proto" "$TMP/para.log"
check "paranoia 1 (default): a parameter array is not flagged" \
    jq_ok 'map(select(.type=="attack.request")) | length == 0'
printf 'check web-attack { paranoia 4 }\n' > "$TMP/p4.conf"
run env SAKIMORI_STATE_DIR="$TMP/state3" "$SAKIMORI" -f "$TMP/p4.conf" \
    --json logs attacks --rules "$TMP/proto" "$TMP/para.log"
check "paranoia 4: the parameter array is flagged" \
    jq_ok 'map(select(.type=="attack.request")) | map(.rules[]) | index(100054) != null'

# The compiled databases are cached in the state directory
check "the compiled rules are cached" [ -s "$SAKIMORI_STATE_DIR/attack-rules.hsdb" ]
run "$SAKIMORI" --json logs attacks "$A/seed-combined.log"
check "the cached rules give the same answer" \
    jq_ok 'map(select(.type=="attack.request")) | length == 3'

# logs scan includes the attacks analyzer
run "$SAKIMORI" --json logs scan --analyzers stats,attacks "$A/seed-iis-w3c.log"
check "logs scan --analyzers ...,attacks reports the incident" jq_ok 'map(select(.type=="attack.incident")) | length >= 1'

# A broken rule file is a clear error
printf 'id: 1\nclass: x\npattern: (unclosed\n' > "$TMP/broken.rules"
run "$SAKIMORI" logs attacks --rules "$TMP/broken.rules" "$A/benign.log"
check "a broken rule: usage error" [ "$RC" -ne 0 ]
check_match "a broken rule names file and rule" "broken.rules:1: rule 1" "$ERR"
# a misspelled anomaly name would never fire: refused at load
printf 'id: 2\nclass: x\nanomaly: crfl\n' > "$TMP/typo.rules"
run "$SAKIMORI" logs attacks --rules "$TMP/typo.rules" "$A/benign.log"
check "a misspelled anomaly: error" [ "$RC" -ne 0 ]
check_match "a misspelled anomaly names file and line" \
    "typo.rules:3: unknown anomaly 'crfl'" "$ERR"

done_testing
