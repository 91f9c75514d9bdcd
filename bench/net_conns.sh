#!/usr/bin/env bash
# net_conns.sh - counting connections per remote address: sakimori against
# the pipelines an administrator would run, on the same 20,000 loopback
# connections, side by side in one run (hyperfine, medians).
#
#   bench/net_conns.sh [BUILD_DIR]        (root: makes a network namespace)
#   environment: RUNS (30), RT=1 (real-time priority, see below)
#
# Peers:
#   ss      ss -Htan state established | awk '{print $4}' | sed 's/:[^:]*$//'
#           | sort | uniq -c | sort -rn
#   netstat the seed's pipeline: netstat -an | grep ESTABLISHED
#           | awk '{print $5}' | cut -d: -f1 | sort | uniq -c | sort -rn
#   sakimori  sakimori net conns --state established --top 0
#             (as root: the BPF socket iterator; and, for the record, the
#             same through sock_diag, SAKIMORI_SOCK_BPF=0, with
#             SAKIMORI_SOCK_SPLIT=1: the kernel's walk always split over
#             two threads, and =0: always one walk)
# All three count per remote address; sakimori also counts per prefix,
# per local port and per state in the same run.
set -eu
. "$(dirname "$0")/lib-netns.sh"
tmp=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$tmp"' EXIT
hold_connections "$tmp"
# the source sakimori uses here (bpf as root on a kernel with BTF)
: > "$tmp/empty.conf"
echo "source: $(SAKIMORI_CONFIG=$tmp/empty.conf "$sk" net conns --json --top 0 | jq -r 'select(.type == "total") | .source')"
echo "sockets: $(ss -Htan | wc -l) (established: $(ss -Htan state established | wc -l))"
echo "load before: $(cat /proc/loadavg)"
export SAKIMORI_CONFIG=$tmp/empty.conf
: > "$SAKIMORI_CONFIG"
# RT=1: everything (hyperfine, sakimori, the pipelines) at real-time
# priority (chrt -f 50), which approximates an idle machine on a shared one:
# the other work waits, though it still shares the caches.
rt=
[ "${RT:-0}" = 1 ] && rt="chrt -f 50"
$rt hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-json "$tmp/h.json" \
	-n sakimori "$sk net conns --state established --top 0" \
	-n split1 "env SAKIMORI_SOCK_BPF=0 SAKIMORI_SOCK_SPLIT=1 $sk net conns --state established --top 0" \
	-n split0 "env SAKIMORI_SOCK_BPF=0 SAKIMORI_SOCK_SPLIT=0 $sk net conns --state established --top 0" \
	-n ss "bash -c \"ss -Htan state established | awk '{print \\\$4}' | sed 's/:[^:]*\$//' | sort | uniq -c | sort -rn\"" \
	-n netstat "bash -c \"netstat -an | grep ESTABLISHED | awk '{print \\\$5}' | cut -d: -f1 | sort | uniq -c | sort -rn\"" \
	> "$tmp/h.txt"
# Wall-clock medians, and CPU time (user + system, mean over the runs: the
# whole pipeline's processes), which a busy shared machine disturbs less.
jq -r '.results[] | "\(.command) \(.median) \(.user + .system)"' "$tmp/h.json" | awk '
	{ m[$1] = $2; c[$1] = $3 } END {
	printf "wall median   sakimori %.1f ms   ss pipeline %.1f ms   netstat pipeline %.1f ms\n",
	    m["sakimori"] * 1000, m["ss"] * 1000, m["netstat"] * 1000
	printf "wall ratio    ss/sakimori %.1fx   netstat/sakimori %.1fx\n",
	    m["ss"] / m["sakimori"], m["netstat"] / m["sakimori"]
	printf "cpu (u+s)     sakimori %.1f ms   ss pipeline %.1f ms   netstat pipeline %.1f ms\n",
	    c["sakimori"] * 1000, c["ss"] * 1000, c["netstat"] * 1000
	printf "cpu ratio     ss/sakimori %.1fx   netstat/sakimori %.1fx\n",
	    c["ss"] / c["sakimori"], c["netstat"] / c["sakimori"]
	printf "sock_diag, split  wall %.1f ms (ss/it %.1fx, netstat/it %.1fx)   cpu %.1f ms\n",
	    m["split1"] * 1000, m["ss"] / m["split1"], m["netstat"] / m["split1"], c["split1"] * 1000
	printf "sock_diag, 1 walk wall %.1f ms (ss/it %.1fx, netstat/it %.1fx)   cpu %.1f ms\n",
	    m["split0"] * 1000, m["ss"] / m["split0"], m["netstat"] / m["split0"], c["split0"] * 1000 }'
echo "load after: $(cat /proc/loadavg)"
