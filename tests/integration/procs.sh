#!/usr/bin/env bash
# procs.sh - "sakimori ps" and the suspicious-process checks against real
# processes: a copy of sleep run from /tmp and then deleted, a listener on
# an unexpected port, a process renamed with prctl(PR_SET_NAME) are each
# reported (by ps --suspicious and by check); an ordinary sleep, sshd and
# the test's own shell are not.  Bad input: command lines with terminal
# escapes and invalid UTF-8 are printed escaped, processes that vanish
# while read, a hidepid=2 /proc in a private mount namespace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
PY=/usr/bin/python3 # Debian's, not a wrapper (pyenv shims) that may fork
[ -x $PY ] || skip_all "$PY is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

pids=()
bg() { "$@" & pids+=($!); cleanup "kill $! 2>/dev/null"; }

# --- the suspects ---
cp /bin/sleep "$TMP/sleep"
bg "$TMP/sleep" 300
deleted=$!
port=$(free_port)
bg $PY -c "
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', $port)); s.listen(1); time.sleep(300)"
listener=$!
bg $PY -c "
import ctypes, time
ctypes.CDLL(None).prctl(15, b'kworker/1:2', 0, 0, 0); time.sleep(300)"
renamed=$!
# --- ordinary processes ---
bg sleep 300
ordinary=$!
sshd_pid=
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null; then
	sport=$(free_port)
	start_sshd "$TMP/sshd" "$sport" && sshd_pid=$(cat "$TMP/sshd/sshd.pid")
fi
# escapes and invalid UTF-8 in a command line
bg bash -c "exec -a $'evil\033]0;owned\007\xff\xfe' sleep 300"
escaped=$!
wait_port "$port" || true
rm "$TMP/sleep"
sleep 0.3 # the renamed and escaped ones have exec'd and set their names

run "$SAKIMORI" ps --suspicious --json
check "ps --suspicious exits CRITICAL (2) with the suspects ($RC)" [ "$RC" -eq 2 ]
finding() { # finding CHECK PID -> the finding's JSON, or nothing
	jq -c --arg c "$1" --arg s "pid $2" 'select(.check == $c and .subject == $s)' <<<"$OUT"
}
check_match "the /tmp copy of sleep is reported as run from /tmp" '"proc-exe-location"' "$(finding proc-exe-location $deleted)"
check_match "and as deleted (CRITICAL)" '"CRITICAL"' "$(finding proc-exe-deleted $deleted)"
check_match "the unexpected listener is reported with its port" "\"port\":\"$port\"" "$(finding proc-listener $listener)"
check_match "the prctl-renamed process is reported" "kworker/1:2" "$(finding proc-name-mismatch $renamed)"
for p in $ordinary $$ $escaped ${sshd_pid:-}; do
	check_eq "pid $p (ordinary) is not reported" "" "$(jq -c --arg s "pid $p" 'select(.subject == $s)' <<<"$OUT")"
done
check_nomatch "nothing is hidden on this machine" '"check":"proc-hidden"' "$OUT"

# check includes the same rules
run "$SAKIMORI" check --suspicious --interval 0 --json
check_match "check reports the deleted /tmp executable" "\"check\":\"proc-exe-deleted\",\"subject\":\"pid $deleted\"" "$OUT"
check_match "check reports the listener" "\"check\":\"proc-listener\",\"subject\":\"pid $listener\"" "$OUT"
printf 'check proc-listener { allow "%s" }\n' "$port" >"$TMP/allow.conf"
run "$SAKIMORI" -f "$TMP/allow.conf" ps --suspicious --json --no-hidden
check_eq "a port on the allow list is accepted" "" "$(finding proc-listener $listener)"

# --- ps itself ---
run "$SAKIMORI" ps
check_eq "ps exits 0" 0 "$RC"
check_match "ps has ps axu's columns" '^USER +PID +%CPU +%MEM +VSZ +RSS +TTY +STAT +START +TIME +COMMAND' "$OUT"
check_match "the escaped command line is shown escaped" 'evil\\x1b\]0;owned\\x07\\xff\\xfe' "$OUT"
check_nomatch "no raw escape reaches the terminal" $'\033' "$OUT"
run "$SAKIMORI" ps --json --name sleep
check_eq "--json --name sleep: valid JSON lines" 0 "$(jq -e . <<<"$OUT" >/dev/null; echo $?)"
check_match "--name finds the ordinary sleep" "\"pid\":$ordinary," "$OUT"
check_match "invalid UTF-8 is escaped in JSON" 'evil\\u001[bB]\]0;owned\\u0007\\\\xff' "$OUT"
run "$SAKIMORI" ps --user root --sort=-rss --json
first=$(head -1 <<<"$OUT" | jq .rss_kb)
max=$(jq -s 'map(.rss_kb) | max' <<<"$OUT")
check_eq "--sort=-rss puts the largest first" "$max" "$first"
check_eq "--user root lists only root's" "" "$(jq -c 'select(.user != "root")' <<<"$OUT")"
run "$SAKIMORI" ps --tree --json
d=$(jq -c --argjson p "$ordinary" 'select(.pid == $p) | .depth' <<<"$OUT")
check "--tree puts the sleep below its parents (depth $d)" [ "${d:-0}" -ge 1 ]
run "$SAKIMORI" ps --sort bogus
check_eq "a bad sort key is a usage error" 64 "$RC"

# --- top -b ---
bg sh -c 'while :; do :; done'
spinner=$!
run "$SAKIMORI" top -b -d 0.5 --count 5 --json
check_eq "top -b exits 0" 0 "$RC"
check_eq "five processes and a header" 6 "$(grep -c . <<<"$OUT")"
check_match "the busy loop is among the busiest over the sample" "\"pid\":$spinner," "$OUT"
kill $spinner

# --- processes that vanish while read ---
( for i in $(seq 1 400); do /bin/true & done; wait ) &
churn=$!
fails=0
for i in 1 2 3 4 5; do
	"$SAKIMORI" ps --json >/dev/null 2>&1 || fails=$((fails + 1))
	"$SAKIMORI" ps --suspicious --no-hidden --json >/dev/null 2>&1
	[ $? -le 3 ] || fails=$((fails + 1))
done
wait $churn
check_eq "ps copes with processes that vanish mid-scan" 0 "$fails"

# --- hidepid=2 in a private mount namespace ---
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v setpriv >/dev/null; then
	cp "$SAKIMORI" "$TMP/sakimori-copy"
	chmod 755 "$TMP" "$TMP/sakimori-copy"
	hp=$(unshare -m sh -c "mount -t proc -o hidepid=2 proc /proc &&
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    env SAKIMORI_STATE_DIR=/nonexistent '$TMP/sakimori-copy' ps --json; echo rc=\$?;
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		    env SAKIMORI_STATE_DIR=/nonexistent '$TMP/sakimori-copy' ps --suspicious --json; echo rc=\$?" 2>&1)
	check_match "under hidepid=2 ps still exits 0" '^rc=0$' "$hp"
	check_nomatch "and lists none of root's processes" '"user":"root"' "$(grep '"type":"process"' <<<"$hp")"
	check_match "the hidden-process scan says it cannot look (UNKNOWN)" '"severity":"UNKNOWN","check":"proc-hidden"' "$hp"
	check_nomatch "and reports no PID as hidden" '"severity":"CRITICAL","check":"proc-hidden"' "$hp"
fi

done_testing
