#!/usr/bin/env bash
# json_schema.sh - the JSON contract (docs/json.md): every --json line of
# every command, run against the real /proc and the fixture trees and
# logs, has a type with a schema under docs/schema/ and is valid against
# it (python3-jsonschema); its "schema" is the contract's version; its
# times are RFC 3339 in UTC, which jq's fromdateiso8601 reads.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
python3 -c 'import jsonschema' 2>/dev/null ||
	skip_all "python3-jsonschema is not installed"
SCHEMAS=${SRCDIR:-$(dirname "$0")/../..}/docs/schema
ALL=$TMP/all.jsonl
: >"$ALL"

# json NAME COMMAND...: runs the command with --json; its lines join ALL
json() {
	local name=$1 rc
	shift
	"$SAKIMORI" --json "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "$name: some JSON lines (exit $rc)" [ -s "$TMP/out" ]
	cat "$TMP/out" >>"$ALL"
}

# ---- what the machine has ----
json "status" status --interval 0.2 --top 5
json "status on a fixture tree" status --root "$FIXTURES/proc/modern" --interval 0
json "status on an empty root" status --root "$TMP/nothing" --interval 0
json "ps" ps
json "ps --tree" ps --tree
json "top" top -n 1 -d 0.2
json "disk" disk --no-smart --kernel-log "$FIXTURES/kernel/disk-errors.log"
json "check on the RAID fixtures" check --root "$FIXTURES/md/procfs" --interval 0
json "inventory" inventory --no-save
mkdir -p "$TMP/tree/a/b"
head -c 10000 /dev/zero >"$TMP/tree/a/b/f"
json "du" du "$TMP/tree"
json "check" check --interval 0
truncate -s 8M "$TMP/ext4.img"
if mkfs.ext4 -q -F "$TMP/ext4.img" 2>/dev/null; then
	json "disk --device" disk --device "$TMP/ext4.img"
fi
json "disk on RAID fixtures" disk --root "$FIXTURES/md/procfs" --no-smart \
	--no-kernel-log
json "disk with SMART" disk --no-kernel-log
json "net conns" net conns --top 5
json "logs sources" logs sources
json "audit apache --show" audit apache --show \
	"$FIXTURES/apache/prefork/conf/httpd.conf"

# ---- file integrity ----
mkdir -p "$TMP/watched"
echo one >"$TMP/watched/a"
json "fim keygen" fim keygen
json "fim init" fim init --baseline "$TMP/fim" "$TMP/watched"
echo two >>"$TMP/watched/a"
json "fim check" fim check --baseline "$TMP/fim" "$TMP/watched"
json "fim status" fim status --baseline "$TMP/fim"
mkdir -p "$TMP/fim-copy"
json "fim export" fim export --baseline "$TMP/fim" "$TMP/fim-copy"

# ---- alerts and responses ----
# the event an alert program reads on its stdin is part of the contract
printf 'alert exec t { command "/usr/bin/tee" "%s"; user root; allow-root yes }\n' \
	"$TMP/event.json" >"$TMP/alert.conf"
json "alert test" -f "$TMP/alert.conf" alert test
check "the alert program got the event" [ -s "$TMP/event.json" ]
cat "$TMP/event.json" >>"$ALL"
printf 'respond {\n\tblock web-attack critical for 1h\n}\n' >"$TMP/respond.conf"
json "respond --dry-run" -f "$TMP/respond.conf" respond --dry-run \
	"$FIXTURES/attacks/seed-combined.log"

# ---- logs, mail, rules ----
json "logs scan" logs scan "$FIXTURES/logs/corpus/access/"*.log
json "logs stats" logs stats "$FIXTURES/logs/corpus/access/"*.log
json "logs scan of auth logs" logs scan "$FIXTURES/logs/corpus/sshd.log" \
	"$FIXTURES/logs/corpus/pam.log"
json "logs scan of attacks" logs scan --analyzers attacks \
	"$FIXTURES/attacks/seed-combined.log"
json "logs attacks" logs attacks "$FIXTURES/attacks/seed-combined.log"
for i in $(seq 1 300); do
	echo "Dec  6 10:00:0$((i % 10)) host kernel: eth0: link flapped $i"
