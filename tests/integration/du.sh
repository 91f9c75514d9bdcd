#!/usr/bin/env bash
# du.sh - "sakimori du": the largest directories and files of a tree made
# here agree with du -x (bytes) line for line; hard links count once,
# symbolic links are not followed, sparse files show apparent vs
# allocated, -x stays on one filesystem, bad paths are refused.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq not installed"

d=$TMP/tree
mkdir -p "$d/b/e" "$d/g"
head -c 1048576 /dev/urandom > "$d/a"
head -c 3145728 /dev/urandom > "$d/b/c"
head -c 2097152 /dev/urandom > "$d/b/e/f"
head -c 524288 /dev/urandom > "$d/g/h"
ln "$d/b/c" "$d/b/c2"
ln -s /usr "$d/s"
truncate -s 100M "$d/sparse"
sync

run "$SAKIMORI" du --json --top 4 "$d"
check_eq "exit 0" 0 "$RC"
# Every directory sakimori lists has du's size for it (one walk, bytes).
du -x -B1 "$d" > "$TMP/du.out"
n=0
while IFS=$'\t' read -r size path; do
	n=$((n + 1))
	ours=$(printf '%s\n' "$OUT" | jq -r --arg p "$path" 'select(.type=="du.dir" and .path==$p).alloc_bytes')
	[ -n "$ours" ] || continue
	check_eq "$(basename "$path"): allocated size as du" "$size" "$ours"
done < "$TMP/du.out"
check_eq "the four largest directories, largest first" \
	"$d $d/b $d/b/e $d/g" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.dir").path' | tr '\n' ' ' | sed 's/ $//')"
check_eq "total as du -s" "$(du -sx -B1 "$d" | cut -f1)" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.total").alloc_bytes')"
check_eq "largest file by allocation: b/c (the hard link counted once)" \
	"$d/b/c 3145728" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.file") | "\(.path) \(.apparent_bytes)"' | head -1 | sed "s|c2 |c |")"
check_eq "one hard link skipped" 1 "$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.total").hardlinks_skipped')"
check_nomatch "the symbolic link is not followed" '"path":"[^"]*/s/' "$OUT"
check_eq "apparent total includes the sparse file" \
	"$(du -sx -B1 --apparent-size "$d" | cut -f1)" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.total").apparent_bytes')"

run "$SAKIMORI" du --json --apparent --top 1 "$d"
check_eq "by apparent size the sparse file is first" "$d/sparse" \
	"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.file").path')"
check "with (almost) nothing allocated" [ "$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.file").alloc_bytes')" -lt 65536 ]

run "$SAKIMORI" du --top 2 --threads 1 --human "$d"
check_match "table: sizes and paths" "3\.0 MiB +3\.0 MiB +$d/b/c" "$OUT"
check_match "a total line" "Total .* files in 4 directories" "$OUT"
run "$SAKIMORI" du --top 2 --threads 1 "$d"
check_match "in a pipe, sizes in bytes" "(^| )3145728 +3145728 +$d/b/c" "$OUT"

# -x: a tmpfs mounted inside the tree.
if [ "$(id -u)" = 0 ] && mkdir "$d/mnt" && mount -t tmpfs -o size=16m none "$d/mnt" 2>/dev/null; then
	cleanup "umount $d/mnt"
	head -c 8388608 /dev/zero > "$d/mnt/big"
	run "$SAKIMORI" du --json --top 1 -x "$d"
	check_nomatch "-x: the tmpfs file is not counted" "mnt/big" "$OUT"
	check_eq "-x: total as du -sx" "$(du -sx -B1 "$d" | cut -f1)" \
		"$(printf '%s\n' "$OUT" | jq -r 'select(.type=="du.total").alloc_bytes')"
	run "$SAKIMORI" du --json --top 1 "$d"
	check_match "without -x it is" '"path":"[^"]*/mnt/big"' "$OUT"
	umount "$d/mnt"
fi

run "$SAKIMORI" du "$TMP/nonexistent"
check_eq "a missing path: exit 66" 66 "$RC"
check_match "named with the reason" "nonexistent.*No such file" "$ERR"
run "$SAKIMORI" du "$d/a"
check_match "a file is not a directory" "not a directory" "$ERR"
# A root that cannot be listed (mode 000, read as nobody): an error, not a
# tree with one unreadable entry.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	pub=$(mktemp -d /tmp/sakimori-du.XXXXXX)
	cleanup "rm -rf '$pub'"
	chmod 755 "$pub"
	mkdir -m 000 "$pub/shut"
	run setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    env SAKIMORI_CONFIG=/dev/null SAKIMORI_STATE_DIR="$pub/state" \
	    "$SAKIMORI" du "$pub/shut"
	check_eq "an unreadable root (nobody): exit 66" 66 "$RC"
	check_match "an unreadable root: named with the reason" "shut'?: Permission denied" "$ERR"
fi
run "$SAKIMORI" du --top 0 "$d"
check_eq "--top 0 is a usage error" 64 "$RC"

# A file name with a terminal escape is printed escaped.
touch "$d/$(printf 'evil\033[2J')"
run "$SAKIMORI" du --top 100 "$d"
check_nomatch "no raw escape reaches the terminal" $'\033' "$OUT"
check_match "it is shown as \\x1b" 'evil\\x1b\[2J' "$OUT"

done_testing
