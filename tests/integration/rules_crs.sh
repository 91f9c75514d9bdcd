#!/usr/bin/env bash
# rules_crs.sh - "sakimori rules --crs --check": Debian's Core Rule Set
# loads with every rule translated or listed with its reason; a rule file
# of the admin's with rules that cannot be translated loads with them
# counted and named; set crs-dir chooses the directory; a missing
# directory, a file that does not parse and a bad command line are
# refused with their exit codes; at the default paranoia level it flags
# no real benign request (the corpus's clean lines, the generated
# benchmark traffic, a real Apache's log of ordinary requests).
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"
[ -d /usr/share/modsecurity-crs/rules ] ||
	skip_all "modsecurity-crs not installed (scripts/deps.sh test)"

run "$SAKIMORI" rules --crs --check --json
check_eq "Debian's rule set: exit 0" 0 "$RC"
loaded=$(printf '%s\n' "$OUT" | jq -s '[.[] | select(.type=="crs.file").loaded] | add')
translated=$(printf '%s\n' "$OUT" | jq -s '[.[] | select(.type=="crs.file").translated] | add')
listed=$(printf '%s\n' "$OUT" | jq -s '[.[] | select(.type=="crs.untranslated")] | length')
check_eq "every rule not translated is listed" "$((loaded - translated))" "$listed"
check "more than 130 rules translated" [ "$translated" -gt 130 ]
check_eq "942100 (@detectSQLi) is translated with libinjection" "" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="crs.untranslated" and .id==942100).reason')"
OUT=$(SAKIMORI_DYNLIB_FAIL=injection "$SAKIMORI" rules --crs --check --json)
check_eq "without libinjection: 942100 listed with the reason" \
	"libinjection unavailable (install libmodsecurity3)" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="crs.untranslated" and .id==942100).reason')"

d=$TMP/crs
mkdir "$d"
cat > "$d/REQUEST-999-LOCAL.conf" <<'RULES'
# one rule sakimori evaluates, two it cannot
SecRule ARGS "@rx (?i)union\s+select" \
    "id:999001,phase:2,block,t:none,t:urlDecodeUni,\
    setvar:'tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}'"
SecRule ARGS "@detectSQLi" "id:999002,phase:2,block,\
    setvar:'tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}'"
SecRule REQUEST_COOKIES "@rx x" "id:999003,phase:2,block,\
    setvar:'tx.anomaly_score_pl1=+%{tx.critical_anomaly_score}'"
RULES
echo "not a rule file" > "$d/other.conf"
OUT=$(SAKIMORI_DYNLIB_FAIL=injection "$SAKIMORI" rules --crs --check --crs-dir "$d")
check_eq "a file with untranslatable rules loads: exit 0" 0 "$?"
check_match "its counts: 3 loaded, 1 translated, 2 not" \
	'REQUEST-999-LOCAL.conf +3 +1 +2' "$OUT"
check_match "the detectSQLi rule named" \
	'999002 +REQUEST-999-LOCAL.conf +libinjection unavailable \(install libmodsecurity3\)' "$OUT"
run "$SAKIMORI" rules --crs --check --crs-dir "$d"
if [ -e /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3 ]; then
	check_match "with libinjection: 2 translated, 1 not" \
		'REQUEST-999-LOCAL.conf +3 +2 +1' "$OUT"
fi
check_match "the cookie rule named" '999003 +REQUEST-999-LOCAL.conf +targets not in an access log: REQUEST_COOKIES' "$OUT"
check_nomatch "only REQUEST-*.conf files are read" 'other.conf' "$OUT"

printf 'set crs-dir "%s"\n' "$d" > "$TMP/sakimori.conf"
run "$SAKIMORI" -f "$TMP/sakimori.conf" rules --crs --check --json
check_eq "set crs-dir: exit 0" 0 "$RC"
check_eq "set crs-dir: its files are read" "REQUEST-999-LOCAL.conf" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="crs.file").file')"

run "$SAKIMORI" rules --crs --check --crs-dir "$TMP/none"
check_eq "a missing directory: exit 66" 66 "$RC"
check_match "a missing directory: said so" "cannot open '$TMP/none'" "$ERR"

