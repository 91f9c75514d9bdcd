#!/usr/bin/env bash
# agent_sshd.sh - the agent's live response to SSH password guessing,
# against Debian's real sshd, in a network namespace of its own (the
# host's firewall is never touched) with a veth pair to a peer namespace
# that holds an attacker's and an administrator's address.  sshd logs to
# a file the agent follows (its stderr stamped as syslog writes it); the
# agent's auth analyzer finds the brute force and the respond rule blocks
# the address through nftables:
#   - each attacking address is blocked within 2 s of the line that
#     crossed the threshold (measured: the line's stamp against the
#     moment the element is in the kernel's set), with the finding as the
#     reason in 'net bans'; its next connection gets nowhere;
#   - the administrator's address, logged in (an SSH session open), is
#     never blocked though it fails as often, and its session lives on;
#   - the block expires and is gone from the kernel.
# RUNS attacking addresses in turn (default 3); each line-to-block
# latency is printed as "# latency SECONDS" (bench/agent_sshd.sh).
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for network namespaces"; exit 77; }
	command -v ip >/dev/null || { echo "# SKIP: needs ip (iproute2)"; exit 77; }
	[ -x /usr/sbin/sshd ] || { echo "# SKIP: needs openssh-server"; exit 77; }
	command -v ssh >/dev/null || { echo "# SKIP: needs openssh-client"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
nft list tables >/dev/null 2>&1 || skip_all "nftables cannot be used here"
. "$(dirname "$0")/lib-agent.sh"
unset SSH_CONNECTION
RUNS=${RUNS:-3}
PY=/usr/bin/python3

# This namespace (the server, 10.9.7.1) and a peer (10.9.7.2 the
# administrator, 10.9.7.10... the attackers) held by a process that ends
# by itself.
ip link set lo up
unshare -n sleep 1200 > /dev/null 2>&1 &
PEER=$!
cleanup "kill $PEER"
sleep 0.2
ip link add sk0 type veth peer name sk1
ip link set sk1 netns "$PEER"
ip addr add 10.9.7.1/24 dev sk0
ip link set sk0 up
inb() { nsenter -t "$PEER" -n "$@"; }
inb ip link set lo up
inb ip addr add 10.9.7.2/24 dev sk1
for ((r = 0; r < RUNS; r++)); do inb ip addr add 10.9.7.$((10 + r))/24 dev sk1; done
inb ip link set sk1 up

# sshd: root logs in with the administrator's key only; its log lines
# stamped with the time they were written, as a syslog daemon does.
D=$TMP/sshd
mkdir -p "$D" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$D/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$D/admin"
ssh-keygen -q -t ed25519 -N '' -f "$D/wrong"
cp "$D/admin.pub" "$D/authorized_keys"
AUTHLOG=$TMP/auth.log
: > "$AUTHLOG"
cat > "$D/stamp.py" <<'PYEOF'
import datetime, sys
out = open(sys.argv[1], "a")
pid = sys.argv[2]
for line in sys.stdin:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
    out.write("%s sakimori-test sshd[%s]: %s\n" % (now, pid, line.rstrip("\r\n")))
    out.flush()
PYEOF
/usr/sbin/sshd -D -e -f /dev/null -h "$D/hostkey" -o ListenAddress=10.9.7.1:2222 \
	-o PidFile="$D/sshd.pid" -o AuthorizedKeysFile="$D/authorized_keys" \
	-o StrictModes=no -o PasswordAuthentication=no -o KbdInteractiveAuthentication=no \
	-o MaxStartups=100 -o LogLevel=INFO 2> >("$PY" "$D/stamp.py" "$AUTHLOG" $$) &
SSHD=$!
cleanup "kill $SSHD"
for i in $(seq 1 50); do grep -q "Server listening" "$AUTHLOG" && break; sleep 0.1; done
check_match "sshd runs, its log in the followed file" "sshd\[[0-9]+\]: Server listening on 10\.9\.7\.1 port 2222" "$(cat "$AUTHLOG")"

SSHOPTS=(-p 2222 -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=2 -o ServerAliveInterval=1 -o ServerAliveCountMax=2 -o LogLevel=ERROR)
fail_login() {	# fail_login ADDRESS: one login that fails (no such user)
	inb ssh "${SSHOPTS[@]}" -b "$1" -i "$D/wrong" nosuch@10.9.7.1 true 2>/dev/null
}
in_set() {	# in_set ADDRESS: the element is in the kernel's set
	nft list set inet sakimori block4 2>/dev/null | grep -q "[{ ,]$1[ ,}]"
}

# The agent: only the auth log followed, brute force blocked 6 s.
agent_base_conf "$TMP/base.conf" "check auth-"
{ cat "$TMP/base.conf"
  echo 'set block-backend "nftables"'
  echo "logs { discover no; follow \"$AUTHLOG\" kind auth }"
  echo 'respond { block auth-brute-force for 6s }'; } > "$CONF"
start_agent s1
following() { [ "$(ctl status --json 2>/dev/null | jq -r 'select(.type == "logs") | .name')" = auth ]; }
check "the agent follows the auth log" wait_for 60 following

# ---- the administrator: logged in, then fails as often as an attacker ----
# (nsenter execs ssh: $! is the client)
nsenter -t "$PEER" -n ssh "${SSHOPTS[@]}" -b 10.9.7.2 -i "$D/admin" root@10.9.7.1 'echo in; exec sleep 1200' > "$TMP/admin.out" 2>&1 &
ADMIN=$!
cleanup "kill $ADMIN"
# (first) the session processes sshd forked, which outlive it, and their
# commands
cleanup 'for p in $(pgrep -P '"$SSHD"'); do pkill -P "$p"; kill "$p"; done'
check "the administrator logs in" wait_for 10 grep -q "^in" "$TMP/admin.out"
for i in 1 2 3 4; do fail_login 10.9.7.2; done
admin_refused() { grep -q "respond: 10\.9\.7\.2 not blocked: .*never blocked.*SSH session" "$TMP/s1.err"; }
check "the administrator's brute force is refused by the allow-list" wait_for 10 admin_refused
check "the administrator's address is not in the set" eval '! in_set 10.9.7.2'
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_nomatch "nor among the bans" '"prefix":"10\.9\.7\.2"' "$OUT"

# ---- attackers: failed logins until blocked ----
threshold_time() {	# threshold_time ADDRESS: stamp of its 5th failure line
	"$SAKIMORI" logs scan --analyzers auth --json "$AUTHLOG" 2>/dev/null |
		jq -r --arg a "$1" 'select(.type | startswith("auth.")) | select(.address == $a) | .line' |
		sed -n 5p | { read -r n; [ -n "$n" ] && sed -n "${n}p" "$AUTHLOG" | cut -d' ' -f1; }
}
for ((r = 0; r < RUNS; r++)); do
	A=10.9.7.$((10 + r))
	# the kernel's set watched every 5 ms from before the first attempt
	"$PY" - "$A" > "$TMP/seen.$r" <<'PYEOF' &
import subprocess, sys, time
a = sys.argv[1]
end = time.time() + 30
while time.time() < end:
    out = subprocess.run(["nft", "list", "set", "inet", "sakimori", "block4"],
                         capture_output=True, text=True).stdout
    if any(t.strip(" {},") == a for t in out.split()):
        print("%.6f" % time.time())
        break
    time.sleep(0.005)
PYEOF
	WATCH=$!
	tries=0
	while ! [ -s "$TMP/seen.$r" ] && [ $tries -lt 8 ]; do
		fail_login "$A"
		tries=$((tries + 1))
	done
	wait "$WATCH"
	seen=$(cat "$TMP/seen.$r")
	line=$(threshold_time "$A")
	check "attacker $A: blocked (in the kernel's set)" test -n "$seen"
	check "attacker $A: its threshold line is in the log" test -n "$line"
	lat=$("$PY" -c 'import sys, datetime
t = datetime.datetime.fromisoformat(sys.argv[2]).timestamp()
print("%.3f" % (float(sys.argv[1]) - t))' "${seen:-0}" "${line:-1970-01-01T00:00:00+00:00}")
	echo "# latency $lat"
	check "attacker $A: blocked within 2 s of the threshold line ($lat s)" \
		"$PY" -c 'import sys; sys.exit(not (0 <= float(sys.argv[1]) < 2))' "$lat"
	run inb ssh "${SSHOPTS[@]}" -b "$A" -i "$D/wrong" nosuch@10.9.7.1 true
	check_eq "attacker $A: its next connection gets nowhere (timeout)" 255 "$RC"
	check_match "attacker $A: ssh timed out" "timed out" "$ERR"
done
run "$SAKIMORI" --state-dir "$STATE" net bans --json
check_match "net bans: by the respond rule, the finding and its evidence as the reason" \
	"\"prefix\":\"$A\",\"state\":\"active\".*\"by\":\"rule:respond\",\"reason\":\"auth-brute-force WARNING: $A: [0-9]+ authentication failures" "$OUT"
check "the administrator's session lives on" kill -0 "$ADMIN"
check "the administrator's address never entered the set" eval '! in_set 10.9.7.2'
check_match "the agent logged the block" "respond: blocked $A for 6s: auth-brute-force" "$(cat "$TMP/s1.err")"

# ---- expiry: gone from the kernel; the address may connect again ----
gone() { ! in_set "$A"; }
check "the block expires: gone from the kernel's set" wait_for 10 gone
run inb ssh "${SSHOPTS[@]}" -b "$A" -i "$D/wrong" nosuch@10.9.7.1 true
check_match "after expiry the address reaches sshd again (refused, not timed out)" "Permission denied" "$ERR"
stop_agent
check_eq "SIGTERM: exit 0" 0 "$AGENT_RC"

done_testing