done >"$TMP/flood.log"
json "logs scan of a flood" logs scan --analyzers floods "$TMP/flood.log"
json "mail report" mail report --no-learn "$FIXTURES/mail/fail2ban-postfix.log"
if [ -d /usr/share/modsecurity-crs ]; then
	json "rules --crs --check" rules --crs --check
fi
# dry runs: nothing is blocked, but the audit log records them
json "net block --dry-run" net block --dry-run 192.0.2.77 --reason test
json "net unblock --dry-run" net unblock --dry-run 192.0.2.77
json "net restore --dry-run" net restore --dry-run
check "the audit log has the dry run" [ -s "$SAKIMORI_STATE_DIR/audit.log" ]
cat "$SAKIMORI_STATE_DIR/audit.log" >>"$ALL"

# ---- the agent: its events, ctl status and ctl problems ----
. "$(dirname "$0")/lib-agent.sh"
agent_base_conf "$TMP/base.conf" '^check load '
{ cat "$TMP/base.conf"; echo 'check load { warning 0 critical 1000 for 1s clear 0 every 1s }'; } >"$CONF"
start_agent agent
check "the agent tells an open event" \
	wait_for 30 grep -q '"type":"alert","schema":2,"event":"open"' "$TMP/agent.out"
json "ctl status" ctl --run-dir "$RUN" status
json "ctl problems" ctl --run-dir "$RUN" problems
stop_agent
cat "$TMP/agent.out" >>"$ALL"

# ---- every line: a schema for its type, valid against it ----
check_eq "every line is valid against its type's schema" "" "$(
	python3 "$(dirname "$0")/json_validate.py" "$SCHEMAS" "$ALL"
)"
types=$(jq -r .type "$ALL" | sort -u | xargs)
check_match "the lines cover the main types ($types)" \
	'agent\.problem agent\.status .*alert .*disk\.io .*filesystem .*finding .*host .*inventory .*process .*summary' "$types"
check_eq "every type is lowercase words, parts joined by dots, words by hyphens" "" \
	"$(jq -r .type "$ALL" | grep -Ev '^[a-z]+(-[a-z0-9]+)*(\.[a-z]+(-[a-z0-9]+)*)*$' | sort -u)"
check_eq "every line carries the contract's version" "" \
	"$(jq -c 'select(.schema != 2) | .type' "$ALL" | sort -u)"
check_eq "type is the first member, schema the second" "" \
	"$(jq -c '[keys_unsorted[0:2]] | select(. != [["type","schema"]])' "$ALL" | sort -u)"

# ---- times: RFC 3339 in UTC, read by jq ----
# every string member whose name says it is a time, at any depth
T=$(jq -r '.. | objects | to_entries[] |
	select((.key | test("^(time|first|last|since|until|ended|started|created|taken_at|boot_time|opened|next|silenced_until|.*_time)$")) and (.value | type) == "string") |
	.value' "$ALL")
check "the lines have times" [ -n "$T" ]
check_eq "every time parses with fromdateiso8601" "" \
	"$(printf '%s\n' "$T" | jq -Rr 'select(try (fromdateiso8601 | not) catch true)' | sort -u | head -5)"
check_eq "every time is RFC 3339 in UTC" "" \
	"$(printf '%s\n' "$T" | grep -Ev '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' | head -5)"
now=$(date -u +%s)
ht=$(jq -r 'select(.type == "host") | .time | fromdateiso8601' "$ALL" | head -1)
check "status's time is now ($ht vs $now)" [ $((now - ht)) -ge 0 -a $((now - ht)) -lt 300 ]

# ---- the contract's names: no unit-less suffixes, sizes in bytes ----
check_eq "no member is named *_s, *_kb, *_secs or *_epoch" "" \
	"$(jq -r '[paths(..) | .[] | strings | select(test("(_s|_kb|_secs|_epoch|_min|_cnt)$"))] | .[]' "$ALL" | sort -u)"
check_eq "evidence that is a number is a JSON number" "" \
	"$(jq -r 'select(.type == "finding") | .evidence | to_entries[] |
		select((.value | type) == "string" and (.value | test("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$"))) | .key' "$ALL" | sort -u)"

# ---- docs/json.md documents every type that has a schema ----
DOC=$(dirname "$SCHEMAS")/json.md
for f in "$SCHEMAS"/*.json; do
	t=$(basename "$f" .json)
	check "docs/json.md documents $t" grep -q "^### \`$t\`" "$DOC"
done

done_testing
