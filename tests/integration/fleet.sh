#!/bin/bash
# fleet.sh - many hosts through Prometheus: Debian's prometheus and
# prometheus-alertmanager on loopback, run from the example configurations
# of etc/fleet/ (only the documented places changed: intervals, paths,
# addresses), scrape three agents on one machine, each with its own state
# directory, port and configured host name, the third reading a dpkg
# database where one package is older.  'fleet table' agrees with each
# agent's own 'inventory'; a problem opened on one agent reaches
# Alertmanager through the rules of 'fleet rules'; 'fleet problems' lists
# it; 'fleet services --outdated' finds the planted older version.  The
# size of a real agent's scrape is measured for the sizing in
# docs/fleet.md (scripts/fleet-sizing.py) and written to the log, with
# Prometheus's own head series and resident memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
. "$(dirname "$0")/lib-agent.sh"

SRC=${SRCDIR:-$(dirname "$0")/../..}
for p in prometheus prometheus-alertmanager promtool amtool curl jq perl; do
	command -v "$p" >/dev/null || {
		not_ok "'$p' is installed (scripts/deps.sh test)"
		done_testing
	}
done

PPORT=$(free_port)
APORT=$(free_port)
LPORT=$(free_port)
PROM="http://127.0.0.1:$PPORT"

# ---- a listener of a packaged program, and a dpkg database where its
# ---- package is older: the third agent's root ----
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1",
	    LocalPort => $ARGV[0], Listen => 5, ReuseAddr => 1) or die "$!";
	sleep 600;' "$LPORT" &
LPID=$!
cleanup "kill $LPID"
wait_port "$LPORT"
PKG=$(dpkg-query -S "$(readlink -f /usr/bin/perl)" | cut -d: -f1 | head -1)
REAL=$(dpkg-query -W -f='${Version}' "$PKG")
OLD=1.0-1
ROOTC=$TMP/root-c
mkdir -p "$ROOTC/var/lib/dpkg" "$ROOTC/etc"
for d in proc sys dev run; do ln -s "/$d" "$ROOTC/$d"; done
cp /etc/os-release /etc/hosts "$ROOTC/etc/"
ln -s /var/lib/dpkg/info "$ROOTC/var/lib/dpkg/info"
awk -v p="$PKG" -v v="$OLD" '
	/^Package: / { ours = ($2 == p) }
	ours && /^Version: / { print "Version: " v; next }
	{ print }' /var/lib/dpkg/status >"$ROOTC/var/lib/dpkg/status"
check "the planted database says $PKG $OLD (the machine has $REAL)" \
	grep -qx "Version: $OLD" "$ROOTC/var/lib/dpkg/status"

# ---- three agents ----
# every check off but load, which each host's configuration sets
agent_base_conf "$TMP/base.conf" '^check load '
PIDS=()
for h in a b c; do
	mkdir -p "$TMP/$h"
	{
		cat "$TMP/base.conf"
		echo "set hostname fleet-$h"
		echo "set location \"DC $h\""
		echo "set rack R$h"
		echo "set owner \"team $h\""
		# only fleet-a has a problem: its load is above 0
		if [ $h = a ]; then
			echo 'check load { warning 0 critical 1000 for 0s clear 0 every 2s }'
		else
			echo 'check load { disable }'
		fi
	} >"$TMP/$h/conf"
	port=$(free_port)
	eval "PORT_$h=$port"
	root=()
	[ $h = c ] && root=(--root "$ROOTC")
	"$SAKIMORI" "${root[@]}" agent -f "$TMP/$h/conf" --state-dir "$TMP/$h/state" \
		--run-dir "$TMP/$h/run" --listen "127.0.0.1:$port" \
		>"$TMP/$h/out" 2>"$TMP/$h/err" &
	PIDS+=($!)
	cleanup "kill $!"
	check "agent fleet-$h listens on $port" wait_port "$port"
done

