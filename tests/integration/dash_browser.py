#!/usr/bin/python3
"""dash_browser.py - the agent's dashboard in headless Chromium, driven
through the DevTools protocol (python3-websocket).

usage: dash_browser.py CHROMIUM BASE_URL PROFILE_DIR SERIES [SHOTS_DIR]

Prints one line per assertion, "PASS label" or "FAIL label: detail"
(dash.sh turns them into TAP).  For each page: it loads with no console
error, no CSP violation and no failed request or error status, and Tab
reaches every link.  The graph page has its four images drawn; the
overview shows the attack payloads as text with no script, no injected
image and no dialog; the web page shows the broken link named with a
payload and the incidents' payloads as text, the integrity page the
new script in the web root named with a payload as text; the mail,
disks and server table pages have their tables; the Unblock button (a POST
with the CSRF token) removes the block.  Screenshots go to SHOTS_DIR
when given.
"""
import base64
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import websocket

chromium, base, profile, series = sys.argv[1:5]
shots = sys.argv[5] if len(sys.argv) > 5 else None


def say(ok, label, detail=""):
    print(("PASS %s" % label) if ok else ("FAIL %s: %s" % (label, detail)),
          flush=True)


proc = subprocess.Popen(
    [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
     "--no-first-run", "--no-default-browser-check",
     "--user-data-dir=" + profile, "--remote-debugging-port=0",
     "--window-size=1200,900", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
ws_url = None
end = time.time() + 60
while time.time() < end:
    line = proc.stderr.readline()
    if not line:
        break
    m = re.search(r"DevTools listening on (ws://\S+)", line)
    if m:
        ws_url = m.group(1)
        break
if ws_url is None:
    say(False, "chromium starts with the DevTools protocol", "no ws URL")
    proc.kill()
    sys.exit(1)
port = re.match(r"ws://[^:]+:(\d+)/", ws_url).group(1)
pages = json.load(urllib.request.urlopen(
    "http://127.0.0.1:%s/json/list" % port, timeout=10))
page = [p for p in pages if p.get("type") == "page"][0]
ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)

next_id = 0
events = []


def call(method, **params):
    global next_id
    next_id += 1
    ws.send(json.dumps({"id": next_id, "method": method, "params": params}))
    while True:
        msg = json.loads(ws.recv())
        if msg.get("id") == next_id:
            if "error" in msg:
                raise RuntimeError("%s: %s" % (method, msg["error"]))
            return msg.get("result", {})
        events.append(msg)


def pump(until, secs=30):
    """Reads events until one satisfies until (True), or secs pass."""
    end = time.time() + secs
    ws.settimeout(0.2)
    try:
        while time.time() < end:
            for e in events:
                if until(e):
                    return True
            try:
                events.append(json.loads(ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        return False
    finally:
        ws.settimeout(60)


def js(expr):
    r = call("Runtime.evaluate", expression=expr, returnByValue=True,
             awaitPromise=True)
    return r.get("result", {}).get("value")


for domain in ("Page", "Runtime", "Log", "Network"):
    call(domain + ".enable")


def problems_seen():
    """The console errors, CSP reports, failed requests and dialogs
    among the events so far."""
    bad = []
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") == "error":
            bad.append("console error: %s" % p.get("args"))
        elif m == "Runtime.exceptionThrown":
            bad.append("exception: %s" % p.get("exceptionDetails"))
        elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
            bad.append("log error: %s %s" % (p["entry"].get("text"),
                                             p["entry"].get("url")))
        elif m == "Network.loadingFailed":
            bad.append("failed request: %s" % p.get("errorText"))
        elif m == "Network.responseReceived" and \
                p["response"]["status"] >= 400:
            bad.append("status %d for %s" % (p["response"]["status"],
                                             p["response"]["url"]))
        elif m == "Page.javascriptDialogOpening":
            bad.append("a dialog opened: %s" % p.get("message"))
    return bad


def load(path, label):
    """Navigates to path; True once loaded with nothing wrong."""
    del events[:]
    call("Page.navigate", url=base + path)
    loaded = pump(lambda e: e.get("method") == "Page.loadEventFired")
    # late requests (images) and reports have a moment to arrive
    pump(lambda e: False, 1)
    bad = problems_seen()
    say(loaded and not bad, "%s loads with no console error and no "
        "failed request" % label, "; ".join(bad) or "no load event")
    return loaded


def tab_reaches_links(label):
    hrefs = set(js("Array.from(document.querySelectorAll('a[href]'))"
                   ".map(a => a.href)") or [])
    controls = js("document.querySelectorAll('a[href], button, select, "
                  "input:not([type=hidden])').length") or 0
    seen = set()
    js("document.activeElement && document.activeElement.blur()")
    for _ in range(controls + 2):
        for t in ("keyDown", "keyUp"):
            call("Input.dispatchKeyEvent", type=t, key="Tab", code="Tab",
                 windowsVirtualKeyCode=9, nativeVirtualKeyCode=9)
        h = js("document.activeElement && document.activeElement.href")
        if h:
            seen.add(h)
    missing = hrefs - seen
    say(hrefs and not missing, "%s: Tab reaches every link (%d)" %
        (label, len(hrefs)), "not reached: %s" % sorted(missing))


def shot(name):
    if not shots:
        return
    data = call("Page.captureScreenshot", format="png",
                captureBeyondViewport=False)["data"]
    with open(os.path.join(shots, name + ".png"), "wb") as f:
        f.write(base64.b64decode(data))


try:
    # the overview: the payloads from the access log are text
    if load("/", "the overview"):
        tab_reaches_links("the overview")
        text = js("document.body.innerText") or ""
        say("<script>alert(1)</script>" in text,
            "the <script> payload shows as text", text[:300])
        say("><img src=x onerror=alert(1)>" in text,
            "the onerror payload shows as text", text[:300])
        say(js("document.scripts.length") == 0,
            "no script element on the page", "")
        say(js("document.querySelectorAll('img').length") == 0,
            "no injected image", "")
        say(js("document.querySelectorAll('form[action=\"/silence\"] "
               "input[name=csrf]').length") >= 2,
            "each problem has a silence form with the CSRF token", "")
        shot("overview")
    if load("/graphs", "the graph index"):
        tab_reaches_links("the graph index")
        say(js("document.querySelector('a[href=\"/graphs/%s\"]') !== null"
               % series), "the graph index links to %s" % series, "")
        shot("graphs")
    if load("/graphs/" + series, "the graphs of " + series):
        tab_reaches_links("the graphs of " + series)
        n = js("Array.from(document.images).filter(i => i.complete && "
               "i.naturalWidth > 400).length")
        say(n == 4, "four graphs drawn (day, week, month, year)",
            "%s drawn" % n)
        shot("graph-" + series)
    if load("/processes", "the processes"):
        tab_reaches_links("the processes")
        say((js("document.querySelectorAll('tbody tr').length") or 0) > 0,
            "the processes are listed", "")
        shot("processes")
    if load("/web", "the web page"):
        tab_reaches_links("the web page")
        text = js("document.body.innerText") or ""
        say('"><img src=x onerror=alert(2)>.html' in text,
            "the broken link's payload shows as text", text[:300])
        say("<script>alert(1)</script>" in text,
            "the incident's <script> payload shows as text", text[:300])
        say(js("document.scripts.length") == 0 and
            js("document.querySelectorAll('img').length") == 0,
            "no script element and no injected image on the web page", "")
        say(js("document.body.innerText.includes('/index.html')"),
            "the web page lists the top page", "")
        shot("web")
    for path, label, want in (
            ("/mail", "the mail page", "mail_lines"),
            ("/integrity", "the integrity page",
             "<img src=x onerror=alert(3)>.php"),
            ("/disks", "the disks page", "Filesystems"),
            ("/servers", "the server table", "Services")):
        if load(path, label):
            tab_reaches_links(label)
            say(js("document.body.innerText.includes(%s)" %
                   json.dumps(want)), "%s shows %s" % (label, want), "")
            say(js("document.querySelectorAll('img').length") == 0,
                "no injected image on %s" % label, "")
            shot(path[1:])
    if load("/connections", "the connections and blocks"):
        tab_reaches_links("the connections and blocks")
        shot("connections")
        say(js("document.body.innerText.includes('192.0.2.55')"),
            "the block of 192.0.2.55 is listed", "")
        del events[:]
        js("document.querySelector('button[aria-label=\"unblock "
           "192.0.2.55\"]').click()")
        pump(lambda e: e.get("method") == "Page.loadEventFired")
        pump(lambda e: False, 1)
        bad = problems_seen()
        say(not bad, "Unblock posts with the token and comes back",
            "; ".join(bad))
        say(js("location.pathname") == "/connections" and
            js("document.body.innerText.includes('No address is "
               "blocked')"), "after Unblock no address is blocked",
            js("document.body.innerText"))
    print("DONE", flush=True)
finally:
    ws.close()
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
