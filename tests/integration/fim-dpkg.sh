#!/usr/bin/env bash
# fim-dpkg.sh - changes made by the package manager are reported as such,
# not as an attack: a small package built here with dpkg-deb is installed
# with the real dpkg, upgraded and reinstalled; a file of it altered by
# hand is still an alert.  No network: the .deb is local.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (dpkg -i)"
command -v dpkg-deb >/dev/null && command -v dpkg >/dev/null || skip_all "no dpkg"
command -v jq >/dev/null || skip_all "jq is not installed"

# A name of its own: several runs (other checkouts) may share this dpkg.
PKG=sakimori-fim-test-$$-$RANDOM
DEST=/opt/$PKG
dpkg -s "$PKG" >/dev/null 2>&1 && skip_all "$PKG is installed already (left by another run?)"

# dpkg waits for nobody: retry while another process holds its lock.
dpkg_do() {
	local i
	for i in $(seq 1 60); do
		if dpkg "$@" >"$TMP/dpkg.out" 2>&1; then return 0; fi
		grep -q "lock" "$TMP/dpkg.out" || { cat "$TMP/dpkg.out"; return 1; }
		sleep 1
	done
	return 1
}
cleanup "dpkg_do --purge $PKG; rm -rf '$DEST'"

build_deb() {	# build_deb VERSION TOOL-TEXT -> $TMP/$PKG_VERSION.deb
	local d=$TMP/build-$1
	mkdir -p "$d/DEBIAN" "$d$DEST/bin" "$d$DEST/share"
	printf '#!/bin/sh\necho "%s"\n' "$2" > "$d$DEST/bin/tool"
	chmod 755 "$d$DEST/bin/tool"
	echo "data that stays the same" > "$d$DEST/share/data"
	# A library named by its version, as upgrades rename them: 1.0 ships
	# libx.so.1.0, 1.1 ships libx.so.1.1 and no longer the old one.
	mkdir -p "$d$DEST/lib"
	printf 'library %s\n' "$1" > "$d$DEST/lib/libx.so.$1"
	cat > "$d/DEBIAN/control" <<EOF
Package: $PKG
Version: $1
Architecture: all
Maintainer: sakimori tests <root@localhost>
Description: test package for sakimori fim
EOF
	(cd "$d" && find opt -type f -exec md5sum {} + > DEBIAN/md5sums)
	dpkg-deb --root-owner-group -b "$d" "$TMP/${PKG}_$1.deb" >/dev/null
}
build_deb 1.0 "version one"
build_deb 1.1 "version one point one"

check "install version 1.0 with dpkg" dpkg_do -i "$TMP/${PKG}_1.0.deb"
mkdir -p "$SAKIMORI_STATE_DIR"
"$SAKIMORI" fim keygen >/dev/null
run "$SAKIMORI" fim init "$DEST"
check_eq "init" 0 "$RC"
sleep 1 # dpkg's log has one-second stamps: the upgrade comes after

check "upgrade to 1.1 with dpkg" dpkg_do -i "$TMP/${PKG}_1.1.deb"
run "$SAKIMORI" fim check --json
check_eq "after an upgrade: exit 0 (nothing unexplained)" 0 "$RC"
# A change is a finding of check fim about the path, its class and the
# package that explains it in the evidence.
cls() { printf '%s\n' "$OUT" | jq -r --arg p "$1" 'select(.type == "finding" and .check == "fim" and .subject == $p) | "\(.evidence.class) \(.evidence.package)"'; }
check_eq "the upgraded program is the package manager's change" "package $PKG" "$(cls "$DEST/bin/tool")"
check_eq "the library the upgrade dropped: removed by the package manager" "package $PKG" "$(cls "$DEST/lib/libx.so.1.0")"
check_eq "  and its JSON says it is gone" "removed" \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$DEST/lib/libx.so.1.0" 'select(.subject == $p) | .evidence.status')"
check_eq "the library the upgrade added: the package manager's" "package $PKG" "$(cls "$DEST/lib/libx.so.1.1")"
check_match "  with its hash among the changes" "hash" \
	"$(printf '%s\n' "$OUT" | jq -r --arg p "$DEST/bin/tool" 'select(.subject == $p) | .evidence.attributes')"
run "$SAKIMORI" fim check
check_match "text output names the package" "OK +package +$DEST/bin/tool \(package $PKG\)" "$OUT"

# A reinstall (same version) rewrites every file: explained as well.
"$SAKIMORI" fim update >/dev/null
sleep 1
check "reinstall 1.1 with dpkg" dpkg_do -i "$TMP/${PKG}_1.1.deb"
run "$SAKIMORI" fim check --json
check_eq "after a reinstall: exit 0" 0 "$RC"
check_eq "the reinstalled data file: the package manager's change" "package $PKG" "$(cls "$DEST/share/data")"

# A file of the package altered by hand is an alert.
printf '#!/bin/sh\necho "trojan"\n' > "$DEST/bin/tool"
run "$SAKIMORI" fim check --json
check_eq "a hand-altered package file: exit 2" 2 "$RC"
check_eq "reported as a changed program, not the package's" "changed-program null" "$(cls "$DEST/bin/tool")"
check_eq "while the untouched file stays explained" "package $PKG" "$(cls "$DEST/share/data")"

# A package's file deleted by hand, with no upgrade since: an alert, even
# though its package is known (the baseline recorded it).
"$SAKIMORI" fim update >/dev/null
check "the baseline records the owning package" \
	grep -q " $PKG\$" "$SAKIMORI_STATE_DIR/fim/baseline"
rm "$DEST/share/data"
run "$SAKIMORI" fim check --json
check_eq "a package file deleted by hand: exit 1 (a warning)" 1 "$RC"
check_eq "reported as removed, not the package's" "removed null" "$(cls "$DEST/share/data")"

done_testing
