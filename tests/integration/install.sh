#!/usr/bin/env bash
# install.sh - "meson install" puts a set of files that works together:
# the units, the cron file and the rc script call the installed binary and
# need only paths that the install made; the example configuration lies
# beside the file the installed binary reads; systemd-analyze verify
# accepts the units.  Checked for this build's prefix (meson's default,
# /usr/local, unless configured otherwise) and for a build with prefix
# /usr (what a Debian package uses: /usr/sbin, /etc).
. "$(dirname "$0")/lib.sh"
: "${SRCDIR:?SRCDIR must name the source tree}"
: "${BUILDDIR:?BUILDDIR must name the build directory}"
command -v meson >/dev/null || skip_all "meson is not installed"

# option DIR NAME: a build directory's value of a meson option
option() {
	meson introspect --buildoptions "$1" | /usr/bin/python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$2"
}
# abs PREFIX DIR: DIR under PREFIX unless absolute (meson's rule)
abs() { case $2 in /*) echo "$2" ;; *) echo "$1/$2" ;; esac; }

# check_tree LABEL BUILDDIR: installs BUILDDIR into a new DESTDIR (left in
# $D) and checks it.
check_tree() {
	local label=$1 b=$2 d prefix sbin etc units f p paths v
	d=$(mktemp -d "$TMP/destdir.XXXXXX")
	D=$d
	prefix=$(option "$b" prefix)
	sbin=$(abs "$prefix" "$(option "$b" sbindir)")
	etc=$(abs "$prefix" "$(option "$b" sysconfdir)")
	units=$prefix/lib/systemd/system
	run meson install -C "$b" --no-rebuild --destdir "$d"
	check_eq "$label: meson install succeeds" 0 "$RC"
	[ "$RC" = 0 ] || { printf '%s\n%s\n' "$OUT" "$ERR" | tail -20; return; }

	check "$label: the binary is in sbindir ($sbin)" [ -x "$d$sbin/sakimori" ]
	check "$label: the example configuration is in $etc/sakimori" \
	    [ -f "$d$etc/sakimori/sakimori.conf.example" ]
	check "$label: the agent's unit is $units/sakimori.service" \
	    [ -f "$d$units/sakimori.service" ]
	check "$label: the agent user's sysusers.d file is $prefix/lib/sysusers.d/sakimori.conf" \
	    [ -f "$d$prefix/lib/sysusers.d/sakimori.conf" ]
	if command -v systemd-sysusers >/dev/null; then
		mkdir -p "$d/sysroot/etc"
		run systemd-sysusers --dry-run --root="$d/sysroot" \
		    "$d$prefix/lib/sysusers.d/sakimori.conf"
		check_eq "$label: systemd-sysusers reads it without errors" 0 "$RC"
		check_match "$label: ...and would make the agent user _sakimori, without a login" \
		    "Creating user '_sakimori' \(sakimori unprivileged children\)" "$ERR$OUT"
		check_match "$label: ...whose shell is nologin" '/usr/sbin/nologin$' \
		    "$(cat "$d$prefix/lib/sysusers.d/sakimori.conf")"
	else
		not_ok "$label: systemd-sysusers is missing (Debian package systemd)"
	fi
	check "$label: the cron file is $etc/cron.d/sakimori" \
	    [ -f "$d$etc/cron.d/sakimori" ]
	check "$label: the logrotate snippet is $etc/logrotate.d/sakimori" \
	    [ -f "$d$etc/logrotate.d/sakimori" ]
	for f in prometheus.yml sakimori-targets.yml alertmanager.yml; do
		check "$label: the fleet's example $f is in $prefix/share/doc/sakimori/examples/fleet" \
		    cmp -s "$SRCDIR/etc/fleet/$f" "$d$prefix/share/doc/sakimori/examples/fleet/$f"
	done
	check "$label: the bash completion is in $prefix/share/bash-completion/completions" \
	    [ -f "$d$prefix/share/bash-completion/completions/sakimori" ]
	check "$label: nothing but the binary is called sakimori outside cron.d, logrotate.d and completions" \
	    [ -z "$(find "$d" -name sakimori -type f ! -path "*/cron.d/*" ! -path "*/logrotate.d/*" ! -path "*/sbin/*" ! -path "*/bash-completion/completions/*")" ]
	check_match "$label: logrotate rotates the audit log in the state directory" \
	    "^/var/lib/sakimori/audit.log \{" "$(cat "$d$etc/logrotate.d/sakimori")"
	if command -v logrotate >/dev/null; then
		run logrotate -d -s "$d/logrotate.state" "$d$etc/logrotate.d/sakimori"
		check_eq "$label: logrotate reads the snippet without errors" "0" "$RC"
		check_nomatch "$label: logrotate finds nothing to complain of" "error:" "$OUT$ERR"
	else
		not_ok "$label: logrotate is missing (Debian package logrotate)"
	fi

	# The default configuration of the installed binary is the installed one.
	run "$d$sbin/sakimori" --help
	check_match "$label: --help names $etc/sakimori/sakimori.conf as the default" \
	    "default.*$(printf '%s' "$etc/sakimori/sakimori.conf" | sed 's/[.]/[.]/g')" \
	    "$(printf '%s' "$OUT" | tr -s ' \n' '  ')"
	check_match "$label: the example names the file it is an example of" \
	    "^# $etc/sakimori/sakimori.conf " "$(head -1 "$d$etc/sakimori/sakimori.conf.example")"

	# Every absolute path of sakimori's that a unit, the cron file or the
	# rc script names was installed.
	for f in "$d$units"/sakimori*.service "$d$etc/cron.d/sakimori" \
	    "$d$etc/init.d/sakimori-net"; do
		paths=$(grep -oE '(^|[[:space:]=-])/[^[:space:]]*sakimori[^[:space:];}]*' "$f" |
		    sed -E 's/^[[:space:]=-]//' | sort -u)
		check "$label: ${f#"$d"} names sakimori's paths" [ -n "$paths" ]
		for p in $paths; do
			check "$label: ${f#"$d"}: $p is installed" [ -e "$d$p" ]
		done
	done
	v=$(grep -h '^ExecStart=' "$d$units"/sakimori*.service | sed 's/^ExecStart=//; s/ .*//' | sort -u)
	check_eq "$label: every unit starts the installed binary" "$sbin/sakimori" "$v"
	check_match "$label: the cron job runs the installed binary" \
	    "root.*$sbin/sakimori check --daily" "$(grep -v '^#' "$d$etc/cron.d/sakimori")"

	# systemd-analyze verify, with the DESTDIR as root (ExecStart= and the
	# man page of Documentation= are looked up there) and this system's
	# units beside ours for the targets they refer to.
	if ! command -v systemd-analyze >/dev/null; then
		not_ok "$label: systemd-analyze is missing (Debian package systemd)"
		return
	fi
	local root
	root=$(mktemp -d "$TMP/root.XXXXXX")
	mkdir -p "$root/usr/lib/systemd"
	cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
	cp -a "$d/." "$root/"
	run env MANPATH="$root$prefix/share/man" systemd-analyze verify \
	    --root="$root" "$root$units"/sakimori*.service "$root$units"/sakimori-*.timer
	check_eq "$label: systemd-analyze verify accepts the units" "0 " "$RC $OUT$ERR"
}

