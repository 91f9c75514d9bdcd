#!/usr/bin/env bash
# stuckcgi.sh - the seed's S11 and S12 with a real Apache: a Perl CGI that
# loops forever (and ignores SIGTERM) under Debian's apache2 on a loopback
# port is reported by "sakimori check" once it has run longer than the
# configured time; with --kill it is stopped (SIGTERM, then SIGKILL after
# the grace period), the owner of the script gets a mail (recorded by
# fake-sendmail) and the audit log has the entry.  The same instance,
# configured for 2 workers, is reported by apache-workers against the
# limit in its own configuration.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
[ -x /usr/sbin/apache2 ] || skip_all "apache2 is not installed"
[ -f /usr/lib/apache2/modules/mod_cgi.so ] || skip_all "mod_cgi is missing"
[ "$(id -u)" = 0 ] || skip_all "needs root (apache2 runs CGI as www-data)"
command -v jq >/dev/null || skip_all "jq is not installed"

www="$TMP/www"
mkdir -p "$www/cgi-bin"
cat >"$www/cgi-bin/loop.pl" <<'EOF'
#!/usr/bin/perl
# a CGI that never ends and ignores SIGTERM
$SIG{TERM} = 'IGNORE';
$| = 1;
print "Content-Type: text/plain\r\n\r\nworking...\n";
while (1) { select(undef, undef, undef, 0.2); }
EOF
chmod 755 "$www/cgi-bin/loop.pl"
chown nobody "$www/cgi-bin/loop.pl"
cat >"$TMP/extra.conf" <<EOF
StartServers 2
MinSpareServers 1
MaxSpareServers 2
MaxRequestWorkers 2
ScriptAlias /cgi-bin/ $www/cgi-bin/
<Directory $www/cgi-bin>
    Options +ExecCGI
    Require all granted
</Directory>
EOF
port=$(free_port)
start_apache "$www" "$port" "$TMP/extra.conf" || { not_ok "apache2 starts"; done_testing; }
cleanup "pkill -KILL -f '$www/cgi-bin/loop.pl'"

# one request; the connection stays open while the script loops
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /cgi-bin/loop.pl HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
cleanup "exec 3>&-"
cgi=
for i in $(seq 1 100); do
	cgi=$(pgrep -f "$www/cgi-bin/loop.pl" | head -1)
	[ -n "$cgi" ] && break
	sleep 0.1
done
check "the CGI runs under apache2 (pid ${cgi:-none})" [ -n "$cgi" ]
check_eq "as www-data" www-data "$(ps -o user= -p "${cgi:-1}" 2>/dev/null)"

cat >"$TMP/sakimori.conf" <<EOF
set sendmail "$FIXTURES/bin/fake-sendmail"
check stuck-cgi { warning 1; critical 2; grace 1s }
check load { disable }
check inventory { disable }
$(process_checks_off)
EOF
export FAKE_SENDMAIL_OUT="$TMP/mail.out"
sleep 2.2 # longer than the critical run time

run "$SAKIMORI" -f "$TMP/sakimori.conf" check --interval 0 --json
f=$(jq -c --arg s "pid $cgi" 'select(.check == "stuck-cgi" and .subject == $s)' <<<"$OUT")
check_match "check reports the looping CGI as CRITICAL" '"severity":"CRITICAL"' "$f"
check_match "the finding names the script" "\"script\":\"$www/cgi-bin/loop.pl\"" "$f"
check_match "and the user" '"user":"www-data"' "$f"
check_match "and why (run time)" '"why":"it ran for [0-9]+ s \(critical 2 s\)"' "$f"
check_match "and that the web server started it" "the web server started it" "$f"
check "without --kill it is left running" kill -0 "$cgi"
check "check exits CRITICAL ($RC)" [ "$RC" -eq 2 ]

a=$(jq -c 'select(.check == "apache-workers")' <<<"$OUT")
check_match "apache-workers: 2 of 2 workers is CRITICAL" '"severity":"CRITICAL".*"children":"2".*"limit":"2"' "$a"
check_match "the limit comes from the instance's own configuration" "\"config\":\"$www/httpd.conf\"" "$a"

# a kill the audit log cannot record is not made, and is an UNKNOWN
mkdir -p "$TMP/noaudit/audit.log"
run "$SAKIMORI" -f "$TMP/sakimori.conf" --state-dir "$TMP/noaudit" check --interval 0 --json --kill
f=$(jq -c --arg s "pid $cgi" 'select(.check == "stuck-cgi" and .subject == $s)' <<<"$OUT")
check_match "without an audit log --kill does not stop it, and says why" '"action":"pid [0-9]+ not stopped: the audit log cannot be written: cannot open' "$f"
check_match "and reports it as an UNKNOWN" '"severity":"UNKNOWN".*not stopped: the audit log cannot be written' "$f"
check "the CGI still runs" kill -0 "$cgi"

run "$SAKIMORI" -f "$TMP/sakimori.conf" check --interval 0 --json --kill
f=$(jq -c --arg s "pid $cgi" 'select(.check == "stuck-cgi" and .subject == $s)' <<<"$OUT")
check_match "--kill stops it, with SIGKILL after the grace period" '"action":"ok: ended after SIGKILL"' "$f"
check "the CGI is gone" bash -c "! kill -0 $cgi 2>/dev/null"
check_match "the owner (nobody) was mailed" 'ARGS:.*\[nobody\]' "$(cat "$FAKE_SENDMAIL_OUT" 2>/dev/null)"
check_match "the mail names the script" "$www/cgi-bin/loop.pl" "$(cat "$FAKE_SENDMAIL_OUT" 2>/dev/null)"
check_match "the mail says why" "it ran for [0-9]+ s" "$(cat "$FAKE_SENDMAIL_OUT" 2>/dev/null)"
audit=$(cat "$SAKIMORI_STATE_DIR/audit.log" 2>/dev/null)
check_match "the audit log has the kill" "\"action\":\"kill\".*rule:stuck-cgi.*pid $cgi" "$audit"
check_match "and the mail" "\"action\":\"mail\".*pid $cgi" "$audit"

# a process that is not the web server's is left alone however long
sleep 300 &
other=$!
cleanup "kill $other"
sleep 0.1
perl -e 'sleep 300' &
mine=$!
cleanup "kill $mine"
sleep 2.2
run "$SAKIMORI" -f "$TMP/sakimori.conf" check --interval 0 --json --kill
check "root's own long perl is not touched" kill -0 "$mine"
check_nomatch "and not reported" "\"subject\":\"pid $mine\"" "$OUT"

done_testing
