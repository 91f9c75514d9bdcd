#!/usr/bin/env bash
# history_logs.sh - the agent counts the requests of each followed access
# log (hits, pages, 4xx, 5xx, attack requests) and the mail messages of
# the followed mail logs (received, delivered, bounced, rejected): known
# lines appended, "history --list" lists a series per log and count,
# "history SERIES --json" gives back per-minute rates whose totals are the
# counts (rrdtool fetch the same), /metrics has the counters with the
# exact totals and passes promtool; kill -9 while lines are appended and
# a restart: the counters count each line once.
. "$(dirname "$0")/lib.sh"
for p in jq rrdtool promtool curl; do
	command -v "$p" >/dev/null || skip_all "'$p' is not installed (scripts/deps.sh test)"
done
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"

ALOG="$TMP/www/access.log"
BLOG="$TMP/shop/access.log"
MLOG="$TMP/mail.log"
mkdir -p "$TMP/www" "$TMP/shop"
: > "$ALOG"; : > "$BLOG"; : > "$MLOG"
PORT=$(free_port)
agent_base_conf "$TMP/base.conf"
{ cat "$TMP/base.conf"
  echo "logs { discover no; follow \"$ALOG\" kind access; follow \"$BLOG\" kind access; follow \"$MLOG\" kind mail }"
  echo "history { batch 10 }"; } > "$CONF"
start() {
	"$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" \
		--listen "127.0.0.1:$PORT" --json >"$TMP/$1.out" 2>"$TMP/$1.err" &
	AGENT=$!
}
mstatus() { ctl status --json 2>/dev/null | jq -r "select(.type == \"logs\" and .name == \"mail\") | .$1"; }
# the series of a log's path made a name
A=web.$(printf '%s' "${TMP#/}/www/access.log" | tr -c 'A-Za-z0-9_-' '_')
B=web.$(printf '%s' "${TMP#/}/shop/access.log" | tr -c 'A-Za-z0-9_-' '_')

# the attack rules compiled before the agent starts (agent_logs.sh)
"$SAKIMORI" --state-dir "$STATE" logs scan --analyzers attacks "$ALOG" >/dev/null 2>&1
test -s "$STATE/attack-rules.hsdb" || not_ok "the attack rules' cache is made"

# access lines: 10 pages, 6 images, 3 pages not found, 2 scripts failing
# (500), 4 SQL injections on "/" (a page: directory indexes are), 1 image
# not found; and 5 requests to the other log, one of them an error 503
req() {	# req PATH STATUS
	printf '198.51.100.%d - - [06/Dec/2026:10:00:00 +0000] "GET %s HTTP/1.1" %s 100 "-" "Mozilla/5.0"\n' $((RANDOM % 200 + 1)) "$1" "$2"
}
access_a() {
	local i
	for i in $(seq 10); do req "/docs/page$i.html" 200; done
	for i in $(seq 6); do req "/img/logo$i.png" 200; done
	for i in $(seq 3); do req "/gone$i.html" 404; done
	for i in $(seq 2); do req "/cgi-bin/run$i.php" 500; done
	for i in $(seq 4); do req "/?id=1'+or+'1'='1" 200; done
	req /img/none.gif 404
}
access_b() {
	local i
	for i in $(seq 4); do req "/shop/item$i.php" 200; done
	req /shop/cart.php 503
}
# a message bounced: received, bounced, removed
bounce() {
	cat <<'M'
Dec 20 12:02:01 www postfix/pickup[811]: 6B2C01C0044: uid=1001 from=<hanako>
Dec 20 12:02:01 www postfix/qmgr[813]: 6B2C01C0044: from=<hanako@www.example.jp>, size=500, nrcpt=1 (queue active)
Dec 20 12:02:02 www postfix/smtp[814]: 6B2C01C0044: to=<nobody@far.example>, relay=mx.far.example[192.0.2.25]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)
Dec 20 12:02:02 www postfix/qmgr[813]: 6B2C01C0044: removed
M
}
access_a > "$TMP/a.lines"
access_b > "$TMP/b.lines"
{ cat "$FIXTURES/mail/postfix-pickup.log"; bounce; cat "$FIXTURES/mail/fail2ban-postfix.log"; } > "$TMP/m.lines"

