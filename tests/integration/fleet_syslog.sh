#!/usr/bin/env bash
# fleet_syslog.sh - "alert syslog" against a real central rsyslog
# (Debian's rsyslogd with a configuration of the test's own: imtcp on a
# free loopback port, its own pid file and work directory, every message
# written to a file with its MSGID, structured data, host, app-name and
# severity):
#   - an event reaches it as RFC 5424 with the structured data;
#   - the server is stopped for 30 s while the agent opens and resolves
#     problems (the load check's threshold flipped with SIGHUP) and is
#     restarted itself: when the server is back, every event arrives
#     exactly once and in the order the agent printed them, those queued
#     before the agent's restart included;
#   - "alert test" sends through the same queue, and with the server down
#     fails at once, keeping the event for the next sender;
#   - a configuration without a server is refused with its file:line;
#   - over TLS (rsyslog's openssl driver, a CA of the test's own): a
#     certificate of another CA is refused, the right one by address and
#     by name works, and the agent's events arrive once, in order, across
#     a restart of the server, every connection ended with close_notify
#     (rsyslog logs no unexpected EOF); without libssl it says which
#     package;
#   - a server that never answers the connect does not hold the agent up,
#     and is given up after 10 s;
#   - the bytes of the agent's messages on the wire (the octet count of
#     RFC 6587 framing included) are measured for the sizing in
#     docs/fleet.md (scripts/fleet-sizing.py) and written to the log.
. "$(dirname "$0")/lib.sh"
command -v rsyslogd >/dev/null || skip_all "rsyslog is not installed"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v ss >/dev/null || skip_all "ss (iproute2) is not installed"
command -v openssl >/dev/null || skip_all "openssl is not installed"
[ -x /usr/bin/python3 ] || skip_all "python3 is not installed"
. "$(dirname "$0")/lib-agent.sh"
. "$(dirname "$0")/lib-servers.sh"

SRC=${SRCDIR:-$(dirname "$0")/../..}
PORT=$(free_port)
RS="$TMP/rsyslog"
mkdir -p "$RS/work"
RCVD="$RS/received.log"
# rs_output FILE: the templates and the ruleset that write every message
# to FILE (MSGID|STRUCTURED-DATA|HOSTNAME|APP-NAME|SEVERITY|MSG, one line
# each) and as received (without its octet count) to FILE.raw, for the
# end of an rsyslog.conf
rs_output() {
	cat <<EOF
template(name="ev" type="string"
         string="%msgid%|%structured-data%|%hostname%|%app-name%|%syslogseverity%|%msg%\n")
template(name="raw" type="string" string="%rawmsg%\n")
ruleset(name="fleet") {
	action(type="omfile" file="$1" template="ev")
	action(type="omfile" file="$1.raw" template="raw")
}
EOF
}
{ cat <<EOF
global(workDirectory="$RS/work" net.enableDNS="off")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="$PORT" ruleset="fleet")
EOF
  rs_output "$RCVD"
} > "$RS/rsyslog.conf"
RSPID=
cleanup '[ -n "$RSPID" ] && kill $RSPID'
# start_rsyslog [DIR PORT]: the server of DIR/rsyslog.conf (default: the
# plain TCP one), its pid in RSPID, until it listens on PORT
start_rsyslog() {
	local dir=${1:-$RS} port=${2:-$PORT}
	rsyslogd -n -f "$dir/rsyslog.conf" -i "$dir/rsyslogd.pid" \
		>>"$dir/rsyslogd.out" 2>&1 &
	RSPID=$!
	wait_port "$port"
}
stop_rsyslog() {
	kill -TERM "$RSPID"
	wait "$RSPID"
	RSPID=
}
received() { [ -e "$RCVD" ] && cat "$RCVD"; }
nreceived() { received | grep -c .; }
# "KIND CHECK PROBLEM" of each event received, in order
received_events() {
	received | sed -E 's/^([a-z]+)\|.* problem="([0-9]+)" check="([a-z-]+)".*/\1 \3 \2/'
}
# "KIND CHECK PROBLEM" of each load or memory event the agent printed
printed_events() {
	cat "$@" | jq -r 'select(.type == "alert" and (.check == "load" or .check == "memory")) |
		"\(.event) \(.check) \(.problem)"'
}
has_received() { [ "$(nreceived)" -ge "$1" ]; }
has_printed() { [ "$(printed_events "${@:2}" | grep -c .)" -ge "$1" ]; }