echo 'SecRule ARGS "@rx a' > "$d/REQUEST-998-BAD.conf"
run "$SAKIMORI" rules --crs --check --crs-dir "$d"
check_eq "a file that does not parse: exit 65" 65 "$RC"
check_match "a file that does not parse: where" "REQUEST-998-BAD.conf:1: unclosed quote" "$ERR"

run "$SAKIMORI" rules --crs
check_eq "without --check: exit 64" 64 "$RC"

# logs attacks with the rule set on: one verdict per request, the CRS
# rules that matched listed with the decoded text; off by default.
cat > "$TMP/access.log" <<'LOG'
192.0.2.1 - - [06/Dec/2026:10:00:00 +0000] "GET /item.php?id=1%27%20union%20select%201,2-- HTTP/1.1" 200 100 "-" "Mozilla/5.0"
192.0.2.2 - - [06/Dec/2026:10:00:01 +0000] "GET /docs/guide.html?page=2 HTTP/1.1" 200 100 "-" "Mozilla/5.0"
LOG
printf 'set crs yes\nset state-dir "%s"\n' "$TMP/state-crs" > "$TMP/crs.conf"
run "$SAKIMORI" -f "$TMP/crs.conf" logs attacks --json "$TMP/access.log"
check_eq "set crs yes: exit 2 (a critical attack)" 2 "$RC"
req=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="attack.request")')
check_eq "one request flagged" 1 "$(printf '%s\n' "$req" | grep -c .)"
check_eq "its verdict names the anomaly rule 949110" 949110 \
	"$(printf '%s\n' "$req" | jq -r '.rules | map(select(. == 949110)) | .[0]')"
check "its CRS score reaches the threshold" [ "$(printf '%s\n' "$req" | jq .crs_score)" -ge 5 ]
check_eq "942190 matched the decoded argument" "1' union s" \
	"$(printf '%s\n' "$req" | jq -r '.crs_matches[] | select(.rule==942190).text')"
if [ -e /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3 ]; then
	check_eq "942100 (libinjection) matched the decoded argument" \
		"1' union select 1,2--" \
		"$(printf '%s\n' "$req" | jq -r '.crs_matches[] | select(.rule==942100).text')"
fi
check "the compiled groups are cached" [ -s "$TMP/state-crs/attack-crs.hsdb" ]
# libmodsecurity3 (libinjection) is loaded at the first @detectSQLi or
# @detectXSS call, not at the start: with the cache saying where it is, a
# log without an argument, User-Agent or Referer never loads it
if [ -e /usr/lib/x86_64-linux-gnu/libmodsecurity.so.3 ]; then
	printf '192.0.2.3 - - [06/Dec/2026:10:00:02 +0000] "GET /docs/guide.html HTTP/1.1" 200 100 "-" "-"\n' \
		> "$TMP/plain.log"
	ERR=$(LD_DEBUG=files "$SAKIMORI" -f "$TMP/crs.conf" logs attacks "$TMP/plain.log" 2>&1 >/dev/null)
	check_nomatch "a log without arguments: libmodsecurity3 not loaded" \
		'file=libmodsecurity' "$ERR"
	ERR=$(LD_DEBUG=files "$SAKIMORI" -f "$TMP/crs.conf" logs attacks "$TMP/access.log" 2>&1 >/dev/null)
	check_match "a log with an argument: libmodsecurity3 loaded" \
		'file=libmodsecurity' "$ERR"
	run "$SAKIMORI" -f "$TMP/crs.conf" logs attacks --json "$TMP/access.log"
	check_eq "942100 (libinjection) still matched, its library loaded at its call" \
		"1' union select 1,2--" \
		"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="attack.request") | .crs_matches[] | select(.rule==942100).text')"
	cp -r "$TMP/state-crs" "$TMP/state-noinj"
	printf 'set crs yes\nset state-dir "%s"\n' "$TMP/state-noinj" > "$TMP/noinj.conf"
	run env SAKIMORI_DYNLIB_FAIL=injection "$SAKIMORI" -f "$TMP/noinj.conf" logs attacks --json "$TMP/access.log"
	check_eq "without libinjection (the cache saying where it was): exit 2" 2 "$RC"
	check_eq "without libinjection: 942100 not evaluated" "" \
		"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="attack.request") | .crs_matches[] | select(.rule==942100).text')"
