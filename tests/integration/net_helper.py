#!/usr/bin/python3
"""net_helper.py - bounded socket helpers for the net integration tests.

Every mode stops by itself after SECS seconds, so a failing test never
leaves connections behind.

  listen ADDR PORT SECS          accept and hold connections
  connect ADDR PORT SECS [SRC]   connect (from SRC) and hold the connection
  probe ADDR PORT TIMEOUT        exit 0 when a TCP connection succeeds
  hold PART SECS                 a quarter of the 20,000-connection load
  flood ADDR PORT SECS SRC:N...  N connections from each SRC to ADDR:PORT

hold: four processes (PART 0..3; the hard limit on descriptors here is
20,000 per process), each with a listener on 127.0.0.1:P4 and a
dual-stack listener on [::]:P6.  Together: 15,500 clients bound to
127.0.x.y spread over 200 addresses, one address (127.0.9.9) holding
4,000, 1,000 IPv4 clients of a dual-stack listener (IPv4-mapped on the
server side), 1,000 from ::1, 300 connections closed by the client first
(TIME_WAIT) and 200 half-closed (FIN_WAIT2 / CLOSE_WAIT): 20,000.
Each part prints "ready P4 P6" when its connections are up.
"""
import select
import socket
import sys
import time


def hold_until(deadline, socks=()):
    while time.time() < deadline:
        time.sleep(max(0.0, min(0.5, deadline - time.time())))
    del socks


def listen(addr, port, secs):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(port)))
    s.listen(4096)
    s.setblocking(False)
    held = []
    deadline = time.time() + float(secs)
    print("listening", flush=True)
    while time.time() < deadline:
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            try:
                c, _ = s.accept()
                held.append(c)
            except BlockingIOError:
                pass


def connect(addr, port, secs, src=None):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    if src:
        c.bind((src, 0))
    c.settimeout(5)
    c.connect((addr, int(port)))
    print("connected", flush=True)
    hold_until(time.time() + float(secs), [c])


def probe(addr, port, timeout):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.settimeout(float(timeout))
    try:
        c.connect((addr, int(port)))
    except OSError as e:
        print("probe failed: %s" % e)
        sys.exit(1)
    sys.exit(0)


def pair(lst, cfam, dst, src):
    c = socket.socket(cfam, socket.SOCK_STREAM)
    c.bind((src, 0))
    c.connect(dst)
    a, _ = lst.accept()
    return c, a


def hold(part, secs):
    """One quarter of the load (PART 0..3), so that no process needs more
    than about 10,000 descriptors."""
    part = int(part)
    deadline = time.time() + float(secs)
    l4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    l4.bind(("127.0.0.1", 0))
    l4.listen(4096)
    l6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    l6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    l6.bind(("::", 0))
    l6.listen(4096)
    p4 = l4.getsockname()[1]
    p6 = l6.getsockname()[1]
    held = []

    def spread(n, base):
        for i in range(base, base + n):
            src = "127.0.%d.%d" % (1 + i % 5, 1 + (i // 5) % 40)
            held.extend(pair(l4, socket.AF_INET, ("127.0.0.1", p4), src))

    if part in (0, 1):
        spread(5000, part * 5000)
    elif part == 2:
        # one address holding 4,000 connections
        for i in range(4000):
            held.extend(pair(l4, socket.AF_INET, ("127.0.0.1", p4), "127.0.9.9"))
        spread(1000, 10000)
    else:
        spread(2500, 11000)
        # IPv4 clients of the dual-stack listener, and IPv6 clients
        for i in range(1000):
            held.extend(pair(l6, socket.AF_INET, ("127.0.0.1", p6), "127.0.8.8"))
        for i in range(1000):
            held.extend(pair(l6, socket.AF_INET6, ("::1", p6), "::1"))
        # TIME_WAIT on the client side: client closes first, then the server
        for i in range(300):
            c, a = pair(l4, socket.AF_INET, ("127.0.0.1", p4), "127.0.7.7")
            c.close()
            a.close()
        # half-closed: FIN_WAIT2 (client) and CLOSE_WAIT (server)
        for i in range(200):
            c, a = pair(l4, socket.AF_INET, ("127.0.0.1", p4), "127.0.6.6")
            c.shutdown(socket.SHUT_WR)
            held.append(c)
            held.append(a)
    time.sleep(0.3)
    print("ready %d %d" % (p4, p6), flush=True)
    hold_until(deadline, held)


def flood(addr, port, secs, *spec):
    """Connections from each SRC:N (N from SRC), retrying while the
    listener is not up yet (for at most 10 s)."""
    deadline = time.time() + float(secs)
    held = []
    for sn in spec:
        src, n = sn.rsplit(":", 1)
        for i in range(int(n)):
            for attempt in range(100):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                c.bind((src, 0))
                try:
                    c.connect((addr, int(port)))
                    break
                except ConnectionRefusedError:
                    c.close()
                    time.sleep(0.1)
            held.append(c)
    print("ready", flush=True)
    hold_until(deadline, held)


def main():
    mode = sys.argv[1]
    args = sys.argv[2:]
    if mode == "listen":
        listen(*args)
    elif mode == "connect":
        connect(*args)
    elif mode == "probe":
        probe(*args)
    elif mode == "hold":
        hold(*args)
    elif mode == "flood":
        flood(*args)
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
