#!/usr/bin/env bash
# dash.sh - the agent's dashboard and /api/v1 with real clients, in a
# network namespace of its own (the block the page lifts is a real route
# there, never on the host): access-log lines carrying
# <script>alert(1)</script> and "><img src=x onerror=alert(1)> become
# attack problems whose evidence the overview shows as text; the JSON API
# in the JSON contract; the graphs as PNGs from librrd; POST only for
# silence and unblock, refused (403) without the CSRF token; a strict
# Content-Security-Policy on every answer; then headless Chromium
# (dash_browser.py) loads every page: no console error, no failed
# request, graphs drawn, Tab reaches every link, no dialog, and its
# Unblock button lifts the block.  The web page shows the hits per day,
# top pages, broken links (a missing page named with a payload, linked
# from the site's own page) and attack incidents the followed access log
# gave; the mail page the figures of a followed mail log; the integrity
# page the script dropped into the web root (its file name a payload);
# the disks and server table pages what the agent holds.  DASH_SCREENSHOTS=DIR keeps a
# screenshot of each page there.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for a network namespace"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
for p in curl jq rrdtool chromium; do
	command -v "$p" >/dev/null || skip_all "'$p' is not installed (scripts/deps.sh test)"
done
PY=/usr/bin/python3
"$PY" -c 'import websocket' 2>/dev/null || skip_all "python3-websocket is not installed (scripts/deps.sh test)"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"
ip link set lo up

LOG="$TMP/access.log"
MLOG="$TMP/mail.log"
: > "$LOG"
: > "$MLOG"
WWW="$TMP/www"
mkdir -p "$WWW"
agent_base_conf "$TMP/base.conf" '^check web-new-executable '
{ cat "$TMP/base.conf"
  echo "check fim { disable; webroots \"$WWW\" }"
  echo "logs { discover no; follow \"$LOG\" kind access; follow \"$MLOG\" kind mail }"
  echo "history { batch 10s }"; } > "$CONF"
# the attack rules compiled before the agent starts (slow under ASan)
"$SAKIMORI" --state-dir "$STATE" logs scan --analyzers attacks "$LOG" >/dev/null 2>&1
run "$SAKIMORI" --state-dir "$STATE" net block 192.0.2.55 --for 1h --reason 'flood <b>bold</b>'
check_eq "a block to lift: 192.0.2.55 blocked" 0 "$RC"

PORT=$(free_port)
URL="http://127.0.0.1:$PORT"
"$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" --json \
	--listen "127.0.0.1:$PORT" >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT=$!
check "the agent listens on 127.0.0.1:$PORT" wait_port "$PORT"
check "the agent follows the access log" wait_for 60 \
	sh -c "'$SAKIMORI' ctl --run-dir '$RUN' status --json | grep -q '\"paths\":\\[\"'"
printf '%s\n' \
	'198.51.100.9 - - [06/Dec/2026:10:00:00 +0000] "GET /search?q=<script>alert(1)</script> HTTP/1.1" 200 512 "-" "Mozilla/5.0"' \
	'198.51.100.10 - - [06/Dec/2026:10:00:01 +0000] "GET /search?q=\"><img src=x onerror=alert(1)> HTTP/1.1" 200 512 "-" "Mozilla/5.0"' \
	>> "$LOG"
api() { curl -s -m 30 "$URL/api/v1/$1"; }
two_problems() { [ "$(api problems | jq '.problems | length')" = 2 ]; }
check "both lines are open web-attack problems" wait_for 60 two_problems

# ---- the JSON API ----
P=$(api problems)
check_eq "api/v1/problems: type and schema first" '["type","schema"]' \
	"$(jq -c '[keys_unsorted[0:2][]]' <<<"$P")"
check_eq "... the script payload in the evidence as it was logged" \
	'/search?q=<script>alert(1)</script>' \
	"$(jq -r '.problems[] | select(.subject == "198.51.100.9") | .evidence.request' <<<"$P")"
