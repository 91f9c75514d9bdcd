#!/bin/bash
# metrics.sh - the agent's /metrics with real clients: curl and promtool
# (Debian's prometheus package) check the exposition, values against
# /proc, label escaping of a listening process with a quote, a backslash
# and a newline in its name, OpenMetrics on request, a real Prometheus
# scraping the agent and answering a query, and the listening rules:
# elsewhere than loopback only HTTPS with a bearer token (else exit 78).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"

for p in promtool prometheus curl openssl perl; do
	command -v "$p" >/dev/null || {
		not_ok "'$p' is installed (scripts/deps.sh test)"
		done_testing
	}
done

agent_base_conf "$CONF"
PORT=$(free_port)

# A listener whose name has a quote, a backslash and a newline: the
# server table lists it, and its comm and exe are label values.
WEIRD="$TMP/bin/a\"b\\c
d"
mkdir -p "$TMP/bin"
cp /usr/bin/perl "$WEIRD"
WPORT=$(free_port)
"$WEIRD" -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => $ARGV[0], Listen => 5, ReuseAddr => 1) or die "$!";
	sleep 300;' "$WPORT" &
WPID=$!
cleanup "kill $WPID"
wait_port "$WPORT"

"$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" \
	--listen "127.0.0.1:$PORT" >"$TMP/agent.out" 2>"$TMP/agent.err" &
AGENT=$!
check "the agent listens on --listen 127.0.0.1:$PORT" wait_port "$PORT"

lo_rx() { awk '$1 == "lo:" { print $2 }' /proc/net/dev; }
lo_before=$(lo_rx)
curl -sS -m 30 -D "$TMP/h" -o "$TMP/m" "http://127.0.0.1:$PORT/metrics"
lo_after=$(lo_rx)
check_eq "GET /metrics answers 200" 200 \
	"$(awk 'NR == 1 { print $2 }' "$TMP/h")"
check_match "in the text format 0.0.4" \
	'^Content-Type: text/plain; version=0.0.4; charset=utf-8' \
	"$(tr -d '\r' <"$TMP/h")"
run promtool check metrics <"$TMP/m"
check_eq "promtool check metrics passes (no error, no lint)" "0:" "$RC:$ERR$OUT"

mem=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
check_eq "sakimori_memory_total_bytes is /proc/meminfo's MemTotal" "$mem" \
	"$(awk '$1 == "sakimori_memory_total_bytes" { print $2 }' "$TMP/m")"
check_eq "sakimori_cpus counts /proc/stat's CPUs" \
	"$(grep -c '^cpu[0-9]' /proc/stat)" \
	"$(awk '$1 == "sakimori_cpus" { print $2 }' "$TMP/m")"
check_match "CPU seconds by mode are a counter" \
	'^# TYPE sakimori_cpu_seconds_total counter$' "$(cat "$TMP/m")"
check_match "the root filesystem's size in bytes" \
	'^sakimori_filesystem_size_bytes\{mountpoint="/",[^}]*\} [1-9][0-9]*$' \
	"$(cat "$TMP/m")"
lo_got=$(awk '$1 == "sakimori_network_receive_bytes_total{device=\"lo\"}" { print $2 }' "$TMP/m")
check "lo's received bytes are /proc/net/dev's, read during the request" \
	test "${lo_got:-0}" -ge "$lo_before" -a "${lo_got:-0}" -le "$lo_after" \
	-a -n "$lo_got"
check_match "TCP connections by state (the weird listener among them)" \
	'^sakimori_tcp_connections\{state="LISTEN"\} [1-9][0-9]*$' \
	"$(cat "$TMP/m")"
check_match "open problems by severity" \
	'^sakimori_problems\{severity="CRITICAL"\} [0-9]+$' "$(cat "$TMP/m")"
check_match "the host as an info metric" \
	"^sakimori_host_info\\{hostname=\"$(hostname)\",.*\\} 1$" \
	"$(cat "$TMP/m")"
check "the weird listener's comm escaped: quote, backslash, newline" \
	grep -qF "comm=\"a\\\"b\\\\c\\nd\"" "$TMP/m"
check "... and its executable too" \
	grep -qF "exe=\"$TMP/bin/a\\\"b\\\\c\\nd\"" "$TMP/m"
check_nomatch "no label value spans a line" '^[^#s]' "$(cat "$TMP/m")"

curl -sS -m 30 -D "$TMP/h2" -o "$TMP/om" -H \
	'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
	"http://127.0.0.1:$PORT/metrics"
check_match "OpenMetrics when the scraper asks for it" \
	'^Content-Type: application/openmetrics-text; version=1.0.0' \
	"$(tr -d '\r' <"$TMP/h2")"
check_eq "... ending with # EOF" "# EOF" "$(tail -n 1 "$TMP/om")"
check_match "... counter families without _total" \
	'^# TYPE sakimori_cpu_seconds counter$' "$(cat "$TMP/om")"
check_match "... info families typed info" '^# TYPE sakimori_host info$' \
	"$(cat "$TMP/om")"
check_eq "another path is 404" 404 "$(curl -s -m 10 -o /dev/null \
	-w '%{http_code}' "http://127.0.0.1:$PORT/other")"
check_eq "a POST is 405" 405 "$(curl -s -m 10 -o /dev/null -X POST \
	-w '%{http_code}' "http://127.0.0.1:$PORT/metrics")"

