# lib-agent.sh - running "sakimori agent" in a test.  Source after lib.sh.
#
#   agent_base_conf FILE [KEEP_RE]   every check disabled but those whose
#                                    name matches KEEP_RE (a grep -v
#                                    pattern on "check NAME "), and no
#                                    discovered log followed, into FILE
#   start_agent NAME                 the agent on $CONF, $STATE, $RUN with
#                                    --json: events in $TMP/NAME.out,
#                                    stderr in NAME.err, pid in $AGENT
#   stop_agent                       SIGTERM, waits; its status in $AGENT_RC
#   wait_for SECONDS COMMAND...      until it succeeds; 1 if it never does
#   ctl ARGS...                      sakimori ctl on $RUN
#   status FIELD                     of the followed access logs (ctl)
#   following                        the access logs are followed
#   attack ADDRESS N                 N attack requests (combined format)
#   agent_user PREFIX                a user name for the agent's children
#                                    in $U (PREFIX and the test's pid),
#                                    not taken yet, removed at the end
#   proc_field PID NAME              of /proc/PID/status, blanks squeezed
#   check_unprivileged WHAT PID UID GID
#                                    PID runs as UID:GID only, with no
#                                    capability, no_new_privs and a
#                                    seccomp filter (one check each)
#   trace_both SECS CALLS CHILD      strace CALLS (a trace= list) for SECS
#                                    on every thread of the agent (with
#                                    epoll_wait: its loop) into
#                                    $TMP/parent.trace, and on CHILD
#                                    into $TMP/child.trace
#   kill9_while WRITER DONE SECS     SECS after the background WRITER
#                                    (a pid) started, while it has not
#                                    made the file DONE yet, kill -9 the
#                                    agent
STATE="$TMP/agent-state"
RUN="$TMP/run"
CONF="$TMP/agent.conf"
AGENT=
cleanup '[ -n "$AGENT" ] && kill -9 $AGENT'

agent_base_conf() {
	"$SAKIMORI" config check -f "$TMP/empty.conf" |
		sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/check \1 { disable }/p' |
		grep -v "${2:-^\$}" > "$1"
	echo 'logs { discover no }' >> "$1"
}
start_agent() {
	"$SAKIMORI" agent -f "$CONF" --state-dir "$STATE" --run-dir "$RUN" --json \
		>"$TMP/$1.out" 2>"$TMP/$1.err" &
	AGENT=$!
}
stop_agent() {
	kill -TERM "$AGENT"
	wait "$AGENT"
	AGENT_RC=$?
	AGENT=
}
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.1
	done
}
ctl() { "$SAKIMORI" ctl --run-dir "$RUN" "$@"; }
status() {	# status FIELD: of the followed access logs
	ctl status --json 2>/dev/null | jq -r "select(.type == \"logs\" and .name == \"access\") | .$1"
}
following() { [ "$(status paths)" != "" ]; }
trace_both() {
	local ptids st
	ptids=$(ls "/proc/$AGENT/task")
	timeout -s INT "$1" strace -qq -e "trace=$2,epoll_wait" -o "$TMP/parent.trace" \
		$(printf -- '-p %s ' $ptids) 2>/dev/null &
	st=$!
	timeout -s INT "$1" strace -qq -e "trace=$2" -o "$TMP/child.trace" \
		-p "$3" 2>/dev/null
	wait "$st"
}
kill9_while() {
	cleanup "kill $1"
	sleep "$3"
	check "the writer is still writing at the kill" test ! -e "$2"
	kill -9 "$AGENT"
	wait "$AGENT" 2>/dev/null
	AGENT=
}
attack() {	# attack ADDRESS N: N attack requests in combined format
	local i
	for ((i = 0; i < $2; i++)); do
		printf '%s - - [06/Dec/2026:10:00:%02d +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20username,password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"\n' "$1" $((i % 60))
	done
}
agent_user() {
	U=$1$$
	getent passwd "$U" >/dev/null && skip_all "user '$U' exists already"
	cleanup "userdel '$U' 2>/dev/null"
}
proc_field() {	# proc_field PID NAME: of /proc/PID/status, blanks squeezed
	sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" | tr -s '\t ' '  '
}
check_unprivileged() {	# check_unprivileged WHAT PID UID GID
	local k
	check_eq "$1 runs as the agent user (real, effective, saved, fs uid)" \
		"$3 $3 $3 $3" "$(proc_field "$2" Uid)"
	check_eq "...in its group only" "$4 $4 $4 $4" "$(proc_field "$2" Gid)"
	check_eq "...without supplementary groups" "" "$(proc_field "$2" Groups)"
	for k in CapInh CapPrm CapEff CapBnd CapAmb; do
		check_eq "...with no capability: $k" 0000000000000000 "$(proc_field "$2" $k)"
	done
	check_eq "...with no_new_privs" 1 "$(proc_field "$2" NoNewPrivs)"
	check_eq "...under a seccomp filter (mode 2)" 2 "$(proc_field "$2" Seccomp)"
}
