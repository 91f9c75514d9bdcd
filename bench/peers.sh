#!/bin/sh
# peers.sh - install the Debian packages of the peers a benchmark runs
# beside sakimori, when they are missing, and keep their system services
# stopped and disabled: the benchmark starts its own instances.
#   bench/peers.sh PACKAGE...   (as root)
# The service of each package is named as the package (netdata,
# prometheus-node-exporter).
set -eu
missing=$(for p in "$@"; do
	dpkg-query -W -f='${db:Status-Status}' "$p" 2> /dev/null |
		grep -qx installed || echo "$p"
done)
[ -n "$missing" ] || exit 0
[ "$(id -u)" = 0 ] || {
	echo "peers.sh: missing packages:" $missing "(run as root to install)" >&2
	exit 77
}
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
# invoke-rc.d and update-rc.d speak to systemd where it runs.
for svc in $missing; do
	invoke-rc.d "$svc" stop > /dev/null 2>&1 || true
	update-rc.d "$svc" disable > /dev/null 2>&1 || true
done
