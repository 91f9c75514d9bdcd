#!/usr/bin/env bash
# fim.sh - "sakimori fim" on a temporary tree: each kind of tampering is
# reported with its class and attributes, an untouched tree reports
# nothing, a check leaves access times alone (strictatime ext4 image),
# altered or foreign baselines are refused, a baseline on a read-only
# mount is used, a signed baseline is replaced only with --force (which
# keeps it as baseline.prev), and awkward files (unreadable, changing, looping links,
# names with newlines and invalid UTF-8) neither stop nor fool it.
. "$(dirname "$0")/lib.sh"

command -v jq >/dev/null || skip_all "jq is not installed"
[ "$(id -u)" = 0 ] || skip_all "needs root (chown, setcap, mounts)"

T=$TMP/tree
W=$T/www
mkdir -p "$T/usr/bin" "$T/etc" "$W" "$SAKIMORI_STATE_DIR"
cat > "$TMP/fim.conf" <<EOF
check fim { webroots "$W"; workers 2; nice 0 }
EOF
export SAKIMORI_CONFIG="$TMP/fim.conf"
F() { "$SAKIMORI" fim "$@"; }

# The tree: programs, configuration, a web root, links.
head -c 20000 /dev/urandom > "$T/usr/bin/prog1"
head -c 30000 /dev/urandom > "$T/usr/bin/prog2"
cp /bin/true "$T/usr/bin/capme"
chmod 755 "$T/usr/bin/prog1" "$T/usr/bin/prog2"
echo "setting=1" > "$T/etc/mode.conf"
echo "owned" > "$T/etc/owned"
echo "data" > "$T/etc/data"
echo "gone" > "$T/etc/gone"
ln -s data "$T/etc/link"
echo "<html>welcome</html>" > "$W/index.html"
ln -s loop2 "$T/etc/loop1"
ln -s loop1 "$T/etc/loop2"
ln -s .. "$T/etc/up"
mkfifo "$T/etc/fifo"
weird=$'bad\nname\xff.txt'
echo "x" > "$T/etc/$weird"

# check --daily runs the integrity check: without a baseline it says
# nothing, unless "check fim { enable }" asks for it (then UNKNOWN).
fimf() { jq -c 'select(.type == "finding" and .check == "fim")'; }
run "$SAKIMORI" check --daily --json --interval 0
check_eq "check --daily without a baseline: no fim finding" "" "$(printf '%s\n' "$OUT" | fimf)"
echo "check fim { enable }" > "$TMP/enabled.conf"
run "$SAKIMORI" -f "$TMP/enabled.conf" check --daily --json --interval 0
check_match "...enabled in the configuration: UNKNOWN, saying how to make one" \
	'"severity":"UNKNOWN".*fim init' "$(printf '%s\n' "$OUT" | fimf)"

run F keygen
check_eq "keygen exits 0" 0 "$RC"
check "keygen writes a private key readable by root only" \
	test "$(stat -c %a "$SAKIMORI_STATE_DIR/fim/fim.key")" = 600
run F init "$T"
check_eq "init exits 0" 0 "$RC"
check "the baseline and its signature are written" \
	test -s "$SAKIMORI_STATE_DIR/fim/baseline" -a -s "$SAKIMORI_STATE_DIR/fim/baseline.sig"
check_match "the baseline names its format and fields" \
	"^sakimori-fim-baseline 1$" "$(head -1 "$SAKIMORI_STATE_DIR/fim/baseline")"
check_match "symlink loops are recorded, not followed" \
	"/etc/loop1 l 0777 .* loop2 " "$(cat "$SAKIMORI_STATE_DIR/fim/baseline")"

