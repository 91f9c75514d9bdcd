#!/usr/bin/env bash
# config.sh - "sakimori config check": normalised output, every error with
# file:line and exit 78, the -f / SAKIMORI_CONFIG precedence, usage errors.
. "$(dirname "$0")/lib.sh"

run "$SAKIMORI" config check
check_eq "an empty file: built-in defaults, exit 0" 0 "$RC"
check_match "the load check's default thresholds" "load +enabled +1 / 2" "$OUT"
# root's default file, which follows the build's sysconfdir
default=$("$SAKIMORI" --help | sed -n 's/^ *as root: //p')
if [ -n "$default" ] && [ ! -e "$default" ] && [ "$(id -u)" = 0 ]; then
	run env -u SAKIMORI_CONFIG "$SAKIMORI" config check
	check_eq "no file at all: built-in defaults, exit 0" 0 "$RC"
	check_match "defaults are named as such" "built-in defaults" "$OUT"
fi

run "$SAKIMORI" config check -f "$FIXTURES/conf/good.conf"
check_eq "good file: exit 0" 0 "$RC"
check_match "the include is listed" "included: .*good.d/extra.conf" "$OUT"
check_match "a one-line block is normalised into statements" "check load \{" "$OUT"
check_match "the macro is expanded" 'check process-count "apache2" \{' "$OUT"
check_match "effective per-subject threshold" '"apache2" enabled +120' "$OUT"

# The normalised output is itself a valid configuration.
printf '%s\n' "$OUT" > "$TMP/normalised.conf"
run "$SAKIMORI" config check -f "$TMP/normalised.conf"
check_eq "the normalised output parses again" 0 "$RC"

run "$SAKIMORI" config check -f "$FIXTURES/conf/bad.conf"
check_eq "bad file: exit 78" 78 "$RC"
n=$(printf '%s\n' "$ERR" | grep -c "bad.conf:[0-9]*: ")
check "every error is reported, each with file:line (got $n)" [ "$n" -ge 8 ]
for line in 3 4 5 6 7 8 9 10; do
	check_match "an error names line $line" "bad.conf:$line: " "$ERR"
done

SAKIMORI_CONFIG="$FIXTURES/conf/bad.conf" run "$SAKIMORI" config check
check_eq "SAKIMORI_CONFIG is read" 78 "$RC"
SAKIMORI_CONFIG="$FIXTURES/conf/bad.conf" run "$SAKIMORI" -f "$FIXTURES/conf/good.conf" config check
check_eq "-f wins over SAKIMORI_CONFIG" 0 "$RC"

# Includes of files that begin with a statement, a comment or a blank
# line, nested, by a glob, and on the last line without a newline.
run "$SAKIMORI" config check -f "$FIXTURES/conf/inc/main.conf"
check_eq "includes: exit 0" 0 "$RC"
check_eq "includes: no error" "" "$ERR"
for s in stmt comment blank nested nested2 after-semicolon glob-a glob-b main last; do
	check_match "includes: the block of '$s' was read" "\"$s\" enabled" "$OUT"
done
run timeout 10 "$SAKIMORI" config check -f "$FIXTURES/conf/inc/loop-a.conf"
check_eq "an include loop from the first line: exit 78, no hang" 78 "$RC"
check_match "the loop is named with file:line" "loop-b.conf:1: include loop: '.*loop-a.conf' is already being read" "$ERR"

# Values the commands refuse are refused when the file is read.
run "$SAKIMORI" config check -f "$FIXTURES/conf/values.conf"
check_eq "bad values: exit 78" 78 "$RC"
for l in "2: 'admin-networks': 'garbage'" "3: 'ssh-ports': '70000'" \
    "4: 'net-prefix-v4' must be 1..32" "5: 'block-backend' wants route or nftables" \
    "6: 'block-max-active' must be" "7: check 'load': warning 3 is above critical 2" \
    "8: 'warning' must be 0..100, not '150%'" "9: check 'fs-full-forecast': warning 3 is below critical 7"; do
	check_match "bad values: values.conf:$l" "values.conf:$l" "$ERR"
done

# An open quote hides no later error; 10,000 nested braces are named.
printf 'check memory { warning "5%% }\ncheck nosuch { }\n' > "$TMP/quote.conf"
run "$SAKIMORI" config check -f "$TMP/quote.conf"
check_match "an open quote is reported" "quote.conf:1: unterminated quoted string" "$ERR"
check_match "the next line's error too" "quote.conf:2: unknown check 'nosuch'" "$ERR"
check_nomatch "and no block is left open" "missing '\}'" "$ERR"
{ for i in $(seq 10000); do printf 'check load {\n'; done; for i in $(seq 10000); do printf '}'; done; echo; } > "$TMP/deep.conf"
run "$SAKIMORI" config check -f "$TMP/deep.conf"
check_eq "10,000 nested braces: exit 78" 78 "$RC"
check_match "the nesting is named at its line" "deep.conf:9: blocks nested more than 8 deep" "$ERR"
check_nomatch "no misleading syntax error" "syntax error|memory exhausted|unexpected" "$ERR"

run "$SAKIMORI" config check -f "$TMP/missing.conf"
check_eq "a named file that is missing is an error" 78 "$RC"
check_match "and the message names it" "missing.conf" "$ERR"

run "$SAKIMORI" config bogus
check_eq "a usage error exits 64" 64 "$RC"
run "$SAKIMORI" nosuchcommand
check_eq "an unknown command exits 64" 64 "$RC"
run "$SAKIMORI" --help
check_eq "--help exits 0" 0 "$RC"
check_match "--help lists the commands" "config" "$OUT"

done_testing
