#!/usr/bin/env python3
"""gen-access-log.py - a deterministic Apache combined access log.

The benchmarks (bench/logs-stats.sh) and the tests (tests/integration/
logs-scan.sh) use it, and so does the attack-detection work (it mixes in
no attacks itself): the same arguments always give the same bytes, on any
machine and any Python 3, because it uses its own xorshift generator.

usage: gen-access-log.py [--lines N] [--clients K] [--days D] [--seed S]
                         [--distinct-clients] [--vhost] [--fresh P]

  --lines N           lines to write (default 1000000)
  --clients K         distinct client addresses to draw from (default 20000),
                      a few of them much busier than the rest
  --distinct-clients  every line from a new address (the memory benchmark)
  --days D            days the log spans, from 2024-10-01 (default 7)
  --vhost             Apache vhost_combined ("host:port " first)
  --fresh P           P percent of the lines (default 0) carry a user agent,
                      a referrer and a query string that no other line
                      has (browser versions, search terms, ids drawn from
                      a second generator, so that the other lines are the
                      bytes they are without it): a log that repeats
                      less, for the attack memo's benchmarks
"""
import argparse
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]


class Rng:
    """xorshift64*: fixed, portable, fast enough."""

    def __init__(self, seed):
        self.s = (seed * 0x9E3779B97F4A7C15 + 1) & 0xFFFFFFFFFFFFFFFF

    def next(self):
        x = self.s
        x ^= (x >> 12)
        x ^= (x << 25) & 0xFFFFFFFFFFFFFFFF
        x ^= (x >> 27)
        self.s = x
        return (x * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF

    def below(self, n):
        return (self.next() >> 11) % n


PAGES = ["/", "/index.html", "/about.html", "/news/", "/news/2024/10/a.html",
         "/products/list.php", "/products/item.php", "/contact.html",
         "/blog/", "/blog/post-1.html", "/blog/post-2.html", "/faq.htm",
         "/search.php", "/docs/manual.html", "/docs/install.html"]
ASSETS = ["/css/site.css", "/js/app.js", "/img/logo.png", "/img/bg.jpg",
          "/favicon.ico", "/robots.txt", "/fonts/a.woff2", "/img/p1.png"]
MISSING = ["/old-page.html", "/img/missing.png", "/wp-login.php",
           "/.env", "/blog/post-0.html"]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/118.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:119.0) Gecko/20100101 Firefox/119.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
    "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "curl/7.88.1",
    "Wget/1.21.3",
]
EXTERNAL = ["https://www.google.com/", "https://duckduckgo.com/",
            "https://news.example.net/item?id=42", "https://t.co/abc"]
# --fresh: templates of agents and referrers, numbers and words filled in
FRESH_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/%d.0.%d.%d Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_%d) AppleWebKit/605.1.%d "
    "(KHTML, like Gecko) Version/%d.0 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.%d",
    "Mozilla/5.0 (Linux; Android %d; SM-G%d) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/%d.0.0.0 Mobile Safari/537.36",
    "python-requests/2.%d.%d (build %d)",
]
WORDS = ["apache", "log", "error", "server", "install", "guide", "price",
         "review", "news", "open", "hours", "contact", "tokyo", "best",
         "how", "to", "fix", "linux", "mail", "backup"]


def days_to_civil(z):
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1000000)
    ap.add_argument("--clients", type=int, default=20000)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--distinct-clients", action="store_true")
    ap.add_argument("--vhost", action="store_true")
    ap.add_argument("--fresh", type=int, default=0)
    a = ap.parse_args()

    r = Rng(a.seed)
    f = Rng(a.seed ^ 0x66726573)  # --fresh's own: r draws as without it
    out = sys.stdout
    start_day = 19997  # 2024-10-01
    span = a.days * 86400
    buf = []
    for i in range(a.lines):
        t = i * span // max(a.lines, 1)
        day, sec = divmod(t, 86400)
        y, m, d = days_to_civil(start_day + day)
        if a.distinct_clients:
            n = i + 1
            client = "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255,
                                      n & 255) if n < (1 << 24) else \
                "11.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255)
        else:
            # Skewed: small numbers much more often.
            u = r.below(1 << 20) / float(1 << 20)
            n = int(a.clients * u * u * u)
            client = "%d.%d.%d.%d" % (
                1 + (n * 7919) % 223, (n >> 16) & 255, (n >> 8) & 255,
                n & 255)
        k = r.below(100)
        if k < 45:
            path = PAGES[r.below(len(PAGES))]
        elif k < 93:
            path = ASSETS[r.below(len(ASSETS))]
        else:
            path = MISSING[r.below(len(MISSING))]
        if r.below(10) == 0:
            path += "?id=%d" % r.below(1000)
        method = "POST" if r.below(50) == 0 else "GET"
        if path.split("?")[0] in MISSING:
            status = 404
        else:
            s = r.below(100)
            status = 200 if s < 85 else 304 if s < 95 else 301 if s < 98 \
                else 500
        size = "-" if status == 304 else str(200 + r.below(50000))
        k = r.below(10)
        if k < 4:
            ref = "-"
        elif k < 8:
            ref = "http://www.example.com" + PAGES[r.below(len(PAGES))]
        else:
            ref = EXTERNAL[r.below(len(EXTERNAL))]
        ua = AGENTS[r.below(len(AGENTS))]
        if a.fresh > 0 and f.below(100) < a.fresh:
            # i in each: no other line has the same three
            tpl = FRESH_AGENTS[f.below(len(FRESH_AGENTS))]
            ua = tpl % tuple([100 + f.below(30), i, f.below(200)][
                :tpl.count("%d")])
            words = "+".join(WORDS[f.below(len(WORDS))]
                             for _ in range(1 + f.below(4)))
            ref = "https://www.google.com/search?q=%s&start=%d" % (words, i)
            path = path.split("?")[0] + "?id=%d&q=%s" % (i, words)
        line = '%s - - [%02d/%s/%04d:%02d:%02d:%02d +0900] "%s %s HTTP/1.1" ' \
            '%d %s "%s" "%s"\n' % (
                client, d, MONTHS[m - 1], y, sec // 3600, sec // 60 % 60,
                sec % 60, method, path, status, size, ref, ua)
        if a.vhost:
            line = "www.example.com:80 " + line
        buf.append(line)
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf = []
    out.write("".join(buf))


if __name__ == "__main__":
    main()