agent_base_conf "$TMP/base.conf" '^check load \|^check memory '
# conf LOAD MEMORY: on or off each (load above 0, available memory below
# 100%: always), never flapping
conf() {
	local l=1000 m=0
	[ "$1" = on ] && l=0
	[ "$2" = on ] && m=100
	{ cat "$TMP/base.conf"
	  echo 'set hostname "fleet-agent-1"'
	  echo "check load { warning $l critical 1000 for 1s clear 0 every 1s flap-changes 16 }"
	  echo "check memory { warning $m critical 0 for 1s clear 0 every 1s flap-changes 16 }"
	  echo "alert syslog central { server \"127.0.0.1:$PORT\"; severity unknown }"
	} > "$CONF"
}
# flip LOAD MEMORY N OUT: reloads and waits for the Nth event on OUT
flip() {
	conf "$1" "$2"
	kill -HUP "$AGENT"
	wait_for 20 has_printed "$3" "$TMP/$4.out"
}

# ---- 1: a refused configuration says where ----
printf 'alert syslog central { severity warning }\n' > "$TMP/bad.conf"
run "$SAKIMORI" config check -f "$TMP/bad.conf"
check_eq "no server: config check exits 78" 78 "$RC"
check_match "no server: the error has file:line" \
	"$TMP/bad.conf:1: alert syslog wants a 'server'" "$ERR"
printf 'alert syslog central {\n server "localhost"\n}\n' > "$TMP/bad.conf"
run "$SAKIMORI" config check -f "$TMP/bad.conf"
check_match "a server without a port: file:line" \
	"$TMP/bad.conf:2: 'server': 'localhost' is not HOST:PORT" "$ERR"

# ---- 2: the server up: an open event arrives as RFC 5424 ----
check "rsyslogd listens on 127.0.0.1:$PORT" start_rsyslog
conf on off
start_agent a1
check "the open event reaches the central rsyslog" wait_for 30 has_received 1
first=$(received | head -1)
check_match "MSGID open, the structured data" \
	'^open\|\[sakimori@32473 event="open" problem="[0-9]+" check="load" subject="load" severity="WARNING" count="[0-9]+"\]\|' \
	"$first"
check_match "HOSTNAME, APP-NAME, severity warning (4), MSG" \
	'\|fleet-agent-1\|sakimori\|4\|WARNING load load: ' "$first"
check_eq "the problem id is the one the agent printed" \
	"$(printed_events "$TMP/a1.out" | head -1)" "$(received_events | head -1)"

# ---- 3: the server down for 30 s; problems open and resolve; the agent
# restarts in between ----
stop_rsyslog
down=$SECONDS
check "load resolved while the server is down" flip off off 2 a1
check "memory opened" flip off on 3 a1
check "load opened again" flip on on 4 a1
check "load resolved again" flip off on 5 a1
stop_agent
check_eq "the agent stops at once with the server down (exit 0)" 0 "$AGENT_RC"
start_agent a2
sleep 3 # its first runs: the open memory problem is not told again
check "memory resolved after the agent's restart" flip off off 1 a2
check "load opened a third time" flip on off 2 a2
check_match "the agent said the server closed the connection" \
	"alert syslog central \(127.0.0.1:$PORT\): failed: '127.0.0.1:$PORT' closed the connection" \
	"$(cat "$TMP/a1.err")"
check_match "and that it cannot connect" \
	"alert syslog central \(127.0.0.1:$PORT\): failed: cannot connect to '127.0.0.1:$PORT': Connection refused" \
	"$(cat "$TMP/a1.err" "$TMP/a2.err")"
