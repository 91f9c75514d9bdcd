#!/usr/bin/env bash
# auth.sh - "sakimori logs scan --analyzers auth" on authentication logs:
# one JSON record per failure with its fields, the findings (brute force
# CRITICAL, a login after failures CRITICAL), the table summary, the
# malformed lines named by number, and a gzip'd log read the same.
. "$(dirname "$0")/lib.sh"

jq_ok() { printf '%s\n' "$OUT" | jq -e -s "$1" >/dev/null; }
L=$TMP/auth.log
for i in $(seq 10 34); do
	echo "Dec  6 10:00:$i web1 sshd[1$i]: Failed password for invalid user u$((i % 6)) from 203.0.113.40 port 4$i ssh2"
done > "$L"
echo "Dec  6 10:01:00 web1 sshd[200]: Accepted password for root from 203.0.113.40 port 5000 ssh2" >> "$L"
echo "Dec  6 10:01:01 web1 sudo:   alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh" >> "$L"
echo "Dec  6 10:01:02 web1 sshd[201]: Invalid user bob from " >> "$L"

run "$SAKIMORI" --json logs scan --analyzers auth "$L"
check_eq "exit 2: critical findings" 2 "$RC"
check "26 failure records, one per failed line" \
    jq_ok '[.[] | select(.type == "auth.event" and (.event|test("^(sshd|sudo)\\.")))] | length == 26'
check "a record has type, file, line, address, user, service, time" \
    jq_ok '[.[] | select(.type=="auth.event" and .event=="sshd.invalid-user-password")][0] | .line == 1 and .address == "203.0.113.40" and .user == "u4" and .service == "sshd" and (.time|test("^20[0-9-]+T10:00:10")) and (.file|endswith("auth.log"))'
check "sudo's failure is local: no address, the user" \
    jq_ok '[.[] | select(.type=="auth.event" and .event=="sudo.incorrect-password")][0] | .address == "" and .user == "alice" and .line == 27'
check "brute force: CRITICAL for the address, with the lines" \
    jq_ok '[.[] | select(.type=="finding" and .check=="auth-brute-force")][0] | .severity == "CRITICAL" and .subject == "203.0.113.40" and .evidence.failures == 25 and (.evidence.lines|endswith(":1-25"))'
check "user enumeration: 6 names" \
    jq_ok '[.[] | select(.type=="finding" and .check=="auth-user-enumeration")][0] | .evidence.users == 6'
check "the login after the failures: CRITICAL, with its line" \
    jq_ok '[.[] | select(.type=="finding" and .check=="auth-success-after-failures")][0] | .severity == "CRITICAL" and .evidence.user == "root" and (.evidence.login|endswith(":26"))'
check "the unreadable line is counted with its number" \
    jq_ok '[.[] | select(.type=="auth.summary")][0] | .malformed == 1 and .malformed_lines == [28] and .failures == 26 and .successes == 1'

run "$SAKIMORI" logs scan --analyzers auth "$L"
check_match "table: the summary" "Authentication: 26 failures from 1 addresses, 1 local, 1 logins" "$OUT"
check_match "table: the malformed line" "1 malformed authentication lines: 28" "$OUT"
check_match "table: the address first" "203\.0\.113\.40 +25 +25 +6" "$OUT"

gzip -c "$L" > "$L.gz"
run "$SAKIMORI" --json logs scan --analyzers auth "$L.gz"
check "gzip'd: the same records" \
    jq_ok '[.[] | select(.type == "auth.event" and (.event|test("^(sshd|sudo)\\.")))] | length == 26'

run "$SAKIMORI" logs scan --analyzers auth "$FIXTURES/logs/README.md"
check_nomatch "a file with nothing about logins: no summary" "Authentication:" "$OUT"

done_testing
