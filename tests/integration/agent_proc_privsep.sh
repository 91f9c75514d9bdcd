#!/usr/bin/env bash
# agent_proc_privsep.sh - the agent's stuck-cgi check parses /proc in its
# unprivileged child: a Perl script looping as www-data, started with a
# relative path from its own directory, is reported once it has run
# longer than the critical time, with its interpreter (another user's
# /proc/PID/exe) and its script made absolute (another user's
# /proc/PID/cwd), both read for the child by the root parent, which
# opens no /proc/PID/stat, status or cmdline meanwhile and only reads
# those links.  With "kill yes" the parent stops it on the child's
# request (SIGKILL after the grace: it ignores SIGTERM), audits it and
# mails the owner of the script; the finding says so.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v strace >/dev/null || skip_all "strace is not installed"
command -v useradd >/dev/null || skip_all "useradd is missing"
command -v perl >/dev/null || skip_all "perl is not installed"
getent passwd www-data >/dev/null || skip_all "no user www-data"
. "$(dirname "$0")/lib-agent.sh"

U=_skpp$$
getent passwd "$U" >/dev/null && skip_all "user '$U' exists already"
cleanup "userdel '$U' 2>/dev/null"

# The script, in a directory www-data may enter; it loops and ignores
# SIGTERM.  Its owner is nobody (the mail goes there).
W=$(mktemp -d /tmp/sakimori-cgi.XXXXXX)
cleanup "rm -rf '$W'"
chmod 0755 "$W"
cat >"$W/loop.pl" <<'EOF'
#!/usr/bin/perl
$SIG{TERM} = 'IGNORE';
while (1) { select(undef, undef, undef, 0.2); }
EOF
chmod 0755 "$W/loop.pl"
chown nobody "$W/loop.pl"
(cd "$W" && exec setpriv --reuid=www-data --regid=www-data --clear-groups \
	perl loop.pl) &
cgi=$!
cleanup "kill -9 $cgi 2>/dev/null"
# past the critical time before the agent looks
ran3() { [ "$(ps -o etimes= -p "$cgi" 2>/dev/null)" -ge 3 ] 2>/dev/null; }
wait_for 10 ran3
check_eq "the looping script runs as www-data" www-data "$(ps -o user= -p "$cgi")"

agent_base_conf "$TMP/base.conf" '^check stuck-cgi '
export FAKE_SENDMAIL_OUT="$TMP/mail.out"
conf() {	# conf EXTRA: the agent's configuration, stuck-cgi every second
	{ cat "$TMP/base.conf"
	  echo "set agent-user \"$U\""
	  echo "set sendmail \"$FIXTURES/bin/fake-sendmail\""
	  echo "check stuck-cgi { warning 1; critical 2; grace 1s; every 1s; $1 }"; } > "$CONF"
}
child_pid() { pgrep -P "$AGENT" -x sakimori-logs | head -1; }
filtered() { [ "$(proc_field "$(child_pid)" Seccomp 2>/dev/null)" = 2 ]; }
event() {	# event FILE KIND: the stuck-cgi event of the script's pid
	jq -c --arg s "pid $cgi" --arg e "$2" \
		'select(.type == "alert" and .check == "stuck-cgi" and .subject == $s and .event == $e)' \
		"$1" 2>/dev/null | head -1
}

# ---- reported from the child; the parent reads only links ----
conf ""
start_agent a
check "the agent has a log child" wait_for 60 child_pid
check "...under its filter" wait_for 240 filtered
c=$(child_pid)
opened() { [ -n "$(event "$TMP/a.out" open)" ]; }
check "the stuck script gives an open event" wait_for 60 opened
# CRITICAL: told open so, or (when the check first saw it within the
# critical time, as a loaded machine's scheduling can make it) told so by
# the change that follows
critical() {
	jq -c --arg s "pid $cgi" \
		'select(.type == "alert" and .check == "stuck-cgi" and .subject == $s and (.event == "open" or .event == "change") and .severity == "CRITICAL")' \
		"$TMP/a.out" 2>/dev/null | head -1
}
is_critical() { [ -n "$(critical)" ]; }
check "...CRITICAL" wait_for 30 is_critical
ev=$(critical)
check_match "...its interpreter, read by the parent for the child" \
	'"interpreter":"/usr/bin/perl[0-9.]*"' "$ev"
check_match "...its script made absolute with its working directory" \
	"\"script\":\"$W/loop.pl\"" "$ev"
check_match "...its user" '"user":"www-data"' "$ev"
check_match "...and why" '"why":"it ran for [0-9]+ s \(critical 2 s\)"' "$ev"
check "without 'kill yes' it is left running" kill -0 "$cgi"

# strace on every thread of the parent and on the child for 4 s: the
# check runs 4 times meanwhile
trace_both 4 open,openat,readlink,readlinkat "$c"
ptrace=$(cat "$TMP/parent.trace")
ctrace=$(cat "$TMP/child.trace")
check_match "the parent was traced (its loop waits)" 'epoll_wait' "$ptrace"
check_match "the child opens /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ctrace"
check_match "...and /proc/PID/cmdline" '"(/proc/)?[0-9]+/cmdline"' "$ctrace"
check_match "...and /proc/PID/status" '"(/proc/)?[0-9]+/status"' "$ctrace"
check_match "the parent reads the script's executable link for the child" \
	"readlink\\(\"/proc/$cgi/exe\"" "$ptrace"
check_match "...and its working directory" "readlink\\(\"/proc/$cgi/cwd\"" "$ptrace"
check_nomatch "the parent opens no /proc/PID/stat" '"(/proc/)?[0-9]+/stat"' "$ptrace"
check_nomatch "...no /proc/PID/status" '"(/proc/)?[0-9]+/status"' "$ptrace"
check_nomatch "...no /proc/PID/cmdline" '"(/proc/)?[0-9]+/cmdline"' "$ptrace"
check_eq "...and opens no file of any process's under /proc at all" "" \
	"$(grep -E '^(open|openat)\(' "$TMP/parent.trace" | grep -E '"/proc/([0-9]+|self|thread-self)/')"
check_eq "the child is the same (not killed by its filter)" "$c" "$(child_pid)"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- "kill yes": the parent stops it when the child asks ----
# (a fresh state directory: the problem is told open again)
conf "kill yes"
STATE="$TMP/state-b"
start_agent b
stopped() { ! kill -0 "$cgi" 2>/dev/null; }
check "with 'kill yes' the script is stopped" wait_for 240 stopped
has_action() { event "$TMP/b.out" open | grep -q '"action"'; }
check "...and an event says so" wait_for 30 has_action
ev=$(event "$TMP/b.out" open)
check_match "...with SIGKILL after the grace period (it ignores SIGTERM)" \
	'"action":"ok: ended after SIGKILL"' "$ev"
check_match "...in its message" 'stopped \(SIGKILL\)' "$ev"
check_match "...the owner (nobody) mailed" '"mail":"sent to nobody"' "$ev"
check_match "the mail went to nobody" 'ARGS:.*\[nobody\]' "$(cat "$FAKE_SENDMAIL_OUT" 2>/dev/null)"
check_match "...naming the script" "$W/loop.pl" "$(cat "$FAKE_SENDMAIL_OUT" 2>/dev/null)"
audit=$(cat "$STATE/audit.log" 2>/dev/null)
check_match "the audit log has the kill" "\"action\":\"kill\".*rule:stuck-cgi.*pid $cgi" "$audit"
check_match "...and the mail" "\"action\":\"mail\".*pid $cgi" "$audit"
check_nomatch "no child was taken for malformed" "malformed" "$(cat "$TMP/b.err")"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"
done_testing
