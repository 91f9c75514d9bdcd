#!/usr/bin/env bash
# sessions.sh - the sessions check against utmp files written with
# utmpdump(1) (util-linux) in a scratch root, with a real state database:
# a new user from a new address is reported, the same session again
# brings no new subject, a new address is one new session, a known user
# from a known address is nothing, a user on the allowed list is nothing
# while one off it is CRITICAL, and a session that ended is no longer
# reported.  Logins appended to wtmp since the last look that utmp no
# longer holds (in and out between two runs) are told once; the history
# before the first look is not.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || skip_all "jq is not installed"
command -v utmpdump >/dev/null || skip_all "utmpdump is not installed"

ROOT=$TMP/root
STATE=$TMP/sessions-state
mkdir -p "$ROOT/run"

# Only the sessions check, so the scratch root's missing /proc is no noise.
ALL_CHECKS=$("$SAKIMORI" config check -f "$TMP/empty.conf" |
	sed -En 's/^#   ([a-z0-9-]+) +(enabled|disabled) .*/\1/p')
check "config check lists sessions" grep -qx sessions <<<"$ALL_CHECKS"
conf() {	# conf FILE [lines]: only sessions enabled
	local f=$1 c
	shift
	{
		for c in $ALL_CHECKS; do
			[ "$c" = sessions ] || echo "check $c { disable }"
		done
		printf '%s\n' "$@"
	} > "$f"
}
conf "$TMP/s.conf"

# rec PID USER LINE ADDR TIME: one USER_PROCESS record in utmpdump's text
rec() {
	printf '[7] [%05d] [%-4.4s] [%-8s] [%-12s] [%-20s] [%-15s] [%s]\n' \
		"$1" "${3#pts}" "$2" "$3" "$4" "${4:-0.0.0.0}" "$5"
}
# utmp RECORDS...: the scratch root's utmp holds these sessions
utmp() {
	printf '%s\n' "$@" | sed '/^$/d' | utmpdump -r > "$ROOT/run/utmp" 2>/dev/null
}
# sessions [CONF]: the sessions findings of one check run, one JSON each
sessions() {
	run "$SAKIMORI" -f "${1:-$TMP/s.conf}" --state-dir "$STATE" check \
		--json --interval 0 --root "$ROOT"
	SESS=$(printf '%s\n' "$OUT" | jq -c 'select(.type=="finding" and .check=="sessions")')
	SUBJ=$(printf '%s\n' "$SESS" | jq -r '.subject // empty' | sort)
}
# new_subjects BEFORE AFTER: the subjects of AFTER not in BEFORE
new_subjects() {
	comm -13 <(printf '%s\n' "$1" | sed '/^$/d') <(printf '%s\n' "$2" | sed '/^$/d')
}

X0=$(rec 3001 xavier pts/0 192.0.2.10 2026-12-06T08:00:00,000000+00:00)
utmp "$X0"
check "the utmp file was written" test -s "$ROOT/run/utmp"

# ---- first run: a new user from a new address ----
sessions
check_eq "first run: one sessions finding" 1 "$(printf '%s\n' "$SESS" | grep -c .)"
check_eq "first run: the subject names user, line, address and login time" \
	"xavier pts/0 from 192.0.2.10 at 2026-12-06T08:00:00Z" "$SUBJ"
check_eq "first run: a WARNING" WARNING "$(jq -r .severity <<<"$SESS")"
check_eq "first run: a new user" yes "$(jq -r .evidence.new_user <<<"$SESS")"
check_eq "first run: from a new address" yes "$(jq -r .evidence.new_address <<<"$SESS")"
check_match "first run: the message says why" "first login by this user.*first login from this address" "$(jq -r .message <<<"$SESS")"
check "the state database was created" test -s "$STATE/sakimori.db"
FIRST=$SUBJ

# ---- second run, the same session: no new subject ----
sessions
check_eq "same session: no new subject" "" "$(new_subjects "$FIRST" "$SUBJ")"
check_eq "same session: still the one session while it lasts" "$FIRST" "$SUBJ"
check_eq "same session: still the first login by the user" yes "$(jq -r .evidence.new_user <<<"$SESS")"

# ---- a second session from a new address: one new finding ----
X1=$(rec 3002 xavier pts/1 198.51.100.7 2026-12-06T08:10:00,000000+00:00)
utmp "$X0" "$X1"
sessions
NEW=$(new_subjects "$FIRST" "$SUBJ")
check_eq "new address: exactly one new subject" \
	"xavier pts/1 from 198.51.100.7 at 2026-12-06T08:10:00Z" "$NEW"
N=$(printf '%s\n' "$SESS" | jq -c 'select(.subject | test("pts/1"))')
check_eq "new address: the user is known now" no "$(jq -r .evidence.new_user <<<"$N")"
check_eq "new address: the address is new" yes "$(jq -r .evidence.new_address <<<"$N")"
check_nomatch "new address: not called the user's first login" "first login by" "$(jq -r .message <<<"$N")"
BEFORE=$SUBJ

