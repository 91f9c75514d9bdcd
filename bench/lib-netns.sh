# lib-netns.sh - sourced by the network benchmarks: the built sakimori
# ($sk; BUILD_DIR is the script's first argument, default build), and the
# script run again inside a network namespace of its own with loopback up.
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
sk=$here/$build/src/cli/sakimori
[ -x "$sk" ] || { echo "build first: scripts/build.sh release" >&2; exit 1; }
if [ -z "${SAKIMORI_IN_NETNS:-}" ]; then
	SAKIMORI_IN_NETNS=1 exec unshare -n bash "$0" "$@"
fi
ip link set lo up

# hold_connections DIR: 20,000 loopback connections held by four
# tests/integration/net_helper.py processes (their pids appended to the
# array pids); returns when all four say ready.
hold_connections() {
	local part i
	for part in 0 1 2 3; do
		/usr/bin/python3 "$here/tests/integration/net_helper.py" hold $part 600 > "$1/hold.$part" 2>&1 &
		pids+=($!)
	done
	for i in $(seq 1 600); do
		[ "$(cat "$1"/hold.* | grep -c '^ready')" = 4 ] && break
		sleep 0.1
	done
}