# what the analyzers of "logs scan" and "mail report" count in the same
# lines: the agent's counts are theirs
run "$SAKIMORI" logs scan --analyzers stats,attacks --json "$TMP/a.lines"
check_eq "logs scan: 26 hits, 19 pages in the first log" "26 19" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type == "stats.summary") | "\(.hits) \(.page_hits)"')"
run "$SAKIMORI" logs attacks --json "$TMP/a.lines"
check_eq "logs attacks: the 4 injections are flagged" 4 \
	"$(printf '%s\n' "$OUT" | jq -s 'map(select(.type == "attack.request")) | length')"
run "$SAKIMORI" mail report --json "$TMP/m.lines"
check_eq "mail report: received 3, delivered 2, bounced 1, rejected 26" "3 2 1 26" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type == "mail.summary") | "\(.received) \(.delivered) \(.bounced) \(.rejected)"')"

# the total of a series: its values per minute times their step in minutes
total() {
	"$SAKIMORI" history --state-dir "$STATE" "$1" --since 1h --json |
		jq -s 'map((.value // 0) * .step_seconds / 60) | add | . * 1000 | round / 1000'
}
start h1
check "the agent follows the logs" wait_for 60 following
check "and listens on 127.0.0.1:$PORT" wait_port "$PORT"
cat "$TMP/a.lines" >> "$ALOG"
cat "$TMP/b.lines" >> "$BLOG"
cat "$TMP/m.lines" >> "$MLOG"
NA=$(wc -l < "$TMP/a.lines"); NB=$(wc -l < "$TMP/b.lines"); NM=$(wc -l < "$TMP/m.lines")
read_all() { [ "$(status lines)" = $((NA + NB)) ] && [ "$(mstatus lines)" = "$NM" ]; }
check "every line is read" wait_for 60 read_all
# the counts in the history files: the step of the last line closed and
# its batch (10 s) stored, about 20 s at most
stored() {
	local s want
	for s in "$A.hits_pm:26" "$A.page_hits_pm:19" "$A.responses_4xx_pm:4" \
	    "$A.responses_5xx_pm:2" "$A.attacks_pm:4" "$B.hits_pm:5" \
	    mail.received_pm:3 mail.delivered_pm:2 mail.bounced_pm:1 \
	    mail.rejected_pm:26; do
		want=${s##*:}
		[ "$(total "${s%:*}" 2>/dev/null)" = "$want" ] || return 1
	done
}
check "the counts are stored in the history" wait_for 120 stored

curl -sS -m 30 -o "$TMP/m1" "http://127.0.0.1:$PORT/metrics"
run promtool check metrics <"$TMP/m1"
check_eq "promtool check metrics passes (no error, no lint)" "0:" "$RC:$ERR$OUT"
metric() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
check_eq "requests of the first log" 26 "$(metric "sakimori_web_requests_total{log=\"$ALOG\"}" "$TMP/m1")"
check_eq "requests of the second log" 5 "$(metric "sakimori_web_requests_total{log=\"$BLOG\"}" "$TMP/m1")"
check_eq "pages of the first log" 19 "$(metric "sakimori_web_page_requests_total{log=\"$ALOG\"}" "$TMP/m1")"
check_eq "pages of the second log" 5 "$(metric "sakimori_web_page_requests_total{log=\"$BLOG\"}" "$TMP/m1")"
check_eq "4xx of the first log" 4 "$(metric "sakimori_web_responses_total{log=\"$ALOG\",class=\"4xx\"}" "$TMP/m1")"
check_eq "5xx of the first log" 2 "$(metric "sakimori_web_responses_total{log=\"$ALOG\",class=\"5xx\"}" "$TMP/m1")"
check_eq "5xx of the second log" 1 "$(metric "sakimori_web_responses_total{log=\"$BLOG\",class=\"5xx\"}" "$TMP/m1")"
check_eq "attack requests of the first log" 4 "$(metric "sakimori_web_attack_requests_total{log=\"$ALOG\"}" "$TMP/m1")"
check_eq "attack requests of the second log" 0 "$(metric "sakimori_web_attack_requests_total{log=\"$BLOG\"}" "$TMP/m1")"
check_eq "mail received, delivered, bounced, rejected" "3 2 1 26" \
	"$(for e in received delivered bounced rejected; do metric "sakimori_mail_messages_total{event=\"$e\"}" "$TMP/m1"; done | xargs)"
check_match "counters, typed so" '^# TYPE sakimori_web_requests_total counter$' "$(cat "$TMP/m1")"
stop_agent
check_eq "the agent stopped cleanly" 0 "$AGENT_RC"

run "$SAKIMORI" history --state-dir "$STATE" --list
LIST=$OUT
for s in "$A.hits_pm" "$A.page_hits_pm" "$A.responses_4xx_pm" "$A.responses_5xx_pm" "$A.attacks_pm" \
	"$B.hits_pm" mail.received_pm mail.delivered_pm mail.bounced_pm mail.rejected_pm; do
	check "history --list lists $s" grep -qx "$s" <<<"$LIST"
done
check_eq "history: the first log's hits add up to 26" 26 "$(total "$A.hits_pm")"
check_eq "its pages to 19" 19 "$(total "$A.page_hits_pm")"
check_eq "its 4xx to 4" 4 "$(total "$A.responses_4xx_pm")"
check_eq "its 5xx to 2" 2 "$(total "$A.responses_5xx_pm")"
check_eq "its attack requests to 4" 4 "$(total "$A.attacks_pm")"
check_eq "the second log's hits to 5" 5 "$(total "$B.hits_pm")"
check_eq "mail received, delivered, bounced, rejected: 3 2 1 26" "3 2 1 26" \
	"$(for e in received delivered bounced rejected; do total "mail.${e}_pm"; done | xargs)"
# per minute over steps of 10 s: each value is 6 times the requests of
# its step
check_eq "the rate is per minute: every value is 6 times a step's count" "" \
	"$("$SAKIMORI" history --state-dir "$STATE" "$A.hits_pm" --since 1h --json |
		jq -r 'select(.value != null) | .value | select((. / 6) != ((. / 6) | round))')"