# A signed baseline is replaced only with --force, which keeps it as
# baseline.prev and baseline.sig.prev: a baseline that verifies.
FD=$SAKIMORI_STATE_DIR/fim
cp "$FD/baseline" "$TMP/baseline.first"
cp "$FD/baseline.sig" "$TMP/baseline.sig.first"
sleep 1 # a new baseline says when it was made: it differs
run F init "$T"
check_eq "init over a signed baseline is refused (73)" 73 "$RC"
check_match "...saying so and how to replace it" \
	"a signed baseline exists already in '$FD'; --force replaces it, keeping it as baseline.prev" "$ERR"
check "...and leaves the baseline as it was" cmp -s "$FD/baseline" "$TMP/baseline.first"
check "...with no backup made" test ! -e "$FD/baseline.prev"
run F init --nagios "$T"
check_match "...with --nagios: one UNKNOWN line" "^SAKIMORI FIM UNKNOWN - .*--force replaces it" "$OUT"
check_eq "...exit 3" 3 "$RC"
run F init --force "$T"
check_eq "init --force replaces it" 0 "$RC"
check "...keeping the previous baseline as baseline.prev" cmp -s "$FD/baseline.prev" "$TMP/baseline.first"
check "...and its signature as baseline.sig.prev" cmp -s "$FD/baseline.sig.prev" "$TMP/baseline.sig.first"
check "...the new baseline is another" bash -c "! cmp -s '$FD/baseline' '$TMP/baseline.first'"
mkdir "$TMP/restored"
cp "$FD/baseline.prev" "$TMP/restored/baseline"
cp "$FD/baseline.sig.prev" "$TMP/restored/baseline.sig"
run F verify --baseline "$TMP/restored"
check_eq "the backup, put back in place, verifies" 0 "$RC"
cp "$FD/baseline" "$TMP/baseline.second"
sleep 1
run F init --force "$T"
check "a second --force keeps the baseline it replaces (one backup)" \
	cmp -s "$FD/baseline.prev" "$TMP/baseline.second"

# Progress: on a terminal (script(1) gives one), never otherwise.
run F init --baseline "$TMP/b-progress" "$T"
check_eq "no terminal: nothing on standard error" "" "$ERR"
if command -v script >/dev/null; then
	out=$(script -qec "'$SAKIMORI' fim init --force --baseline '$TMP/b-progress' '$T'" /dev/null 2>&1)
	check_match "on a terminal: files, bytes and rate" "[0-9]+ files, [0-9.]+ [KMG]?i?B, [0-9.]+ [KMG]?i?B/s" "$out"
fi

run F check
check_eq "untouched tree: exit 0" 0 "$RC"
check_match "untouched tree: no changes" "^no changes since" "$OUT"
run F check --json
check_eq "untouched tree, JSON: no change objects" "" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type == "finding" and .check == "fim") | .subject')"

# A read-only copy of the baseline (kept on read-only media) is used as it is.
mkdir -p "$TMP/media" "$TMP/ro"
run F export "$TMP/media"
check_eq "export exits 0" 0 "$RC"
check "export writes baseline, signature and public key" \
	test -s "$TMP/media/baseline" -a -s "$TMP/media/baseline.sig" -a -s "$TMP/media/fim.pub"
if mount --bind "$TMP/media" "$TMP/ro" 2>/dev/null; then
	cleanup "umount '$TMP/ro'"
	mount -o remount,bind,ro "$TMP/ro"
	check "the media is read-only" bash -c "! touch '$TMP/ro/x' 2>/dev/null"
	run F check --baseline "$TMP/ro"
	check_eq "a baseline on a read-only mount is used" 0 "$RC"
	check_match "and finds no changes" "^no changes" "$OUT"
else
	not_ok "bind mount for the read-only baseline" "mount --bind failed"
fi