check_eq "nothing arrived while the server was down" 1 "$(nreceived)"
printed_events "$TMP/a1.out" "$TMP/a2.out" > "$TMP/printed"
check_eq "the agent printed the seven events" \
	"open load, resolve load, open memory, open load, resolve load, resolve memory, open load" \
	"$(cut -d' ' -f1,2 "$TMP/printed" | paste -sd, | sed 's/,/, /g')"
check "of more than one problem" test \
	"$(cut -d' ' -f3 "$TMP/printed" | sort -u | wc -l)" -ge 2
while [ $((SECONDS - down)) -lt 30 ]; do sleep 1; done
check "the server was down 30 s" test $((SECONDS - down)) -ge 30

# ---- 4: the server back: every event once, in order ----
check "rsyslogd is back" start_rsyslog
check "the queued events arrive" wait_for 90 has_received 7
sleep 3 # anything sent twice would be here by now
check_eq "every event exactly once, in the order the agent printed them" \
	"$(cat "$TMP/printed")" "$(received_events)"
check_eq "a resolve is notice (5)" 5 \
	"$(received | sed -n 2p | cut -d'|' -f5)"
check_nomatch "no warning says 'failed' twice" "failed: failed" \
	"$(cat "$TMP/a1.err" "$TMP/a2.err")"

# The size of an event's message for the sizing (docs/fleet.md): the
# bytes rsyslog received on the agent's connection, which carried the
# queued events (all but the first), against the messages it wrote.
wire=$(ss -Htin state established "( sport = :$PORT )" |
	grep -o 'bytes_received:[0-9]*' | awk -F: '{ t += $2 } END { print t + 0 }')
nwire=$(($(nreceived) - 1))
framed=$(sed 1d "$RCVD.raw" | LC_ALL=C awk '{ n = length($0); t += length(n) + 1 + n } END { print t + 0 }')
check_eq "the bytes on the wire are the $nwire messages, each after its octet count" \
	"$framed" "$wire"
per_event=$((wire / nwire))
echo "# fleet sizing figures: syslog_bytes_per_event=$per_event"
run /usr/bin/python3 "$SRC/scripts/fleet-sizing.py" --syslog-bytes "$per_event"
check_eq "scripts/fleet-sizing.py computes the syslog sizing from it" 0 "$RC"
printf '%s\n' "$OUT" | sed 's/^/# /'
check_match "... the syslog messages of 10000 hosts at 5 problems a day" \
	"^syslog messages +100000 a day, 1.16/s on average$" "$OUT"
check_match "... their traffic" "^syslog traffic +[0-9.]+ [KM]iB a day, " "$OUT"
check_match "the audit log says the connection works again" \
	'"action":"alert-syslog","who":"alert:central",.*"result":"ok: connected to '"'127.0.0.1:$PORT'"' again' \
	"$(cat "$STATE/audit.log")"
check_match "and has each event queued" \
	'"action":"alert-syslog",.*"reason":"resolve: RESOLVED memory memory: .*"result":"queued \([0-9]+ waiting\)"' \
	"$(cat "$STATE/audit.log")"
stop_agent

# ---- 5: alert test sends through the queue ----
run "$SAKIMORI" -f "$CONF" --state-dir "$STATE" alert test --check fs-blocks \
	--subject '/srv/a"b]c' --severity critical
check_eq "alert test exits 0" 0 "$RC"
check_match "alert test: sent" "ok +central \(127.0.0.1:$PORT\): ok: 1 sent" "$OUT"
check "the test event arrives" wait_for 10 has_received 8
check_match "its subject escaped in the structured data" \
	'check="fs-blocks" subject="/srv/a\\"b\\]c" severity="CRITICAL"' \
	"$(received | tail -1)"
check_match "critical (2)" '\|2\|CRITICAL fs-blocks' "$(received | tail -1)"

# ---- 6: alert test with the server down: one attempt, the event kept ----
stop_rsyslog
t0=$SECONDS
run "$SAKIMORI" -f "$CONF" --state-dir "$STATE" alert test --check swap \
	--severity warning
