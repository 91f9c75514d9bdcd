#!/usr/bin/env bash
# net_block.sh - adding 10,000 blocks, inside a network namespace of its own
# (the host's routes and firewall are never touched), side by side with the
# seed's way (one `ip route add blackhole` per address, as an rc script of
# "route add ... blackhole" lines would run) and `ip -batch`.
#
#   bench/net_block.sh [BUILD_DIR]        (root)
#
# Each sakimori run starts from an empty state database and an empty
# namespace, and includes the allow-list, the records (one transaction),
# the audit log (one synced line per block) and the kernel.
set -eu
. "$(dirname "$0")/lib-netns.sh"
N=${N:-10000}
RUNS=${RUNS:-5}
LOOP_N=${LOOP_N:-500}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export SAKIMORI_CONFIG=$tmp/empty.conf
: > "$SAKIMORI_CONFIG"
# 10,000 addresses in 100.64.0.0/10 (shared address space)
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) printf "100.%d.%d.%d\n", 64 + int(i / 65536), int(i / 256) % 256, i % 256 }' > "$tmp/addrs"
awk '{ print "route add blackhole " $1 }' "$tmp/addrs" > "$tmp/batch"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
secs() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
reset() { ip route flush proto 83 2>/dev/null || true; ip route flush type blackhole 2>/dev/null || true;
	nft delete table inet sakimori 2>/dev/null || true; rm -rf "$tmp/state"; }

for r in $(seq 1 "$RUNS"); do
	reset
	secs "$sk" --state-dir "$tmp/state" net block --from "$tmp/addrs" --for 1d --reason bench >> "$tmp/sk.route"
	n=$(ip route show proto 83 | wc -l)
	[ "$n" = "$N" ] || { echo "sakimori route: $n routes, want $N" >&2; exit 1; }
	reset
	secs "$sk" --state-dir "$tmp/state" net block --backend nftables --from "$tmp/addrs" --for 1d >> "$tmp/sk.nft"
	n=$(nft list set inet sakimori block4 | grep -o '100\.[0-9.]*' | wc -l)
	[ "$n" = "$N" ] || { echo "sakimori nft: $n elements, want $N" >&2; exit 1; }
	reset
	# one process per address is slow: time the first LOOP_N and scale
	secs bash -c "head -n $LOOP_N '$tmp/addrs' | while read -r a; do ip route add blackhole \$a; done" >> "$tmp/ip.loop"
	reset
	secs ip -batch "$tmp/batch" >> "$tmp/ip.batch"
done
reset
printf 'adding %d blocks, median of %d runs (seconds)\n' "$N" "$RUNS"
printf '  sakimori net block --from (route backend)     %.2f\n' "$(median < "$tmp/sk.route")"
printf '  sakimori net block --from (nftables backend)  %.2f\n' "$(median < "$tmp/sk.nft")"
printf '  one "ip route add blackhole" per address      %.2f (%d timed, scaled to %d)\n' \
	"$(echo "$(median < "$tmp/ip.loop") * $N / $LOOP_N" | bc -l)" "$LOOP_N" "$N"
printf '  ip -batch (routes only: no record, no checks) %.2f\n' "$(median < "$tmp/ip.batch")"