check_tree "this build" "$BUILDDIR"
D_THIS=$D

# The installed binary reads the installed configuration: in a private mount
# namespace, this build's sysconfdir is replaced by the DESTDIR's, which
# holds a configuration made from the installed example.
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	d=$D_THIS
	prefix=$(option "$BUILDDIR" prefix)
	etc=$(abs "$prefix" "$(option "$BUILDDIR" sysconfdir)")
	sbin=$(abs "$prefix" "$(option "$BUILDDIR" sbindir)")
	if [ "$etc" != /etc ] && [ -d "$etc" ]; then
		{ cat "$d$etc/sakimori/sakimori.conf.example"
		  echo 'set mail-to "install-test@example.org"'; } > "$d$etc/sakimori/sakimori.conf"
		run env -u SAKIMORI_CONFIG unshare -m --propagation private sh -c \
		    'mount --bind "$1" "$2" && exec "$3" config check' sh \
		    "$d$etc" "$etc" "$d$sbin/sakimori"
		check_eq "installed binary: config check without -f exits 0" 0 "$RC"
		check_match "installed binary: reads $etc/sakimori/sakimori.conf" \
		    "^# sakimori configuration: $etc/sakimori/sakimori.conf" "$OUT"
		check_match "installed binary: with the installed example's settings" \
		    'install-test@example.org' "$OUT"
	fi
fi

# A build with prefix /usr: /usr/sbin/sakimori, /etc/sakimori, units in
# /usr/lib/systemd/system, cron file /etc/cron.d/sakimori.
b=$TMP/build-usr
run meson setup "$b" "$SRCDIR" --prefix=/usr -Dtests=disabled -Dbuildtype=plain
check_eq "prefix /usr: meson setup succeeds" 0 "$RC"
run ninja -C "$b"
check_eq "prefix /usr: the build succeeds" 0 "$RC"
[ "$RC" = 0 ] || printf '%s\n' "$OUT" | tail -20
check_tree "prefix /usr" "$b"
check "prefix /usr: the binary is /usr/sbin/sakimori" [ -x "$D/usr/sbin/sakimori" ]
check "prefix /usr: the cron file is /etc/cron.d/sakimori" [ -f "$D/etc/cron.d/sakimori" ]
check "prefix /usr: the units are in /usr/lib/systemd/system" \
    [ -f "$D/usr/lib/systemd/system/sakimori-daily.service" ]

done_testing