check_eq "server down: alert test exits 69" 69 "$RC"
check "at once (one attempt, no retries)" test $((SECONDS - t0)) -lt 10
check_match "server down: it says why" \
	"FAILED +central \(127.0.0.1:$PORT\): failed: cannot connect to '127.0.0.1:$PORT': Connection refused; 1 waiting" \
	"$OUT"
check "rsyslogd is back again" start_rsyslog
run "$SAKIMORI" -f "$CONF" --state-dir "$STATE" alert test --check memory \
	--severity warning
check_match "the next alert test sends the kept event too" \
	"ok +central \(127.0.0.1:$PORT\): ok: 2 sent" "$OUT"
check "both arrive" wait_for 10 has_received 10
check_eq "in order" "open swap
open memory" "$(received_events | tail -2 | cut -d' ' -f1,2)"

stop_rsyslog

# ---- 7: over TLS: rsyslog's openssl driver, a CA of the test's own ----
OSSL=$(ls /usr/lib/*/rsyslog/lmnsd_ossl.so 2>/dev/null | head -1)
check "rsyslog's openssl driver is installed (rsyslog-openssl)" test -n "$OSSL"
T="$TMP/tls"
mkdir -p "$T/work"
mkcert() {	# mkcert NAME SUBJECT_ALT_NAME CA: a key and a certificate signed by CA
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$1.key" -out "$T/$1.csr" -subj "/CN=$1" 2>/dev/null &&
	printf 'subjectAltName=%s\n' "$2" > "$T/$1.ext" &&
	openssl x509 -req -in "$T/$1.csr" -CA "$T/$3.pem" -CAkey "$T/$3.key" \
		-CAcreateserial -out "$T/$1.pem" -days 2 -extfile "$T/$1.ext" 2>/dev/null
}
for ca in ca other-ca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$T/$ca.key" -out "$T/$ca.pem" -days 2 -subj "/CN=$ca" 2>/dev/null
done
check "a server certificate for 127.0.0.1 and localhost" \
	mkcert central "IP:127.0.0.1,DNS:localhost" ca
TPORT=$(free_port)
TRCVD="$T/received.log"
{ cat <<EOF
global(workDirectory="$T/work" net.enableDNS="off"
       DefaultNetstreamDriver="ossl" DefaultNetstreamDriverCAFile="$T/ca.pem"
       DefaultNetstreamDriverCertFile="$T/central.pem"
       DefaultNetstreamDriverKeyFile="$T/central.key")
module(load="imtcp" StreamDriver.Name="ossl" StreamDriver.Mode="1"
       StreamDriver.AuthMode="anon")
input(type="imtcp" address="127.0.0.1" port="$TPORT" ruleset="fleet")
EOF
  rs_output "$TRCVD"
} > "$T/rsyslog.conf"
tls_received() { [ -e "$TRCVD" ] && cat "$TRCVD"; }
has_tls_received() { [ "$(tls_received | grep -c .)" -ge "$1" ]; }
tls_conf() {	# tls_conf SERVER CA LOAD
	{ cat "$TMP/base.conf"
	  echo 'set hostname "fleet-agent-1"'
	  echo "check load { warning $([ "$3" = on ] && echo 0 || echo 1000) critical 1000 for 1s clear 0 every 1s }"
	  echo "check memory { disable }"
	  echo "alert syslog tls { server \"$1\"; tls yes; ca \"$T/$2.pem\"; severity unknown }"
	} > "$CONF"
}
check "rsyslogd listens with TLS on 127.0.0.1:$TPORT" start_rsyslog "$T" "$TPORT"

tls_conf "127.0.0.1:$TPORT" other-ca off
run "$SAKIMORI" -f "$CONF" --state-dir "$TMP/tls-state" alert test --check tls-check
check_eq "a certificate of another CA: alert test exits 69" 69 "$RC"
check_match "and says the certificate is refused" \
	"FAILED +tls \(127.0.0.1:$TPORT\): failed: no TLS with '127.0.0.1:$TPORT': its certificate is refused: " \
	"$OUT"
tls_conf "localhost:$TPORT" ca off
run "$SAKIMORI" -f "$CONF" --state-dir "$TMP/tls-state" alert test --check tls-check
check_match "the right CA, by name (looked up): the kept event and this one sent" \
	"ok +tls \(localhost:$TPORT\): ok: 2 sent" "$OUT"
# tls_wait DESCRIPTION SECONDS N: the Nth event arrives, else what
# rsyslogd said
tls_wait() {
	check "$1" wait_for "$2" has_tls_received "$3"
	has_tls_received "$3" || sed 's/^/#   rsyslogd: /' "$T/rsyslogd.out" | tail -20
}
tls_wait "both arrive over TLS" 10 2

# the agent over TLS; the TLS server restarted in between
tls_conf "127.0.0.1:$TPORT" ca on
STATE="$TMP/tls-agent-state"
start_agent t1
tls_wait "the agent's open event arrives over TLS" 30 3
check_match "with its structured data" \
	'^open\|\[sakimori@32473 event="open" problem="[0-9]+" check="load" subject="load" severity="WARNING"' \
	"$(tls_received | sed -n 3p)"
stop_rsyslog
tls_conf "127.0.0.1:$TPORT" ca off
kill -HUP "$AGENT"
check "resolved while the TLS server is down" wait_for 20 has_printed 2 "$TMP/t1.out"
sleep 2
check "the TLS server is back" start_rsyslog "$T" "$TPORT"
tls_wait "the resolve arrives over TLS" 60 4
sleep 2
check_eq "once, in order" \
	"$(printed_events "$TMP/t1.out")" \
	"$(tls_received | tail -2 | sed -E 's/^([a-z]+)\|.* problem="([0-9]+)" check="([a-z-]+)".*/\1 \3 \2/')"
stop_agent
check_nomatch "each connection of alert test and the agent ends with TLS's close_notify" \
	'unexpected eof' "$(cat "$T/rsyslogd.out")"

run env SAKIMORI_DYNLIB_FAIL=ssl "$SAKIMORI" -f "$CONF" --state-dir "$TMP/tls-state" \
	alert test --check tls-check
check_eq "without libssl: alert test exits 78" 78 "$RC"
check_match "naming the library and its package" "cannot load libssl.so.3 \(Debian package libssl3\)" "$ERR"
stop_rsyslog

# ---- 8: a server that never answers does not hold the agent up ----
# A listening socket whose queue is full: the kernel drops the SYNs, so a
# connect waits.
HPORT=$(free_port)
# (the interpreter itself, not lib.sh's python3 function, so that $! is
# its pid; its output away from the test's, which meson waits on)
/usr/bin/python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(0)
held = []
for _ in range(4):
	c = socket.socket(); c.setblocking(False)
	try: c.connect(("127.0.0.1", int(sys.argv[1])))
	except BlockingIOError: pass
	held.append(c)
time.sleep(90)' "$HPORT" >/dev/null 2>&1 &
HOLDER=$!
cleanup "kill $HOLDER"
wait_port "$HPORT"
{ cat "$TMP/base.conf"
  echo "check load { warning 0 critical 1000 for 1s clear 0 every 1s }"
  echo "check memory { disable }"
  echo "alert syslog stuck { server \"127.0.0.1:$HPORT\"; severity unknown }"
} > "$CONF"
STATE="$TMP/stuck-state"
start_agent s1
t0=$SECONDS
check "the agent opens its problem while the connect waits" \
	wait_for 8 has_printed 1 "$TMP/s1.out"
check "within 8 s: the loop was not held" test $((SECONDS - t0)) -le 8
check "the connect is given up after 10 s, and said" wait_for 20 grep -q \
	"alert syslog stuck (127.0.0.1:$HPORT): failed: cannot connect to '127.0.0.1:$HPORT': no answer in 10 s" \
	"$TMP/s1.err"
check_match "the event waits in the queue" "1 waiting in the queue" "$(cat "$TMP/s1.err")"
stop_agent
check_eq "the agent stops at once (exit 0)" 0 "$AGENT_RC"

done_testing
