#!/usr/bin/env bash
# net_conns_parts.sh - where the time of "sakimori net conns" goes, on the
# same 20,000 loopback connections as bench/net_conns.sh: fork and exec,
# sakimori's start-up, the kernel's dump read by a static program that
# does nothing else (bench/net_dump_floor.c: the walk with every socket
# filled, the walk alone, the walk split over two threads), sakimori
# itself (BPF socket iterator, and sock_diag), and ss alone.  Everything at real-time priority (chrt -f 50),
# which approximates an idle machine on a shared one.
#
#   bench/net_conns_parts.sh [BUILD_DIR]     (root; RUNS, default 30)
set -eu
. "$(dirname "$0")/lib-netns.sh"
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
cc -O2 -static -pthread "$here/bench/net_dump_floor.c" -o "$tmp/floor"
hold_connections "$tmp"
echo "sockets: $(ss -Htan | wc -l); the dump returns $("$tmp/floor" 2 -v) established"
echo "load before: $(cat /proc/loadavg)"
export SAKIMORI_CONFIG=$tmp/empty.conf SAKIMORI_SOCK_SPLIT=0
: > "$SAKIMORI_CONFIG"
chrt -f 50 hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json "$tmp/h.json" \
	-n "/bin/true" /bin/true \
	-n "sakimori --version" "$sk --version" \
	-n "dump (static program)" "$tmp/floor 2" \
	-n "walk alone (state nobody is in)" "$tmp/floor 4" \
	-n "dump split over two threads" "$tmp/floor 2 split" \
	-n "sakimori net conns (BPF iterator)" "$sk net conns --state established --top 0" \
	-n "sakimori net conns (sock_diag, one walk)" "env SAKIMORI_SOCK_BPF=0 $sk net conns --state established --top 0" \
	-n "sakimori net conns (sock_diag, split)" "env SAKIMORI_SOCK_BPF=0 SAKIMORI_SOCK_SPLIT=1 $sk net conns --state established --top 0" \
	-n "ss -Htan state established" "ss -Htan state established" > /dev/null
jq -r '.results[] | "\(.median * 1000 | . * 10 | floor / 10) ms\t(user \(.user * 1000 | floor), system \(.system * 1000 | floor))\t\(.command)"' "$tmp/h.json"
echo "load after: $(cat /proc/loadavg)"
