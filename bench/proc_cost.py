#!/usr/bin/python3
"""proc_cost.py - what a process and its descendants cost, for bench/.

CPU is utime+stime+cutime+cstime (the last two: reaped children) of every
process in the tree, from /proc/PID/stat; memory is the sum of VmRSS and of
Pss (smaps_rollup) over the tree.

  proc_cost.py cpu PID
      the tree's CPU seconds so far
  proc_cost.py sample TOOLS T0 OUT WARMUP DURATION EVERY
      TOOLS holds "NAME PID" lines; T0 is when they were launched (epoch
      seconds).  Reads each tree's CPU WARMUP seconds after T0 and at
      T0+DURATION, samples memory every EVERY seconds in between, and
      writes "NAME startup_cpu_s steady_cpu_pct max_rss_mib max_pss_mib"
      lines to OUT.
  proc_cost.py requests PID URL N ROUNDS
      GETs URL N times on one kept-alive connection, ROUNDS times (after
      one request to warm up), reading PID's tree CPU before and after each
      round; prints "ms_cpu_per_request wall_ms_per_request" per round,
      then "series S bytes B" of the last body (S: its lines that are not
      comments or blank).
  proc_cost.py median [FIELD [NAME]]
      the median of column FIELD (from 1; default 1) of the lines on
      standard input, of those whose first word is NAME when it is given.
"""
import http.client
import os
import sys
import time
import urllib.parse

HZ = os.sysconf("SC_CLK_TCK")


def table():
    kids, stat = {}, {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        pid = int(d)
        kids.setdefault(int(f[1]), []).append(pid)
        stat[pid] = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
    return kids, stat


def tree(root, kids):
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def kb(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu(root):
    kids, stat = table()
    return sum(stat.get(p, 0) for p in tree(root, kids)) / HZ


def mem(root):
    kids, _ = table()
    ps = tree(root, kids)
    return (sum(kb("/proc/%d/status" % p, "VmRSS:") for p in ps),
            sum(kb("/proc/%d/smaps_rollup" % p, "Pss:") for p in ps))


def sample(tools_file, t0, out, warm, dur, every):
    with open(tools_file) as f:
        tools = [l.split() for l in f if l.strip()]
    time.sleep(max(0, t0 + warm - time.time()))
    start = {n: cpu(int(p)) for n, p in tools}
    tw = time.time()
    rss = {n: 0 for n, _ in tools}
    pss = {n: 0 for n, _ in tools}
    while True:
        for n, p in tools:
            r, q = mem(int(p))
            rss[n], pss[n] = max(rss[n], r), max(pss[n], q)
        if time.time() + every > t0 + dur:
            break
        time.sleep(every)
    time.sleep(max(0, t0 + dur - time.time()))
    end = {n: cpu(int(p)) for n, p in tools}
    te = time.time()
    with open(out, "w") as o:
        for n, _ in tools:
            o.write("%s %.3f %.4f %.2f %.2f\n" % (n, start[n],
                    100 * (end[n] - start[n]) / (te - tw),
                    rss[n] / 1024, pss[n] / 1024))


def requests(pid, url, n, rounds):
    u = urllib.parse.urlsplit(url)
    path = u.path + ("?" + u.query if u.query else "")
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)

    def get():
        conn.request("GET", path, headers={"Host": u.netloc})
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit("proc_cost.py: %s: HTTP %d" % (url, r.status))
        return body

    body = get()
    for _ in range(rounds):
        c0, w0 = cpu(pid), time.monotonic()
        for _ in range(n):
            body = get()
        c1, w1 = cpu(pid), time.monotonic()
        print("%.4f %.4f" % ((c1 - c0) * 1e3 / n, (w1 - w0) * 1e3 / n))
    lines = body.decode("utf-8", "replace").splitlines()
    print("series %d bytes %d" % (
        sum(1 for l in lines if l.strip() and not l.startswith("#")),
        len(body)))


def median(field, name):
    v = sorted(float(l.split()[field - 1]) for l in sys.stdin
               if l.strip() and (name is None or l.split()[0] == name))
    if not v:
        sys.exit("proc_cost.py: median of nothing")
    m = len(v) // 2
    print("%g" % (v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2))


def main(a):
    if len(a) == 2 and a[0] == "cpu":
        print("%.2f" % cpu(int(a[1])))
    elif len(a) == 7 and a[0] == "sample":
        sample(a[1], float(a[2]), a[3], float(a[4]), float(a[5]),
               float(a[6]))
    elif len(a) == 5 and a[0] == "requests":
        requests(int(a[1]), a[2], int(a[3]), int(a[4]))
    elif 1 <= len(a) <= 3 and a[0] == "median":
        median(int(a[1]) if len(a) > 1 else 1, a[2] if len(a) > 2 else None)
    else:
        sys.stderr.write(__doc__)
        sys.exit(64)


if __name__ == "__main__":
    main(sys.argv[1:])
