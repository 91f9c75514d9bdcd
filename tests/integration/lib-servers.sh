# lib-servers.sh - start private instances of real servers for a test, on
# loopback, with everything (config, pid, logs, queue) under a directory
# the test owns; stopped by the test's cleanup hooks.  Source after lib.sh.
#
#   start_apache DIR PORT [EXTRA_CONF_FILE]   Debian's apache2, mpm_prefork
#                                             (cgi works), DocumentRoot DIR/htdocs;
#                                             APACHE_MPM=event|worker and
#                                             APACHE_CGI=cgid choose others
#   start_postfix DIR PORT [EXTRA_MAIN_CF]    Debian's postfix, loopback only,
#                                             no relay, log in DIR/maillog
#                                             (postfix -c DIR/etc: config, queue,
#                                             data all under DIR); EXTRA_MAIN_CF
#                                             is appended to its main.cf
#   need_postfix                              skip the test where postfix
#                                             cannot run (not root, missing)
#   start_sshd DIR PORT [ADDR [OPTION...]]    Debian's sshd on ADDR (default
#                                             127.0.0.1), no logins possible
#                                             unless an -o OPTION says

# start_apache DIR PORT [EXTRA]: the instance's pid file is DIR/httpd.pid.
start_apache() {
	local dir=$1 port=$2 extra=${3:-} mods=/usr/lib/apache2/modules m
	local mpm=${APACHE_MPM:-prefork} cgi=${APACHE_CGI:-cgi}
	mkdir -p "$dir/htdocs" "$dir/logs"
	{
		echo "ServerRoot $dir"
		echo "ServerName localhost"
		echo "Listen 127.0.0.1:$port"
		echo "PidFile $dir/httpd.pid"
		echo "ErrorLog $dir/logs/error.log"
		echo "LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"\" combined"
		echo "CustomLog $dir/logs/access.log combined"
		echo "User www-data"
		echo "Group www-data"
		echo "Mutex file:$dir"
		echo "DefaultRuntimeDir $dir"
		for m in mpm_$mpm authz_core authz_host alias mime dir log_config $cgi status unixd; do
			[ -f "$mods/mod_$m.so" ] && echo "LoadModule ${m}_module $mods/mod_$m.so"
		done
		echo "TypesConfig /etc/mime.types"
		echo "DocumentRoot $dir/htdocs"
		echo "<Directory $dir/htdocs>"
		echo "  Require all granted"
		echo "</Directory>"
		[ -n "$extra" ] && echo "Include $extra"
	} > "$dir/httpd.conf"
	chmod 755 "$dir" "$dir/htdocs"
	traversable "$dir"
	/usr/sbin/apache2 -f "$dir/httpd.conf" -k start || return 1
	cleanup "kill \$(cat '$dir/httpd.pid' 2>/dev/null) 2>/dev/null; sleep 0.3"
	wait_port "$port" || return 1
}

# need_postfix: skips the test where a private Postfix cannot run.
need_postfix() {
	[ "$(id -u)" = 0 ] || skip_all "needs root to run postfix"
	command -v postfix >/dev/null || skip_all "postfix is not installed"
	command -v python3 >/dev/null || skip_all "python3 is not installed"
	id postfix >/dev/null 2>&1 || skip_all "no postfix user"
}

# start_postfix DIR PORT [EXTRA]: a private Postfix (config_directory
# DIR/etc); the lines of the file EXTRA are added to its main.cf (later
# settings override earlier ones).
start_postfix() {
	local dir=$1 port=$2 extra=${3:-}
	mkdir -p "$dir/etc" "$dir/spool" "$dir/data"
	cat > "$dir/etc/main.cf" <<EOC
compatibility_level = 3.6
queue_directory = $dir/spool
data_directory = $dir/data
mail_owner = postfix
myhostname = sakimori-test.localdomain
mydomain = localdomain
myorigin = \$myhostname
mydestination = \$myhostname, localhost.localdomain, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
default_transport = error:outside mail is not delivered in tests
relay_transport = error:outside mail is not delivered in tests
alias_maps =
alias_database =
local_recipient_maps = proxy:unix:passwd.byname
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
meta_directory = /etc/postfix
syslog_name = postfix-sakimori-test
EOC
	[ -n "$extra" ] && cat "$extra" >> "$dir/etc/main.cf"
	chown postfix "$dir/data"
	traversable "$dir"
	# master.cf: Debian's, with smtpd on our loopback port instead of 25.
	sed -e "s/^smtp \( *\)inet/127.0.0.1:$port\1inet/" \
	    /etc/postfix/master.cf > "$dir/etc/master.cf"
	echo "postlog   unix-dgram n  -       n       -       1       postlogd" >> "$dir/etc/master.cf"
	grep -q '^postlog' /etc/postfix/master.cf && sed -i '$d' "$dir/etc/master.cf"
	# Postfix logs why it failed to DIR/maillog (there may be no syslog).
	postfix -c "$dir/etc" start || { tail -n 5 "$dir/maillog" >&2; return 1; }
	cleanup "postfix -c '$dir/etc' stop; sleep 0.5"
	wait_port "$port" || return 1
}

# start_sshd DIR PORT [ADDR [OPTION...]]: Debian's OpenSSH server on
# ADDR:PORT (ADDR 127.0.0.1 by default) with a host key made for the test
# (no user can log in: no keys, no passwords, unless an OPTION such as
# "-o AuthorizedKeysFile=FILE" says otherwise: sshd takes the first value
# given, and these come first).
start_sshd() {
	local dir=$1 port=$2 addr=${3:-127.0.0.1}
	shift $(($# < 3 ? $# : 3))
	mkdir -p "$dir" /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey" || return 1
	/usr/sbin/sshd -f /dev/null -h "$dir/hostkey" "$@" \
	    -o "ListenAddress=$addr:$port" -o "PidFile=$dir/sshd.pid" \
	    -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
	    -o AuthorizedKeysFile=none || return 1
	cleanup "kill \$(cat '$dir/sshd.pid' 2>/dev/null) 2>/dev/null"
	wait_port "$port" || return 1
}

# traversable DIR: the server's own user (www-data, postfix) can reach DIR.
traversable() {
	local p=$1
	while [ "$p" != / ] && [ -n "$p" ]; do
		chmod a+x "$p" 2>/dev/null
		p=$(dirname "$p")
	done
}

# wait_port PORT: until something listens on 127.0.0.1:PORT (30 s at most:
# a loaded machine starts servers slowly).
wait_port() {
	local i
	for i in $(seq 1 300); do
		ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	echo "# nothing listens on port $1 after 30 s" >&2
	return 1
}

# free_port: a TCP port nothing listens on now (from 20000-59999), so that
# tests running at the same time on one machine do not collide.
free_port() {
	local p used
	used=$(ss -Hltan | awk '{ n = split($4, a, ":"); print a[n] }' | sort -u)
	while :; do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		printf '%s\n' "$used" | grep -qx "$p" || { echo "$p"; return; }
	done
}