check_match "... times in RFC 3339" '^20[0-9-]+T[0-9:]+Z$' \
	"$(jq -r '.problems[0].first' <<<"$P")"
{ jq -c '.problems[]' <<<"$P"; api blocks | jq -c '.blocks[]'; } >"$TMP/items.jsonl"
check_eq "its problems and blocks are valid agent.problem and net.ban lines" "" \
	"$("$PY" "$(dirname "$0")/json_validate.py" "${SRCDIR:-$(dirname "$0")/../..}/docs/schema" "$TMP/items.jsonl" 2>&1)"
check_eq "api/v1/status: the open problems" 2 "$(api status | jq .problems_open)"
check_eq "api/v1/blocks: the active block" "192.0.2.55 flood <b>bold</b>" \
	"$(api blocks | jq -r '.blocks[] | "\(.prefix) \(.reason)"')"
check_eq "an unknown API path is a 404 in JSON" "404 api.error" \
	"$(curl -s -m 10 -w '%{http_code}' -o "$TMP/e" "$URL/api/v1/nothing") $(jq -r .type "$TMP/e")"
stored() { [ "$(api history | jq '.series | index("load")')" != null ]; }
check "api/v1/history lists the load series once stored" wait_for 40 stored
check_match "api/v1/history/load: values with their times" \
	'^[0-9.]+ 20[0-9-]+T[0-9:]+Z$' \
	"$(api 'history/load?since=1h' | jq -r '[.points[] | select(.value != null)][0] | "\(.value) \(.time)"')"
check_eq "a bad since is a 400" 400 \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/api/v1/history/load?since=yesterday-ish")"

# ---- web, mail, integrity, disks, server table ----
# pages served, a missing page linked from one of them (its name a
# payload), and a mail log's lines
printf '%s\n' \
	'203.0.113.7 - - [06/Dec/2026:10:00:02 +0000] "GET /index.html HTTP/1.1" 200 1000 "-" "Mozilla/5.0"' \
	'203.0.113.7 - - [06/Dec/2026:10:00:03 +0000] "GET /about.html HTTP/1.1" 200 800 "-" "Mozilla/5.0"' \
	'203.0.113.7 - - [06/Dec/2026:10:00:04 +0000] "GET /index.html HTTP/1.1" 200 1000 "-" "Mozilla/5.0"' \
	'203.0.113.7 - - [06/Dec/2026:10:00:05 +0000] "GET /logo.png HTTP/1.1" 200 300 "http://127.0.0.1/index.html" "Mozilla/5.0"' \
	'203.0.113.7 - - [06/Dec/2026:10:00:06 +0000] "GET /\"><img src=x onerror=alert(2)>.html HTTP/1.1" 404 200 "http://127.0.0.1/index.html" "Mozilla/5.0"' \
	>> "$LOG"
cat "$FIXTURES/mail/postfix-pickup.log" >> "$MLOG"
seven_hits() { [ "$(api web | jq '[.days[].hits] | add')" = 7 ]; }
check "api/v1/web: the 7 requests counted" wait_for 60 seven_hits
W=$(api web)
check_eq "api/v1/web: the access log followed" "$LOG" "$(jq -r '.logs[0]' <<<"$W")"
check_eq "... hits and page hits of the day as the log has them" "2026-12-06 7 4" \
	"$(jq -r '.days[] | "\(.date) \(.hits) \(.page_hits)"' <<<"$W")"
check_eq "... the top page" "/index.html 2" \
	"$(jq -r '.pages[0] | "\(.key) \(.hits)"' <<<"$W")"
check_eq "... the broken link (as logged) with the page linking to it" \
	'/\"><img src=x onerror=alert(2)>.html http://127.0.0.1/index.html' \
	"$(jq -r '.broken_links[] | "\(.path) \(.linked_from[0].page)"' <<<"$W")"
check_eq "... the attack incidents with their timelines" \
	'198.51.100.10 /search?q=\"><img src=x onerror=alert(1)>
198.51.100.9 /search?q=<script>alert(1)</script>' \
	"$(jq -r '.incidents[] | select(.source | startswith("198.51.100.")) | "\(.source) \(.timeline[0].request)"' <<<"$W" | sort)"
mail_read() { [ "$(api mail | jq '.summary.mail_lines')" = 9 ]; }
check "api/v1/mail: the mail log's 9 lines counted" wait_for 60 mail_read
M=$(api mail)
check_eq "... the mail log followed" "$MLOG" "$(jq -r '.logs[0]' <<<"$M")"
check_match "... its first message at its time, in this year (syslog has none)" \
	"^$(date +%Y)-12-20T" "$(jq -r '.summary.first' <<<"$M")"
