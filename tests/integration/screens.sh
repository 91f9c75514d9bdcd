#!/usr/bin/env bash
# screens.sh - the human screens of status, ps, check, inventory and disk at
# 80 columns, from a fixture tree, are the expected ones in
# tests/fixtures/screens/ and no line is wider than 80 columns; on a
# pseudo-terminal the tables fit its width, sizes are in IEC units, colour
# is there unless NO_COLOR is set, and check's table is the one a pipe gets.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "needs root (a tmpfs mount for a fixed filesystem)"

export LC_ALL=C.UTF-8 TZ=UTC
EXP=$FIXTURES/screens

# The modern /proc tree, its one filesystem a small empty tmpfs (statvfs of
# a real disk would change from run to run) with a mount point too long
# for the screen.
cp -a "$FIXTURES/proc/modern" "$TMP/fx"
MNT=/srv/www/a-long-directory-for-the-virtual-hosts-of-the-shop
mkdir -p "$TMP/fx$MNT"
mount -t tmpfs -o size=64m,nr_inodes=4096 tmpfs "$TMP/fx$MNT" ||
	skip_all "cannot mount a tmpfs"
cleanup umount "$TMP/fx$MNT"
printf '%s\n' '21 26 0:20 / /proc rw,relatime - proc proc rw' \
	"50 1 0:90 / $MNT rw,relatime - tmpfs tmpfs rw,size=65536k" \
	> "$TMP/fx/proc/self/mountinfo"
printf 'set hostname web1\n' > "$TMP/web1.conf"

# widest FILE: the widest line in display columns
widest() { python3 -c 'import sys; print(max((len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")), default=0))' "$1"; }

# screen NAME COMMAND...: the command's output at COLUMNS=80, with what
# changes from run to run (the clock, this machine's name and kernel)
# replaced, against $EXP/NAME.txt.
screen() {
	local name=$1 w
	shift
	COLUMNS=80 "$@" > "$TMP/$name.raw" 2> "$TMP/$name.err"
	sed -E -e "s/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  up/YYYY-MM-DD hh:mm  up/" \
		-e "s/ $(uname -r | cut -c1-3 | sed 's/[.]/[.]/g')[^ ]*…/ KERNEL…/" \
		-e 's/^[^ ]+ \(.*\): Linux, kernel .*/HOST (OS): Linux, kernel KERNEL/' \
		-e 's/, virtualisation .*/, virtualisation VIRT/' \
		"$TMP/$name.raw" > "$TMP/$name.txt"
	if [ "${SCREENS_UPDATE:-}" = 1 ]; then cp "$TMP/$name.txt" "$EXP/$name.txt"; fi
	if diff -u "$EXP/$name.txt" "$TMP/$name.txt" > "$TMP/$name.diff"; then
		ok "$name: the expected screen"
	else
		not_ok "$name: the expected screen" "$(cat "$TMP/$name.diff" "$TMP/$name.err")"
	fi
	w=$(widest "$TMP/$name.raw")
	check "$name: no line wider than 80 columns ($w)" [ "$w" -le 80 ]
}

S=$SAKIMORI
screen status $S status --root "$TMP/fx" -f "$TMP/web1.conf" --interval 0 --human
check "status: one 80x24 screen ($(wc -l < "$TMP/status.raw") lines)" \
	[ "$(wc -l < "$TMP/status.raw")" -le 24 ]
screen ps $S ps --root "$TMP/fx" --human
screen check $S check --root "$TMP/fx" load memory swap-activity fs-blocks fs-inodes sessions
# inventory names the host by uname: web1 in a UTS namespace of its own
if unshare --uts true 2>/dev/null; then
	screen inventory unshare --uts sh -c 'hostname web1 && exec "$@"' sh \
		$S inventory --root "$TMP/fx" --no-save
else
	echo "# SKIP inventory screen: no UTS namespace"
fi
screen disk $S disk --root "$TMP/fx" --no-kernel-log --human

# The same commands with --wide: nothing cut, so longer lines.
COLUMNS=80 $S ps --root "$TMP/fx" --human --wide > "$TMP/wide.txt"
check_match "--wide: the whole command line" '/usr/sbin/apache2 -k start$' "$(cat "$TMP/wide.txt")"
check "--wide: wider than 80 columns" [ "$(widest "$TMP/wide.txt")" -gt 80 ]
COLUMNS=80 LC_ALL=C $S ps --root "$TMP/fx" > "$TMP/c.txt"
check_match "without a UTF-8 locale the cut ends in '...'" ' /usr/sbin/\.\.\.$' "$(cat "$TMP/c.txt")"
check_match "in a pipe, sizes in bytes" ' 47505408 +15237120 ' "$(cat "$TMP/c.txt")"
COLUMNS=80 $S status --root "$TMP/fx" --interval 0 --full > "$TMP/full.txt"
check_match "status --full: the users table" '^USER +TTY +FROM' "$(cat "$TMP/full.txt")"
check "status --full: more than a screen" [ "$(wc -l < "$TMP/full.txt")" -gt 24 ]

# ---- a pseudo-terminal ----
# pty COLS NO_COLOR COMMAND...: the output on a terminal COLS wide (NO_COLOR
# empty: unset); COLUMNS is not set, so the width is the terminal's.
pty() {
	python3 - "$@" <<'PY'
import fcntl, os, pty, struct, sys, termios
cols, nocolor, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop("COLUMNS", None)
    os.environ.pop("NO_COLOR", None)
    if nocolor:
        os.environ["NO_COLOR"] = nocolor
    os.environ["TERM"] = "xterm"
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, cols, 0, 0))
    os.execv(argv[0], argv)
out = b""
while True:
    try:
        b = os.read(fd, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace").replace("\r\n", "\n"))
PY
}

P=$(pty 60 "" "$S" check --root "$TMP/fx" -f "$TMP/empty.conf" load sessions)
w=$(printf '%s\n' "$P" | sed 's/\x1b\[[0-9;]*m//g' | python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in sys.stdin))')
check "a 60-column terminal: check's table fits ($w)" [ "$w" -le 60 ]
P=$(pty 60 "" "$S" ps --root "$TMP/fx")
check_match "on a terminal, sizes in IEC units" ' 45\.3 MiB +14\.5 MiB ' "$P"
check_match "on a terminal, a bold header" $'\x1b\\[1mUSER' "$P"
P=$(pty 60 1 "$S" ps --root "$TMP/fx")
check_nomatch "NO_COLOR: no colour on a terminal" $'\x1b' "$P"

T1=$(pty 80 "" "$S" check --root "$TMP/fx" -f "$TMP/empty.conf" load sessions)
check_match "check on a terminal: the severity in colour" $'\x1b\\[33mWARNING' "$T1"
T1=$(printf '%s\n' "$T1" | sed 's/\x1b\[[0-9;]*m//g')
T2=$(COLUMNS=80 "$S" check --root "$TMP/fx" -f "$TMP/empty.conf" load sessions)
check_eq "check: the same table on a terminal as in a pipe" "$T2" "$T1"

done_testing
