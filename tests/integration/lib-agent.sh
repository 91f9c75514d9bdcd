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
attack() {	# attack ADDRESS N: N attack requests in combined format
	local i
	for ((i = 0; i < $2; i++)); do
		printf '%s - - [06/Dec/2026:10:00:%02d +0000] "GET /index.php?id=1%%27%%20UNION%%20SELECT%%20username,password%%20FROM%%20users-- HTTP/1.1" 200 512 "-" "sqlmap/1.7"\n' "$1" $((i % 60))
	done
}