I=$(api integrity)
check_eq "api/v1/integrity: the fim check off, no change yet" "api.integrity false 0" \
	"$(jq -r '"\(.type) \(.fim_enabled) \(.problems | length)"' <<<"$I")"
# a script dropped into the web root, its name a payload
watching() { [ "$("$SAKIMORI" ctl --run-dir "$RUN" status --json | jq -r 'select(.type == "agent.status") | .watch_dirs')" = 1 ]; }
check "the agent watches the web root" wait_for 30 watching
DROP="$WWW/<img src=x onerror=alert(3)>.php"
printf '<?php system($_GET["c"]); ?>\n' > "$DROP"
one_change() { [ "$(api integrity | jq '.problems | length')" = 1 ]; }
check "api/v1/integrity: the new executable in the web root" wait_for 30 one_change
check_eq "... its check and its file named as it is" "web-new-executable $DROP" \
	"$(api integrity | jq -r '.problems[] | "\(.check) \(.subject)"')"
curl -s -m 30 -o "$TMP/integrity.html" "$URL/integrity"
check "the file name's payload is escaped on the integrity page" \
	grep -qF '/&lt;img src=x onerror=alert(3)&gt;.php' "$TMP/integrity.html"
check_nomatch "... never raw" '<img src=x' "$(cat "$TMP/integrity.html")"
D=$(api disks)
check_eq "api/v1/disks: / among the filesystems, as df has it" \
	"$(df -P / | awk 'NR == 2 { print $6 }')" \
	"$(jq -r '.filesystems[] | select(.mount == "/") | .mount' <<<"$D")"
S=$(api servers)
check_eq "api/v1/servers: the host's name in the server table" "$(hostname)" \
	"$(jq -r '.inventory.host.hostname' <<<"$S")"
{ jq -c '.days[], .pages[], .broken_links[], .incidents[]' <<<"$W"
  jq -c '.summary, .top[]' <<<"$M"
  jq -c '.filesystems[], .error_state[], .raid[], .disks[], .problems[]' <<<"$D"
  jq -c '.inventory' <<<"$S"; } >"$TMP/items2.jsonl"
check_eq "their items are valid lines of their types" "" \
	"$("$PY" "$(dirname "$0")/json_validate.py" "${SRCDIR:-$(dirname "$0")/../..}/docs/schema" "$TMP/items2.jsonl" 2>&1)"
curl -s -m 30 -o "$TMP/web.html" "$URL/web"
check "the broken link's payload is escaped on the web page" \
	grep -qF '&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.html' "$TMP/web.html"
check "the incident's script payload is escaped" \
	grep -qF '/search?q=&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/web.html"
check_nomatch "no payload raw on the web page" '<script>|<img src=x' "$(cat "$TMP/web.html")"
for p in mail disks servers; do
	check_eq "the $p page is there" 200 \
		"$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$URL/$p")"
done

# ---- the pages ----
curl -s -m 30 -D "$TMP/h" -o "$TMP/overview.html" "$URL/"
check_match "every answer has the strict policy" \
	"^Content-Security-Policy: default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" \
	"$(tr -d '\r' <"$TMP/h")"
check "the script payload is escaped in the overview" \
	grep -qF '/search?q=&lt;script&gt;alert(1)&lt;/script&gt;' "$TMP/overview.html"
check "the onerror payload is escaped" \
	grep -qF '&gt;&lt;img src=x onerror=alert(1)&gt;' "$TMP/overview.html"
