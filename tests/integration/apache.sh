#!/usr/bin/env bash
# apache.sh - "sakimori audit apache": the reader against Debian's stock
# /etc/apache2 with apache2ctl as the reference (modules, included files,
# document root, MPM and MaxRequestWorkers 150), the fixtures against
# httpd's own -t (include order, the worker limit it derives, the same
# file:line for syntax errors), the audit's findings with file:line, and
# bad input (include loop, syntax errors) giving errors, not crashes.
. "$(dirname "$0")/lib.sh"
command -v apache2 >/dev/null || skip_all "apache2 is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
MODS=/usr/lib/apache2/modules

# --- Debian's stock configuration, compared with apache2ctl ---
if [ -f /etc/apache2/apache2.conf ] && [ -f /etc/apache2/envvars ]; then
	run "$SAKIMORI" audit apache --show --json /etc/apache2/apache2.conf
	check_eq "stock: --show exits 0" 0 "$RC"
	check_eq "stock: the MPM is event" event "$(jq -r .mpm <<<"$OUT")"
	check_eq "stock: MaxRequestWorkers 150" 150 "$(jq -r .max_request_workers <<<"$OUT")"
	check_match "stock: the limit comes from mpm_event.conf" 'mpm_event.conf' "$(jq -r .limit_file <<<"$OUT")"
	ours=$(jq -r '.modules[]' <<<"$OUT" | sort)
	theirs=$(apache2ctl -M 2>/dev/null | awk '/_module/ {print $1}' | sort)
	check_eq "stock: loaded modules equal apache2ctl -M" "$theirs" "$ours"
	ours=$(jq -r '.files[]' <<<"$OUT")
	theirs=$(apache2ctl -t -D DUMP_INCLUDES 2>/dev/null | awk '/^ *\(/ {print $2}')
	check_eq "stock: included files (in order) equal DUMP_INCLUDES" "$theirs" "$ours"
	theirs=$(apache2ctl -t -D DUMP_RUN_CFG 2>/dev/null | sed -n 's/^Main DocumentRoot: "\(.*\)"/\1/p')
	check_eq "stock: main DocumentRoot equals DUMP_RUN_CFG" "$theirs" "$(jq -r '.document_roots[0]' <<<"$OUT")"
	run "$SAKIMORI" audit apache /etc/apache2/apache2.conf
	check_match "stock: ServerTokens OS is reported with file:line" 'apache-tokens +/etc/apache2/conf-enabled/security.conf:[0-9]+' "$OUT"
	check_nomatch "stock: server-status (Require local) is not reported" 'apache-status' "$OUT"
fi

# --- the prefork fixture: httpd's own include order and limit ---
mkdir -p "$TMP/pf" "$TMP/srv/www/html" "$TMP/srv/www/other"
cp -r "$FIXTURES/apache/prefork/." "$TMP/pf/"
ln -s "$MODS" "$TMP/pf/modules"
sed -i "s|^Define WEB .*|Define WEB $TMP/srv/www|" "$TMP/pf/conf/httpd.conf"
printf 'ErrorLog %s/error.log\n' "$TMP" >>"$TMP/pf/conf/httpd.conf"
run "$SAKIMORI" audit apache --show --json "$TMP/pf/conf/httpd.conf"
check_eq "prefork: exit 0" 0 "$RC"
check_eq "prefork: MPM prefork" prefork "$(jq -r .mpm <<<"$OUT")"
check_eq "prefork: MaxClients 150 in httpd.conf" 150 "$(jq -r .max_request_workers <<<"$OUT")"
check_eq "prefork: ServerRoot is conf/'s parent" "$TMP/pf" "$(jq -r .server_root <<<"$OUT")"
ours=$(jq -r '.files[]' <<<"$OUT")
theirs=$(apache2 -t -d "$TMP/pf" -f conf/httpd.conf -D DUMP_INCLUDES 2>/dev/null | awk '/^ *\(/ {print $2}')
check_eq "prefork: nested include globs in httpd's order" "$theirs" "$ours"
check_eq "prefork: five files" 5 "$(jq '.files | length' <<<"$OUT")"

# --- worker: MaxRequestWorkers above ServerLimit x ThreadsPerChild ---
cat >"$TMP/w.conf" <<EOT
LoadModule mpm_worker_module $MODS/mod_mpm_worker.so
<IfModule mod_nothere.c>
  MaxRequestWorkers 10
</IfModule>
ServerLimit 4
MaxRequestWorkers 1000
ErrorLog $TMP/error.log
DocumentRoot $TMP
EOT
ref=$(apache2 -t -f "$TMP/w.conf" 2>&1 | sed -n 's/.*decreasing to \([0-9]*\).*/\1/p')
run "$SAKIMORI" audit apache --show --json "$TMP/w.conf"
check_eq "worker: httpd itself lowers MaxRequestWorkers to 100" 100 "$ref"
check_eq "worker: the reader gives the limit httpd uses" "$ref" "$(jq -r .max_request_workers <<<"$OUT")"
check_eq "worker: 4 child processes at most" 4 "$(jq -r .max_processes <<<"$OUT")"