# ---- the rules, Prometheus and Alertmanager from etc/fleet ----
run "$SAKIMORI" fleet rules --down-for 30s --window 10m
check_eq "fleet rules exits 0" 0 "$RC"
mkdir -p "$TMP/prom" "$TMP/am"
printf '%s\n' "$OUT" >"$TMP/prom/sakimori-rules.yml"
run promtool check rules "$TMP/prom/sakimori-rules.yml"
check_eq "promtool check rules passes" 0 "$RC"
check_match "... seven rules" "SUCCESS: 7 rules found" "$OUT"
# the rules' meaning, on made-up series over 40 minutes (promtool test rules)
mkdir -p "$TMP/rt"
"$SAKIMORI" fleet rules --down-for 1m --window 10m >"$TMP/rt/sakimori-rules.yml"
cp "$FIXTURES/prom/rules-test.yml" "$TMP/rt/"
run promtool test rules "$TMP/rt/rules-test.yml"
check_eq "promtool test rules: agent down, problems by severity with the host's name, inventory changed (not by a restart)" \
	0 "$RC"
[ "$RC" = 0 ] || printf '%s\n' "$OUT$ERR" | sed 's/^/# /' | head -n 40
run "$SAKIMORI" fleet rules --window 10x
check_eq "a bad duration is a usage error" 64 "$RC"
run "$SAKIMORI" fleet rules --job 'a"b'
check_eq "a job name that needs quoting is a usage error" 64 "$RC"

cat >"$TMP/prom/sakimori-targets.yml" <<EOT
- targets: ['127.0.0.1:$PORT_a', '127.0.0.1:$PORT_b', '127.0.0.1:$PORT_c']
EOT
# the example, with the intervals short and the paths and addresses ours
sed -e 's/^\(  scrape_interval:\).*/\1 1s/' \
	-e 's/^\(  scrape_timeout:\).*/\1 1s/' \
	-e 's/^\(  evaluation_interval:\).*/\1 1s/' \
	-e "/^ *#/!s|/etc/prometheus/|$TMP/prom/|" \
	-e "s|'127.0.0.1:9093'|'127.0.0.1:$APORT'|" \
	"$SRC/etc/fleet/prometheus.yml" >"$TMP/prom/prometheus.yml"
check_eq "the test's Prometheus configuration is the example but for 6 lines" 6 \
	"$(diff "$SRC/etc/fleet/prometheus.yml" "$TMP/prom/prometheus.yml" | grep -c '^>')"
run promtool check config "$TMP/prom/prometheus.yml"
check_eq "promtool check config passes on it (and the rules)" 0 "$RC"
SINK=$(free_port)
sed -e "s/'localhost:25'/'127.0.0.1:$SINK'/" \
	-e 's/^\(  group_wait:\).*/\1 1s/' \
	"$SRC/etc/fleet/alertmanager.yml" >"$TMP/am/alertmanager.yml"
check_eq "the test's Alertmanager configuration is the example but for 2 lines" 2 \
	"$(diff "$SRC/etc/fleet/alertmanager.yml" "$TMP/am/alertmanager.yml" | grep -c '^>')"
run amtool check-config "$TMP/am/alertmanager.yml"
check_eq "amtool check-config passes on it" 0 "$RC"

prometheus-alertmanager --config.file="$TMP/am/alertmanager.yml" \
	--storage.path="$TMP/am/data" --web.listen-address="127.0.0.1:$APORT" \
	--cluster.listen-address= >"$TMP/am/log" 2>&1 &
AMPID=$!
cleanup "kill $AMPID; wait $AMPID"
prometheus --config.file="$TMP/prom/prometheus.yml" \
	--storage.tsdb.path="$TMP/prom/data" \
	--web.listen-address="127.0.0.1:$PPORT" >"$TMP/prom/log" 2>&1 &
