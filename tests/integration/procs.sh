#!/usr/bin/env bash
# procs.sh - "sakimori ps" and the suspicious-process checks against real
# processes: a copy of sleep run from /tmp and then deleted, a listener on
# an unexpected port, a process renamed with prctl(PR_SET_NAME) as a
# kernel thread and one renamed as another daemon are each reported by
# plain "sakimori check" (and by ps --suspicious), as is a sleep run with
# argv[0] "[kworker/0:1]"; run as nobody, the checks say how many of
# root's processes they could not inspect (UNKNOWN); the machine's ordinary
# processes are not: a real sshd, a real cron, real apache2 workers, an
# ordinary sleep, and the test runner (this shell, meson's python).  Bad
# input: command lines with terminal escapes and invalid UTF-8 are printed
# escaped, processes that vanish while read, a hidepid=2 /proc in a
# private mount namespace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-servers.sh"
PY=/usr/bin/python3 # Debian's, not a wrapper (pyenv shims) that may fork
[ -x $PY ] || skip_all "$PY is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"

pids=()
bg() { "$@" & pids+=($!); cleanup "kill $! 2>/dev/null"; }

# Only the process checks (the machine's load, disks and listener
# inventory are other tests' business), with loopback listeners judged
# too: the servers below listen on 127.0.0.1.
"$SAKIMORI" config check -f "$TMP/empty.conf" |
	sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/check \1 { disable }/p' |
	grep -Ev '^check (proc-[a-z-]+|net-promisc) ' >"$TMP/procs.conf"
echo 'check proc-listener { loopback yes }' >>"$TMP/procs.conf"
check "the configuration keeps the process checks" grep -q 'check load { disable }' "$TMP/procs.conf"
export SAKIMORI_CONFIG="$TMP/procs.conf"

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
port6=$(free_port)
bg $PY -c "
import socket, time
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.bind(('::', $port6)); s.listen(1); time.sleep(300)"
listener6=$!
bg $PY -c "
import ctypes, time
ctypes.CDLL(None).prctl(15, b'kworker/1:2', 0, 0, 0); time.sleep(300)"
renamed=$!
bg $PY -c "
import ctypes, time
ctypes.CDLL(None).prctl(15, b'sshd', 0, 0, 0); time.sleep(300)"
posing=$!
# ps shows a kernel thread's name in brackets: a user program may pose as
# one through argv[0] alone, with arguments after it
bg bash -c 'exec -a "[kworker/0:1]" /bin/sleep 300'
bracketed=$!
# --- ordinary processes ---
bg sleep 300
ordinary=$!
sshd_pid=
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null; then
	sport=$(free_port)
	start_sshd "$TMP/sshd" "$sport" && sshd_pid=$(cat "$TMP/sshd/sshd.pid")
fi
check "a real sshd runs (${sshd_pid:-none})" [ -n "$sshd_pid" ]
# cron: ours, or the machine's when one runs already (one per machine)
cron_pid=
if [ -x /usr/sbin/cron ]; then
	/usr/sbin/cron -f >/dev/null 2>&1 &
	c=$!
	cleanup "kill $c 2>/dev/null"
	sleep 0.3
	if kill -0 "$c" 2>/dev/null; then cron_pid=$c; else cron_pid=$(pgrep -xo cron); fi
fi
check "a real cron runs (${cron_pid:-none})" [ -n "$cron_pid" ]
apache_pids=
aport=$(free_port)
if start_apache "$TMP/apache" "$aport"; then
	apache_pids=$(pgrep -x apache2 -P "$(cat "$TMP/apache/httpd.pid")" | tr '\n' ' ')
	apache_pids="$(cat "$TMP/apache/httpd.pid") $apache_pids"
fi
check "real apache2 workers run ($apache_pids)" [ "$(wc -w <<<"$apache_pids")" -ge 2 ]
# the test runner: this shell and its ancestors up to meson's python
runner=$$
p=$PPID
while [ "${p:-0}" -gt 1 ]; do
	comm=$(cat /proc/$p/comm 2>/dev/null) || break
	case $comm in
	bash | sh | meson | python3* | procs.sh | env | timeout) runner="$runner $p" ;;
	*) break ;;
	esac
	p=$(awk '{ print $4 }' /proc/$p/stat 2>/dev/null)
done
# escapes and invalid UTF-8 in a command line
bg bash -c "exec -a $'evil\033]0;owned\007\xff\xfe' sleep 300"
escaped=$!
wait_port "$port" || true
rm "$TMP/sleep"
sleep 0.3 # the renamed and escaped ones have exec'd and set their names

finding() { # finding CHECK PID -> the finding's JSON, or nothing
	jq -c --arg c "$1" --arg s "pid $2" 'select(.check == $c and .subject == $s)' <<<"$OUT"
}
named() { # named PID -> every finding about PID
	jq -c --arg s "pid $1" --arg p "$1" 'select(.subject == $s or (.evidence.pid | tostring) == $p)' <<<"$OUT"
}
judge() { # judge WHAT: the assertions on one run's JSON in OUT
	check_match "$1: the /tmp copy of sleep is reported as run from /tmp" '"CRITICAL"' "$(finding proc-exe-location $deleted)"
	check_match "$1: and as deleted (CRITICAL)" 'CRITICAL.*was deleted' "$(finding proc-exe-deleted $deleted)"
	check_match "$1: the unexpected listener is reported with its port" "\"port\":$port[,}]" "$(finding proc-listener $listener)"
	check_match "$1: an IPv6 listener's address in RFC 5952 form" "\"address\":\"\\[::\\]:$port6\"" "$(finding proc-listener $listener6)"
	check_match "$1: the process renamed as a kernel thread is reported" 'CRITICAL.*kworker/1:2' "$(finding proc-name-mismatch $renamed)"
	check_match "$1: the python calling itself sshd is reported" "WARNING.*calls itself 'sshd'" "$(finding proc-name-mismatch $posing)"
	check_match "$1: sleep run as '[kworker/0:1] 300' is reported as posing as a kernel thread" "CRITICAL.*poses as a kernel thread \\('\\[kworker/0:1\\]'\\) but runs /usr/bin/sleep" "$(finding proc-name-mismatch $bracketed)"
	for p in $ordinary $escaped $sshd_pid $cron_pid $apache_pids $runner; do
		check_eq "$1: pid $p ($(cat /proc/$p/comm 2>/dev/null), ordinary) is not reported" "" "$(named $p)"
	done
}