# Refusals: one byte altered; signed by another key; truncated.
cp -r "$TMP/media" "$TMP/altered"
sed -i '0,/ 0755 0 0 20000 /s// 0755 0 0 20001 /' "$TMP/altered/baseline"
run F check --baseline "$TMP/altered"
check_eq "a baseline altered by one byte is refused (exit 2)" 2 "$RC"
check_match "saying it was altered" "refusing the baseline .*altered after it was signed" "$ERR"
run F keygen --key "$TMP/other.key" --pubkey "$TMP/other.pub"
run F init --key "$TMP/other.key" --pubkey "$TMP/other.pub" --baseline "$TMP/foreign" "$T"
check_eq "init with another key" 0 "$RC"
run F check --baseline "$TMP/foreign"
check_eq "a baseline signed by another key is refused" 2 "$RC"
check_match "saying so, with both fingerprints" "signed by another key \(SHA256:[0-9a-f]{64}\), not by the trusted public key .*SHA256:" "$ERR"
cp -r "$TMP/media" "$TMP/truncated"
head -c 1000 "$TMP/media/baseline" > "$TMP/truncated/baseline"
run F check --baseline "$TMP/truncated"
check_eq "a truncated baseline is refused" 2 "$RC"
check_match "saying it is truncated" "truncated" "$ERR"
run F verify --baseline "$TMP/altered"
check_eq "verify refuses the altered baseline too" 2 "$RC"
run F verify
check_eq "verify accepts the good one" 0 "$RC"
check_match "verify names the key" "signature: good, key .*fim.pub \(SHA256:" "$OUT"

# Access times: a check on a strictatime file system reads every file
# and must leave their access times as they were.
IMG=$TMP/atime.img
M=$TMP/atime
mkdir -p "$M"
mounted=
if truncate -s 16M "$IMG" && mkfs.ext4 -q -F "$IMG" 2>/dev/null &&
	mount -o loop,strictatime "$IMG" "$M" 2>/dev/null; then
	mounted=ext4
elif mount -t tmpfs -o strictatime,size=16m tmpfs "$M" 2>/dev/null; then
	mounted=tmpfs
fi
if [ -n "$mounted" ]; then
	cleanup "umount '$M'"
	mkdir -p "$M/d"
	for i in 1 2 3; do head -c 100000 /dev/urandom > "$M/d/f$i"; done
	ln -s f1 "$M/d/l1"
	echo ctl > "$M/control"
	touch -a -d "2020-01-01 00:00:00" "$M/d/f1" "$M/d/f2" "$M/d/f3" "$M/control" "$M/d"
	touch -h -a -d "2020-01-01 00:00:00" "$M/d/l1"
	cat "$M/control" >/dev/null
	check "control: reading a file on this $mounted mount changes its atime" \
		test "$(stat -c %X "$M/control")" != "$(date -d '2020-01-01 00:00:00' +%s)"
	# named one by one: a glob would read (and so touch) the directory
	atimes() { stat -c '%n %X' "$M/d" "$M/d/f1" "$M/d/f2" "$M/d/f3"; }
	before=$(atimes)
	run F init --baseline "$TMP/b-atime" "$M"
	check_eq "init on the $mounted mount" 0 "$RC"
	# init reads the link once; %x: in nanoseconds, as the file system
	# keeps it
	link_after_init=$(stat -c '%n %x' "$M"/d/l1)
	run F check --baseline "$TMP/b-atime" "$M"
	check_eq "check on the $mounted mount: no changes" 0 "$RC"
	check_eq "init and check left the access times of files and directories unchanged ($mounted, strictatime)" \
		"$before" "$(atimes)"
	check_eq "check left the symbolic link's access time unchanged (its target taken from the baseline)" \
		"$link_after_init" "$(stat -c '%n %x' "$M"/d/l1)"
	run F check --atime --baseline "$TMP/b-atime" "$M"
	check_eq "compared with --atime too, nothing changed" 0 "$RC"
	readlink "$M/d/l1" >/dev/null
	check "control: reading the link on this $mounted mount changes its atime" \
		test "$(stat -c '%n %x' "$M"/d/l1)" != "$link_after_init"
	ln -sfn f2 "$M/d/l1"
	run F check --json --baseline "$TMP/b-atime" "$M"
	check_match "a link re-made to another target is still seen" '"old_target":"f1","new_target":"f2"' "$OUT"