PPID_=$!
cleanup "kill $PPID_; wait $PPID_"
check "Alertmanager listens" wait_port "$APORT"
check "Prometheus listens" wait_port "$PPORT"

q() {
	curl -s -m 5 "$PROM/api/v1/query" --data-urlencode "query=$1" |
		jq -r "$2" 2>/dev/null
}
three_up() { [ "$(q 'count(sakimori_host_info{job="sakimori"})' '.data.result[0].value[1] // 0')" = 3 ]; }
check "Prometheus scrapes the three agents' server tables" wait_for 90 three_up

# ---- fleet table ----
run "$SAKIMORI" fleet table --prometheus "$PROM"
check_eq "fleet table exits 0" 0 "$RC"
check_match "the notebook's columns" "^HOST +IP +LOCATION +OS +VERSION +SERVICE +VERSION +PACKAGE VERSION +PORTS" "$OUT"
check_eq "three hosts: a row with the host's name for each" "fleet-a fleet-b fleet-c" \
	"$(printf '%s\n' "$OUT" | awk 'NR > 1 && $1 != "" && /^fleet-/ { print $1 }' | xargs)"
run "$SAKIMORI" fleet table --prometheus "$PROM/" --format csv
printf '%s\n' "$OUT" >"$TMP/table.csv"
check_eq "csv: the inventory's header" \
	"HOST,IP,LOCATION,OS,VERSION,SERVICE,SERVICE VERSION,PACKAGE VERSION,PORTS" \
	"$(head -n 1 "$TMP/table.csv")"
for h in a b c; do
	root=()
	[ $h = c ] && root=(--root "$ROOTC")
	run "$SAKIMORI" "${root[@]}" -f "$TMP/$h/conf" inventory --no-save --format csv
	mine=$(printf '%s\n' "$OUT" | sed -n 2p | cut -d, -f1-5)
	theirs=$(grep "^fleet-$h," "$TMP/table.csv" | head -n 1 | cut -d, -f1-5)
	check_eq "fleet-$h: host, IP, location, OS and version as its own inventory says" \
		"$mine" "$theirs"
	mine=$(printf '%s\n' "$OUT" | grep ",$LPORT/tcp\$" | cut -d, -f6-)
	theirs=$(grep "^fleet-$h,.*,$LPORT/tcp\$" "$TMP/table.csv" | cut -d, -f6-)
	check_match "fleet-$h: the perl listener's row ($PKG, port $LPORT)" "^$PKG," "$theirs"
	check_eq "... as its own inventory says" "$mine" "$theirs"
done
run "$SAKIMORI" fleet table --prometheus "$PROM" --format markdown
check_match "markdown: a row of fleet-b" "^\| fleet-b \| " "$OUT"
run "$SAKIMORI" --json fleet table --prometheus "$PROM"
printf '%s\n' "$OUT" >"$TMP/table.json"
check_eq "--json: one fleet.host line per host" "fleet-a fleet-b fleet-c" \
	"$(jq -r 'select(.type == "fleet.host") | .hostname' "$TMP/table.json" | xargs)"
check_eq "... with fleet-c's planted $PKG version" "$OLD" \
	"$(jq -r 'select(.hostname == "fleet-c") | .services[] | select(.package == "'"$PKG"'") | .package_version' "$TMP/table.json" | head -n 1)"

# ---- a problem on fleet-a reaches Alertmanager ----
am_alert() {
	curl -s -m 5 "http://127.0.0.1:$APORT/api/v2/alerts" |
		jq -e '.[] | select(.labels.alertname == "SakimoriWarning" and
		    .labels.hostname == "fleet-a" and .labels.check == "load")' \
		    >"$TMP/am/alert.json" 2>/dev/null
}
check "fleet-a's load problem reaches Alertmanager (/api/v2/alerts)" wait_for 90 am_alert
check_eq "... as a warning of job sakimori, from fleet-a's port" \
	"warning sakimori 127.0.0.1:$PORT_a" \
	"$(jq -r '"\(.labels.severity) \(.labels.job) \(.labels.instance)"' "$TMP/am/alert.json" | head -n 1)"
