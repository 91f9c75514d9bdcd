#!/usr/bin/env bash
# agent_watch.sh - the agent watches the web roots of "check fim {
# webroots ... }" live: an executable dropped into one is an open
# web-new-executable event naming it within 2 s; a rewritten page (a
# script rewritten too) is one web-page-changed event, its rewrites
# counted; an image is nothing; a disabled check says nothing; with both
# checks disabled the roots are not watched at all.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
. "$(dirname "$0")/lib-agent.sh"

WWW="$TMP/www"
mkdir -p "$WWW/sub"
echo '<html>hello</html>' > "$WWW/index.html"
agent_base_conf "$TMP/base.conf" '^check \(fim\|web-new-executable\|web-page-changed\) '
conf() {	# conf EXTRA-LINE...
	{ cat "$TMP/base.conf"
	  echo "check fim { disable; webroots \"$WWW\" }"
	  printf '%s\n' "$@"
	} > "$CONF"
}
# events NAME CHECK [EVENT]: "SUBJECT" of each such event
events() {
	jq -r --arg c "$2" --arg e "${3:-open}" \
		'select(.type == "alert" and .check == $c and .event == $e) | .subject' \
		"$TMP/$1.out" 2>/dev/null
}
seen() { events "$1" "$2" | grep -qxF "$3"; }
watching() { [ "$(ctl status --json 2>/dev/null | jq -r 'select(.type == "agent.status") | .watch_dirs')" = "$1" ]; }

# ---- 1: a new executable, within 2 s ----
conf
start_agent w1
check "the agent watches the web root and its subdirectory" wait_for 20 watching 2
t0=$(date +%s.%N)
printf '<?php system($_GET["c"]); ?>\n' > "$WWW/sub/shell.php"
check "an open web-new-executable event names the new file" wait_for 5 seen w1 web-new-executable "$WWW/sub/shell.php"
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
check "within 2 s (it took $took s)" awk -v t="$took" 'BEGIN { exit !(t < 2) }'
check_eq "it is CRITICAL (a new file)" CRITICAL \
	"$(jq -r 'select(.check == "web-new-executable") | .severity' "$TMP/w1.out" | head -1)"
# the script rewritten again and again: one changed-page problem, its
# count growing, not an event each time
for i in 1 2 3; do printf '<?php /* %s */ ?>\n' $i >> "$WWW/sub/shell.php"; sleep 0.3; done
printf 'x' > "$WWW/logo.png"
echo '<html>defaced</html>' > "$WWW/index.html"
check "a rewritten page: web-page-changed" wait_for 5 seen w1 web-page-changed "$WWW/index.html"
sleep 1
check_eq "one open event for the new executable" 1 \
	"$(events w1 web-new-executable | grep -cxF "$WWW/sub/shell.php")"
check_eq "one web-page-changed event for the script rewritten 3 times" 1 \
	"$(events w1 web-page-changed | grep -cxF "$WWW/sub/shell.php")"
check_eq "an image is not reported" "" "$(jq -r 'select(.type == "alert") | .subject' "$TMP/w1.out" | grep -F logo.png)"
run ctl problems --json
check "ctl problems: the rewrites are counted on that problem (>= 2)" \
	test "$(printf '%s\n' "$OUT" | jq -r --arg s "$WWW/sub/shell.php" 'select(.subject == $s and .check == "web-page-changed") | .count')" -ge 2
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

# ---- 2: web-page-changed disabled: pages say nothing, executables do ----
conf 'check web-page-changed { disable }'
STATE="$TMP/state2" start_agent w2
check "watching again" wait_for 10 watching 2
echo '<html>again</html>' > "$WWW/index.html"
printf '#!/bin/sh\n' > "$WWW/run.cgi"
check "the executable is told" wait_for 5 seen w2 web-new-executable "$WWW/run.cgi"
sleep 1
check_eq "the disabled check tells nothing" 0 "$(jq -r 'select(.check == "web-page-changed")' "$TMP/w2.out" | grep -c .)"
stop_agent

# ---- 3: both disabled: no watch ----
conf 'check web-page-changed { disable }' 'check web-new-executable { disable }'
STATE="$TMP/state3" start_agent w3
check "the agent answers" wait_for 10 test -S "$RUN/ctl"
sleep 0.5
check "and watches nothing (watch_dirs null)" watching null
stop_agent

done_testing
