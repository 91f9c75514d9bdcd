#!/usr/bin/env bash
# agent_actions.sh - the agent hands its alert events to the alert
# actions: an "alert exec" program gets each event once, as the JSON line
# the agent printed (same problem id), after a reload the new
# configuration's actions take the events, and a mail digest that is not
# due yet is sent when the agent reloads and when it stops.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root to run the program as nobody"
command -v jq >/dev/null || skip_all "jq is not installed"
id nobody >/dev/null 2>&1 || skip_all "no user nobody"
. "$(dirname "$0")/lib-agent.sh"

mkdir -p "$TMP/bin" "$TMP/out"
chmod 755 "$TMP" "$TMP/bin"
chown nobody "$TMP/out"
# the program: appends what it got on stdin to the file it is given
printf '#!/bin/sh\ncat >> "$1"\n' > "$TMP/bin/rec"
# sendmail: keeps each message in a file of its own
printf '#!/bin/sh\ncat > "%s/out/mail.$$"\n' "$TMP" > "$TMP/bin/sendmail"
chmod 755 "$TMP/bin/rec" "$TMP/bin/sendmail"
agent_base_conf "$TMP/base.conf" '^check load '
conf() {	# conf WARNING EXEC_FILE
	{ cat "$TMP/base.conf"
	  echo "set sendmail \"$TMP/bin/sendmail\""
	  echo "check load { warning $1 critical 1000 for 1s clear 0 every 1s }"
	  echo "alert exec rec { command \"$TMP/bin/rec\" \"$TMP/out/$2\"; user nobody; timeout 10s }"
	  echo 'alert mail { to "root@localhost"; digest 3600s }'
	} > "$CONF"
}
lines() { [ -e "$TMP/out/$1" ] && wc -l < "$TMP/out/$1" || echo 0; }
has_lines() { [ "$(lines "$1")" -ge "$2" ]; }
jq_out() { jq -r "select(.type == \"alert\" and .check == \"load\") | $2" "$TMP/$1.out"; }
mails() { ls "$TMP/out" | grep -c '^mail\.'; }

# ---- 1: one open event, once, to the program ----
conf 0 first
start_agent a1
check "the open event reaches the program" wait_for 20 has_lines first 1
sleep 4 # several more runs of load, still above 0
check_eq "the program got exactly one event" 1 "$(lines first)"
ev() { python3 -c 'import json, sys
e = [json.loads(l) for l in open(sys.argv[1])]
print(len(e), e[0]["type"], e[0]["event"], e[0]["check"], e[0]["problem"])' "$TMP/out/$1"; }
check_eq "it is the open event of the problem the agent printed" \
	"1 alert open load $(jq_out a1 'select(.event == "open") | .problem')" "$(ev first)"
check_eq "the agent printed one open event" 1 "$(jq_out a1 .event | grep -c '^open$')"
check_eq "no mail yet: the digest is not due" 0 "$(mails)"

# ---- 2: a reload: the new actions take the events, the old digest is sent ----
conf 1000 second
kill -HUP "$AGENT"
check "after the reload the resolve goes to the new program" wait_for 15 has_lines second 1
check_eq "and only there" 1 "$(lines first)"
check_eq "it is the resolve of that problem" \
	"1 alert resolve load $(jq_out a1 'select(.event == "open") | .problem')" "$(ev second)"
check "the replaced digest was sent at the reload" wait_for 10 test "$(mails)" -eq 1
check_match "with the open event in it" 'load' "$(cat "$TMP"/out/mail.*)"

# ---- 3: SIGTERM sends the digest that holds the resolve ----
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
check_eq "the pending digest was sent before the agent ended" 2 "$(mails)"
check_match "the stop's digest carries the resolve" 'RESOLVED' \
	"$(grep -l RESOLVED "$TMP"/out/mail.* | xargs cat)"
check "the actions are audited" grep -q 'rec' "$STATE/audit.log"

done_testing
