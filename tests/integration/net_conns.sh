#!/usr/bin/env bash
# net_conns.sh - "sakimori net conns" against 20,000 real loopback
# connections (held by net_helper.py, which stops by itself) in a network
# namespace of its own: counts per state, per remote address and per local
# port equal what `ss -Htan` shows, counted with awk, whether they come
# from the BPF socket iterator (root), sock_diag in one walk or two, or
# /proc/net; --port, --state and --top filter.
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	[ "$(id -u)" = 0 ] || { echo "# SKIP: needs root for a network namespace"; exit 77; }
	command -v ss >/dev/null || { echo "# SKIP: needs ss (iproute2)"; exit 77; }
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
HELPER="$(dirname "$0")/net_helper.py"
ip link set lo up
# 40,000 descriptors: four helper processes of about 10,000 each, as the
# hard limit may be as low as 20,000 (raise the soft limit if allowed)
ulimit -n 65536 2>/dev/null || true
for part in 0 1 2 3; do
	/usr/bin/python3 "$HELPER" hold $part 50 > "$TMP/hold.$part" 2>&1 &
	cleanup "kill $!"
done
for i in $(seq 1 400); do
	[ "$(cat "$TMP"/hold.* | grep -c '^ready')" = 4 ] && break
	sleep 0.1
done
check_eq "the four helpers hold their connections" 4 "$(cat "$TMP"/hold.* | grep -c '^ready')"
p6=$(awk '{ print $3 }' "$TMP/hold.3")

# What ss sees, folded the way sakimori folds: IPv4-mapped is IPv4.
ss -Htan > "$TMP/ss.txt"
awk '{ s = $1; if (s == "ESTAB") s = "ESTABLISHED"; gsub("-", "_", s);
	sub("FIN_WAIT_", "FIN_WAIT", s); n[s]++ } END { for (k in n) print k, n[k] }' \
	"$TMP/ss.txt" | sort > "$TMP/ss.states"
awk '$1 != "LISTEN" { a = $5; sub(/:[^:]*$/, "", a); gsub(/[][]/, "", a);
	sub(/^::ffff:/, "", a); n[a]++ } END { for (k in n) print k, n[k] }' \
	"$TMP/ss.txt" | sort > "$TMP/ss.addrs"
awk 'NR == FNR { if ($1 == "LISTEN") { l = $4; sub(/.*:/, "", l); lp[l] = 1 }; next }
	$1 != "LISTEN" { l = $4; sub(/.*:/, "", l); if (l in lp) n[l]++ }
	END { for (k in n) print k, n[k] }' "$TMP/ss.txt" "$TMP/ss.txt" | sort > "$TMP/ss.ports"

