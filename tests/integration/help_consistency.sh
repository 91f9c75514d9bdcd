#!/usr/bin/env bash
# help_consistency.sh - every command's --help, sakimori(8), sakimori.conf(5)
# and the binary agree: options named are accepted, options accepted are
# named in the help and the manual, every check is described in
# 'check --help' and sakimori.conf(5), every SAKIMORI_* variable read is in
# ENVIRONMENT (help_consistency.py says how); and nothing a user reads
# speaks of the project's own documents or development machine.
. "$(dirname "$0")/lib.sh"

export SAKIMORI_RUN_DIR="$TMP/run"
mkdir -p "$SAKIMORI_RUN_DIR"
while IFS=$'\t' read -r verdict desc detail; do
	case $verdict in
	ok) ok "$desc" ;;
	"not ok") not_ok "$desc" "$detail" ;;
	end) [ "$desc" = 0 ] || not_ok "help_consistency.py ran to its end" "exit $desc" ;;
	*) not_ok "help_consistency.py printed '$verdict $desc'" ;;
	esac
done < <(python3 "$SRCDIR/tests/integration/help_consistency.py"; echo "end	$?")

# Nothing a user reads (the manual pages, README, the shipped configuration
# and units, the package's description, the binary's messages) speaks of
# the project's own documents, issues or development machine.
project_words="\bseed'?s\b|\bthe seed\b|seed[-_ ]map|\bissue ?#?[0-9]+|\bthe issue\b|\bissue's\b|\bISSUE[0-9]*\.md|\bDESIGN\.md|\b(?-i:BRIEF)\b|\bworktree|\bworkplace\b|\bhelper session|\b(?-i:S[0-9]{1,2})\b|\blinux [0-9]+\.[0-9]+ here\b|\b(this|our|the development|the test|the build) (vm|machine|box)\b|\bdevelopment (vm|machine)\b|\bfirecracker guest\b"
# The pattern finds what it is for.
for s in "the seed's default" "as SEED-MAP says" "see issue 23" "step S13" \
    "Linux 6.18 here" "on this VM"; do
	check "the wording check finds \"$s\"" \
	    grep -qiP -- "$project_words" <<< "$s"
done
user_files=()
for f in "$SRCDIR"/docs/* "$SRCDIR"/README.md "$SRCDIR"/debian/control; do
	case ${f##*/} in
	ARCHITECTURE.md | CODING.md | meson.build) ;; # for developers
	*) [ -f "$f" ] && user_files+=("$f") ;;
	esac
done
while IFS= read -r f; do user_files+=("$f"); done < <(find "$SRCDIR/etc" -type f ! -name meson.build)
found=$(grep -HniP -- "$project_words" "${user_files[@]}")
check_eq "no wording about the project's documents or machine in ${#user_files[@]} files" "" "$found"
# The binary's text: strings with a space (messages, help), not symbols.
found=$(strings -n 6 "$SAKIMORI" | grep ' ' | grep -iP -- "$project_words")
check_eq "...nor in the binary's messages and help" "" "$found"
done_testing
