"""Page weight: what a delegate's phone downloads to open its pass, first visit and again.

    .venv/bin/pip install -e '.[test]'        # once: Playwright (drives Debian's /usr/bin/chromium)
    .venv/bin/python bench/page_weight.py --json

What it does:
1. Starts `.venv/bin/meetingday demo --port P` (a separate process on gevent, as in production)
   with a temporary instance directory, so the demo meeting is loaded into a fresh SQLite file;
   reads the sample delegate's pass link from what the command prints.
2. Opens the pass in headless Chromium at the phone's size (360 x 740) and follows the Chrome
   DevTools Protocol's Network events of the page: every HTTP request with the bytes it took on
   the wire (`Network.loadingFinished` encodedDataLength: headers and body as transferred,
   compressed when the answer was compressed), and the websocket it opens.
3. Waits until the page's live connection is up and the network has been quiet for --quiet
   seconds (the regions reloaded on connect, the Socket.IO upgrade to a websocket done).
4. Visits again, as a delegate does who opens the pass link once more: a new tab in the same
   browser (the same HTTP cache), then a reload (the browser's reload button) of that tab.

Counted: every HTTP request the page makes (document, styles, scripts, the pass QR, the regions
it reloads, Socket.IO's long-polling requests) with its transferred bytes; a request the browser
answers from its own cache without asking the server counts as a request of 0 bytes and is
listed as "cache". The websocket's handshake is an HTTP request too and is counted (its 101
answer's headers, a few hundred bytes); the frames over it afterwards (the live pushes) are not:
they depend on what happens in the meeting, not on the page.
--requests lists each request. The last line printed is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / ".venv" / "bin" / "meetingday"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 360, "height": 740}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quiet", type=float, default=1.5, help="seconds without a new request that end a visit (1.5)")
    p.add_argument("--requests", action="store_true", help="list every request of each visit")
    p.add_argument("--accept-encoding", default="gzip, deflate",
                   help="what the browser offers (default 'gzip, deflate': what Chromium sends to a plain-HTTP "
                        "address such as the hall's LAN; it adds br and zstd only over HTTPS and on this "
                        "machine's own loopback address); 'browser' leaves Chromium's own")
    p.add_argument("--json", action="store_true", help="end with one JSON line (printed anyway)")
    return p.parse_args(argv)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_demo(workdir: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEMO_DATABASE_URL", "PUBLIC_BASE_URL", "SOCKETIO_MESSAGE_QUEUE",
                        "SOCKETIO_ASYNC_MODE", "FLASK_APP")}
    env.update(MEETINGDAY_INSTANCE=str(workdir / "instance"), RATELIMIT_PASS="1000 per minute")
    log_path = workdir / "demo.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(SERVE), "demo", "--port", str(port)], env=env, stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"meetingday demo exited ({proc.returncode}):\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    else:
        stop(proc)
        sys.exit(f"meetingday demo did not answer:\n{log_path.read_text()[-3000:]}")
    found = re.search(r"A delegate's pass \.+ (\S+)", log_path.read_text())
    if not found:
        stop(proc)
        sys.exit("meetingday demo printed no pass link")
    return proc, found.group(1), log_path


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


class Recorder:
    """The Network events of one page (one visit), from its own CDP session."""

    def __init__(self, context, page):
        self.requests: dict[str, dict] = {}
        self.last_event = time.monotonic()
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.webSocketCreated", self._ws_created)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._ws_handshake)
        cdp.send("Network.enable")
        self.cdp = cdp

    def _touch(self):
        self.last_event = time.monotonic()

    def _entry(self, rid: str) -> dict:
        return self.requests.setdefault(rid, {"url": "", "type": "", "status": None, "bytes": 0, "encoding": "",
                                              "cache_control": "", "source": "network", "done": False})

    def _sent(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        entry.update(url=e["request"]["url"], type=e.get("type", ""))

    def _response(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        headers = {k.lower(): v for k, v in e["response"].get("headers", {}).items()}
        entry.update(status=e["response"]["status"], encoding=headers.get("content-encoding", ""),
                     cache_control=headers.get("cache-control", ""))
        if e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"):
            entry["source"] = "cache"

    def _from_cache(self, e):
        self._touch()
        self._entry(e["requestId"])["source"] = "cache"

    def _finished(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        entry.update(bytes=int(e.get("encodedDataLength") or 0), done=True)

    def _failed(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        entry.update(done=True, failed=e.get("errorText", ""))

    def _ws_created(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        entry.update(url=e["url"], type="WebSocket")

    def _ws_handshake(self, e):
        self._touch()
        entry = self._entry(e["requestId"])
        response = e["response"]
        raw = response.get("headersText") or "".join(f"{k}: {v}\r\n" for k, v in response.get("headers", {}).items())
        entry.update(status=response.get("status"), bytes=len(raw.encode()) + 20, done=True)

    def summary(self) -> dict:
        rows = [r for r in self.requests.values() if r["url"].startswith("http") or r["type"] == "WebSocket"]
        for r in rows:
            if r["source"] == "cache":
                r["bytes"] = 0
        return {"requests": len(rows), "bytes": sum(r["bytes"] for r in rows),
                "kib": round(sum(r["bytes"] for r in rows) / 1024, 1),
                "from_cache": sum(1 for r in rows if r["source"] == "cache"),
                "static_bodies": sum(1 for r in rows if "/static/" in r["url"] and r["source"] != "cache"
                                     and r["status"] == 200),
                "rows": rows}


def settle(page, recorder: Recorder, quiet: float, timeout: float = 30) -> None:
    """Wait for the live connection, then for `quiet` seconds without a network event."""
    page.wait_for_function("() => window.meetingdayLive && window.meetingdayLive.socket.connected",
                           timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page.wait_for_timeout(100)
        if time.monotonic() - recorder.last_event >= quiet:
            return


def visit(context, url: str, quiet: float, page=None) -> tuple[dict, object]:
    if page is None:
        page = context.new_page()
        recorder = Recorder(context, page)
        page.goto(url, wait_until="load")
    else:
        recorder = Recorder(context, page)
        page.reload(wait_until="load")
    settle(page, recorder, quiet)
    return recorder.summary(), page


def short(url: str, base: str) -> str:
    url = url.replace(base, "")
    url = re.sub(r"/d/[A-Za-z0-9_-]{20,}", "/d/<token>", url)
    url = re.sub(r"sid=[^&]+", "sid=…", url)
    return re.sub(r"&t=[^&]+", "", url)[:90]


def print_visit(name: str, result: dict, base: str, listing: bool) -> None:
    print(f"{name}: {result['requests']} requests, {result['kib']} KiB transferred, "
          f"{result['from_cache']} from the browser's cache, {result['static_bodies']} static bodies")
    if listing:
        for r in result["rows"]:
            where = "cache" if r["source"] == "cache" else (r["status"] or "-")
            print(f"  {where!s:>5} {r['bytes']:>7} B {r['encoding'] or '-':>4}  {r['type']:<10} "
                  f"{short(r['url'], base)}")


def main(argv=None) -> dict:
    args = parse_args(argv)
    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="meetingday-pageweight-"))
    proc = None
    try:
        proc, url, _log = start_demo(workdir)
        base = url.split("/d/")[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            headers = {} if args.accept_encoding == "browser" else {"Accept-Encoding": args.accept_encoding}
            context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="vi-VN",
                                          extra_http_headers=headers)
            first, page = visit(context, url, args.quiet)
            again, page2 = visit(context, url, args.quiet)
            reload, _ = visit(context, url, args.quiet, page=page2)
            browser.close()
        results = {"first": first, "again": again, "reload": reload}
        for name, label in (("first", "first visit"), ("again", "opened again"), ("reload", "reload")):
            print_visit(label, results[name], base, args.requests)
        out = {name: {k: v for k, v in r.items() if k != "rows"} for name, r in results.items()}
        print(json.dumps(out))
        return out
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