fi
run "$SAKIMORI" logs attacks --json "$TMP/access.log"
check_nomatch "without set crs: no CRS verdict" 'crs_score' "$OUT"

# False positives at the default paranoia level (at most 0.05 % of benign
# requests): flagged lines of FILE that LINES (numbers, one a line) holds.
flagged_of() {	# flagged_of FILE LINES
	"$SAKIMORI" -f "$TMP/crs.conf" logs attacks --json "$1" 2>/dev/null |
		jq -r 'select(.type=="attack.request") | .line' | sort |
		comm -12 - <(sort "$2")
}
# the lines the third-party corpus labels clean (access-labels.tsv)
n=0 fp=""
while read -r f; do
	awk -F'\t' -v f="$f" '$1 == f && $3 == "clean" { print $2 }' \
		"$FIXTURES/attacks/access-labels.tsv" > "$TMP/clean.lines"
	n=$((n + $(wc -l < "$TMP/clean.lines")))
	fp="$fp$(flagged_of "$FIXTURES/logs/corpus/$f" "$TMP/clean.lines" |
		sed "s|^|$f:|")"
done < <(awk -F'\t' 'NR > 1 && $3 == "clean" { print $1 }' \
	"$FIXTURES/attacks/access-labels.tsv" | sort -u)
check "the corpus's clean requests: more than 50" [ "$n" -gt 50 ]
check_eq "the corpus's clean requests: none flagged" "" "$fp"
# the benchmark log's generated traffic, but for its probes of /.env and
# /wp-login.php (sakimori's probe rule, CRS 930130)
python3 "$FIXTURES/../../bench/gen-access-log.py" --lines 20000 > "$TMP/gen.log"
grep -n -v -E '"[A-Z]+ /(\.env|wp-login\.php)[ ?]' "$TMP/gen.log" | cut -d: -f1 \
	> "$TMP/gen.lines"
n=$(wc -l < "$TMP/gen.lines")
check "the generated log: more than 19000 benign lines" [ "$n" -gt 19000 ]
check "the generated log: at most 0.05 % of its benign lines flagged" \
	[ "$(flagged_of "$TMP/gen.log" "$TMP/gen.lines" | wc -l)" -le $((n / 2000)) ]
# a real Apache's log of the ordinary requests the server tests send
if [ "$(id -u)" = 0 ] && [ -x /usr/sbin/apache2 ] && command -v curl >/dev/null; then
	. "$(dirname "$0")/lib-servers.sh"
	port=$(free_port)
	W=$TMP/www
	printf '<Location /server-status>\n SetHandler server-status\n Require ip 127.0.0.1\n</Location>\n' \
		> "$TMP/status.conf"
	if start_apache "$W" "$port" "$TMP/status.conf"; then
		mkdir -p "$W/htdocs/docs" "$W/htdocs/img"
		echo hello > "$W/htdocs/index.html"
		for p in /index.html "/index.html?page=2" / /docs/ /img/logo.png \
		    "/search?q=apache+2.4+mod_rewrite" "/docs/?lang=en&v=2" \
		    /server-status?auto /favicon.ico "/index.html?utm_source=news&utm_medium=email"; do
			for ua in "curl/7.88.1" "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0"; do
				curl -s -o /dev/null -A "$ua" -e "http://127.0.0.1:$port/" \
					"http://127.0.0.1:$port$p"
			done
		done
		for i in $(seq 1 50); do [ "$(wc -l < "$W/logs/access.log")" -ge 20 ] && break; sleep 0.1; done
		seq 1 "$(wc -l < "$W/logs/access.log")" > "$TMP/apache.lines"
		check_eq "Apache's log of ordinary requests: 20 lines" 20 "$(wc -l < "$TMP/apache.lines")"
		check_eq "Apache's log of ordinary requests: none flagged" "" \
			"$(flagged_of "$W/logs/access.log" "$TMP/apache.lines")"
	else
		not_ok "apache starts"
	fi
fi
done_testing
