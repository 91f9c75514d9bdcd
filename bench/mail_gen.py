#!/usr/bin/env python3
"""mail_gen.py - write a deterministic postfix log (syslog format) of N lines
(default 1,000,000) to stdout: accepted mail from clients and SASL users,
local pickup, deliveries (sent, deferred, bounced with our own bounce
notification), and NOQUEUE rejects (relay, unknown user, RBL).  The same
seed always gives the same bytes.  Usage: mail_gen.py [LINES] > mail.log"""
import random, sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
rnd = random.Random(20261126)
out = sys.stdout
users = ["user%d" % i for i in range(200)]
domains = ["partner%d.example" % i for i in range(300)] + ["gmail.com", "yahoo.com", "outlook.com"]
clients = [("mx%d.sender%d.example" % (i % 7, i), "198.51.%d.%d" % (i // 250, i % 250 + 1)) for i in range(2000)]
qn = 0x100000
lines = 0
t = 0

def stamp():
    s = t // 20
    return "Nov %2d %02d:%02d:%02d" % (26, (s // 3600) % 24, (s // 60) % 60, s % 60)

def w(prog, pid, msg):
    global lines, t
    out.write("%s mail postfix/%s[%d]: %s\n" % (stamp(), prog, pid, msg))
    lines += 1
    t += 1

while lines < N:
    qn += 1
    q = "%X" % qn
    r = rnd.random()
    name, addr = rnd.choice(clients)
    if r < 0.12:  # rejected before queueing
        kind = rnd.random()
        w("smtpd", 1000 + qn % 50, "connect from %s[%s]" % (name, addr))
        if kind < 0.3:
            w("smtpd", 1000 + qn % 50, "NOQUEUE: reject: RCPT from %s[%s]: 554 5.7.1 <x%d@%s>: Relay access denied; from=<s@%s> to=<x%d@%s> proto=ESMTP helo=<%s>" % (name, addr, qn, rnd.choice(domains), name, qn, rnd.choice(domains), name))
        elif kind < 0.7:
            w("smtpd", 1000 + qn % 50, "NOQUEUE: reject: RCPT from %s[%s]: 550 5.1.1 <nobody%d@example.com>: Recipient address rejected: User unknown in virtual mailbox table; from=<s@%s> to=<nobody%d@example.com> proto=ESMTP helo=<%s>" % (name, addr, qn % 997, name, qn % 997, name))
        else:
            w("smtpd", 1000 + qn % 50, "NOQUEUE: reject: RCPT from %s[%s]: 554 5.7.1 Service unavailable; Client host [%s] blocked using zen.spamhaus.org; from=<s@%s> to=<u@example.com> proto=ESMTP helo=<%s>" % (name, addr, addr, name, name))
        w("smtpd", 1000 + qn % 50, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4" % (name, addr))
        continue
    local = r < 0.2
    sasl = not local and r < 0.6
    u = rnd.choice(users)
    if local:
        w("pickup", 900, "%s: uid=%d from=<%s>" % (q, 1000 + users.index(u), u))
        sender = "%s@example.com" % u
    else:
        w("smtpd", 1000 + qn % 50, "connect from %s[%s]" % (name, addr))
        if sasl:
            w("smtpd", 1000 + qn % 50, "%s: client=%s[%s], sasl_method=PLAIN, sasl_username=%s" % (q, name, addr, u))
            sender = "%s@example.com" % u
        else:
            w("smtpd", 1000 + qn % 50, "%s: client=%s[%s]" % (q, name, addr))
            sender = "info@%s" % name.split(".", 1)[1]
    w("cleanup", 2000 + qn % 10, "%s: message-id=<%d.%s@example.com>" % (q, qn, q))
    size = rnd.randint(800, 90000)
    nr = 1 if rnd.random() < 0.8 else rnd.randint(2, 4)
    w("qmgr", 3000, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (q, sender, size, nr))
    if not local:
        w("smtpd", 1000 + qn % 50, "disconnect from %s[%s] ehlo=1 mail=1 rcpt=%d data=1 quit=1 commands=5" % (name, addr, nr))
    bounced = False
    for i in range(nr):
        if sasl or local:
            to = "c%d@%s" % (rnd.randint(1, 50), rnd.choice(domains))
            relay = "mx.%s[203.0.113.%d]:25" % (to.split("@")[1], rnd.randint(1, 254))
            prog = "smtp"
        else:
            to = "%s@example.com" % rnd.choice(users)
            relay = "virtual"
            prog = "virtual"
        s = rnd.random()
        if s < 0.90:
            w(prog, 4000 + qn % 20, "%s: to=<%s>, relay=%s, delay=%.1f, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)" % (q, to, relay, rnd.random() * 3))
        elif s < 0.96:
            w(prog, 4000 + qn % 20, "%s: to=<%s>, relay=%s, delay=%.1f, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to %s: Connection timed out)" % (q, to, relay, 30 + rnd.random(), relay))
            w(prog, 4000 + qn % 20, "%s: to=<%s>, relay=%s, delay=%.1f, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok)" % (q, to, relay, 300 + rnd.random()))
        else:
            w(prog, 4000 + qn % 20, "%s: to=<%s>, relay=%s, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.1.1, status=bounced (host said: 550 5.1.1 User unknown (in reply to RCPT TO command))" % (q, to, relay))
            bounced = True
    if bounced:
        qn += 1
        b = "%X" % qn
        w("cleanup", 2000 + qn % 10, "%s: message-id=<%d.%s@example.com>" % (b, qn, b))
        w("qmgr", 3000, "%s: from=<>, size=3000, nrcpt=1 (queue active)" % b)
        w("bounce", 5000, "%s: sender non-delivery notification: %s" % (q, b))
        w("virtual", 4100, "%s: to=<%s>, relay=virtual, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (delivered to maildir)" % (b, sender if "@example.com" in sender else "postmaster@example.com"))
        w("qmgr", 3000, "%s: removed" % b)
    w("qmgr", 3000, "%s: removed" % q)