# rrdtool reads the same from the file: its 10-second rows summed
fetched=$(rrdtool fetch "$STATE/rrd/$A.hits_pm.rrd" AVERAGE -r 10 -s -1h |
	awk 'NF == 2 && $2 !~ /nan/ { s += $2 * 10 / 60 } END { printf "%.3f", s }')
check_eq "rrdtool fetch: the same total" 26.000 "$fetched"
run "$SAKIMORI" graph --state-dir "$STATE" "$A.hits_pm" --period 3h --output "$TMP/g.png"
check_eq "graph draws a log's series" 0 "$RC"

# ---- kill -9 while lines are appended, restart: each line once ----
start h2
check "restarted: it follows again" wait_for 60 following
check "and listens" wait_port "$PORT"
# 2000 lines, a 404 page and an injection in every ten, appended 40 at a
# time for about 3 s
for ((n = 0; n < 2000; n++)); do
	case $((n % 10)) in
	0) req "/missing$n.html" 404 ;;
	1) req "/?id=1'+or+'1'='1" 200 ;;
	*) req "/img/p$n.png" 200 ;;
	esac
done > "$TMP/w.lines"
(
	for ((i = 1; i <= 2000; i += 40)); do
		sed -n "$i,$((i + 39))p" "$TMP/w.lines" >> "$ALOG"
		sleep 0.05
	done
	echo 2000 > "$TMP/written"
) &
writer=$!
kill9_while "$writer" "$TMP/written" 1.2
start h3
check "restarted after kill -9" wait_for 60 following
check "and listens" wait_port "$PORT"
wait "$writer"
W=$(cat "$TMP/written")
caught_up() { [ "$(status lines)" = $((NA + NB + W)) ]; }
check "every line written is read" wait_for 60 caught_up
sleep 1
curl -sS -m 30 -o "$TMP/m2" "http://127.0.0.1:$PORT/metrics"
check_eq "after kill -9: the first log's requests counted once" $((26 + W)) \
	"$(metric "sakimori_web_requests_total{log=\"$ALOG\"}" "$TMP/m2")"
check_eq "its 4xx once" $((4 + W / 10)) \
	"$(metric "sakimori_web_responses_total{log=\"$ALOG\",class=\"4xx\"}" "$TMP/m2")"
check_eq "its attack requests once" $((4 + W / 10)) \
	"$(metric "sakimori_web_attack_requests_total{log=\"$ALOG\"}" "$TMP/m2")"
check_eq "its pages once (the 404s and the injections)" $((19 + 2 * W / 10)) \
	"$(metric "sakimori_web_page_requests_total{log=\"$ALOG\"}" "$TMP/m2")"
check_eq "the mail counts kept" "3 2 1 26" \
	"$(for e in received delivered bounced rejected; do metric "sakimori_mail_messages_total{event=\"$e\"}" "$TMP/m2"; done | xargs)"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