# --- bad input: the same file:line as httpd, no crash ---
cp "$FIXTURES"/apache/bad/*.conf "$TMP/"
ln -s "$MODS" "$TMP/modules"
run "$SAKIMORI" audit apache -d "$TMP" "$TMP/syntax.conf"
check "syntax error: a failing exit status ($RC)" [ "$RC" -ne 0 ]
check_match "syntax errors are UNKNOWN findings" 'UNKNOWN +apache-config' "$OUT"
ref=$(apache2 -t -d "$TMP" -f syntax.conf 2>&1 | sed -n 's/.*Syntax error on line \([0-9]*\) of [^ ]*syntax.conf: Expected.*/\1/p')
check_eq "httpd reports the mismatch at line 4" 4 "$ref"
check_match "the reader reports it at the same line" "syntax.conf:$ref: expected </Directory> but saw </Location>" "$OUT"
check_match "an unclosed section is named" "syntax.conf:12: <Directory> section is not closed" "$OUT"
run "$SAKIMORI" audit apache -d "$TMP" "$TMP/loop1.conf"
check "include loop: a failing exit status ($RC)" [ "$RC" -ne 0 ]
check_match "include loop: file:line of the Include" "loop2.conf:2: include loop" "$OUT"
run "$SAKIMORI" audit apache -d "$TMP" "$TMP/missing.conf"
ref=$(apache2 -t -d "$TMP" -f missing.conf 2>&1 | sed -n 's/.*Syntax error on line \([0-9]*\) of [^ ]*missing.conf: Could not open.*/\1/p')
check_match "missing include: same line as httpd ($ref)" "missing.conf:$ref: cannot open configuration file" "$OUT"
printf '<Directory /x\n\033]0;owned\007\n\xff\xfe\n' >"$TMP/esc.conf"
run "$SAKIMORI" audit apache "$TMP/esc.conf"
check_nomatch "terminal escapes in a config are not printed raw" $'\033' "$OUT"
run "$SAKIMORI" audit apache "$TMP/none.conf"
check_eq "a missing main file: exit 66" 66 "$RC"
check_match "and it is named" "none.conf" "$ERR"

# --- the audit on a CGI back end ---
run "$SAKIMORI" audit apache --json "$FIXTURES/apache/audit/backend.conf"
check_eq "backend: exit 2 (server-status open to all)" 2 "$RC"
check_match "status with Allow from all is CRITICAL" '"severity":"CRITICAL","check":"apache-status","subject":"[^"]*backend.conf:40"' "$OUT"
check_match "CGI directory open to everyone" '"check":"apache-cgi-open","subject":"[^"]*backend.conf:34"' "$OUT"
check_nomatch "cgi-bin limited by Allow from the front server is not" 'backend.conf:25"' "$OUT"
check_match "ExecCGI under the document root" '"check":"apache-exec-cgi","subject":"[^"]*backend.conf:21"' "$OUT"
# --- CGI restricted by .htaccess, with the real apache2 as the reference ---
# 127.0.0.1 is let in, 127.0.0.2 (another client on loopback) is not,
# where AllowOverride lets httpd read the .htaccess beside the scripts.
if [ "$(id -u)" = 0 ] && [ -f "$MODS/mod_access_compat.so" ] && command -v curl >/dev/null; then
	. "$(dirname "$0")/lib-servers.sh"
	d="$TMP/ht"
	mkdir -p "$d/cgi-bin" "$d/auth-bin" "$d/open-bin"
	for b in cgi-bin auth-bin open-bin; do
		printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\nhello\\n"\n' >"$d/$b/hello"
		chmod 755 "$d/$b" "$d/$b/hello"
	done
	printf 'Order Deny,Allow\nDeny from all\nAllow from 127.0.0.1\n' >"$d/cgi-bin/.htaccess"
	printf 'Require ip 127.0.0.1\n' >"$d/auth-bin/.htaccess"
	cp "$d/cgi-bin/.htaccess" "$d/open-bin/.htaccess"
	chmod 644 "$d"/*/.htaccess
	cat >"$TMP/ht.conf" <<EOF
LoadModule access_compat_module $MODS/mod_access_compat.so
ServerTokens Prod
ScriptAlias /cgi-bin/ $d/cgi-bin/
ScriptAlias /auth-bin/ $d/auth-bin/
ScriptAlias /open-bin/ $d/open-bin/
<Directory $d/cgi-bin>
    AllowOverride Limit
    Require all granted
</Directory>
<Directory $d/auth-bin>
    AllowOverride AuthConfig
    Require all granted
</Directory>
<Directory $d/open-bin>
    AllowOverride None
    Require all granted
</Directory>
EOF
	port=$(free_port)
	if start_apache "$d" "$port" "$TMP/ht.conf"; then
		code() { curl -s -o /dev/null -w '%{http_code}' --interface "$1" "http://127.0.0.1:$port/$2/hello"; }
		check_eq "htaccess: apache2 runs the CGI for 127.0.0.1" 200 "$(code 127.0.0.1 cgi-bin)"
		check_eq "htaccess: Deny from all in cgi-bin/.htaccess refuses 127.0.0.2" 403 "$(code 127.0.0.2 cgi-bin)"
		check_eq "htaccess: Require ip in auth-bin/.htaccess lets 127.0.0.1 in" 200 "$(code 127.0.0.1 auth-bin)"
		check_eq "htaccess: and refuses 127.0.0.2" 403 "$(code 127.0.0.2 auth-bin)"
		check_eq "htaccess: with AllowOverride None apache2 ignores open-bin/.htaccess" 200 "$(code 127.0.0.2 open-bin)"
		run "$SAKIMORI" audit apache --json "$d/httpd.conf"
		open=$(jq -r 'select(.check == "apache-cgi-open") | .evidence.directory' <<<"$OUT")
		check_nomatch "htaccess: cgi-bin (Order/Deny/Allow in .htaccess) is not called open" "^$d/cgi-bin\$" "$open"
		check_nomatch "htaccess: auth-bin (Require ip in .htaccess) is not called open" "^$d/auth-bin\$" "$open"
		check_match "htaccess: open-bin, whose .htaccess apache2 ignores, is" "^$d/open-bin\$" "$open"
	else
		not_ok "htaccess: apache2 starts"
	fi
fi

run "$SAKIMORI" audit bogus
check_eq "unknown audit target: exit 64" 64 "$RC"

done_testing
