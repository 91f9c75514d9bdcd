#!/bin/bash
# deb.sh - build the Debian package from a clean copy of the tree, check it
# with lintian, install it and run the installed program.
#   scripts/deb.sh build OUTDIR    the .deb (and build log) in OUTDIR
#   scripts/deb.sh lintian OUTDIR  lintian at warning level: no E: or W:
#   scripts/deb.sh install OUTDIR  apt-get install the .deb, run
#                                  'sakimori check' from it, purge it
# Needs dpkg-dev, debhelper, lintian and the build dependencies
# (scripts/deps.sh test).  The copy holds only the tree's files (tracked or
# not ignored), never its build directories.
set -u
cd "$(dirname "$0")/.."
src=$PWD

build() {
	local out=$1 copy
	mkdir -p "$out"
	copy=$(mktemp -d "${TMPDIR:-/tmp}/sakimori-deb.XXXXXX")
	trap 'rm -rf "$copy"' RETURN
	mkdir "$copy/sakimori"
	if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
		git -C "$src" ls-files -z -co --exclude-standard |
		    tar -C "$src" --null -T - -cf - | tar -C "$copy/sakimori" -xf -
	else
		tar -C "$src" --exclude='./build*' --exclude=./.fuzz-out \
		    -cf - . | tar -C "$copy/sakimori" -xf -
	fi
	# Bounded: a hung build must not hold CI.
	if ! (cd "$copy/sakimori" && timeout 1500 nice dpkg-buildpackage \
	        -us -uc -b -j2) >"$out/build.log" 2>&1; then
		tail -40 "$out/build.log" >&2
		echo "deb.sh: dpkg-buildpackage failed (log: $out/build.log)" >&2
		return 1
	fi
	mv "$copy"/*.deb "$copy"/*.buildinfo "$copy"/*.changes "$out/"
	ls "$out"/sakimori_*.deb
}

deb_of() {
	local d
	d=$(ls "$1"/sakimori_*_*.deb 2>/dev/null | grep -v dbgsym | head -1)
	[ -n "$d" ] || { echo "deb.sh: no package in $1" >&2; return 1; }
	echo "$d"
}

lint() {
	local deb out
	deb=$(deb_of "$1") || return 1
	out=$(lintian --allow-root --fail-on error,warning --display-level '>=warning' \
	    "$deb" 2>&1)
	local rc=$?
	[ -z "$out" ] || printf '%s\n' "$out"
	return $rc
}

install_run() {
	local deb rc
	deb=$(deb_of "$1") || return 1
	export DEBIAN_FRONTEND=noninteractive
	apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
	    --no-install-recommends "$(realpath "$deb")" >"$1/install.log" 2>&1 ||
	    { cat "$1/install.log" >&2; return 1; }
	rc=0
	# The machine's own state (/var/lib/sakimori) is left alone.
	SAKIMORI_STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sakimori-debstate.XXXXXX")
	export SAKIMORI_STATE_DIR
	# want DESCRIPTION COMMAND...: one requirement of the installed package
	want() {
		"${@:2}" >/dev/null 2>&1 || { echo "deb.sh: not so: $1" >&2; rc=1; }
	}
	want "the program is /usr/sbin/sakimori" test -x /usr/sbin/sakimori
	want "the configuration is a conffile" sh -c \
	    "dpkg-query -W -f='\${Conffiles}' sakimori | grep -q ' /etc/sakimori/sakimori.conf '"
	want "the state directory is root's, mode 0700" \
	    test "$(stat -c '%U %a' /var/lib/sakimori)" = "root 700"
	want "the daily unit and timer are installed" \
	    test -f /lib/systemd/system/sakimori-daily.timer
	want "the cron file is installed" test -f /etc/cron.d/sakimori
	want "the logrotate snippet is installed" test -f /etc/logrotate.d/sakimori
	want "the man pages are installed" test -f /usr/share/man/man8/sakimori.8.gz
	want "the attack rules are installed" test -d /usr/share/sakimori/rules
	want "the installed configuration is valid" /usr/sbin/sakimori config check
	# check reports what this machine has: a Nagios status, never an error
	/usr/sbin/sakimori check --interval 0
	[ $? -le 3 ] || { echo "deb.sh: sakimori check failed" >&2; rc=1; }
	want "check --nagios prints a status line" sh -c \
	    "/usr/sbin/sakimori check --nagios --interval 0 load | grep -Eq '^SAKIMORI (OK|WARNING|CRITICAL) - '"
	dpkg --purge sakimori >>"$1/install.log" 2>&1 || rc=1
	rm -rf "$SAKIMORI_STATE_DIR"
	return $rc
}

case "${1:-}" in
build) build "${2:?OUTDIR}" ;;
lintian) lint "${2:?OUTDIR}" ;;
install) install_run "${2:?OUTDIR}" ;;
*)
	echo "usage: scripts/deb.sh build|lintian|install OUTDIR" >&2
	exit 64
	;;
esac