else
	not_ok "a strictatime mount for the access time test" "neither a loop ext4 nor a tmpfs mount worked"
fi

# Now tamper with the tree, once for each class.
cp -p "$T/usr/bin/prog1" "$TMP/ref"
printf 'EVIL' | dd of="$T/usr/bin/prog1" bs=1 seek=100 conv=notrunc 2>/dev/null
touch -r "$TMP/ref" "$T/usr/bin/prog1"          # content changed, mtime restored
chmod 600 "$T/etc/mode.conf"                    # mode change
chown 1234:1234 "$T/etc/owned"                  # owner change
cp /bin/true "$T/usr/bin/newsuid" && chmod 4755 "$T/usr/bin/newsuid"
head -c 30000 /dev/urandom > "$TMP/prog2.new" && chmod 755 "$TMP/prog2.new"
mv "$TMP/prog2.new" "$T/usr/bin/prog2"          # replaced, same size
ln "$T/etc/data" "$T/etc/data.hardlink"         # a hard link
ln -sfn owned "$T/etc/link"                     # symlink retargeted
rm "$T/etc/gone"                                # removed
cp /bin/true "$W/sh.exe" && chmod 644 "$W/sh.exe" # the IIS attack's copy of cmd.exe
echo "<html>hacked</html>" > "$W/index.html"    # defacement
echo "y" > "$T/etc/$weird"
capok=
if command -v setcap >/dev/null && setcap cap_net_raw+ep "$T/usr/bin/capme" 2>/dev/null; then
	capok=1
fi

run F check --json
check_eq "tampered tree: exit 2 (critical)" 2 "$RC"
J=$OUT
run "$SAKIMORI" check --daily --json --interval 0
check_match "check --daily reports the tampered program (CRITICAL, changed-program)" \
	'"severity":"CRITICAL".*"class":"changed-program"' \
	"$(printf '%s\n' "$OUT" | jq -c --arg p "$T/usr/bin/prog1" 'select(.check == "fim" and .subject == $p)')"
check_eq "...and exits CRITICAL" 2 "$RC"
run F check --nagios
check_eq "fim check --nagios: CRITICAL" 2 "$RC"
check_match "...a status line from the report, the counts as performance data" \
	"^SAKIMORI FIM CRITICAL - CRITICAL: .*\| critical=[1-9][0-9]*;;;0; warning=[1-9]" "$(printf '%s\n' "$OUT" | head -1)"
check_match "...then each change on a line of its own (long output)" \
	"^CRITICAL: fim $T/usr/bin/prog1: program changed: $T/usr/bin/prog1 " "$OUT"
# A change is a finding of check fim about the path; its evidence holds
# the class, the attributes shown and their old_NAME and new_NAME values.
fim() { jq -c --arg p "$1" 'select(.type == "finding" and .check == "fim" and .subject == $p)'; }
cls() { printf '%s\n' "$J" | fim "$1" | jq -r '.evidence.class'; }
keys() { printf '%s\n' "$J" | fim "$1" | jq -r '.evidence.attributes | split(",") | sort | join(",")'; }
val() { printf '%s\n' "$J" | fim "$1" | jq -r --arg k "$2" '.evidence | "\(.["old_" + $k])->\(.["new_" + $k])"'; }

