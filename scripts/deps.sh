#!/bin/sh
# deps.sh - install what sakimori needs to build and test on Debian 12.
# Idempotent: installs only what is missing.  Run as root.
#   scripts/deps.sh          build dependencies
#   scripts/deps.sh test     also what the tests and benchmarks drive
# RECOMMENDS is what sakimori reads at run time when the admin turns it on
# (the OWASP Core Rule Set for "set crs yes", and libmodsecurity3 for the
# libinjection detectors its @detectSQLi/@detectXSS rules use): not needed
# to build or run, but the tests read it.  libmodsecurity-dev builds the
# comparison with ModSecurity in bench/.
set -eu

BUILD="meson ninja-build pkg-config bison gcc libc6-dev
 libssl-dev libjansson-dev libsqlite3-dev libpcre2-dev zlib1g-dev libmnl-dev
 libnftables-dev libhyperscan-dev libsystemd-dev libcap-dev libevent-dev
 libseccomp-dev libmicrohttpd-dev librrd-dev libcurl4-openssl-dev mandoc"
RECOMMENDS="modsecurity-crs libmodsecurity3"
TEST="$BUILD $RECOMMENDS libcmocka-dev clang libclang-rt-14-dev llvm python3 python3-jsonschema jq gdb
 prometheus-alertmanager
 procps sysstat util-linux e2fsprogs iproute2 nftables kmod attr libcap2-bin
 apache2 postfix rsyslog rsyslog-openssl openssl curl systemd unhide goaccess fail2ban aide pflogsumm hyperfine time net-tools strace
 bsdextrautils coreutils findutils gzip openssh-server openssh-client
 clang-format mount perl git cron tzdata smartmontools mdadm logrotate
 nagios-nrpe-server nagios-nrpe-plugin prometheus bash-completion rrdtool file libmodsecurity-dev
 dpkg-dev debhelper build-essential lintian chromium python3-websocket"

want=$BUILD
[ "${1:-}" = test ] && want=$TEST

missing=""
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how it is used; tests run their own loopback-only instance.
echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing
# The NRPE, /metrics, fleet and syslog tests start their own nrpe,
# prometheus, alertmanager and rsyslogd on free loopback ports: the
# system's services, which the packages start where they can, are not
# wanted.
for svc in nagios-nrpe-server prometheus prometheus-alertmanager rsyslog; do
	case " $missing " in
	*" $svc "*)
		if [ -d /run/systemd/system ]; then
			systemctl disable --now "$svc" >/dev/null 2>&1 || true
		else
			invoke-rc.d "$svc" stop >/dev/null 2>&1 || true
			update-rc.d "$svc" disable >/dev/null 2>&1 || true
		fi
		;;
	esac
done
