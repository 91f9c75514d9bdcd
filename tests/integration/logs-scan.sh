#!/bin/bash
# logs-scan.sh - `sakimori logs scan|stats` on real files: the statistics
# equal what awk computes over the same generated log; bad input (NUL,
# invalid UTF-8, CRLF, a 10 MB line, unbalanced quotes, no final newline,
# an empty file, a directory) is counted, never a crash; broken links and
# floods (Apache's "panic: POPSTACK"); --since/--until; .gz; LogFormat;
# every line of the labelled corpus is a record or counted with its number.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"
command -v python3 >/dev/null || skip_all "python3 not installed"
GEN="$SRCDIR/bench/gen-access-log.py"

# ---- statistics equal awk's ----
python3 "$GEN" --lines 30000 --clients 700 --days 3 --seed 7 > "$TMP/a.log"
run "$SAKIMORI" logs stats --json --top 10 "$TMP/a.log"
check_eq "stats exits 0" 0 "$RC"
echo "$OUT" > "$TMP/stats.json"

awk '
BEGIN {
	split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " ")
	for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i)
	n = split("html htm shtml xhtml php asp aspx jsp cgi pl py", t, " ") # and "/"
	for (i = 1; i <= n; i++) page[t[i]] = 1
}
{
	split(substr($4, 2, 11), d, "/")
	day = d[3] "-" mon[d[2]] "-" d[1]
	hits[day]++
	path = $7; sub(/\?.*/, "", path)
	ext = path; isp = 0
	if (path ~ /\/$/) isp = 1
	else if (match(path, /\.[^.\/]*$/)) {
		ext = tolower(substr(path, RSTART + 1))
		if (ext in page) isp = 1
	}
	pages[day] += isp
}
END { for (k in hits) printf "%s %d %d\n", k, pages[k], hits[k] }' \
    "$TMP/a.log" | sort > "$TMP/awk.days"
jq -r 'select(.type == "stats.day") | "\(.date) \(.page_hits) \(.hits)"' \
    "$TMP/stats.json" | sort > "$TMP/sak.days"
check "hits and page hits per day equal awk's" cmp -s "$TMP/awk.days" "$TMP/sak.days"
check_eq "three days" 3 "$(wc -l < "$TMP/sak.days")"

awk '{ print $9 }' "$TMP/a.log" | sort | uniq -c | awk '{ print $2, $1 }' |
    sort > "$TMP/awk.status"
jq -r 'select(.type == "stats.status") | "\(.status) \(.hits)"' \
    "$TMP/stats.json" | sort > "$TMP/sak.status"
check "status counts equal awk's" cmp -s "$TMP/awk.status" "$TMP/sak.status"

awk '{ print $1 }' "$TMP/a.log" | sort | uniq -c |
    awk '{ print $1, $2 }' | sort -k1,1nr -k2,2 | head -10 > "$TMP/awk.clients"
jq -r 'select(.type == "stats.top" and .list == "clients") |
    "\(.hits) \(.key)"' "$TMP/stats.json" > "$TMP/sak.clients"
check "top 10 clients equal awk's" cmp -s "$TMP/awk.clients" "$TMP/sak.clients"
check_eq "counts are exact below the bound" 0 \
    "$(jq -r 'select(.type == "stats.top") | .error' "$TMP/stats.json" | sort -u | tr -d '\n')"
check_eq "bytes equal awk's" \
    "$(awk '$10 != "-" { s += $10 } END { printf "%d", s }' "$TMP/a.log")" \
    "$(jq -r 'select(.type == "stats.summary") | .bytes' "$TMP/stats.json")"
# An admin's question: grep 01/Oct | grep html | wc -l.
check_eq "page hits of one day = grep | grep html | wc -l" \
    "$(grep 01/Oct "$TMP/a.log" | awk '{ p = $7; sub(/\?.*/, "", p) } p ~ /\.html$/' | wc -l)" \
    "$("$SAKIMORI" logs stats --json --page-types html "$TMP/a.log" |
        jq -r 'select(.type == "stats.day" and .date == "2024-10-01") | .page_hits')"

# ---- --since / --until, gzip, vhost_combined, LogFormat ----
run "$SAKIMORI" logs stats --json --since 2024-10-02T00:00+0900 --until 2024-10-03T00:00+0900 "$TMP/a.log"
check_eq "--since/--until keep one day" "2024-10-02" \
    "$(echo "$OUT" | jq -r 'select(.type == "stats.day") | .date' | tr '\n' ' ' | sed 's/ $//')"
gzip -c "$TMP/a.log" > "$TMP/a.log.1.gz"
run "$SAKIMORI" logs stats --json "$TMP/a.log.1.gz"
check_eq "a .gz file reads the same" \
    "$(jq -c 'select(.type == "stats.summary")' "$TMP/stats.json")" \
    "$(echo "$OUT" | jq -c 'select(.type == "stats.summary")')"
python3 "$GEN" --lines 500 --vhost > "$TMP/v.log"
run "$SAKIMORI" logs stats --json "$TMP/v.log"
check_eq "vhost_combined: hits per virtual host" 500 \
    "$(echo "$OUT" | jq -r 'select(.type == "stats.top" and .list == "vhosts") | .hits')"