check_eq "... and no other host's" "" \
	"$(curl -s -m 5 "http://127.0.0.1:$APORT/api/v2/alerts" | jq -r '.[] | select(.labels.alertname == "SakimoriWarning" and .labels.hostname != "fleet-a") | .labels.hostname')"

run "$SAKIMORI" fleet problems --prometheus "$PROM"
check_eq "fleet problems: exit 1, the worst is a WARNING" 1 "$RC"
check_match "... fleet-a's load problem listed" "^fleet-a +WARNING +load " "$OUT"
check_nomatch "... and nothing of fleet-b" "^fleet-b " "$OUT"
run "$SAKIMORI" --json fleet problems --prometheus "$PROM"
printf '%s\n' "$OUT" >"$TMP/problems.json"
check_eq "--json: fleet.problem of fleet-a, load" "fleet-a load WARNING" \
	"$(jq -r 'select(.type == "fleet.problem") | "\(.hostname) \(.check) \(.severity)"' "$TMP/problems.json" | head -n 1)"

# ---- fleet services --outdated ----
run "$SAKIMORI" fleet services --prometheus "$PROM" --outdated --format csv
check_eq "fleet services --outdated exits 0" 0 "$RC"
has_line() { printf '%s\n' "$2" | grep -qxF "$1"; }
check "$PKG $REAL: the newest, on fleet-a and fleet-b" \
	has_line "$PKG,$REAL,newest,fleet-a fleet-b" "$OUT"
check "$PKG $OLD: outdated, on fleet-c" has_line "$PKG,$OLD,outdated,fleet-c" "$OUT"
check_nomatch "a service at one version everywhere is not listed" ",same," "$OUT"
run "$SAKIMORI" fleet services --prometheus "$PROM" --format csv
check_match "without --outdated every service, the same ones as same" ",same,fleet-a fleet-b fleet-c\$" "$OUT"
run "$SAKIMORI" --json fleet services --prometheus "$PROM" --outdated
printf '%s\n' "$OUT" >"$TMP/services.json"
check_eq "--json: fleet.service lines, the outdated one on fleet-c" "fleet-c" \
	"$(jq -r 'select(.type == "fleet.service" and .state == "outdated") | .hosts[]' "$TMP/services.json" | xargs)"

cat "$TMP/table.json" "$TMP/problems.json" "$TMP/services.json" >"$TMP/all.json"
check_eq "every --json line is valid against its schema (docs/schema)" "" \
	"$(python3 "$(dirname "$0")/json_validate.py" "$SRC/docs/schema" "$TMP/all.json")"