check_eq "content change with mtime restored: a changed program" changed-program "$(cls "$T/usr/bin/prog1")"
check_match "  its hash changed, its mtime did not" "^ctime,hash$" "$(keys "$T/usr/bin/prog1")"
check_eq "mode change: class" changed "$(cls "$T/etc/mode.conf")"
check_eq "mode change: old and new mode" "0644->0600" "$(val "$T/etc/mode.conf" mode)"
check_eq "owner change: class" changed "$(cls "$T/etc/owned")"
check_eq "owner change: uid" "0->1234" "$(val "$T/etc/owned" uid)"
check_eq "owner change: gid" "0->1234" "$(val "$T/etc/owned" gid)"
check_eq "new setuid file" new-setuid "$(cls "$T/usr/bin/newsuid")"
check_eq "  its mode is shown" "null->4755" "$(val "$T/usr/bin/newsuid" mode)"
check_eq "replaced binary of the same size: a changed program" changed-program "$(cls "$T/usr/bin/prog2")"
check_match "  hash and inode changed, size did not" "hash.*inode" "$(keys "$T/usr/bin/prog2")"
check_nomatch "  (size is not among the changes)" "size" "$(keys "$T/usr/bin/prog2")"
check_eq "hard link: the new name is added" added "$(cls "$T/etc/data.hardlink")"
check_eq "hard link: the old name's link count" "1->2" "$(val "$T/etc/data" links)"
check_eq "symlink retargeted: class" changed "$(cls "$T/etc/link")"
check_eq "symlink retargeted: target" "data->owned" "$(val "$T/etc/link" target)"
check_eq "removed file" removed "$(cls "$T/etc/gone")"
check_eq "new executable in the web root" web-executable "$(cls "$W/sh.exe")"
check_eq "changed page in the web root" web-page-changed "$(cls "$W/index.html")"
if [ -n "$capok" ]; then
	check_eq "capability added with setcap" capabilities "$(cls "$T/usr/bin/capme")"
	check_match "  the caps attribute, old empty, new set" "^->01000002" "$(val "$T/usr/bin/capme" caps)"
else
	echo "# setcap unavailable: capability case not run"
fi
check_eq "loops and special files are left alone" "" \
	"$(printf '%s\n' "$J" | jq -r 'select(.type == "finding" and .check == "fim") | .subject' | grep -E 'loop|/up$|fifo')"

# Names with a newline and invalid UTF-8 are escaped.
run F check
check_match "text output escapes a newline and invalid UTF-8" 'bad\\x0aname\\xff\.txt' "$OUT"
n=$(printf '%s\n' "$OUT" | grep -c 'name\\xff' || true)
check_eq "and keeps the name on one line" 1 "$n"
check_match "JSON keeps the newline escaped and the byte as \\\\xNN" 'bad\\nname\\\\xff' "$J"
check_match "text output shows old and new values" "mode +0644 -> 0600" "$OUT"

# update accepts the present state.
run F update
check_eq "update exits 0" 0 "$RC"
run F check
check_eq "after update the tree is clean" 0 "$RC"

# Without configured web roots, the document roots of the Apache
# configuration are the web roots (here a configuration under --root).
A=$TMP/aroot
mkdir -p "$A/etc/apache2" "$TMP/site" "$TMP/vhost"
echo "<html>main</html>" > "$TMP/site/index.html"
echo "<html>vhost</html>" > "$TMP/vhost/index.html"
cat > "$A/etc/apache2/apache2.conf" <<EOF
ServerRoot "/etc/apache2"
DocumentRoot "$TMP/site"
<VirtualHost *:80>
	DocumentRoot "$TMP/vhost"
</VirtualHost>
EOF
AP() { SAKIMORI_CONFIG="$TMP/empty.conf" "$SAKIMORI" --root "$A" fim "$@"; }
run AP init --baseline "$TMP/b-apache" "$TMP/site" "$TMP/vhost"
check_eq "init with Apache's document roots" 0 "$RC"
cp /bin/true "$TMP/vhost/sh.exe"
echo "<html>defaced</html>" > "$TMP/site/index.html"
run AP check --json --baseline "$TMP/b-apache"
check_eq "a new program in a virtual host's document root" web-executable \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$TMP/vhost/sh.exe" 'select(.subject == $p) | .evidence.class')"
check_eq "a changed page in the main document root" web-page-changed \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$TMP/site/index.html" 'select(.subject == $p) | .evidence.class')"

