#!/usr/bin/env python3
"""usage: scripts/watools/check_report_html.py PAGE.html [--shots DIR] [--heading TEXT ...]
                                              [--chromium PATH] [--validate-only]

Checks a page written by `wa-report --format html`:

  1. HTML validity: the html5lib parser in strict mode (the HTML5 parsing algorithm; any
     parse error fails), when html5lib is installed (Debian python3-html5lib).
  2. In headless Chromium, driven through its DevTools protocol over a pipe
     (--remote-debugging-pipe: no port, no websocket library), at 375 and at 1440 px wide:
     no console message of level error and no exception; no network request besides the
     page itself; no script, iframe, object, embed or img element and no on* attribute
     (input text stayed text); the page's text holds every --heading; no element reaches past the
     viewport's right edge (and the document does not scroll sideways); a full-page
     screenshot (PNG) that is not blank: several colours and enough non-background pixels.

Prints one line per check and a JSON summary (sizes, render times, the test's duration) on
the last line; exits 0 when all pass, 1 when one fails, 2 on usage, 77 when a tool is
missing (Chromium not installed: the caller reports the test as skipped).
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def validate(path):
    try:
        import html5lib
    except ImportError:
        # Debian's python3-html5lib, when this is another Python (pyenv, a venv).
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import html5lib
        except ImportError:
            return None, "html5lib is not installed (Debian python3-html5lib)"
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(data, transport_encoding="utf-8")
    except Exception as e:  # html5lib raises ParseError at the first error
        line = getattr(parser, "errors", None)
        return False, f"html5lib strict: {e} {line[:1] if line else ''}"
    return True, "html5lib strict: no parse error"


class Chromium:
    """Chromium with --remote-debugging-pipe: DevTools messages are JSON texts ended by NUL,
    written to fd 3 and read from fd 4 of the browser."""

    def __init__(self, binary):
        self.profile = tempfile.mkdtemp(prefix="wa-chromium-")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()
        args = [
            binary, "--headless=new", "--remote-debugging-pipe", "--no-first-run",
            "--no-default-browser-check", "--disable-gpu", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--disable-component-update",
            "--mute-audio", "--hide-scrollbars", "--user-data-dir=" + self.profile,
            "--force-color-profile=srgb", "about:blank",
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")

        # Move both ends out of the way first: dup2 onto 3 or 4 must not close the other.
        high_r = os.dup(to_browser_r) if to_browser_r < 10 else to_browser_r
        high_w = os.dup(from_browser_w) if from_browser_w < 10 else from_browser_w
        high_r = fcntl.fcntl(high_r, fcntl.F_DUPFD, 10)
        high_w = fcntl.fcntl(high_w, fcntl.F_DUPFD, 10)

        def fds():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            args, preexec_fn=fds, close_fds=False,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.profile, "stderr"), "wb"))
        for fd in {to_browser_r, from_browser_w, high_r, high_w}:
            os.close(fd)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        wanted = self.next_id
        while True:
            m = self.read()
            if m.get("id") == wanted:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def read(self, deadline=60):
        start = time.time()
        while b"\0" not in self.buffer:
            if time.time() - start > deadline:
                raise TimeoutError("no answer from Chromium")
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its DevTools pipe")
            self.buffer += chunk
        text, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(text)

    def wait_event(self, method, session, deadline=60):
        for i, m in enumerate(self.events):
            if m.get("method") == method and m.get("sessionId") == session:
                return self.events.pop(i)
        start = time.time()
        while time.time() - start < deadline:
            m = self.read(deadline)
            if m.get("method") == method and m.get("sessionId") == session:
                return m
            self.events.append(m)
        raise TimeoutError(method)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


# Counts the screenshot's colours in the browser itself (a canvas), so no image library is
# needed: every 4th pixel of every 4th row; "ink" is the share that is not the commonest.
INK_SCRIPT = """(async () => {
  const img = new Image();
  img.src = 'data:image/png;base64,%s';
  await img.decode();
  const c = document.createElement('canvas');
  c.width = img.width; c.height = img.height;
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, c.width, c.height).data;
  const counts = new Map();
  let total = 0;
  for (let y = 0; y < c.height; y += 4) for (let x = 0; x < c.width; x += 4) {
    const i = (y * c.width + x) * 4;
    const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
    counts.set(k, (counts.get(k) || 0) + 1); total++;
  }
  const top = Math.max(...counts.values());
  return JSON.stringify({colours: counts.size, ink: 1 - top / total, width: c.width, height: c.height});
})()"""


OVERFLOW_SCRIPT = """(() => {
  const w = document.documentElement.clientWidth;
  const bad = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > w + 0.5 || r.left < -0.5) {
      let inScroller = false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { inScroller = true; break; }
      }
      bad.push((inScroller ? '[in scroller] ' : '') + e.tagName.toLowerCase() +
        (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + e.className : '') +
        ' in #' + ((e.closest('section') || {}).id || '?') + ' right=' + Math.round(r.right));
    }
  }
  return JSON.stringify({width: w, scrollWidth: document.documentElement.scrollWidth, bad: bad.slice(0, 10), count: bad.length,
    text: document.body.innerText,
    active: document.querySelectorAll('script, iframe, object, embed, img').length +
      [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    load: performance.getEntriesByType('navigation').map(n => n.loadEventEnd)[0] || 0});
})()"""


def extra_checks(browser, session, shots):
    """Dark mode (the system's preference emulated) and print (A4 PDF, print media)."""
    ok = True
    browser.send("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]}, session=session)
    background = browser.send("Runtime.evaluate", {
        "expression": "getComputedStyle(document.body).backgroundColor",
        "returnByValue": True}, session=session)["result"]["value"]
    dark = background.replace(" ", "") in ("rgb(13,17,23)",)
    print(f"{'ok  ' if dark else 'FAIL'} dark mode: body background {background}")
    ok = ok and dark
    if shots:
        shot = browser.send("Page.captureScreenshot", {"format": "png", "clip": {
            "x": 0, "y": 0, "width": 1440, "height": 1000, "scale": 1}}, session=session)
        with open(os.path.join(shots, "dashboard-dark.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    browser.send("Emulation.setEmulatedMedia", {"features": []}, session=session)
    pdf = base64.b64decode(browser.send("Page.printToPDF", {
        "paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True,
        "printBackground": True}, session=session)["data"])
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    printed = pdf.startswith(b"%PDF") and pages >= 1
    print(f"{'ok  ' if printed else 'FAIL'} print: A4 PDF of {pages} pages, {len(pdf)} bytes")
    ok = ok and printed
    if shots:
        with open(os.path.join(shots, "dashboard.pdf"), "wb") as f:
            f.write(pdf)
    return ok


def browse(path, widths, headings, shots, binary, tiles=False):
    url = "file://" + os.path.abspath(path)
    browser = Chromium(binary)
    results, ok = {}, True
    try:
        for width in widths:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send(
                "Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(domain + ".enable", session=session)
            browser.send("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 900, "deviceScaleFactor": 1,
                "mobile": width < 600}, session=session)
            browser.events.clear()
            started = time.time()
            browser.send("Page.navigate", {"url": url}, session=session)
            browser.wait_event("Page.loadEventFired", session)
            elapsed = time.time() - started
            found = json.loads(browser.send("Runtime.evaluate", {
                "expression": OVERFLOW_SCRIPT, "returnByValue": True}, session=session
            )["result"]["value"])
            requests = [m["params"]["request"]["url"] for m in browser.events
                        if m.get("method") == "Network.requestWillBeSent"
                        and m.get("sessionId") == session]
            others = [u for u in requests if u != url]
            errors = [m for m in browser.events if m.get("sessionId") == session and (
                m.get("method") == "Runtime.exceptionThrown"
                or (m.get("method") == "Runtime.consoleAPICalled"
                    and m["params"].get("type") in ("error", "assert"))
                or (m.get("method") == "Log.entryAdded"
                    and m["params"]["entry"].get("level") == "error"))]
            missing = [h for h in headings if h not in found["text"]]
            metrics = browser.send("Page.getLayoutMetrics", session=session)
            height = int(metrics["cssContentSize"]["height"])
            browser.send("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": min(height, 16000), "deviceScaleFactor": 1,
                "mobile": width < 600}, session=session)
            shot = base64.b64decode(browser.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": False}, session=session)["data"])
            if tiles:
                for i in range(0, min(height, 16000), 1000):
                    tile = base64.b64decode(browser.send("Page.captureScreenshot", {
                        "format": "png", "clip": {"x": 0, "y": i, "width": width,
                        "height": min(1000, height - i), "scale": 1}}, session=session)["data"])
                    with open(os.path.join(shots, f"tile-{width}-{i // 1000:02}.png"), "wb") as f:
                        f.write(tile)
            blank = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            scratch = browser.send(
                "Target.attachToTarget", {"targetId": blank, "flatten": True})["sessionId"]
            ink = json.loads(browser.send("Runtime.evaluate", {
                "expression": INK_SCRIPT % base64.b64encode(shot).decode(), "awaitPromise": True,
                "returnByValue": True}, session=scratch)["result"]["value"])
            browser.send("Target.closeTarget", {"targetId": blank})
            colours, ink, sw, sh = ink["colours"], ink["ink"], ink["width"], ink["height"]
            if shots:
                os.makedirs(shots, exist_ok=True)
                with open(os.path.join(shots, f"dashboard-{width}.png"), "wb") as f:
                    f.write(shot)
            checks = [
                (not errors, f"console errors: {len(errors)} {json.dumps(errors)[:300]}"),
                (not others, f"network requests besides the page: {len(others)} {others[:3]}"),
                (not missing, f"headings missing from the page text: {missing}"),
                (found["active"] == 0,
                 f"script, embedded or image elements and on* attributes: {found['active']}"),
                (found["count"] == 0 and found["scrollWidth"] <= found["width"],
                 f"horizontal overflow: scrollWidth {found['scrollWidth']} of {found['width']}; "
                 f"{found['count']} elements past the edge {found['bad']}"),
                (colours >= 8 and ink > 0.03,
                 f"screenshot {sw}x{sh}: {colours} colours, {ink:.1%} non-background pixels"),
            ]
            for passed, text in checks:
                print(f"{'ok  ' if passed else 'FAIL'} {width}px: {text}")
                ok = ok and passed
            results[str(width)] = {"renderSeconds": round(elapsed, 3),
                                   "loadEventEndMs": round(found["load"], 1),
                                   "pageHeight": height, "screenshotBytes": len(shot)}
            if width == widths[-1]:
                ok = extra_checks(browser, session, shots) and ok
            browser.send("Target.closeTarget", {"targetId": target})
    finally:
        browser.close()
    return ok, results


def main():
    p = argparse.ArgumentParser(usage=__doc__.split("\n\n")[0][7:])
    p.add_argument("page")
    p.add_argument("--shots")
    p.add_argument("--heading", action="append", default=[])
    p.add_argument("--chromium")
    p.add_argument("--validate-only", action="store_true")
    p.add_argument("--tiles", action="store_true", help="also save 1000 px high tiles (to look at)")
    a = p.parse_args()
    started = time.time()
    summary = {"pageBytes": os.path.getsize(a.page)}
    valid, message = validate(a.page)
    print(("ok   " if valid else "FAIL " if valid is False else "skip ") + message)
    ok = valid is not False
    if not a.validate_only:
        binary = a.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
        if not binary:
            print("skip chromium is not installed (Debian package chromium)")
            print(json.dumps(summary))
            return SKIP
        passed, summary["widths"] = browse(
            a.page, [375, 1440], a.heading, a.shots, binary, a.tiles and a.shots)
        ok = ok and passed
    summary["seconds"] = round(time.time() - started, 2)
    print(json.dumps(summary))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
