#!/bin/bash
# statedir.sh - root's state directory against a local attacker (the user
# nobody): a state directory that another user can write to or owns is
# refused (exit 77), a symbolic link inside it is never followed, one on
# its path is resolved, the trusted fim key is recorded and a changed one
# refused, a damaged state file is reported without its content, and an
# untraversable HOME does not make the default configuration fatal.
. "$(dirname "$0")/lib.sh"

chmod a+x "$TMP"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
S=$TMP/st
T=$TMP/tree
mkdir -p "$T"
cp /bin/true "$T/prog"
F() { "$SAKIMORI" fim --state-dir "$S" "$@"; }

# A world-writable state directory, and one owned by another user.
mkdir -m 0777 "$TMP/ww"
run "$SAKIMORI" fim status --state-dir "$TMP/ww"
check_eq "a world-writable state directory is refused (77)" 77 "$RC"
check_match "...saying why" "unsafe state directory: '$TMP/ww' is writable by others \(mode 0777\)" "$ERR"
run "$SAKIMORI" net bans --state-dir "$TMP/ww"
check_eq "...by every command (net bans)" 77 "$RC"
check "...which wrote nothing into it" test ! -e "$TMP/ww/sakimori.db"
run "$SAKIMORI" fim status --nagios --state-dir "$TMP/ww"
check_eq "...with --nagios: UNKNOWN" 3 "$RC"
check_match "...in one line on stdout, under the command's service name" "^SAKIMORI FIM UNKNOWN - unsafe state directory" "$OUT"
mkdir -m 0700 "$TMP/theirs"
chown 65534:65534 "$TMP/theirs"
run "$SAKIMORI" net bans --state-dir "$TMP/theirs"
check_eq "a state directory owned by another user is refused (77)" 77 "$RC"
check_match "...saying whose" "'$TMP/theirs' is owned by uid 65534, not root" "$ERR"
mkdir -m 0777 "$TMP/wwparent"
run "$SAKIMORI" net bans --state-dir "$TMP/wwparent/state"
check_eq "a world-writable directory on the path is refused" 77 "$RC"
mkdir -m 1777 "$TMP/sticky"
run "$SAKIMORI" net bans --state-dir "$TMP/sticky/state"
check_eq "a root-owned sticky directory (as /tmp) on the path is fine" 0 "$RC"
check_eq "...and the state directory is made 0700" 700 "$(stat -c %a "$TMP/sticky/state")"

# The attack: nobody replaces STATE/fim of a world-writable state directory
# with a baseline and key of their own, made after a program was trojaned.
mkdir -m 0777 "$S"
run F keygen
check_eq "keygen in a world-writable state directory is refused" 77 "$RC"
chmod 0700 "$S"
run F keygen
run F init "$T"
check_eq "init in root's own state directory" 0 "$RC"
chmod 0777 "$S"
printf 'trojan' >> "$T/prog"
"${NOBODY[@]}" mv "$S/fim" "$S/fim.root"
"${NOBODY[@]}" mv "$S/fim-trusted-key" "$S/pin.root"
run "${NOBODY[@]}" env SAKIMORI_STATE_DIR="$S" "$SAKIMORI" fim keygen
run "${NOBODY[@]}" env SAKIMORI_STATE_DIR="$S" "$SAKIMORI" fim init "$T"
check_eq "(the attacker made a baseline of their own)" 0 "$RC"
run F check "$T"
check_nomatch "root's check does not say 'no changes' about the attacker's baseline" "no changes" "$OUT"
check_eq "...it refuses the state directory (77)" 77 "$RC"
rm -rf "$S/fim" "$S/fim-trusted-key"
mv "$S/fim.root" "$S/fim"
mv "$S/pin.root" "$S/fim-trusted-key"
chmod 0700 "$S"
# STATE/fim of the attacker's own, in a state directory of root's.
mkdir -m 0755 "$S/fim.x"
chown 65534:65534 "$S/fim.x"
mv "$S/fim" "$S/fim.root"
mv "$S/fim.x" "$S/fim"
run F check "$T"
check_eq "a STATE/fim owned by another user is refused (77)" 77 "$RC"
check_match "...saying so" "'$S/fim' is owned by uid 65534" "$ERR"
rmdir "$S/fim"
mv "$S/fim.root" "$S/fim"
run F check "$T"
check_eq "root's own baseline sees the trojan (critical)" 2 "$RC"

# The trusted public key is recorded: a deleted fim.pub does not fall back
# to the key beside a baseline elsewhere; a replaced one is refused.
cp /bin/true "$T/prog"
B=$TMP/media
run F init --baseline "$B" "$T"
check_eq "init to another baseline directory" 0 "$RC"
check "the trusted key is recorded, root's alone" \
    test "$(stat -c '%a %U' "$S/fim-trusted-key")" = "600 root"
mv "$S/fim/fim.pub" "$TMP/fim.pub.saved"
printf 'trojan' >> "$T/prog"
"$SAKIMORI" fim keygen --key "$TMP/evil.key" --pubkey "$TMP/evil.pub" >/dev/null
"$SAKIMORI" fim init --state-dir "$TMP/evilstate" --key "$TMP/evil.key" \
    --pubkey "$TMP/evil.pub" --baseline "$TMP/evilb" "$T" >/dev/null
