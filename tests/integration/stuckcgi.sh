#!/usr/bin/env bash
# stuckcgi.sh - stuck CGI and the Apache worker count with a real Apache:
# a Perl CGI that loops forever (and ignores SIGTERM) under Debian's
# apache2 on a loopback port is reported by "sakimori check" once it has
# run longer than the configured time; with --kill it is stopped (SIGTERM,
# then SIGKILL after the grace period), the owner of the script gets a
# mail (recorded by fake-sendmail) and the audit log has the entry.  The
# same instance, configured for 2 workers, is reported by apache-workers
# against the limit in its own configuration; with mod_cgid (prefork and
# event) and a piped logger, apache-workers counts what the instance's
# server-status counts, as root and as nobody.
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
check_match "apache-workers: 2 of 2 workers is CRITICAL" '"severity":"CRITICAL".*"children":2,.*"limit":2[,}]' "$a"
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

# --- apache-workers counts what server-status counts ---
# mod_cgid's daemon and a piped logger (rotatelogs) are children of the
# master too, but serve no request; under a threaded MPM each child holds
# ThreadsPerChild workers.  The reference is the instance's own
# server-status (mod_status on loopback), taken as root and as nobody
# (who cannot read the processes' descriptors).
cat >"$TMP/workers.conf" <<EOF
check apache-workers { warning 1; critical 100 }
check stuck-cgi { disable }
check load { disable }
check inventory { disable }
$(process_checks_off)
EOF
workers_run() { # workers_run root|nobody: sakimori check into OUT
	if [ "$1" = root ]; then
		run "$SAKIMORI" -f "$TMP/workers.conf" check --interval 0 --json
	else
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    env SAKIMORI_STATE_DIR=/nonexistent "$SAKIMORI" \
		    -f "$TMP/workers.conf" check --interval 0 --json
	fi
}
for mpm in prefork event; do
	[ -f /usr/lib/apache2/modules/mod_cgid.so ] && [ -x /usr/bin/rotatelogs ] &&
	    command -v curl >/dev/null && command -v setpriv >/dev/null || break
	d="$TMP/cgid-$mpm"
	mkdir -p "$d/logs"
	cat >"$d/extra.conf" <<EOF
ServerLimit 4
StartServers 3
<IfModule mpm_prefork_module>
    MinSpareServers 1
    MaxSpareServers 10
</IfModule>
<IfModule mpm_event_module>
    ThreadsPerChild 5
    MinSpareThreads 5
    MaxSpareThreads 100
</IfModule>
MaxRequestWorkers 20
CustomLog "|/usr/bin/rotatelogs $d/logs/access.%Y 86400" common
<Location /server-status>
    SetHandler server-status
    Require ip 127.0.0.1
</Location>
EOF
	port=$(free_port)
	if ! APACHE_MPM=$mpm APACHE_CGI=cgid start_apache "$d" "$port" "$d/extra.conf"; then
		not_ok "$mpm: apache2 with mod_cgid starts"
		continue
	fi
	master=$(cat "$d/httpd.pid")
	sleep 1 # the children settle
	check "$mpm: mod_cgid's daemon runs beside the workers" [ -S "$d/cgisock.$master" ]
	check "$mpm: and rotatelogs" [ -n "$(pgrep -x rotatelogs -P "$master")" ]
	chmod 755 "$TMP"
	chmod 644 "$TMP/workers.conf"
	for who in root nobody; do
		# three tries, for a moment when no child is spawned or ended
		# between the two counts
		for try in 1 2 3; do
			st=$(curl -s "http://127.0.0.1:$port/server-status?auto")
			ref=$(awk -F': ' '/^(BusyWorkers|IdleWorkers):/ { n += $2 } END { print n + 0 }' <<<"$st")
			want=$(pgrep -x apache2 -P "$master" | wc -l)
			workers_run $who
			f=$(jq -c --arg s "apache2 pid $master" \
			    'select(.check == "apache-workers" and .subject == $s)' <<<"$OUT")
			got=$(jq -r '.evidence.workers' <<<"$f")
			[ "$got" = "$ref" ] && break
			sleep 1
		done
		check_eq "$mpm, as $who: the workers counted equal server-status's busy + idle" "$ref" "$got"
		check_eq "$mpm, as $who: the processes counted leave mod_cgid's daemon out ($((want - 1)) of $want apache2 children)" \
		    "$((want - 1))" "$(jq -r '.evidence.children' <<<"$f")"
		check_eq "$mpm, as $who: the daemon and rotatelogs are the other children" \
		    2 "$(jq -r '.evidence.other_children' <<<"$f")"
	done
	chmod 700 "$TMP"
	kill "$master"
done

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