# A real Prometheus scraping the agent every second.
PPORT=$(free_port)
mkdir -p "$TMP/prom"
cat >"$TMP/prom/prometheus.yml" <<EOP
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: sakimori
    static_configs:
      - targets: ['127.0.0.1:$PORT']
EOP
prometheus --config.file="$TMP/prom/prometheus.yml" \
	--storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" >"$TMP/prom/log" 2>&1 &
PROM=$!
cleanup "kill $PROM; wait $PROM"
query() {
	curl -s -m 5 "http://127.0.0.1:$PPORT/api/v1/query" \
		--data-urlencode "query=$1" |
		jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
got_mem() { [ "$(query sakimori_memory_total_bytes)" = "$mem" ]; }
check "Prometheus scrapes the agent and answers sakimori_memory_total_bytes" \
	wait_for 60 got_mem
check_eq "... the scrape is up" 1 "$(query 'up{job="sakimori"}')"
check_eq "... and the weird service's labels arrived intact" 1 \
	"$(query 'sakimori_service_info{comm="a\"b\\c\nd"}')"
[ "$T_FAILS" -eq 0 ] || tail -n 20 "$TMP/prom/log" | sed 's/^/# /'
kill "$PROM"
wait "$PROM" 2>/dev/null

stop_agent
check_eq "the agent stops cleanly" 0 "$AGENT_RC"

ctl_answers() { ctl status >/dev/null 2>&1; }
# The default place (127.0.0.1:9947) taken, by another agent or here by
# a plain listener: the agent warns and runs on without /metrics.
/usr/bin/perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => 9947, Listen => 5, ReuseAddr => 1);
	sleep 300;' &
BLOCKER=$!
cleanup "kill $BLOCKER"
wait_port 9947
"$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" \
	>"$TMP/busy.out" 2>"$TMP/busy.err" &
AGENT=$!
check "the default port taken: the agent runs on (ctl answers)" \
	wait_for 30 ctl_answers
check_match "... and says /metrics is not served" \
	"cannot listen on '127.0.0.1:9947': Address already in use: /metrics is not served" \
	"$(cat "$TMP/busy.err")"
stop_agent
check_eq "... and stops cleanly" 0 "$AGENT_RC"
run "$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" \
	--listen 127.0.0.1:9947
check_eq "an address given with --listen that is taken: exit 69" 69 "$RC"
check_match "... saying so" \
	"cannot listen on '127.0.0.1:9947': Address already in use" "$ERR"
kill "$BLOCKER"

# Without libmicrohttpd (as if not installed): --listen cannot be served.
run env SAKIMORI_DYNLIB_FAIL=mhd "$SAKIMORI" agent -f "$CONF" \
	--state-dir "$STATE" --run-dir "$RUN" --listen "127.0.0.1:$PORT"
check_eq "libmicrohttpd missing and --listen given: exit 69" 69 "$RC"
check_match "... naming the package to install" "libmicrohttpd12" "$ERR"

# Elsewhere than loopback: refused without HTTPS and a token.
run "$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" \
	--listen "0.0.0.0:$PORT"
check_eq "--listen 0.0.0.0 without TLS and a token: exit 78" 78 "$RC"
check_match "... saying why" \
	"listen '0.0.0.0:$PORT': not a loopback address, so the agent serves there only over HTTPS with a bearer token" \
	"$ERR"
check_nomatch "... and nothing listened" . "$(ss -Hltn "sport = :$PORT")"

# With them: HTTPS, and a request without the token is refused.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
echo "s3cret-token" >"$TMP/token"
chmod 600 "$TMP/key.pem" "$TMP/token"
{
	cat "$CONF"
	echo "set listen \"0.0.0.0:$PORT\""
	echo "set listen-cert \"$TMP/cert.pem\""
	echo "set listen-key \"$TMP/key.pem\""
	echo "set listen-token-file \"$TMP/token\""
} >"$TMP/tls.conf"
"$SAKIMORI" agent -f "$TMP/tls.conf" --state-dir "$STATE" --run-dir "$RUN" \
	>"$TMP/tls.out" 2>"$TMP/tls.err" &
AGENT=$!
check "with listen-cert, listen-key and listen-token-file it listens" \
	wait_port "$PORT"
check_eq "plain HTTP is not served" 000 "$(curl -s -m 5 -o /dev/null \
	-w '%{http_code}' "http://127.0.0.1:$PORT/metrics")"
check_eq "HTTPS without the token: 401" 401 "$(curl -sk -m 10 -o /dev/null \
	-w '%{http_code}' "https://127.0.0.1:$PORT/metrics")"
check_eq "HTTPS with a wrong token: 401" 401 "$(curl -sk -m 10 -o /dev/null \
	-H 'Authorization: Bearer s3cret-tokex' -w '%{http_code}' \
	"https://127.0.0.1:$PORT/metrics")"
check_eq "HTTPS with the token: the metrics" "$mem" "$(curl -sk -m 30 \
	-H 'Authorization: Bearer s3cret-token' \
	"https://127.0.0.1:$PORT/metrics" |
	awk '$1 == "sakimori_memory_total_bytes" { print $2 }')"
stop_agent
check_eq "the TLS agent stops cleanly" 0 "$AGENT_RC"

done_testing