cp "$TMP/evilb/baseline" "$TMP/evilb/baseline.sig" "$B/"
cp "$TMP/evil.pub" "$B/fim.pub"
run F check --baseline "$B" "$T"
check_eq "fim.pub deleted, a foreign key beside the baseline: refused (critical)" 2 "$RC"
check_match "...saying the trusted key is missing" "CRITICAL: .*is not the trusted key SHA256:[0-9a-f]{64} \('$S/fim/fim.pub' is missing\)" "$ERR"
check_nomatch "...never 'no changes'" "no changes" "$OUT"
cp "$TMP/evil.pub" "$S/fim/fim.pub"
run F check --baseline "$B" "$T"
check_eq "fim.pub replaced by another key: refused (critical)" 2 "$RC"
check_match "...saying it is not the trusted key" "CRITICAL: .*is not the trusted key SHA256:[0-9a-f]{64}; give --pubkey" "$ERR"
run F check --pubkey "$TMP/evil.pub" --baseline "$B" "$T"
check_eq "...accepted when --pubkey names the new key" 0 "$RC"
run F check --baseline "$B" "$T"
check_eq "...for that run only" 2 "$RC"
cp "$TMP/fim.pub.saved" "$S/fim/fim.pub"
F keygen --key "$TMP/new.key" --pubkey "$TMP/new.pub" >/dev/null
cp "$TMP/new.pub" "$S/fim/fim.pub"
run F init --key "$TMP/new.key" "$T"
check_eq "a key replaced in place: init refused without --pubkey" 2 "$RC"
run F init --force --key "$TMP/new.key" --pubkey "$S/fim/fim.pub" "$T"
check_eq "...and done with --pubkey naming it" 0 "$RC"
run F check "$T"
check_eq "...which records it as the trusted key" 0 "$RC"

# Symbolic links inside the state directory are not followed.
mv "$S/fim/fim.pub" "$TMP/fim.pub.moved"
ln -s "$TMP/fim.pub.moved" "$S/fim/fim.pub"
run F check "$T"
check_eq "a STATE/fim/fim.pub symbolic link (to the right key) is refused" 2 "$RC"
check_match "...saying why" "fim.pub': a symbolic link, not followed" "$ERR"
rm "$S/fim/fim.pub"
mv "$TMP/fim.pub.moved" "$S/fim/fim.pub"
mkdir -m 0700 "$TMP/elsewhere"
ln -s "$TMP/elsewhere" "$S/logs"
echo "line" > "$TMP/app.log"
run timeout 120 "$SAKIMORI" logs follow --state-dir "$S" --name sl --poll 0.1 \
    --lines-to "$TMP/lines" "$TMP/app.log"
check "a STATE/logs symbolic link: follow refuses" test "$RC" -ne 0 -a "$RC" -ne 124
check_match "...saying why" "'$S/logs' is not a directory \(a symbolic link is not followed" "$ERR"
check_eq "...and writes no bookmark where it leads" "" "$(ls -A "$TMP/elsewhere")"
rm "$S/logs"
ln -s "$TMP/elsewhere/x.db" "$S/sakimori.db"
run "$SAKIMORI" net bans --state-dir "$S"
check "a STATE/sakimori.db symbolic link is not opened" test "$RC" -ne 0
check_match "...saying so" "sakimori.db' is a symbolic link: not followed" "$ERR"
check "...nor created where it leads" test ! -e "$TMP/elsewhere/x.db"
rm "$S/sakimori.db"

# A symbolic link on the path is resolved once: the database works and
# lives where the link leads.
mkdir -p "$TMP/real"
ln -s "$TMP/real" "$TMP/link"
run "$SAKIMORI" net bans --state-dir "$TMP/link/state"
check_eq "a state directory behind a symbolic link works" 0 "$RC"
check_nomatch "...no 'unable to open database file'" "unable to open" "$ERR"
check "...the database is a real one, where the link leads" \
    test -s "$TMP/real/state/sakimori.db"

# A damaged state file is reported without repeating what it holds.
S2=$TMP/st2
mkdir -m 0700 "$S2"
printf '{"schema": SECRET-STATE-CONTENT\n' > "$S2/inventory.json"
run "$SAKIMORI" check --json --state-dir "$S2"
check_match "a damaged inventory.json is reported" "inventory.json' is corrupt: not JSON" "$OUT"
check_nomatch "...without its content (stdout)" "SECRET" "$OUT"
check_nomatch "...without its content (stderr)" "SECRET" "$ERR"
printf 'SECRET-PIN-CONTENT\n' > "$S/fim-trusted-key"
run F check "$T"
check_eq "a damaged record of the trusted key: refused (critical)" 2 "$RC"
check_match "...reported" "fim-trusted-key' is damaged" "$ERR"
check_nomatch "...without its content" "SECRET" "$ERR$OUT"
printf '{"schema": 99, "services": []}\n' > "$S2/inventory.json"
run "$SAKIMORI" check --json --state-dir "$S2"
check_match "an inventory of a newer schema is refused" "inventory schema 99 is newer than this sakimori reads" "$OUT"
check_match "...and kept as it is" '"schema": 99' "$(cat "$S2/inventory.json")"

# The default configuration under a HOME this user cannot enter.
mkdir -m 0700 "$TMP/home"
run "${NOBODY[@]}" env -u SAKIMORI_CONFIG HOME="$TMP/home" \
    SAKIMORI_STATE_DIR="$TMP/nb-state" "$SAKIMORI" config check
check_eq "a default configuration under an untraversable HOME: not fatal" 0 "$RC"
check_nomatch "...no 'Permission denied'" "Permission denied" "$ERR"

done_testing
