#!/usr/bin/env bash
# alert_exec.sh - the exec alert action runs a real program: as the
# configured user (its uid and groups asserted from inside), with the event
# as one JSON line on stdin, its arguments as given (no shell), killed
# (with what it started) at its timeout, its exit status printed and in the
# audit log; root is refused unless allowed; two programs run at once
# rather than one after the other.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root to switch users"
command -v python3 >/dev/null || skip_all "python3 is not installed"
id nobody >/dev/null 2>&1 || skip_all "no user nobody"

NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)
mkdir -p "$TMP/bin" "$TMP/out"
chmod 755 "$TMP" "$TMP/bin"
chown nobody "$TMP/out"
AUDIT=$SAKIMORI_STATE_DIR/audit.log

# The program: records who it runs as, its arguments, environment and
# stdin; exits with $EXIT_WITH (its first argument).
cat > "$TMP/bin/record" <<EOF
#!/bin/sh
out=$TMP/out
id -u > "\$out/uid"; id -g > "\$out/gid"; id -G > "\$out/groups"
printf '%s\n' "\$@" > "\$out/args"
env > "\$out/env"
pwd > "\$out/cwd"
cat > "\$out/stdin"
echo "stdout-of-the-program"
exit "\$1"
EOF
chmod 755 "$TMP/bin/record"

