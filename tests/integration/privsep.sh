#!/bin/bash
# privsep.sh - the agent's privilege separation with real processes
# (priv_probe.c drives src/agent/child.c and priv*.c): the agent user is
# created when missing; the child runs as that user with no capability,
# no_new_privs and a seccomp filter; the root parent passes it a root-only
# log and its rotated sibling but refuses another file; a forbidden system
# call (a socket; an open for writing by a child that may open files
# read-only) kills the child with SIGSYS and a malformed message gets it killed
# by the parent, and both times it is restarted, with backoff, and the
# death logged; the same works with only the capabilities of the agent's
# systemd unit.
. "$(dirname "$0")/lib.sh"

: "${PRIV_PROBE:?PRIV_PROBE must name the built priv_probe}"
[ "$(id -u)" = 0 ] || skip_all "needs root"
command -v useradd >/dev/null || skip_all "useradd is missing"

# A user of this run only: created by the supervisor, removed at the end.
U=_skmt$$
getent passwd "$U" >/dev/null && skip_all "user '$U' exists already"
cleanup "userdel '$U'"

LOG=$TMP/logs/access.log
mkdir -m 0700 "$TMP/logs"
echo 'line one of the log' > "$LOG"
echo 'line one of the rotated log' > "$LOG.1"
echo 'a secret' > "$TMP/logs/secret"
chmod 0600 "$LOG" "$LOG.1" "$TMP/logs/secret"

run timeout 60 "$PRIV_PROBE" "$U" "$LOG" "$TMP/logs/secret"
check_eq "the probe ends well" 0 "$RC"
[ "$RC" = 0 ] || printf '# stdout:\n%s\n# stderr:\n%s\n' "$OUT" "$ERR"

# The agent user was made, as a system user without a login.
uid=$(id -u "$U" 2>/dev/null)
check_match "the missing agent user was created" '^[0-9]+$' "$uid"
[ -n "$uid" ] && check "...with a system uid (below 1000)" test "$uid" -lt 1000
check_eq "...whose shell is nologin" /usr/sbin/nologin \
	"$(getent passwd "$U" | cut -d: -f7)"
gid=$(id -g "$U" 2>/dev/null)

# What the first child says of itself.
c1() { printf '%s\n' "$OUT" | sed -n "s/^child 1: status $1[[:space:]]*//p"; }
check_eq "the child runs as the agent user (real, effective, saved, fs uid)" \
	"$uid $uid $uid $uid" "$(c1 Uid: | tr -s '\t ' '  ')"
check_eq "...in its group only" "$gid $gid $gid $gid" "$(c1 Gid: | tr -s '\t ' '  ')"
check_eq "...without supplementary groups" "" "$(c1 Groups:)"
for k in CapInh CapPrm CapEff CapBnd CapAmb; do
	check_eq "...with no capability: $k" 0000000000000000 "$(c1 $k:)"
done
check_eq "...with no_new_privs" 1 "$(c1 NoNewPrivs:)"
check_eq "...under a seccomp filter (mode 2)" 2 "$(c1 Seccomp:)"

# Descriptors from the parent.
check_match "the child reads the root-only log the parent opened" \
	"^child 1: read line one of the log$" "$OUT"
check_match "...and its rotated sibling" \
	"^child 1: read line one of the rotated log$" "$OUT"
check_match "...and is refused a file not on the list" \
	"^child 1: refused '$TMP/logs/secret' is not a followed log$" "$OUT"
check_nomatch "...whose content it never gets" "a secret" "$OUT"

# A forbidden system call: killed by the filter, logged, restarted in 1 s.
check_nomatch "socket(AF_INET) does not return in the child" \
	"was allowed" "$OUT"
check_match "the death by the filter is logged, with a restart in 1 s" \
	"child 'probe' killed by SIGSYS \(bad system call\); restarting in 1 s" "$ERR"
check_match "the restarted child reports again (as the agent user)" \
	"^child 2: status Uid:[[:space:]]+$uid" "$OUT"
check_match "...still under the filter" "^child 2: status Seccomp:[[:space:]]+2$" "$OUT"
check_match "...and still gets its log" "^child 2: read line one of the log$" "$OUT"

# A malformed message: the parent kills the child and restarts it, later.
check_match "a malformed message from the child is refused and logged" \
	"child 'probe' sent a malformed message \(message of type 6 \(fd\) not allowed from the child\); stopping it" "$ERR"
check_match "...the child is killed, and restarted after a doubled delay" \
	"child 'probe' killed by SIGKILL \(killed\); restarting in 2 s" "$ERR"
check_match "the third child reports" "^child 3: status Seccomp:[[:space:]]+2$" "$OUT"
check_match "...and ends when told" "^finished after 3 starts$" "$OUT"
pids=$(printf '%s\n' "$ERR" | sed -n "s/.*child 'probe' started, pid \([0-9]*\)$/\1/p" | sort -u | wc -l)
check_eq "three processes were started" 3 "$pids"

# A role that may open files read-only (a reader of /proc): it may, but
# not for writing.
check_match "a reader child opens a file read-only itself" \
	"^child reader: opened /proc/self/stat read-only$" "$OUT"
check_nomatch "...but cannot open one for writing" "for writing" "$OUT"
check_match "...the filter kills it when it tries" \
	"child 'reader' killed by SIGSYS \(bad system call\); restarting in 1 s" "$ERR"

# Run by its systemd unit, the agent has only the unit's capability
# bounding set: the children must still be made from it.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$SRCDIR/etc/systemd/sakimori.service.in" |
	tr 'A-Z ' 'a-z\n' | sed 's/^cap_/+/' | paste -sd, -)
check_match "the unit has a capability bounding set" '^\+[a-z_]+(,\+[a-z_]+)*$' "$caps"
run timeout 60 setpriv --inh-caps=-all --bounding-set=-all,"$caps" \
	"$PRIV_PROBE" "$U" "$LOG" "$TMP/logs/secret"
check_eq "with only the unit's capabilities, the probe ends well" 0 "$RC"
check_nomatch "...every child drops its privileges" "cannot start child" "$ERR"
check_match "...the child runs with no capability" \
	"^child 1: status CapBnd:[[:space:]]+0000000000000000$" "$OUT"
check_match "...and reads the root-only log the parent opened" \
	"^child 1: read line one of the log$" "$OUT"

# The agent user is refused when it is root, or not a user name.
run timeout 20 "$PRIV_PROBE" root "$LOG" "$TMP/logs/secret"
check_eq "root as the agent user is refused (69)" 69 "$RC"
check_match "...saying why" "user 'root' is root or in group root" "$ERR"
run timeout 20 "$PRIV_PROBE" --system "$LOG" "$TMP/logs/secret"
check_eq "a name that would pass for an option is refused (69)" 69 "$RC"
check_match "...saying why" "'--system' is not a user name" "$ERR"

done_testing
