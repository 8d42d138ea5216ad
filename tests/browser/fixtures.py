"""Real-browser fixtures: Chromium through Playwright, and the test app served over HTTP.

Shared by tests/browser/ (through its conftest) and tests/test_qr.py (which imports them).
The browser and the servers are process-wide singletons, so importing these fixtures in two
places still launches one Chromium and one server per app.
"""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD, unavailable

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 360, "height": 740}
TABLET = {"width": 1280, "height": 800}          # the chair's tablet, landscape
PROJECTOR = {"width": 1920, "height": 1080}      # the hall projector, 16:9
SMALL_PROJECTOR = {"width": 1280, "height": 720}

_browser_state: dict = {}
_servers: dict[int, tuple] = {}  # id(app) -> (server, thread, base_url)


def _launch():
    if "browser" in _browser_state:
        return _browser_state["browser"]
    if "error" in _browser_state:
        unavailable(_browser_state["error"])
    if not os.path.exists(CHROMIUM):
        _browser_state["error"] = f"Chromium not found at {CHROMIUM}"
        unavailable(_browser_state["error"])
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        _browser_state["error"] = f"Playwright is not installed: {e}"
        unavailable(_browser_state["error"])
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    except Exception as e:  # broken install, missing libraries, no sandbox support...
        pw.stop()
        _browser_state["error"] = f"Chromium at {CHROMIUM} did not start: {type(e).__name__}: {e}"
        unavailable(_browser_state["error"])
    _browser_state.update(pw=pw, browser=browser)
    return browser


def _close_browser() -> None:
    browser, pw = _browser_state.pop("browser", None), _browser_state.pop("pw", None)
    if browser is not None:
        browser.close()
    if pw is not None:
        pw.stop()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (skips, or fails with CI=true, if it cannot start)."""
    yield _launch()
    _close_browser()


class _QuietHandler(WSGIRequestHandler):
    """No line per request in the test output; errors are still logged."""

    def log_request(self, *args, **kwargs) -> None:
        pass


@pytest.fixture(scope="session")
def _live_servers():
    yield _servers
    for server, thread, _url in list(_servers.values()):
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    _servers.clear()


@pytest.fixture()
def live_server(app, _live_servers):
    """The base URL of the test app served over real HTTP (one server per app/backend).

    Tables are emptied after each test by the `app` fixture; the server keeps running."""
    key = id(app)
    if key not in _live_servers:
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name=f"live-server-{key}", daemon=True)
        thread.start()
        _live_servers[key] = (server, thread, f"http://127.0.0.1:{server.server_port}")
    return _live_servers[key][2]


# Each page says on its console what the Content-Security-Policy refused (meetingday/headers.py):
# Chromium's own "Refused to …" messages, and the securitypolicyviolation events, which also name
# the directive and the source line.
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " refused " + (e.blockedURI || "?") + " at "
                + e.sourceFile + ":" + e.lineNumber + (e.sample ? " (" + e.sample + ")" : ""));
});
"""


def watch_policy(context, violations: list) -> None:
    """Note in `violations` every Content-Security-Policy violation on any page of the context."""
    context.add_init_script(_REPORT_VIOLATIONS)

    def console(message):
        text = message.text
        if message.type == "error" and (text.startswith("CSP violation") or "Content Security Policy" in text):
            violations.append(f"{message.page.url if message.page else '?'}: {text}")
    context.on("console", console)


def assert_no_violations(violations: list) -> None:
    if violations:
        pytest.fail("The Content-Security-Policy refused something:\n" + "\n".join(violations))


@pytest.fixture()
def new_page(browser, live_server, backend):
    """Factory: new_page(viewport=LAPTOP) -> a page in a fresh context (own cookies).

    Uncaught JavaScript errors, and anything the Content-Security-Policy refused, on any page fail
    the test."""
    contexts, errors, violations = [], [], []

    def make(viewport=LAPTOP, **options):
        context = browser.new_context(viewport=viewport, base_url=live_server, locale="vi-VN",
                                      timezone_id="Asia/Ho_Chi_Minh", **options)
        context.set_default_timeout(10_000)
        watch_policy(context, violations)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()
    if errors:
        pytest.fail("JavaScript errors in the page:\n" + "\n".join(errors))
    assert_no_violations(violations)


@pytest.fixture()
def page(new_page):
    """A laptop-sized page (the secretariat's screen)."""
    return new_page(LAPTOP)


@pytest.fixture()
def shot(backend):
    """shot(page_or_locator, name): save test-artifacts/screenshots/<name>-<backend>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(target, name: str, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}-{backend}.png"
        settle(target if hasattr(target, "goto") else target.page)
        if hasattr(target, "goto"):  # a Page
            target.screenshot(path=str(path), full_page=full_page)
        else:  # a Locator
            target.screenshot(path=str(path))
        return path

    return take


HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def wait_for(page, expression: str, arg=None, timeout: float = 10_000) -> None:
    """Wait until the expression (or function of `arg`) is true in the page.

    Playwright's own page.wait_for_function polls through eval() in the page, which the
    Content-Security-Policy forbids; page.evaluate is not the page's own script, so it is allowed."""
    from playwright.sync_api import Error, TimeoutError

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression, arg):
                return
        except Error as e:  # a navigation under way: ask the new page
            if "context was destroyed" not in str(e) and "navigat" not in str(e):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout:.0f} ms: {expression}")
        page.wait_for_timeout(50)


def settle(page) -> None:
    """Wait until htmx has finished every request and swap, and the fade-in is over."""
    wait_for(page, f"!document.querySelector({HTMX_BUSY!r}) && !document.getAnimations().some("
                   "a => a.playState === 'running' && a.effect && a.effect.getTiming().iterations !== Infinity)")


def login(page, username: str, password: str = PASSWORD, base: str = "") -> None:
    """Log in through the real login page (of the live server, or of the server at `base`); ends on
    the page the login redirects to."""
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


# --------------------------------------------------------------------------- live screens

MARKER = "window.__marker"


def connected(page) -> None:
    """Wait until the page's live socket is up, then mark the page (see assert_no_reload)."""
    wait_for(page, "window.meetingdayLive && window.meetingdayLive.socket.connected")
    settle(page)
    page.evaluate(f"{MARKER} = 'còn nguyên'")


def assert_no_reload(page) -> None:
    assert page.evaluate(MARKER) == "còn nguyên", "the page was reloaded instead of swapped"


def assert_no_scrollbars(page) -> None:
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
                          " window.innerWidth, window.innerHeight]")
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], f"the projector page scrolls: {sizes}"


def assert_inside(page, selector: str) -> None:
    """Every element matching the selector is whole on the screen (nothing cut off at the edges)."""
    size = page.viewport_size
    boxes = [loc.bounding_box() for loc in page.locator(selector).all()]
    assert boxes, f"{selector} is not on the page"
    for box in boxes:
        assert box is not None, f"{selector} is not shown"
        assert box["x"] >= 0 and box["y"] >= 0, f"{selector} starts off screen: {box}"
        assert box["x"] + box["width"] <= size["width"] + 1 and box["y"] + box["height"] <= size["height"] + 1, \
            f"{selector} runs off the {size} screen: {box}"


def tap(page, locator) -> None:
    locator.click()
    settle(page)
