#!/usr/bin/env python3
"""gen-auth-log.py - a deterministic auth.log of OpenSSH lines.

bench/auth.sh uses it: the same arguments always give the same bytes (its
own xorshift generator).  Attackers (a few hundred addresses) guess
passwords and user names; their connections also end before login.  The
rest is a server's everyday traffic: logins by key and password, sessions,
logouts, cron.  Every address that ends a connection before login has
also failed a password, so fail2ban's stock sshd filter (normal mode) and
sakimori find the same addresses.

usage: gen-auth-log.py [--lines N] [--attackers K] [--seed S]
"""
import argparse
import importlib.util
import os
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
USERS = ["root", "admin", "test", "user", "oracle", "postgres", "ubuntu",
         "git", "guest", "ftp", "pi", "support"]


def load_rng():
    """The xorshift generator of gen-access-log.py (one copy of it)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "gen-access-log.py")
    spec = importlib.util.spec_from_file_location("gen_access_log", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Rng


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--attackers", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = load_rng()(a.seed)
    out = sys.stdout
    attackers = ["%d.%d.%d.%d" % (45 + r.below(150), r.below(256),
                                  r.below(256), 1 + r.below(254))
                 for _ in range(a.attackers)]
    staff = ["10.%d.%d.%d" % (r.below(256), r.below(256), 1 + r.below(254))
             for _ in range(40)]
    t = 0
    pid = 1000
    n = 0
    buf = []
    while n < a.lines:
        t += r.below(3)
        day = 1 + (t // 86400) % 28
        hms = "%02d:%02d:%02d" % (t // 3600 % 24, t // 60 % 60, t % 60)
        pre = "%s %2d %s web1 " % (MONTHS[(t // 86400 // 28) % 12], day, hms)
        pid = 1000 + (pid + 1 - 1000) % 60000
        k = r.below(100)
        if k < 55:
            ip = attackers[r.below(len(attackers))]
            u = USERS[r.below(len(USERS))]
            port = 1024 + r.below(60000)
            if r.below(2):
                buf.append("%ssshd[%d]: Invalid user %s from %s port %d" %
                           (pre, pid, u, ip, port))
                buf.append("%ssshd[%d]: Failed password for invalid user %s "
                           "from %s port %d ssh2" % (pre, pid, u, ip, port))
            else:
                buf.append("%ssshd[%d]: Failed password for %s from %s port "
                           "%d ssh2" % (pre, pid, u, ip, port))
            buf.append("%ssshd[%d]: Connection closed by authenticating user "
                       "%s %s port %d [preauth]" % (pre, pid, u, ip, port))
        elif k < 75:
            ip = staff[r.below(len(staff))]
            port = 1024 + r.below(60000)
            u = "deploy" if r.below(2) else "alice"
            buf.append("%ssshd[%d]: Accepted publickey for %s from %s port "
                       "%d ssh2: ED25519 SHA256:q7Zf" % (pre, pid, u, ip, port))
            buf.append("%ssshd[%d]: pam_unix(sshd:session): session opened "
                       "for user %s(uid=1000) by (uid=0)" % (pre, pid, u))
            buf.append("%ssshd[%d]: Received disconnect from %s port %d:11: "
                       "disconnected by user" % (pre, pid, ip, port))
            buf.append("%ssshd[%d]: Disconnected from user %s %s port %d" %
                       (pre, pid, u, ip, port))
            buf.append("%ssshd[%d]: pam_unix(sshd:session): session closed "
                       "for user %s" % (pre, pid, u))
        else:
            buf.append("%sCRON[%d]: pam_unix(cron:session): session opened "
                       "for user root(uid=0) by (uid=0)" % (pre, pid))
            buf.append("%sCRON[%d]: pam_unix(cron:session): session closed "
                       "for user root" % (pre, pid))
        if len(buf) >= 4096:
            take = buf[:a.lines - n]
            out.write("\n".join(take) + "\n")
            n += len(take)
            buf = []
    if buf and n < a.lines:
        take = buf[:a.lines - n]
        out.write("\n".join(take) + "\n")


if __name__ == "__main__":
    main()