# Unreadable files (as an unprivileged user) are reported, not fatal.
U=$TMP/user
mkdir -p "$U/tree/sub" "$U/state"
echo a > "$U/tree/a"; echo b > "$U/tree/b"; echo c > "$U/tree/sub/c"
chmod -R a+rX "$U"; chown -R 65534:65534 "$U/state"
chmod a+x "$TMP"
NB() { setpriv --reuid=65534 --regid=65534 --clear-groups env SAKIMORI_STATE_DIR="$U/state" "$SAKIMORI" fim "$@"; }
run NB keygen
run NB init "$U/tree"
check_eq "unprivileged init" 0 "$RC"
chmod 000 "$U/tree/b" "$U/tree/sub"
run NB check --json
check_eq "unreadable files: a warning, not a failure" 1 "$RC"
check_eq "the unreadable file is reported as such" unreadable \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$U/tree/b" 'select(.subject == $p) | .evidence.class')"
check_match "with the reason" "Permission denied" "$(printf '%s\n' "$OUT" | jq -r --arg p "$U/tree/b" 'select(.subject == $p) | .evidence.error')"
check_eq "the readable file beside it is not reported" "" \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$U/tree/a" 'select(.subject == $p) | .evidence.class')"
check_eq "the unreadable directory is reported as such" unreadable \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$U/tree/sub" 'select(.subject == $p) | .evidence.class')"

# A file that changes size while it is read is read again, then marked.
G=$TMP/grow
mkdir -p "$G"
head -c 8000000 /dev/zero > "$G/busy"
( while :; do printf 'more data\n' >> "$G/busy"; done ) &
writer=$!
cleanup "kill $writer"
run F init --json --baseline "$TMP/b-grow" "$G"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
check_eq "init over a growing file exits 0" 0 "$RC"
s=$(printf '%s\n' "$OUT" | jq -r 'select(.type == "fim.summary") | "\(.rescans) \(.unstable)"')
check_match "the growing file was rescanned (rescans unstable: $s)" "^[1-9]" "$s"
# The flags column, found by its name in the self-describing header.
flag=$(awk '$1 == "fields" { for (i = 2; i <= NF; i++) if ($i == "flags") col = i - 1 }
	/\/busy f / { print $col }' "$TMP/b-grow/baseline")
if [ "${s#* }" -gt 0 ]; then
	check_eq "still changing after the rescans: recorded as unstable" s "$flag"
else
	check_eq "settled during a rescan: recorded with its digest" h "$flag"
fi

run F bogus
check_eq "an unknown fim subcommand is a usage error" 64 "$RC"
run F check relative/path
check_eq "relative paths are refused" 64 "$RC"

# On a terminal (script(1) gives one), init and check show files, bytes,
# rate and the time left: check from its baseline, init from the earlier
# baseline's byte count.  A sparse file takes a second or so to hash.
if command -v script >/dev/null; then
	E=$TMP/eta
	mkdir -p "$E"
	truncate -s 1G "$E/sparse"
	run F init --baseline "$TMP/b-eta" "$E"
	check_eq "init of the big sparse file" 0 "$RC"
	check "the baseline header says how many bytes it hashed" \
		grep -q '^bytes 1073741824$' "$TMP/b-eta/baseline"
	tty_out=$(script -qec "$SAKIMORI fim init --force --baseline $TMP/b-eta $E" /dev/null | tr '\r' '\n')
	check_match "init on a terminal: files, bytes, rate, time left" \
		"[0-9]+ files, [0-9.]+ [KMG]?i?B, [0-9.]+ [KMG]?i?B/s, about [0-9dhms]+ left" "$tty_out"
	tty_out=$(script -qec "$SAKIMORI fim check --baseline $TMP/b-eta" /dev/null | tr '\r' '\n')
	check_match "check on a terminal: time left" "about .* left" "$tty_out"
	run F check --baseline "$TMP/b-eta"
	check "not on a terminal: no progress lines" sh -c '! printf "%s" "$1" | grep -q "left"' _ "$ERR"
fi

done_testing