check_nomatch "no payload raw" '<script>|<img src=x' "$(cat "$TMP/overview.html")"
curl -s -m 30 -o "$TMP/conns.html" "$URL/connections"
check "the block's reason is escaped" grep -qF 'flood &lt;b&gt;bold&lt;/b&gt;' "$TMP/conns.html"
curl -s -m 60 -D "$TMP/gh" -o "$TMP/g.png" "$URL/graph/load/day.png"
check_match "a graph is a PNG from librrd" '^Content-Type: image/png' "$(tr -d '\r' <"$TMP/gh")"
check_eq "... its signature" "89504e47" "$(head -c 4 "$TMP/g.png" | od -An -tx1 | tr -d ' \n')"
check_eq "a graph of no series is a 404" 404 \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/graph/no-such/day.png")"
check_eq "the graph page of no series is a 404" 404 \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/graphs/no-such")"
check_eq "the graph page of load is there" 200 \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/graphs/load")"
check_eq "a graph of an unknown period is a 404" 404 \
	"$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$URL/graph/load/decade.png")"

# ---- state changes: POST and the CSRF token ----
TOKEN=$(sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$TMP/conns.html" | head -n 1)
check_match "the unblock form carries a CSRF token" '^[0-9a-f]{64}$' "$TOKEN"
code() { curl -s -m 30 -o /dev/null -w '%{http_code}' "$@"; }
check_eq "unblock by GET is refused (405)" 405 "$(code "$URL/unblock?prefix=192.0.2.55&csrf=$TOKEN")"
check_eq "unblock without the token is refused (403)" 403 \
	"$(code -d prefix=192.0.2.55 "$URL/unblock")"
check_eq "unblock with a wrong token is refused (403)" 403 \
	"$(code -d prefix=192.0.2.55 -d "csrf=${TOKEN//?/0}" "$URL/unblock")"
check_eq "silence without the token is refused (403)" 403 \
	"$(code -d check=web-attack -d subject=198.51.100.9 -d for=1h "$URL/silence")"
check_eq "still blocked after the refusals" 192.0.2.55 "$(api blocks | jq -r '.blocks[].prefix')"
check_match "... its route still there" '192\.0\.2\.55' "$(ip route show type blackhole)"
check_eq "a page asked for by another name is refused (DNS rebinding)" 403 \
	"$(code -H "Host: rebind.example:$PORT" "$URL/")"
check_eq "... and so is the API" 403 "$(code -H "Host: rebind.example:$PORT" "$URL/api/v1/problems")"
check_eq "a form posted from another origin is refused, token or not" 403 \
	"$(code -H "Origin: http://rebind.example:$PORT" -d "csrf=$TOKEN" -d check=web-attack -d subject=198.51.100.9 -d for=1h "$URL/silence")"
check_eq "silence with the token answers 303" 303 \
	"$(code -d "csrf=$TOKEN" -d check=web-attack -d subject=198.51.100.9 -d for=1h "$URL/silence")"
check_match "... and the problem is silenced" '^20' \
	"$(api problems | jq -r '.problems[] | select(.subject == "198.51.100.9") | .silenced_until')"
check_eq "a form larger than 4 KiB is refused (413)" 413 \
	"$(code --data-binary "csrf=$TOKEN&x=$(head -c 5000 /dev/zero | tr '\0' a)" "$URL/silence")"

# ---- the browser ----
SHOTS=${DASH_SCREENSHOTS:-}
mkdir -p "$TMP/chrome"
"$PY" "$(dirname "$0")/dash_browser.py" "$(command -v chromium)" "$URL" \
	"$TMP/chrome" load $SHOTS >"$TMP/browser.out" 2>"$TMP/browser.err"
BRC=$?
while IFS= read -r line; do
	case $line in
	"PASS "*) ok "browser: ${line#PASS }" ;;
	"FAIL "*) not_ok "browser: ${line#FAIL }" ;;
	esac
done <"$TMP/browser.out"
if [ "$BRC" = 0 ] && grep -qx DONE "$TMP/browser.out"; then
	ok "the browser run went through every page"
else
	not_ok "the browser run went through every page" \
		"exit $BRC: $(tail -n 5 "$TMP/browser.err")"
fi
check_eq "the browser's Unblock lifted the block" "" "$(api blocks | jq -r '.blocks[].prefix')"
check_nomatch "... and its route" '192\.0\.2\.55' "$(ip route show type blackhole)"
check_match "... the audit log names the dashboard" '"action":"unblock","who":"dashboard","target":"192.0.2.55/32"' \
	"$(cat "$STATE/audit.log")"

stop_agent
check_eq "the agent stops cleanly" 0 "$AGENT_RC"
done_testing