# ---- an agent that stops answering ----
kill "${PIDS[1]}"
wait "${PIDS[1]}" 2>/dev/null
b_down() { [ "$(q "up{instance=\"127.0.0.1:$PORT_b\"}" '.data.result[0].value[1] // empty')" = 0 ]; }
check "Prometheus sees fleet-b down" wait_for 30 b_down
run "$SAKIMORI" fleet problems --prometheus "$PROM"
check_eq "fleet problems: exit 2, an agent down is CRITICAL" 2 "$RC"
check_match "... listed first, by its host name" \
	"^fleet-b +CRITICAL +agent-down +127\.0\.0\.1:$PORT_b +\(not scraped\)" \
	"$(printf '%s\n' "$OUT" | sed -n 2p)"

# ---- Prometheus unreachable, or something else answering ----
NOPORT=$(free_port)
run "$SAKIMORI" fleet table --prometheus "http://127.0.0.1:$NOPORT"
check_eq "nothing listening: exit 69" 69 "$RC"
check_match "... saying whom it could not ask" "cannot ask 'http://127.0.0.1:$NOPORT': " "$ERR"
run "$SAKIMORI" fleet problems --prometheus "http://127.0.0.1:$PORT_a"
check_eq "an agent's /metrics port (404 to the API): exit 69" 69 "$RC"
check_match "... asking whether it is Prometheus" "answered HTTP 404: is it Prometheus\\?" "$ERR"
mkdir -p "$TMP/www/api/v1"
printf '<html>not the API</html>\n' >"$TMP/www/api/v1/query"
WPORT=$(free_port)
/usr/bin/python3 -m http.server --bind 127.0.0.1 --directory "$TMP/www" "$WPORT" >/dev/null 2>&1 &
WPID=$!
cleanup "kill $WPID"
wait_port "$WPORT"
run "$SAKIMORI" fleet table --prometheus "http://127.0.0.1:$WPORT"
check_eq "a 200 answer that is not the API's JSON: exit 65" 65 "$RC"
check_match "... saying so" "answered something that is not Prometheus's API: not JSON" "$ERR"
run "$SAKIMORI" fleet table
check_eq "no --prometheus: a usage error" 64 "$RC"
check_eq "libcurl is not linked: loaded when fleet first asks" "" \
	"$(readelf -d "$SAKIMORI" | grep 'NEEDED.*libcurl')"
run env SAKIMORI_DYNLIB_FAIL=curl "$SAKIMORI" fleet table --prometheus "$PROM"
check_eq "without libcurl: exit 69" 69 "$RC"
check_match "... naming the library and its package" "libcurl\\.so\\.4 \\(Debian package libcurl4\\)" "$ERR"

# ---- the figures of the sizing (docs/fleet.md) ----
curl -s -m 10 -o "$TMP/metrics" "http://127.0.0.1:$PORT_a/metrics"
series=$(grep -cv '^#' "$TMP/metrics")
bytes=$(wc -c <"$TMP/metrics")
labels=$(grep -v '^#' "$TMP/metrics" | awk '{ n = gsub(/="/, "&"); t += n } END { printf "%.1f", t / NR }')
scraped=$(q "scrape_samples_scraped{instance=\"127.0.0.1:$PORT_a\"}" '.data.result[0].value[1] // empty')
near() { [ -n "$1" ] && [ "$1" -ge $(($2 - 20)) ] && [ "$1" -le $(($2 + 20)) ]; }
check "Prometheus's count of the scrape ($scraped) is the lines of /metrics ($series)" \
	near "$scraped" "$series"
echo "# fleet sizing figures: series_per_agent=$series scrape_bytes=$bytes label_pairs_per_series=$labels"
run /usr/bin/python3 "$SRC/scripts/fleet-sizing.py" --series "$series" \
	--scrape-bytes "$bytes" --label-pairs "$labels"
check_eq "scripts/fleet-sizing.py computes the sizing from them" 0 "$RC"
printf '%s\n' "$OUT" | sed 's/^/# /'
check_match "... for 10000 hosts" "^hosts +10000$" "$OUT"
# Prometheus's own memory at this small scale, from its /metrics: a point
# measured beside the model the sizing cites.
curl -s -m 10 -o "$TMP/prom-metrics" "$PROM/metrics"
prom_metric() { awk -v m="$1" '$1 == m { printf "%.0f", $2 }' "$TMP/prom-metrics"; }
rss=$(prom_metric process_resident_memory_bytes)
head_series=$(prom_metric prometheus_tsdb_head_series)
check "Prometheus's head holds the three agents' series ($head_series)" \
	test "${head_series:-0}" -ge $((2 * series))
check "and its resident memory is known ($rss bytes)" test "${rss:-0}" -gt 0
echo "# fleet sizing figures: prometheus_head_series=$head_series prometheus_resident_bytes=$rss"

[ "$T_FAILS" -eq 0 ] || {
	tail -n 15 "$TMP/prom/log" | sed 's/^/# prometheus: /'
	tail -n 15 "$TMP/am/log" | sed 's/^/# alertmanager: /'
}
done_testing