printf '%s\n' 'h1.example 10.0.0.1 [10/Oct/2024:13:55:36 +0900] "GET /x.html HTTP/1.1" 200 12 1234' \
    'h2.example 10.0.0.2 [10/Oct/2024:13:55:37 +0900] "GET /y HTTP/1.1" 404 0 99' > "$TMP/f.log"
run "$SAKIMORI" logs stats --json --logformat '%v %h %t "%r" %>s %b %D' "$TMP/f.log"
check_eq "a LogFormat string parses every line" 2 \
    "$(echo "$OUT" | jq -r 'select(.type == "logs.file") | .records')"
check_eq "LogFormat: page hits" 1 \
    "$(echo "$OUT" | jq -r 'select(.type == "stats.summary") | .page_hits')"

# ---- bad input ----
printf '1.2.3.4 - - [10/Oct/2024:13:55:36 +0900] "GET /\0a.html HTTP/1.1" 200 1 "-" "x"\n' > "$TMP/bad.log"
printf '1.2.3.4 - - [10/Oct/2024:13:55:36 +0900] "GET /\xff\xfe.html HTTP/1.1" 200 1 "-" "\x1b[31mred"\n' >> "$TMP/bad.log"
printf '1.2.3.4 - - [10/Oct/2024:13:55:36 +0900] "GET /crlf.html HTTP/1.1" 200 1 "-" "x"\r\n' >> "$TMP/bad.log"
printf '1.2.3.4 - - [10/Oct/2024:13:55:36 +0900] "GET /q.html HTTP/1.1 200 1\n' >> "$TMP/bad.log"
printf '\0\0\0\n\n' >> "$TMP/bad.log"
head -c 10485760 /dev/zero | tr '\0' 'A' >> "$TMP/bad.log"
printf '\n1.2.3.4 - - [10/Oct/2024:13:55:36 +0900] "GET /last.html HTTP/1.1" 200 1 "-" "x"' >> "$TMP/bad.log"
# The attack rules are compiled (tens of MB, once) and cached first, and
# the bound is on what the input costs over an empty file's scan (the
# fixed part is larger under ASan).
: > "$TMP/empty.log"
"$SAKIMORI" logs scan "$TMP/empty.log" > /dev/null 2>&1
check "the compiled attack rules are cached in the state directory" \
    test -s "$SAKIMORI_STATE_DIR/attack-rules.hsdb"
/usr/bin/time -f '%M' -o "$TMP/rss0" "$SAKIMORI" logs scan --json \
    --max-line 4096 "$TMP/empty.log" > /dev/null 2>&1
/usr/bin/time -f '%M' -o "$TMP/rss" "$SAKIMORI" logs scan --json --max-line 4096 \
    "$TMP/bad.log" > "$TMP/bad.json" 2> "$TMP/bad.err"
check_eq "bad input: exit 2 (the NUL byte in a path answered 200 is an attack)" 2 $?
check_eq "bad input: no other finding" "web-attack" \
    "$(jq -r 'select(.type == "finding") | .check' "$TMP/bad.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
F=$(jq -c 'select(.type == "logs.file")' "$TMP/bad.json")
check_eq "bad input: 8 lines" 8 "$(echo "$F" | jq .lines)"
check_eq "bad input: NUL, invalid UTF-8, CRLF and last line parse" 4 "$(echo "$F" | jq .records)"
check_eq "bad input: unbalanced quote, NULs, 10 MB line unparsed with numbers" "[4,5,7]" \
    "$(echo "$F" | jq -c .unparsed_lines)"
check_eq "bad input: the 10 MB line cut and counted" 1 "$(echo "$F" | jq .cut)"
check_eq "bad input: missing final newline counted" 1 "$(echo "$F" | jq .no_final_newline)"
check "bad input: memory stays bounded (< 8 MB more than an empty file)" \
    test $(($(tail -1 "$TMP/rss") - $(tail -1 "$TMP/rss0"))) -lt 8192
run "$SAKIMORI" logs stats "$TMP/bad.log"
check_nomatch "terminal escapes never reach the table" $'\x1b' "$OUT"
check_match "invalid bytes shown escaped" 'red|\\x' "$OUT"
: > "$TMP/empty.log"
run "$SAKIMORI" logs scan --json "$TMP/empty.log"
check_eq "empty file: exit 0" 0 "$RC"
check_eq "empty file: no lines" 0 "$(echo "$OUT" | jq -r 'select(.type == "logs.file") | .lines')"
mkdir "$TMP/dir.log"
run "$SAKIMORI" logs scan "$TMP/dir.log" "$TMP/empty.log"
check_eq "a directory: exit 66, the other file still read" 66 "$RC"
check_match "a directory: a clear message" "dir.log.*Is a directory" "$ERR"
run "$SAKIMORI" logs scan "$TMP/none.log"
check_eq "a missing file: exit 66" 66 "$RC"