# Processes the kernel does not let even root inspect (capabilities root
# lacks in a container, a security module): the reference for root's
# partial-coverage count.
denied_to_root() {
	local p n=0
	for p in /proc/[0-9]*; do
		[ "$(awk '{ print $3 }' "$p/stat" 2>/dev/null)" = Z ] && continue
		readlink -v "$p/exe" 2>&1 >/dev/null | grep -q 'Permission denied' && n=$((n + 1))
	done
	echo "$n"
}
coverage() { jq -c 'select(.check == "proc-coverage")' <<<"$OUT"; }
ref=$(denied_to_root)
run "$SAKIMORI" check --interval 0 --json
check "plain check exits CRITICAL (2) with the suspects ($RC)" [ "$RC" -eq 2 ]
judge "check"
if [ "$ref" -eq 0 ]; then
	check_eq "as root every process is inspected (no proc-coverage finding)" "" "$(coverage)"
else
	check_match "as root, only the $ref process(es) the kernel refuses even root are uninspected" "\"exe_unreadable\":$ref[,}]" "$(coverage)"
	check_match "and the message does not ask to run as root" 'the kernel refused even root' "$(coverage)"
fi
check_nomatch "nothing is hidden on this machine" '"check":"proc-hidden","subject"' "$OUT"
check_match "the summary follows the findings" '"type":"summary"' "$(tail -n 1 <<<"$OUT")"

run "$SAKIMORI" ps --suspicious --json
check "ps --suspicious exits CRITICAL (2) with the suspects ($RC)" [ "$RC" -eq 2 ]
judge "ps --suspicious"

run "$SAKIMORI" check --suspicious --interval 0 --json
check_match "check --suspicious (kept for old scripts) reports the same" "\"check\":\"proc-exe-deleted\",\"subject\":\"pid $deleted\"" "$OUT"

# --- as another user (NRPE runs plugins as nagios) ---
# root's processes (the suspects above) cannot be inspected: the run says
# so (UNKNOWN, exit 3) instead of passing them as clean.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	ubin=$(mktemp -d /run/sakimori-procs.XXXXXX) # not a temporary directory
	cleanup "rm -rf '$ubin'"
	cp "$SAKIMORI" "$ubin/sakimori"
	chmod 755 "$ubin" "$ubin/sakimori" "$TMP"
	# the posers are visible to anyone by their names: judged above
	{ cat "$TMP/procs.conf"; echo 'check proc-name-mismatch { disable }'; } >"$TMP/nobody.conf"
	chmod 644 "$TMP/nobody.conf"
	as_nobody() {
		run setpriv --reuid=nobody --regid=nogroup --clear-groups \
		    env SAKIMORI_CONFIG="$TMP/nobody.conf" SAKIMORI_STATE_DIR=/nonexistent \
		    "$ubin/sakimori" "$@"
	}
	for cmd in "check --interval 0" "ps --suspicious"; do
		as_nobody $cmd --json
		check_eq "as nobody, $cmd exits UNKNOWN (3)" 3 "$RC"
		check_match "as nobody, $cmd says how many processes it could not inspect" '"severity":"UNKNOWN","check":"proc-coverage","subject":"processes","message":"[0-9]+ process(es)? could not be inspected: run as root"' "$OUT"
		n=$(coverage | jq -r '.evidence.processes')
		check "as nobody, $cmd counts root's suspects among them (${n:-none} >= 5)" [ "${n:-0}" -ge 5 ]
		check_eq "as nobody, $cmd reports nothing about root's /tmp sleep" "" "$(named $deleted)"
	done
	as_nobody ps --suspicious
	check_match "as nobody, the table says it too" 'UNKNOWN +proc-coverage +processes +[0-9]+ processes could not be inspected: run as root' "$OUT"
	chmod 700 "$TMP"
fi

# allow lists: by port, by executable path, by command name
printf 'check proc-listener { allow "%s" }\n' "$port" >>"$TMP/procs.conf"
printf 'check proc-exe-location { allow "%s/*" }\n' "$TMP" >>"$TMP/procs.conf"
printf 'check proc-name-mismatch { allow "kworker/1:*" }\n' >>"$TMP/procs.conf"
run "$SAKIMORI" check --interval 0 --json
check_eq "a port on the allow list is accepted" "" "$(finding proc-listener $listener)"
check_eq "an executable path on the allow list is accepted" "" "$(finding proc-exe-location $deleted)"
check_match "which does not hide that it was deleted" 'CRITICAL' "$(finding proc-exe-deleted $deleted)"
check_eq "a command name on the allow list is accepted" "" "$(finding proc-name-mismatch $renamed)"
check_match "others are still reported" "calls itself 'sshd'" "$(finding proc-name-mismatch $posing)"
export SAKIMORI_CONFIG="$TMP/empty.conf"

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
first=$(head -1 <<<"$OUT" | jq .rss_bytes)
max=$(jq -s 'map(.rss_bytes) | max' <<<"$OUT")
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
