"""The delegate's pass on a weak network, in Chromium: opened again, it takes its styles and
scripts from the browser's cache without asking the server; its regions come back in one request.
(How many bytes that is, is measured by bench/page_weight.py: docs/benchmarks.md.)"""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.fixtures import PHONE, connected, wait_for


class _Network:
    """The static files a page asked for, and which of them the browser's cache answered."""

    def __init__(self, page):
        self.asked: dict[str, str] = {}  # request id -> url
        self.cached: set[str] = set()
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", lambda e: self.asked.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.responseReceived", self._response)
        cdp.send("Network.enable")

    def _response(self, e):
        if e["response"].get("fromDiskCache"):
            self.cached.add(e["requestId"])

    def static(self) -> dict[str, bool]:
        return {url: rid in self.cached for rid, url in self.asked.items() if "/static/" in url}


def test_the_pass_opened_again_takes_its_static_files_from_the_cache(new_page, demo_meeting):
    url = f"/d/{demo_meeting.invitees[0].active_token.token}"
    first = new_page(PHONE)
    seen = _Network(first)
    first.goto(url)
    connected(first)
    assert len(seen.static()) >= 8 and not any(seen.static().values())  # a first visit downloads them
    again = first.context.new_page()  # the pass link opened once more, in a new tab
    network = _Network(again)
    again.goto(url)
    connected(again)
    static = network.static()
    assert static.keys() == seen.static().keys()
    assert all(static.values()), [u for u, cached in static.items() if not cached]


def test_the_pass_reloads_all_its_regions_in_one_request(new_page, demo_meeting):
    phone = new_page(PHONE)
    phone.goto(f"/d/{demo_meeting.invitees[0].active_token.token}")
    connected(phone)
    regions = phone.evaluate("[...document.querySelectorAll('[data-live-src]')].map(e => e.id)")
    assert regions == ["pass-confirm", "pass-checkin", "pass-now", "pass-speak", "pass-closing", "pass-queue",
                       "pass-programme"]
    phone.evaluate("document.querySelectorAll('[data-live-src]').forEach(e => e.setAttribute('data-old', ''))")
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.evaluate("document.body.dispatchEvent(new Event('live-reload'))")  # as on every reconnect
    for region in regions:
        expect(phone.locator(f"#{region}:not([data-old])")).to_be_attached()  # each drawn anew
    reloads = [u for u in asked if "/socket.io/" not in u]
    assert len(reloads) == 1 and reloads[0].endswith("?part=all"), reloads


def test_the_hall_page_loads_the_qr_reader_only_when_the_camera_starts(new_page, demo_meeting):
    from meetingday.services import checkin, hallcode

    checkin.open_checkin(demo_meeting, actor="test")
    phone = new_page(PHONE)
    asked: list[str] = []
    phone.on("request", lambda request: asked.append(request.url))
    phone.goto(hallcode.path_for(demo_meeting.id))  # no pass on this phone yet
    start = phone.locator("#self-scan-start")
    expect(start).to_be_visible()  # localhost is a secure context: the camera is offered
    assert phone.evaluate("typeof window.jsQR") == "undefined" and not any("jsqr" in u for u in asked)
    start.click()
    wait_for(phone, "typeof window.jsQR === 'function'")
    assert len([u for u in asked if "/vendor/jsqr/" in u]) == 1