# ---- broken links and floods (an error_log) ----
{
	for i in $(seq 1 12); do
		echo "[Sun Oct 10 12:00:$(printf %02d "$i") 2004] [error] [client 10.0.0.$i] File does not exist: /var/www/html/img/gone.png, referer: http://www.example.com/index.html"
	done
	for i in $(seq 1 300); do echo "panic: POPSTACK"; done
	for i in $(seq 1 150); do
		echo "[Sun Oct 10 12:01:$(printf %02d $((i % 60))) 2004] [error] [client 10.0.1.$((i % 250))] Premature end of script headers: /cgi-bin/x$i.cgi"
	done
	echo "[Sun Oct 10 12:02:00 2004] [notice] Apache/2.2.3 configured -- resuming normal operations"
} > "$TMP/error_log"
{
	echo '1.1.1.1 - - [10/Oct/2004:12:00:00 +0900] "GET /index.html HTTP/1.1" 200 10 "-" "ua"'
	echo '1.1.1.2 - - [10/Oct/2004:12:00:01 +0900] "GET /img/gone.png HTTP/1.1" 404 10 "http://www.example.com/index.html" "ua"'
	echo '1.1.1.3 - - [10/Oct/2004:12:00:02 +0900] "GET /img/gone.png HTTP/1.1" 404 10 "http://www.example.com/index.html" "ua"'
	echo '6.6.6.6 - - [10/Oct/2004:12:00:03 +0900] "GET /wp-login.php HTTP/1.1" 404 10 "-" "bot"'
	echo '6.6.6.6 - - [10/Oct/2004:12:00:04 +0900] "GET /phpmyadmin/ HTTP/1.1" 404 10 "http://spam.example.net/" "bot"'
} > "$TMP/access_log"
run "$SAKIMORI" logs scan --json "$TMP/error_log" "$TMP/access_log"
check_eq "findings: exit 1 (WARNING)" 1 "$RC"
echo "$OUT" > "$TMP/scan.json"
check_eq "broken link from the access log, with its page" \
    '{"hits":2,"class":"broken_link","from":["http://www.example.com/index.html"]}' \
    "$(jq -c 'select(.type == "links.missing" and .path == "/img/gone.png") | {hits, class, from: [.linked_from[].page]}' "$TMP/scan.json")"
check_eq "broken link from the error log" 12 \
    "$(jq -r 'select(.type == "links.missing" and .path == "/var/www/html/img/gone.png") | .own_link_hits' "$TMP/scan.json")"
check_eq "invented paths are not broken links" "invented invented" \
    "$(jq -r 'select(.type == "links.missing" and (.path == "/wp-login.php" or .path == "/phpmyadmin/")) | .class' "$TMP/scan.json" | tr '\n' ' ' | sed 's/ $//')"
check_eq "broken-link findings: 2" 2 \
    "$(jq -r 'select(.type == "finding" and .check == "logs.broken_link") | .subject' "$TMP/scan.json" | wc -l)"
check_eq "POPSTACK flood reported once with its count" "1 300" \
    "$(jq -r 'select(.type == "finding" and .check == "logs.flood" and (.subject | test("POPSTACK"))) | .evidence.count' "$TMP/scan.json" | awk '{ n++; c = $1 } END { print n, c }')"
check_eq "masked template floods once" 150 \
    "$(jq -r 'select(.type == "floods.flood" and .template == "[error] Premature end of script headers: <path>") | .count' "$TMP/scan.json")"
check_eq "no flood for a single notice" 0 \
    "$(jq -r 'select(.type == "floods.flood" and (.template | test("notice|resuming")))' "$TMP/scan.json" | wc -l)"
check_eq "error rate per level" "error 162 notice 1" \
    "$(jq -r 'select(.type == "floods.level" and .level != "unknown") | "\(.level) \(.count)"' "$TMP/scan.json" | tr '\n' ' ' | sed 's/ $//')"
run "$SAKIMORI" logs scan --site www.example.com --analyzers links "$TMP/access_log"
check_match "table: broken link with the page that links to it" "/img/gone.png +2 +http://www.example.com/index.html" "$OUT"

# ---- the labelled corpus: every line a record or counted by number ----
"$SAKIMORI" logs scan --json --analyzers stats "$FIXTURES"/logs/corpus/*/*.log |
    jq -r 'select(.type == "logs.file") |
	"\(.file) \(.records + .unparsed + .directives + .empty) \(.unparsed_lines | length) \([.unparsed, 20] | min)"' > "$TMP/corpus.got"
nfiles=0
while read -r f sum numbered unparsed; do
	nfiles=$((nfiles + 1))
	lines=$(wc -l < "$f")
	[ -n "$(tail -c1 "$f")" ] && lines=$((lines + 1))
	[ "$sum" = "$lines" ] || not_ok "corpus $(basename "$f"): $sum of $lines lines accounted"
	[ "$numbered" = "$unparsed" ] || not_ok "corpus $(basename "$f"): unparsed lines numbered"
done < "$TMP/corpus.got"
check "corpus: all files read" test "$nfiles" -ge 30
ok "corpus: every line is a record, a directive, empty, or unparsed with its number"
done_testing