# ---- a known user from a known address: nothing new ----
X2=$(rec 3003 xavier pts/2 192.0.2.10 2026-12-06T08:20:00,000000+00:00)
utmp "$X0" "$X1" "$X2"
sessions
check_eq "known user from a known address: no new subject" "" "$(new_subjects "$BEFORE" "$SUBJ")"

# ---- the allowed list: yuki on it, xavier not ----
conf "$TMP/allow.conf" 'check sessions { users yuki }'
Y=$(rec 3004 yuki pts/3 192.0.2.10 2026-12-06T08:30:00,000000+00:00)
utmp "$Y" "$X2"
sessions "$TMP/allow.conf"
check_nomatch "a user on the allowed list: no finding" '^yuki ' "$SUBJ"
check_match "a user off the allowed list is reported" '^xavier pts/2 ' "$SUBJ"
check_eq "off the allowed list: CRITICAL" CRITICAL \
	"$(printf '%s\n' "$SESS" | jq -r 'select(.subject | startswith("xavier")) | .severity')"
check_eq "off the allowed list: said so" no \
	"$(printf '%s\n' "$SESS" | jq -r 'select(.subject | startswith("xavier")) | .evidence.user_allowed')"
check_eq "the allowed list makes the exit status CRITICAL" 2 "$RC"

# ---- the allowed prefixes: an address outside them ----
conf "$TMP/from.conf" 'check sessions { from 192.0.2.0/24 }'
utmp "$X1" "$X2"
sessions "$TMP/from.conf"
check_eq "an address outside the allowed prefixes: one finding, the outsider" \
	"xavier pts/1 from 198.51.100.7 at 2026-12-06T08:10:00Z" "$SUBJ"
check_eq "outside the allowed prefixes: CRITICAL" CRITICAL "$(jq -r .severity <<<"$SESS")"

# ---- an IPv6 address: named as such, and outside the IPv4 prefixes ----
utmp "$(rec 3006 xavier pts/4 2001:db8::5 2026-12-06T08:40:00,000000+00:00)"
sessions "$TMP/from.conf"
check_eq "IPv6: the address is utmp's" \
	"xavier pts/4 from 2001:db8::5 at 2026-12-06T08:40:00Z" "$SUBJ"
conf "$TMP/from6.conf" 'check sessions { from 192.0.2.0/24 "2001:db8::/32" }'
sessions "$TMP/from6.conf"
check_eq "IPv6: inside an allowed IPv6 prefix, a known user: no finding" "" "$SUBJ"

# ---- every session ended: nothing; a returning user is known ----
utmp ""
sessions
check_eq "nobody logged in: no sessions finding" "" "$SUBJ"
utmp "$(rec 3005 xavier pts/0 192.0.2.10 2026-12-06T09:00:00,000000+00:00)"
sessions
check_eq "a returning user from a known address: no finding" "" "$SUBJ"
check_eq "and the check is OK" 0 "$RC"

# ---- wtmp: logins that ended between two looks ----
# dead PID LINE TIME: the logout record of a line
dead() {
	printf '[8] [%05d] [%-4.4s] [%-8s] [%-12s] [%-20s] [%-15s] [%s]\n' \
		"$1" "${2#pts}" "" "$2" "" "0.0.0.0" "$3"
}
mkdir -p "$ROOT/var/log"
rec 3100 oldie pts/7 203.0.113.1 2026-01-01T00:00:00,000000+00:00 |
	utmpdump -r > "$ROOT/var/log/wtmp" 2>/dev/null
utmp ""
sessions
check_eq "wtmp's history before the first look is not news" "" "$SUBJ"
{
	rec 3101 mallory pts/8 203.0.113.66 2026-12-06T09:10:00,000000+00:00
	dead 3101 pts/8 2026-12-06T09:10:05,000000+00:00
} | utmpdump -r >> "$ROOT/var/log/wtmp" 2>/dev/null
sessions
check_eq "a login and logout since the last look: one finding" \
	"mallory pts/8 from 203.0.113.66 at 2026-12-06T09:10:00Z" "$SUBJ"
check_eq "the session is over" yes "$(jq -r .evidence.ended <<<"$SESS")"
check_eq "and was the user's first" yes "$(jq -r .evidence.new_user <<<"$SESS")"
check_match "the message says it ended" "logged out again" "$(jq -r .message <<<"$SESS")"
sessions
check_eq "an ended session is told once" "" "$SUBJ"
N0=$(rec 3102 nina pts/9 203.0.113.77 2026-12-06T09:20:00,000000+00:00)
utmp "$N0"
printf '%s\n' "$N0" | utmpdump -r >> "$ROOT/var/log/wtmp" 2>/dev/null
sessions
check_eq "a session in both utmp and wtmp: one finding" \
	"nina pts/9 from 203.0.113.77 at 2026-12-06T09:20:00Z" "$SUBJ"
check_eq "still logged in" no "$(jq -r .evidence.ended <<<"$SESS")"

done_testing
