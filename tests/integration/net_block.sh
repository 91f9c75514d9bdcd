#!/usr/bin/env bash
# net_block.sh - "sakimori net block|unblock|bans|restore" inside a network
# namespace of its own (the host's routes and firewall are never touched),
# with a veth pair to a second namespace for real traffic: a block adds a
# blackhole route (or an nftables set element) and traffic stops; unblock
# removes it; expired blocks go; after the routes are flushed (a simulated
# reboot) restore puts back exactly the active blocks; the allow-list
# (loopback, this host, the gateway, an SSH peer) and broad prefixes are
# refused; bad addresses, no privilege and a corrupt database are refused
# with clear messages.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for network namespaces"; exit 77; }
	command -v ip >/dev/null || { echo "# SKIP: needs ip (iproute2)"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
HELPER="$(dirname "$0")/net_helper.py"
PY=/usr/bin/python3

# This namespace (A, 10.9.0.1) and a peer namespace (B, 10.9.0.2) held by
# a process that ends by itself; B is reached through nsenter.
ip link set lo up
unshare -n sleep 120 > /dev/null 2>&1 &
PEER=$!
cleanup "kill $PEER"
sleep 0.2
ip link add sk0 type veth peer name sk1
ip link set sk1 netns "$PEER"
ip addr add 10.9.0.1/24 dev sk0
ip link set sk0 up
ip route add default via 10.9.0.254 dev sk0
inb() { nsenter -t "$PEER" -n "$@"; }
inb ip link set lo up
inb ip addr add 10.9.0.2/24 dev sk1
inb ip link set sk1 up
inb ip -6 addr add 2001:db8:9::2/64 dev sk1 nodad
ip -6 addr add 2001:db8:9::1/64 dev sk0 nodad
# a service in B that A's traffic reaches
# (background helpers run as nsenter -> exec python, so $! is the helper)
nsenter -t "$PEER" -n "$PY" "$HELPER" listen 0.0.0.0 8080 100 > /dev/null 2>&1 &
cleanup "kill $!"
for i in $(seq 1 50); do "$PY" "$HELPER" probe 10.9.0.2 8080 1 >/dev/null && break; sleep 0.1; done
check "before: 10.9.0.2:8080 is reachable" "$PY" "$HELPER" probe 10.9.0.2 8080 2

blackholes() { { ip route show type blackhole; ip -6 route show type blackhole; } | awk '{ print $2 }' | sort; }

# --- block, traffic stops, unblock, traffic flows ---
run "$SAKIMORI" net block 10.9.0.2 --for 1h --reason "slow-connection attack"
check_eq "block: exit 0" 0 "$RC"
check_match "block names what it blocked and until when" "^blocked 10\.9\.0\.2/32 until 20" "$OUT"
check_match "the blackhole route is there" "^10\.9\.0\.2$" "$(blackholes)"
check_match "with sakimori's protocol" "blackhole 10.9.0.2 proto 83" "$(ip route show type blackhole)"
run "$PY" "$HELPER" probe 10.9.0.2 8080 2
check_eq "after block: 10.9.0.2:8080 no longer gets through" 1 "$RC"
run "$SAKIMORI" net bans --json
check_match "bans: since, until, why, by whom" '"prefix":"10.9.0.2","state":"active","since":"[^"]+","until":"[^"]+".*"by":"user:root","reason":"slow-connection attack"' "$OUT"
run "$SAKIMORI" net unblock 10.9.0.2
check_eq "unblock: exit 0" 0 "$RC"
check_nomatch "unblock removes the route" "^10\.9\.0\.2$" "$(blackholes)"
check "after unblock: reachable again" "$PY" "$HELPER" probe 10.9.0.2 8080 2
run "$SAKIMORI" net unblock 10.9.0.2
check_match "unblocking what is not blocked says so" "not blocked" "$OUT"
check_match "the audit log has the block" '"action":"block","who":"user:root","target":"10.9.0.2/32","reason":"slow-connection attack; until [^"]+","result":"ok"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"
check_match "and the unblock" '"action":"unblock","who":"user:root","target":"10.9.0.2/32".*"result":"ok"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"

# --- IPv6 and IPv4-mapped ---
run "$SAKIMORI" net block 2001:db8:77::/48 ::ffff:198.51.100.7
check_eq "IPv6 prefix and IPv4-mapped address: exit 0" 0 "$RC"
check_match "the IPv6 blackhole route" "^2001:db8:77::/48$" "$(blackholes)"
check_match "::ffff:198.51.100.7 is blocked as the IPv4 address" "^198\.51\.100\.7$" "$(blackholes)"

# --- expiry: the route of a block whose time is up goes at the next
#     restore (what the timer runs every minute); the others stay ---
run "$SAKIMORI" net block 192.0.2.10 --for 1s
run "$SAKIMORI" net block 192.0.2.11 --for 1h 192.0.2.12
check_match "short block in place" "^192\.0\.2\.10$" "$(blackholes)"
sleep 1.2
run "$SAKIMORI" net restore
check_eq "restore: exit 0" 0 "$RC"
check_match "restore reports one expired" "1 expired" "$OUT"
check_nomatch "the expired block's route is gone" "^192\.0\.2\.10$" "$(blackholes)"
check_match "the unexpired one stays" "^192\.0\.2\.11$" "$(blackholes)"
run "$SAKIMORI" net bans --all --json
check_match "bans --all records it as expired" '"prefix":"192.0.2.10","state":"expired"' "$OUT"
check_match "the audit log has the expiry" '"action":"expire".*"target":"192.0.2.10/32"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"

# --- repeat offenders get longer blocks ---
run "$SAKIMORI" net block 192.0.2.10 --for 1h --json
check_match "a repeat offender's block is twice as long" '"earlier_blocks":1' "$OUT"
u=$(jq -r .until <<<"$OUT")
left=$(( $(date -d "$u" +%s) - $(date +%s) ))
check "about 2h rather than 1h ($left s)" test "$left" -gt 7000 -a "$left" -le 7200

# --- simulated reboot: routes flushed; a stale route of ours with no
#     record; restore puts back exactly the active blocks ---
run "$SAKIMORI" net block 192.0.2.20 --for 1s
sleep 1.2
want=$("$SAKIMORI" net bans --json | jq -r 'select(.until == null or (.until | fromdateiso8601) > now) | .prefix' | sort)
ip route flush proto 83
ip -6 route flush proto 83
check_eq "after the flush no blackhole is left" "" "$(blackholes)"
ip route add blackhole 203.0.113.99 proto 83
run "$SAKIMORI" net restore --json
check_eq "restore after reboot: exit 0" 0 "$RC"
check_match "restore counts the stale route" '"stale":1' "$OUT"
got=$(blackholes)
want=$("$SAKIMORI" net bans --json | jq -r .prefix | sort)
check_eq "restore put back exactly the active blocks" "$want" "$got"
check_nomatch "and not the expired one" "^192\.0\.2\.20$" "$got"
check_nomatch "nor the stale route" "^203\.0\.113\.99$" "$got"
check_match "192.0.2.11 is back" "^192\.0\.2\.11$" "$got"

# --- restore applies the allow-list of now: a block of what has since
#     become an admin network or an address of this host is not put
#     back (and its route goes), said on stderr and in JSON; it stays
#     on record until it is unblocked ---
run "$SAKIMORI" net block 198.51.100.44 198.51.100.45 --for 1h
check_eq "blocks to be refused at restore: exit 0" 0 "$RC"
printf 'set admin-networks "198.51.100.44"\n' > "$TMP/admin44.conf"
ip addr add 198.51.100.45/32 dev sk0
run "$SAKIMORI" -f "$TMP/admin44.conf" net restore --json
check_eq "restore with blocks the allow-list refuses: exit 65" 65 "$RC"
check_match "restore counts them as skipped" '"type":"net.restore".*"skipped":2' "$OUT"
check_match "restore lists the admin network in JSON" '"type":"net.skipped","schema":2,"prefix":"198.51.100.44","message":"refused: 198.51.100.44 is never blocked: it is a configured admin network"' "$OUT"
check_match "and this host's new address" '"type":"net.skipped","schema":2,"prefix":"198.51.100.45","message":"refused: 198.51.100.45 is never blocked: it is an address of this host \(sk0\)"' "$OUT"
check_match "restore says so on stderr" "not applied: refused: 198\.51\.100\.44 is never blocked" "$ERR"
check_nomatch "the admin network's route is not (re)applied" "^198\.51\.100\.44$" "$(blackholes)"
check_nomatch "nor this host's" "^198\.51\.100\.45$" "$(blackholes)"
check_match "the others are still in place" "^192\.0\.2\.11$" "$(blackholes)"
check_match "the skip is audited" '"action":"restore".*"target":"198.51.100.44/32".*"result":"refused: ' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"
run "$SAKIMORI" net bans --json
check_match "the refused block stays on record" '"prefix":"198.51.100.44","state":"active"' "$OUT"
run "$SAKIMORI" -f "$TMP/admin44.conf" net restore
check_match "plain restore counts it" "2 refused by the allow-list" "$OUT"
printf 'set admin-networks "198.51.100.0/24" "garbage"\n' > "$TMP/badadmin.conf"
run "$SAKIMORI" -f "$TMP/badadmin.conf" net restore
check_eq "restore with an invalid admin network: configuration error (78)" 78 "$RC"
check_match "and says which" "admin-networks'?: 'garbage' is not an" "$ERR"
printf 'set ssh-ports 22 0\n' > "$TMP/badport.conf"
run "$SAKIMORI" -f "$TMP/badport.conf" net block 192.0.2.88
check_eq "an invalid ssh-ports value: configuration error (78)" 78 "$RC"
ip addr del 198.51.100.45/32 dev sk0
run "$SAKIMORI" net unblock 198.51.100.44 198.51.100.45
check_eq "unblocking the refused ones: exit 0" 0 "$RC"
run "$SAKIMORI" net restore
check_eq "then restore is clean: exit 0" 0 "$RC"

# --- the allow-list and broad prefixes ---
refused() {	# refused DESC PATTERN ARGS...
	local d=$1 pat=$2
	shift 2
	run "$SAKIMORI" net block "$@"
	check_eq "$d: refused (exit 65)" 65 "$RC"
	check_match "$d: says why" "$pat" "$ERR"
}
refused "127.0.0.1" "127.0.0.1 lies inside 127.0.0.0/8, which is never blocked: loopback" 127.0.0.1
refused "::1" "never blocked: it is loopback" ::1
refused "this host's address" "10.9.0.1 is never blocked: it is an address of this host \(sk0\)" 10.9.0.1
refused "this host's IPv6 address" "an address of this host" 2001:db8:9::1
refused "the default gateway" "10.9.0.254 is never blocked: it is a default gateway \(dev sk0\)" 10.9.0.254
refused "a prefix holding this host" "10.9.0.0/24 contains 10.9.0.1, which is never blocked" 10.9.0.0/24
refused "a /8 without --force" "11.0.0.0/8 is broader than /16; give --force" 11.0.0.0/8
refused "an IPv6 /16 without --force" "broader than /32" 2a00::/16
refused "an IPv4 multicast address" "224\.0\.0\.1 lies inside 224\.0\.0\.0/4, which is never blocked: multicast" 224.0.0.1
refused "a multicast prefix" "239\.1\.0\.0/16 lies inside 224\.0\.0\.0/4" 239.1.0.0/16
refused "the broadcast address" "255\.255\.255\.255 is never blocked: it is the broadcast address" 255.255.255.255
refused "an IPv6 multicast address" "ff02::1 lies inside ff00::/8, which is never blocked: multicast" ff02::1
refused "a broad prefix holding multicast, even with --force" "contains 224\.0\.0\.0/4" 192.0.0.0/2 --force
run "$SAKIMORI" net block 11.0.0.0/8 --force --dry-run
check_eq "a /8 with --force --dry-run: exit 0" 0 "$RC"
check_match "dry-run says what it would do" "would block 11\.0\.0\.0/8 until" "$OUT"
check_nomatch "dry-run adds no route" "^11\.0\.0\.0/8$" "$(blackholes)"
check_match "dry-run is audited as such" '"target":"11.0.0.0/8".*"result":"dry-run"' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"
check_match "a refusal is audited" '"target":"127.0.0.1/32".*"result":"refused: ' "$(cat "$SAKIMORI_STATE_DIR/audit.log")"

# The peer of a live SSH session: a listener on this host's port 22 and a
# client in B (a TCP connection to a port-22 listener; sakimori finds it
# by the local port, as it finds sshd's sessions).
"$PY" "$HELPER" listen 10.9.0.1 22 30 > /dev/null 2>&1 &
SSHD=$!
cleanup "kill $SSHD"
sleep 0.3
nsenter -t "$PEER" -n "$PY" "$HELPER" connect 10.9.0.1 22 30 > "$TMP/ssh.out" 2>&1 &
SSHC=$!
cleanup "kill $SSHC"
for i in $(seq 1 50); do grep -q connected "$TMP/ssh.out" && break; sleep 0.1; done
refused "the peer of an SSH session" "10.9.0.2 is never blocked: it is the peer of an established SSH session \(local port 22\)" 10.9.0.2
kill $SSHC $SSHD
wait $SSHC $SSHD 2>/dev/null
# A real sshd on port 2222 (not an SSH port sakimori is told of): its
# session is found by the socket's owner, an sshd process, once logged
# in.  root logs in from B with a key made for the test.
. "$(dirname "$0")/lib-servers.sh"
ssh-keygen -q -t ed25519 -N '' -f "$TMP/userkey"
cp "$TMP/userkey.pub" "$TMP/authorized_keys"
start_sshd "$TMP/sshd" 2222 10.9.0.1 -o "AuthorizedKeysFile=$TMP/authorized_keys" \
	-o StrictModes=no || not_ok "sshd starts on 10.9.0.1:2222"
# First a plain TCP connection: sshd's process holds it while it waits
# for the SSH greeting; not logged in, it is no session (a password
# guesser's connection does not shield it).
nsenter -t "$PEER" -n "$PY" "$HELPER" connect 10.9.0.1 2222 30 > "$TMP/ssh2.out" 2>&1 &
SSHC=$!
cleanup "kill $SSHC"
for i in $(seq 1 50); do grep -q connected "$TMP/ssh2.out" && break; sleep 0.1; done
# sshd forks the process for the connection after accept: wait for it
for i in $(seq 1 50); do ss -Htnp state established "sport = :2222" | grep -q sshd && break; sleep 0.1; done
check_match "an sshd process holds the connection" "sshd" "$(ss -Htnp state established "sport = :2222")"
run "$SAKIMORI" net block 10.9.0.2 --dry-run
check_eq "a connection to sshd not logged in does not keep 10.9.0.2 from a block (dry run)" 0 "$RC"
kill $SSHC
wait $SSHC 2>/dev/null
nsenter -t "$PEER" -n ssh -p 2222 -i "$TMP/userkey" -o BatchMode=yes \
	-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \
	root@10.9.0.1 'echo in; sleep 30' > "$TMP/ssh3.out" 2>&1 &
SSHC=$!
cleanup "kill $SSHC"
for i in $(seq 1 100); do grep -q '^in' "$TMP/ssh3.out" && break; sleep 0.1; done
check_match "root is logged in from 10.9.0.2" "^in" "$(cat "$TMP/ssh3.out")"
refused "the peer of an sshd session on port 2222" "10.9.0.2 is never blocked: it is the peer of an established SSH session \(sshd pid [0-9]+, local port 2222\)" 10.9.0.2
kill $SSHC
wait $SSHC 2>/dev/null
for i in $(seq 1 50); do ss -Htn state established "sport = :2222" | grep -q . || break; sleep 0.1; done
run "$SAKIMORI" net block 10.9.0.2 --dry-run
check_eq "once the session is gone, 10.9.0.2 can be blocked (dry run)" 0 "$RC"
run env SSH_CONNECTION="192.0.2.77 51000 10.9.0.1 22" "$SAKIMORI" net block 192.0.2.77
check_eq "the client in SSH_CONNECTION: refused" 65 "$RC"
printf 'set admin-networks "198.18.0.0/15"\n' > "$TMP/admin.conf"
run "$SAKIMORI" -f "$TMP/admin.conf" net block 198.18.5.5
check_match "a configured admin network is refused" "198.18.5.5 lies inside 198.18.0.0/15, which is never blocked: a configured admin network" "$ERR"

# --- bad input: nothing is done ---
for bad in 1.2.3 1.2.3.4/33 1.2.3.4/ 1.2.3.4/08 300.1.1.1 "fe80::1%sk0" "[2001:db8::1]" 2001:db8::g 10.1.2.3/8 "" "1.2.3.4 5.6.7.8"; do
	run "$SAKIMORI" net block "$bad"
	check_eq "malformed '$bad': exit 65" 65 "$RC"
done
run "$SAKIMORI" net block "fe80::1%sk0"
check_match "zone id: a clear message" "zone ids \(%IFACE\) are not accepted" "$ERR"
run "$SAKIMORI" net block 10.1.2.3/8
check_match "host bits: suggests the network" "did you mean 10.0.0.0/8" "$ERR"
run "$SAKIMORI" net block 192.0.2.50 bogus
check_eq "one bad address among good ones: nothing is done" "" "$(blackholes | grep -x 192.0.2.50)"
run "$SAKIMORI" net block 192.0.2.51 --for 0s
check_eq "--for 0: usage error" 64 "$RC"

# --- durations: a unit is required, at most 3650 days, or forever ---
run "$SAKIMORI" net block 192.0.2.52 --for 9223372036854775807s
check_eq "--for 9223372036854775807s: usage error" 64 "$RC"
check_match "--for: says the maximum" "at most 3650d" "$ERR"
run "$SAKIMORI" net block 192.0.2.52 --for 99999999999999999999999s
check_eq "--for past 64 bits: usage error" 64 "$RC"
run "$SAKIMORI" net block 192.0.2.52 --for 3651d
check_eq "--for 3651d: usage error" 64 "$RC"
run "$SAKIMORI" net block 192.0.2.52 --for 90
check_eq "--for 90 (no unit): usage error" 64 "$RC"
check_match "--for: a unit is wanted" "with a unit" "$ERR"
check_nomatch "no route for a refused duration" "^192\.0\.2\.52$" "$(blackholes)"
run "$SAKIMORI" net block 192.0.2.52 --for 3650d --json
check_eq "--for 3650d: exit 0" 0 "$RC"
u=$(jq -r .until <<<"$OUT")
left=$(( $(date -d "$u" +%s) - $(date +%s) ))
check "3650d is about ten years ahead ($left s)" test "$left" -gt 315359000 -a "$left" -le 315360000
run "$SAKIMORI" net restore
check_match "a ten-year block survives restore" "^192\.0\.2\.52$" "$(blackholes)"
run "$SAKIMORI" net block 192.0.2.53 --for forever --json
check_eq "--for forever: exit 0" 0 "$RC"
check_match "--for forever: no end" '"until":null' "$OUT"
printf 'set block-duration 9223372036854775807s\n' > "$TMP/longdur.conf"
run "$SAKIMORI" -f "$TMP/longdur.conf" net block 192.0.2.54
check_eq "block-duration out of range: configuration error (78)" 78 "$RC"
check_nomatch "and no route" "^192\.0\.2\.54$" "$(blackholes)"
run "$SAKIMORI" net unblock 192.0.2.52 192.0.2.53

# --- --from: errors name the file and the line ---
printf '# addresses\n192.0.2.55\n1.2.3\n' > "$TMP/list.txt"
run "$SAKIMORI" net block --from "$TMP/list.txt"
check_eq "--from with a bad line: exit 65" 65 "$RC"
check_match "the error names the file and line" "$TMP/list\.txt:3: '1\.2\.3' is not" "$ERR"
run "$SAKIMORI" net block --from - < "$TMP/list.txt"
check_match "standard input is named so" "standard input:3: " "$ERR"
run "$SAKIMORI" net block --from <(printf 'bad\n')
check_nomatch "no <fd:N> in messages" "<fd" "$ERR"
check_match "a pipe is named by its path" "/dev/fd/[0-9]+:1: " "$ERR"
check_nomatch "nothing from the bad list was blocked" "^192\.0\.2\.55$" "$(blackholes)"

# --- an action that cannot be audited is not taken ---
mkdir -p "$TMP/noaudit/audit.log"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net block 192.0.2.56 --for 1h
check_eq "audit log not writable: block exits 73" 73 "$RC"
check_match "and says why" "audit log cannot be written, so nothing is done: cannot open '$TMP/noaudit/audit\.log': Is a directory" "$ERR"
check_nomatch "no route was added" "^192\.0\.2\.56$" "$(blackholes)"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net bans --json
check_nomatch "nor recorded" "192\.0\.2\.56" "$OUT"
rmdir "$TMP/noaudit/audit.log"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net block 192.0.2.56 --for 1h
check_eq "with the log writable again: exit 0" 0 "$RC"
mv "$TMP/noaudit/audit.log" "$TMP/noaudit/audit.saved"
mkdir "$TMP/noaudit/audit.log"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net unblock 192.0.2.56
check_eq "audit log not writable: unblock exits 73" 73 "$RC"
check_match "the route stays" "^192\.0\.2\.56$" "$(blackholes)"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net restore
check_eq "audit log not writable: restore exits 73" 73 "$RC"
rmdir "$TMP/noaudit/audit.log"
run "$SAKIMORI" --state-dir "$TMP/noaudit" net unblock 192.0.2.56
check_eq "with the log back: unblock exits 0" 0 "$RC"

# --- without privilege: EPERM is explained ---
mkdir -p "$TMP/nobody"
chown nobody "$TMP/nobody"
chmod 755 "$TMP"
: > "$TMP/nobody.conf"
chmod 644 "$TMP/nobody.conf"
run setpriv --reuid=nobody --regid=nogroup --clear-groups env SAKIMORI_CONFIG="$TMP/nobody.conf" \
	"$SAKIMORI" --state-dir "$TMP/nobody/state" net block 192.0.2.60
check_eq "as nobody: exit 77 (no permission)" 77 "$RC"
check_match "as nobody: needs root or CAP_NET_ADMIN" "needs root or CAP_NET_ADMIN" "$ERR"
check_nomatch "as nobody: no route" "^192\.0\.2\.60$" "$(blackholes)"
run setpriv --reuid=nobody --regid=nogroup --clear-groups env SAKIMORI_CONFIG="$TMP/nobody.conf" \
	"$SAKIMORI" --state-dir "$TMP/nobody/state" net bans --all --json
check_match "the failed block is recorded as failed" '"prefix":"192.0.2.60","state":"failed"' "$OUT"

# --- a corrupt state database: refuse to act, say so ---
mkdir -p "$TMP/corrupt"
head -c 8192 /dev/urandom > "$TMP/corrupt/sakimori.db"
run "$SAKIMORI" --state-dir "$TMP/corrupt" net block 192.0.2.70
check_eq "corrupt database: exit 70" 70 "$RC"
check_match "corrupt database: says so" "corrupt.*refusing to act" "$ERR"
check_nomatch "corrupt database: no route" "^192\.0\.2\.70$" "$(blackholes)"
run "$SAKIMORI" --state-dir "$TMP/corrupt" net restore
check_eq "corrupt database: restore refuses too" 70 "$RC"

# --- the nftables backend ---
if command -v nft >/dev/null && nft list tables >/dev/null 2>&1; then
	export SAKIMORI_STATE_DIR="$TMP/nft-state"
	run "$SAKIMORI" net block --backend nftables 10.9.0.2/32 2001:db8:9::2 --for 1h
	check_eq "nft block: exit 0" 0 "$RC"
	check_match "the element is in the set" "elements = \{ 10\.9\.0\.2 (timeout|expires)" "$(nft list set inet sakimori block4)"
	check_match "the IPv6 element too" "2001:db8:9::2" "$(nft list set inet sakimori block6)"
	run "$PY" "$HELPER" probe 10.9.0.2 8080 1
	check_eq "nft: 10.9.0.2:8080 no longer gets through" 1 "$RC"
	run "$SAKIMORI" net unblock 10.9.0.2
	check_nomatch "nft unblock removes the element" "10\.9\.0\.2" "$(nft list set inet sakimori block4)"
	check "nft: reachable again" "$PY" "$HELPER" probe 10.9.0.2 8080 2
	# expiry in the kernel itself: the element has a timeout (a repeat
	# offender's block would last twice as long: factor 1 here)
	printf 'set block-repeat-factor 1\n' > "$TMP/norepeat.conf"
	run "$SAKIMORI" -f "$TMP/norepeat.conf" net block --backend nftables 10.9.0.2 --for 2s
	check_match "short nft block in place" "10\.9\.0\.2" "$(nft list set inet sakimori block4)"
	sleep 2.5
	check_nomatch "the kernel dropped the expired element on time" "10\.9\.0\.2" "$(nft list set inet sakimori block4)"
	check "nft: reachable after expiry" "$PY" "$HELPER" probe 10.9.0.2 8080 2
	run "$SAKIMORI" net block --backend nftables 192.0.2.80 --for 1h
	# nftables keeps no overlapping intervals in a set: the kernel's
	# message and the block it overlaps are named
	run "$SAKIMORI" net block --backend nftables 192.0.2.0/24 --for 1h
	check_eq "nft: a prefix overlapping a blocked element fails (71)" 71 "$RC"
	check_match "nft overlap: the kernel's message" "failed: nftables: cannot add 192\.0\.2\.0/24: interval overlaps with an existing one" "$ERR"
	check_match "nft overlap: names the block it overlaps" "overlaps 192\.0\.2\.80/32, which is blocked already" "$ERR"
	run "$SAKIMORI" net block --backend nftables 192.0.2.96/28 --for 1h
	check_eq "nft: a prefix beside it: exit 0" 0 "$RC"
	run "$SAKIMORI" net block --backend nftables 192.0.2.97 --for 1h
	check_eq "nft: an address inside a blocked prefix fails (71)" 71 "$RC"
	check_match "nft: and names the prefix it lies inside" "cannot add 192\.0\.2\.97: .*lies inside 192\.0\.2\.96/28, which is blocked already" "$ERR"
	run "$SAKIMORI" net unblock 192.0.2.96/28
	nft flush ruleset
	run "$SAKIMORI" net restore --json
	check_match "nft restore: the expired one is recorded as such" '"expired":1' "$OUT"
	check_match "nft restore puts the active element back" "192\.0\.2\.80" "$(nft list set inet sakimori block4)"
	check_nomatch "and not the expired one" "10\.9\.0\.2" "$(nft list set inet sakimori block4)"
else
	echo "# nftables not usable here: nft backend not tested"
fi

done_testing
