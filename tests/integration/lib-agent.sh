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