run "$SAKIMORI" net conns --json --top 0
check_eq "net conns --json: exit 0" 0 "$RC"
printf '%s\n' "$OUT" > "$TMP/sk.json"
jq -r 'select(.type == "net.state") | "\(.state) \(.count)"' "$TMP/sk.json" | sort > "$TMP/sk.states"
jq -r 'select(.type == "net.address") | "\(.address) \(.count)"' "$TMP/sk.json" | sort > "$TMP/sk.addrs"
jq -r 'select(.type == "net.port") | "\(.port) \(.count)"' "$TMP/sk.json" | sort > "$TMP/sk.ports"
total=$(jq -r 'select(.type == "net.total") | .count' "$TMP/sk.json")
check_eq "total equals ss's line count" "$(wc -l < "$TMP/ss.txt")" "$total"
conns=$(jq -s '[.[] | select(.type == "net.state")] | map({(.state): .count}) | add
	| .ESTABLISHED / 2 + .FIN_WAIT2 + .TIME_WAIT' "$TMP/sk.json")
check_eq "20,000 connections were counted" 20000 "$conns"
check_eq "counts per state equal ss | awk" "$(cat "$TMP/ss.states")" "$(cat "$TMP/sk.states")"
check_eq "counts per remote address equal ss | awk" "$(cat "$TMP/ss.addrs")" "$(cat "$TMP/sk.addrs")"
check_eq "counts per local service port equal ss | awk" "$(cat "$TMP/ss.ports")" "$(cat "$TMP/sk.ports")"
check_match "TIME_WAIT is among the states" "^TIME_WAIT 300$" "$(cat "$TMP/sk.states")"
check_match "the flooding address holds 4000" "^127.0.9.9 4000$" "$(cat "$TMP/sk.addrs")"
check_match "IPv4-mapped clients count as IPv4" "^127.0.8.8 1000$" "$(cat "$TMP/sk.addrs")"
check_nomatch "no ::ffff: address is left" "::ffff:" "$(cat "$TMP/sk.addrs")"
# As root, on a kernel with BTF, the TCP table comes from the BPF socket
# iterator; sock_diag, the split walk and /proc/net must agree with it.
if [ -r /sys/kernel/btf/vmlinux ]; then
	check_match "the source is the BPF socket iterator" '"source":"bpf"' "$OUT"
	check_eq "the iterator's layout is kept for the boot (root's, 0600)" "root 600" \
		"$(stat -c '%U %a' /run/sakimori/btf-layout 2>&1)"
	# one program loaded; the only sock_diag dump is the listeners'
	strace -f -e trace=bpf,sendto "$SAKIMORI" net conns --top 0 2> "$TMP/bpf.strace" > /dev/null
	check_eq "one BPF program is loaded" 1 "$(grep -c 'BPF_PROG_LOAD' "$TMP/bpf.strace")"
	check_eq "one sock_diag dump (the listeners)" 1 "$(grep -c 'sendto(.*TCPDIAG_GETSOCK' "$TMP/bpf.strace")"
	# a damaged layout file is not used, and is made again
	printf 'garbage' > /run/sakimori/btf-layout
	run "$SAKIMORI" net conns --json --top 0
	jq -r 'select(.type == "net.address") | "\(.address) \(.count)"' <<<"$OUT" | sort > "$TMP/bc.addrs"
	check_eq "a damaged layout file: the same counts" "$(cat "$TMP/sk.addrs")" "$(cat "$TMP/bc.addrs")"
	check_eq "a damaged layout file is made again" 104 "$(stat -c %s /run/sakimori/btf-layout)"
	# set net-bpf no: sock_diag
	printf 'set net-bpf no\n' > "$TMP/nobpf.conf"
	run env SAKIMORI_CONFIG="$TMP/nobpf.conf" "$SAKIMORI" net conns --json --top 0
	check_match "set net-bpf no: the source is netlink" '"source":"netlink"' "$OUT"
else
	check_match "the source is netlink" '"source":"netlink"' "$OUT"
fi

# sock_diag (SAKIMORI_SOCK_BPF=0): the TCP walk split over two threads (each asks the kernel for half of
# the sockets with a port filter) counts exactly the same; and so does
# the single walk.
for split in 1 0; do
	run env SAKIMORI_SOCK_BPF=0 SAKIMORI_SOCK_SPLIT=$split "$SAKIMORI" net conns --json --top 0
	jq -r 'select(.type == "net.state") | "\(.state) \(.count)"' <<<"$OUT" | sort > "$TMP/sp.states"
	jq -r 'select(.type == "net.address") | "\(.address) \(.count)"' <<<"$OUT" | sort > "$TMP/sp.addrs"
	jq -r 'select(.type == "net.port") | "\(.port) \(.count)"' <<<"$OUT" | sort > "$TMP/sp.ports"
	check_eq "SAKIMORI_SOCK_SPLIT=$split: same counts per state" "$(cat "$TMP/ss.states")" "$(cat "$TMP/sp.states")"
	check_eq "SAKIMORI_SOCK_SPLIT=$split: same counts per address" "$(cat "$TMP/ss.addrs")" "$(cat "$TMP/sp.addrs")"
	check_eq "SAKIMORI_SOCK_SPLIT=$split: same counts per port" "$(cat "$TMP/ss.ports")" "$(cat "$TMP/sp.ports")"
done
# requests: the listeners, then one walk (or two halves, one per thread)
dumps() { SAKIMORI_SOCK_BPF=0 SAKIMORI_SOCK_SPLIT=$1 strace -f -e trace=sendto "$SAKIMORI" net conns --top 0 2>&1 >/dev/null | grep -c 'sendto(.*TCPDIAG_GETSOCK'; }
check_eq "SAKIMORI_SOCK_SPLIT=1: the walk is made in two halves" 3 "$(dumps 1)"
check_eq "SAKIMORI_SOCK_SPLIT=0: one walk" 2 "$(dumps 0)"

# The /proc/net fallback gives the same counts.
run "$SAKIMORI" net conns --json --top 0 --proc
jq -r 'select(.type == "net.state") | "\(.state) \(.count)"' <<<"$OUT" | sort > "$TMP/pr.states"
jq -r 'select(.type == "net.address") | "\(.address) \(.count)"' <<<"$OUT" | sort > "$TMP/pr.addrs"
check_match "--proc reads /proc/net" '"source":"proc"' "$OUT"
check_eq "/proc/net: same counts per state" "$(cat "$TMP/sk.states")" "$(cat "$TMP/pr.states")"
check_eq "/proc/net: same counts per address" "$(cat "$TMP/sk.addrs")" "$(cat "$TMP/pr.addrs")"

# Per prefix: /24 by default; --prefix4 16 puts every 127.0.x.y in one.
run "$SAKIMORI" net conns --json --top 1 --prefix4 16
check_match "--prefix4 16 groups 127.0.0.0/16" '"prefix":"127.0.0.0/16"' "$OUT"
run "$SAKIMORI" net conns --json --top 0
check_match "default /24 prefix of the flooder" '"prefix":"127.0.9.0/24","count":4000' "$OUT"

# --top, --port, --state (the filter is applied in the kernel)
run "$SAKIMORI" net conns --json --top 2
check_eq "--top 2: two address rows" 2 "$(jq -r 'select(.type == "net.address") | .address' <<<"$OUT" | wc -l)"
want=$(awk -v p="$p6" '$1 != "LISTEN" { l = $4; sub(/.*:/, "", l); if (l == p) n++ } END { print n + 0 }' "$TMP/ss.txt")
run "$SAKIMORI" net conns --json --port "$p6"
check_eq "--port counts only that local port" "$want" "$(jq -r 'select(.type == "net.port") | .count' <<<"$OUT")"
check_eq "--port: one port row" 1 "$(jq -r 'select(.type == "net.port") | .port' <<<"$OUT" | wc -l)"
run "$SAKIMORI" net conns --json --state time-wait,fin-wait-2
check_eq "--state: only the states asked for" "FIN_WAIT2 200
TIME_WAIT 300" "$(jq -r 'select(.type == "net.state") | "\(.state) \(.count)"' <<<"$OUT" | sort)"
run "$SAKIMORI" net conns
check_match "table output names the flooder" "127\.0\.9\.9 +4000" "$OUT"
run "$SAKIMORI" net conns --state bogus
check_eq "unknown state: usage error" 64 "$RC"

# Without root, sock_diag still answers (it needs no privilege).
: > "$TMP/nobody.conf"
chmod 755 "$TMP"
chmod 644 "$TMP/nobody.conf"
run setpriv --reuid=nobody --regid=nogroup --clear-groups env SAKIMORI_CONFIG="$TMP/nobody.conf" "$SAKIMORI" net conns --json --state established
check_eq "as nobody: exit 0" 0 "$RC"
check_match "as nobody: established connections counted" '"state":"ESTABLISHED"' "$OUT"
check_match "as nobody: sock_diag (BPF needs root)" '"source":"netlink"' "$OUT"

done_testing
