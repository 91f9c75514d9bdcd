#!/bin/bash
# logs-sources.sh - `sakimori logs sources` on this machine's real Apache
# configuration (apache2 from scripts/deps.sh): the access and error logs
# Debian's stock configuration names, with the file:line that names them;
# the configuration's follow and ignore; a wrong kind refused with its
# file:line.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"
[ -f /etc/apache2/apache2.conf ] || skip_all "apache2 not installed"

# Where the stock files name the logs (as Apache reads them: the vhost's
# ErrorLog comes second, so the first mention, the main server's, wins).
err_line=$(grep -nE '^ErrorLog ' /etc/apache2/apache2.conf | head -1 | cut -d: -f1)
site=/etc/apache2/sites-enabled/000-default.conf
[ -f "$site" ] || skip_all "the default site is not enabled"
acc_line=$(grep -nE '^\s*CustomLog .*/access.log' "$site" | head -1 | cut -d: -f1)

run "$SAKIMORI" logs sources --json
check_eq "logs sources exits 0" 0 "$RC"
log_of() { printf '%s' "$OUT" | jq -c --arg p "$1" '.logs[] | select(.path == $p)'; }
a=$(log_of /var/log/apache2/access.log)
e=$(log_of /var/log/apache2/error.log)
check_eq "access.log found in the default site" \
    "\"$site:$acc_line\"" "$(printf '%s' "$a" | jq .source)"
check_eq "access.log is an access log" '"access"' "$(printf '%s' "$a" | jq .kind)"
check_eq "error.log found in apache2.conf" \
    "\"/etc/apache2/apache2.conf:$err_line\"" "$(printf '%s' "$e" | jq .source)"
check_eq "error.log is an error log" '"error"' "$(printf '%s' "$e" | jq .kind)"
check_eq "access.log is there to follow" \
    "$([ -e /var/log/apache2/access.log ] && echo true || echo false)" \
    "$(printf '%s' "$a" | jq .present)"
check_eq "the kernel log is listed" '"kernel"' \
    "$(log_of /dev/kmsg | jq .kind)"

# The table says the same.
run "$SAKIMORI" logs sources
check_match "table: access.log with its source" \
    "^/var/log/apache2/access.log +access +(follow|absent) +$site:$acc_line\$" "$OUT"

# follow adds, ignore removes; both from the configuration.
cat > "$TMP/logs.conf" <<'CONF'
logs {
	follow "/srv/app/logs/app-error.log"
	ignore "/var/log/apache2/other_vhosts*"
}
CONF
run "$SAKIMORI" -f "$TMP/logs.conf" logs sources --json
check_eq "follow: added, kind from its name" \
    "{\"kind\":\"error\",\"present\":false,\"source\":\"$TMP/logs.conf:2\"}" \
    "$(printf '%s' "$OUT" | jq -c '.logs[] | select(.path == "/srv/app/logs/app-error.log") | {kind, present, source}')"
check_eq "ignore: removed" "" \
    "$(printf '%s' "$OUT" | jq -c '.logs[] | select(.path | startswith("/var/log/apache2/other_vhosts"))')"
check_eq "ignore leaves the rest" '"error"' \
    "$(printf '%s' "$OUT" | jq '.logs[] | select(.path == "/var/log/apache2/error.log") | .kind')"

# A kind that does not exist: refused with where it was written.
printf 'logs {\n\tfollow "/srv/x.log" kind nosuch\n}\n' > "$TMP/bad.conf"
run "$SAKIMORI" -f "$TMP/bad.conf" logs sources
check_eq "a bad kind exits 78" 78 "$RC"
check_match "a bad kind says file:line" "$TMP/bad.conf:2: follow '/srv/x.log': unknown kind 'nosuch'" "$ERR"
run "$SAKIMORI" logs sources extra
check_eq "sources takes no FILE: usage" 64 "$RC"

done_testing