cat > "$TMP/a.conf" <<EOF
alert exec pager { command "$TMP/bin/record" "0" "\$(touch $TMP/pwned)" "a;b"; user nobody; timeout 10s }
EOF
run "$SAKIMORI" -f "$TMP/a.conf" alert test --check load --severity warning --subject $'cpu\nX'
check_eq "alert test exits 0 (the program exited 0)" 0 "$RC"
check_match "the outcome names the program and user" "^ok +pager \($TMP/bin/record as nobody\): ok: exit status 0" "$OUT"
check_eq "it ran as nobody's uid" "$NOBODY_UID" "$(cat "$TMP/out/uid")"
check_eq "with nobody's group" "$NOBODY_GID" "$(cat "$TMP/out/gid")"
check_nomatch "without root's group" '(^| )0( |$)' "$(cat "$TMP/out/groups")"
check_eq "its arguments as given, no shell" "0|\$(touch $TMP/pwned)|a;b" "$(paste -sd'|' "$TMP/out/args")"
check "no shell ran the \$(...)" [ ! -e "$TMP/pwned" ]
check_eq "in /" "/" "$(cat "$TMP/out/cwd")"
check_eq "stdin is one line" 1 "$(wc -l < "$TMP/out/stdin")"
J=$TMP/out/stdin
jf() { python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$J" "$1"; }
check_eq "JSON type" alert "$(jf 'e["type"]')"
check_eq "JSON event" open "$(jf 'e["event"]')"
check_eq "JSON check" load "$(jf 'e["check"]')"
check_eq "JSON severity" WARNING "$(jf 'e["severity"]')"
check_eq "JSON subject keeps the newline as data" "'cpu\\nX'" "$(jf 'repr(e["subject"])')"
check_match "JSON message" "a test of the alert actions" "$(jf 'e["message"]')"
check_eq "JSON evidence" yes "$(jf 'e["evidence"]["test"]')"
check_match "JSON time" '^20[0-9][0-9]-' "$(jf 'e["time"]')"
check_match "JSON problem id" '^[0-9]+$' "$(jf 'e["problem"]')"
E=$(cat "$TMP/out/env")
check_match "environment: SAKIMORI_EVENT" "^SAKIMORI_EVENT=open$" "$E"
check_match "environment: SAKIMORI_CHECK" "^SAKIMORI_CHECK=load$" "$E"
check_nomatch "environment: not the caller's" "^SAKIMORI_STATE_DIR=" "$E"
check_match "environment: HOME=/" "^HOME=/$" "$E"
check_nomatch "its stdout goes to /dev/null, not ours" "stdout-of-the-program" "$OUT"
A=$(grep '"action":"alert-exec"' "$AUDIT")
check_match "started: audited" '"who":"alert:pager".*"result":"started pid [0-9]+"' "$A"
check_match "its exit status: audited" '"who":"alert:pager".*"result":"ok: exit status 0"' "$A"

# A failing program: its status printed, audited, exit 69.
cat > "$TMP/f.conf" <<EOF
alert exec { command "$TMP/bin/record" "3" }
EOF
run "$SAKIMORI" -f "$TMP/f.conf" alert test
check_eq "a program that exits 3: alert test exits 69" 69 "$RC"
check_match "FAILED with its exit status" "^FAILED +exec#1 .*exit status 3" "$OUT"
check_match "exit status 3 is in the audit log" '"action":"alert-exec".*"result":"failed: exit status 3"' "$(cat "$AUDIT")"

# A program that hangs is stopped at its timeout, what it started too.
cat > "$TMP/bin/hang" <<EOF
#!/bin/sh
sleep 300 &
echo \$! > $TMP/out/child
wait
EOF
chmod 755 "$TMP/bin/hang"
printf 'alert exec { command "%s"; timeout 1s }\n' "$TMP/bin/hang" > "$TMP/h.conf"
T0=$(date +%s.%N)
run "$SAKIMORI" -f "$TMP/h.conf" alert test
T1=$(date +%s.%N)
check_eq "a hanging program: exit 69" 69 "$RC"
check_match "killed at its timeout with SIGTERM" "killed after its 1s timeout \(signal 15" "$OUT"
check "stopped within 3 s" python3 -c "import sys; sys.exit(not $T1 - $T0 < 3)"
C=$(cat "$TMP/out/child")
# Gone, or a zombie that this sandbox's init has not reaped yet.
S=$(sed 's/.*) //' "/proc/$C/stat" 2>/dev/null | cut -d' ' -f1)
check "what it started is gone too (pid $C, state '${S:-gone}')" [ -z "$S" -o "$S" = Z ]
check_match "the timeout is in the audit log" '"result":"failed: killed after its 1s timeout' "$(cat "$AUDIT")"

# One that ignores SIGTERM gets SIGKILL.
cat > "$TMP/bin/stubborn" <<'EOF'
#!/bin/sh
trap '' TERM
while :; do sleep 0.1; done
EOF
chmod 755 "$TMP/bin/stubborn"
printf 'alert exec { command "%s"; timeout 1s }\n' "$TMP/bin/stubborn" > "$TMP/s.conf"
run "$SAKIMORI" -f "$TMP/s.conf" alert test
check_match "one that ignores SIGTERM is killed (signal 9)" "killed after its 1s timeout \(signal 9" "$OUT"

# Root only when allowed.
printf 'alert exec { command "%s" "0"; user root }\n' "$TMP/bin/record" > "$TMP/r.conf"
run "$SAKIMORI" -f "$TMP/r.conf" alert test
check_eq "user root without allow-root: exit 78" 78 "$RC"
check_match "the error says why" "as root.*allow-root yes" "$ERR"
printf 'alert exec { command "%s" "0"; user root; allow-root yes }\n' "$TMP/bin/record" > "$TMP/r2.conf"
chmod 777 "$TMP/out"
run "$SAKIMORI" -f "$TMP/r2.conf" alert test
check_eq "with allow-root yes it runs" 0 "$RC"
check_eq "as root" 0 "$(cat "$TMP/out/uid")"
printf 'alert exec { command "%s"; user no-such-user-xyz }\n' "$TMP/bin/record" > "$TMP/u.conf"
run "$SAKIMORI" -f "$TMP/u.conf" alert test
check_eq "an unknown user: exit 78" 78 "$RC"
check_match "the error names the user" "no user 'no-such-user-xyz'" "$ERR"
printf 'alert exec { command "%s/bin/missing" }\n' "$TMP" > "$TMP/m.conf"
run "$SAKIMORI" -f "$TMP/m.conf" alert test
check_eq "a missing program: exit 69" 69 "$RC"
check_match "the error names it" "cannot run '$TMP/bin/missing': No such file" "$OUT"

# Programs run side by side: starting one does not wait for another.
cat > "$TMP/bin/slow" <<'EOF'
#!/bin/sh
sleep 2
EOF
chmod 755 "$TMP/bin/slow"
{
	printf 'alert exec one { command "%s" }\n' "$TMP/bin/slow"
	printf 'alert exec two { command "%s" }\n' "$TMP/bin/slow"
	printf 'alert exec three { command "%s" }\n' "$TMP/bin/slow"
} > "$TMP/p.conf"
T0=$(date +%s.%N)
run "$SAKIMORI" -f "$TMP/p.conf" alert test
T1=$(date +%s.%N)
check_eq "three 2 s programs: all ok" 3 "$(printf '%s\n' "$OUT" | grep -c '^ok')"
check "they ran at once: under 4 s in all, not 6" python3 -c "import sys; sys.exit(not $T1 - $T0 < 4)"

done_testing
