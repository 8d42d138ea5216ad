"""Check-in screens in Chromium: the phone at the hall code (both orders), the door reading a
personal QR from a (fake) camera, the handheld scanner, the search, and the offline queue."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import qrcode
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from meetingday.extensions import db
from meetingday.models import CheckIn, CheckInMethod, Role, utcnow
from meetingday.services import checkin, hallcode
from tests.browser.fixtures import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LAPTOP,
    PHONE,
    _browser_state,
    assert_no_violations,
    connected,
    login,
    wait_for,
    watch_policy,
)
from tests.conftest import database_down, make_user

PUBLIC = "http://hoitruong.local:5000"  # PUBLIC_BASE_URL of the test app: what the paper says


def person(meeting, name):
    return next(p for p in meeting.invitees if p.full_name == name)


def checkins() -> list[CheckIn]:
    db.session.rollback()
    return list(db.session.scalars(select(CheckIn).order_by(CheckIn.id)))


@pytest.fixture()
def opened(demo_meeting):
    checkin.open_checkin(demo_meeting, "test")
    return demo_meeting


@pytest.fixture()
def door_page(new_page, opened):
    make_user("cuavao", Role.DOOR)
    page = new_page(LAPTOP)
    login(page, "cuavao")
    page.goto(f"/meetings/{opened.id}/door")
    return page


# --------------------------------------------------------------------------- the phone

def test_phone_opens_its_pass_then_scans_the_hall_code(new_page, opened, shot):
    huong = person(opened, "Nguyễn Văn Lộc")
    phone = new_page(PHONE)
    phone.goto(f"/d/{huong.active_token.token}")
    assert phone.locator("#pass-checkin").inner_text().startswith("Chưa điểm danh")
    shot(phone, "checkin-pass-before")
    phone.goto(hallcode.path_for(opened.id))  # what the phone's camera app opens
    assert phone.url.endswith(f"/d/{huong.active_token.token}")
    status = phone.locator("#pass-checkin.is-present")
    row = checkins()[0]
    local = (row.checked_in_at.hour + 7) % 24
    assert status.inner_text().startswith(f"✓ Đã điểm danh lúc {local:02d}:{row.checked_in_at.minute:02d}")
    assert row.method == CheckInMethod.SELF and row.invitee_id == huong.id
    shot(phone, "checkin-pass-after")
    # Nothing on a 360 px screen runs off the side.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_phone_scans_the_hall_code_first_then_the_invitation(new_page, opened, shot):
    phone = new_page(PHONE)
    phone.goto(hallcode.path_for(opened.id))
    assert "Còn một bước nữa" in phone.locator("article").inner_text()
    assert phone.locator("#self-scan-start").is_visible()  # localhost is a secure context: camera offered
    shot(phone, "checkin-hall-first")
    assert checkins() == []
    cong = person(opened, "Nguyễn Văn Công")
    phone.goto(f"/d/{cong.active_token.token}")  # the invitation's QR, read by the camera app
    assert phone.locator("#pass-checkin.is-present").is_visible()
    assert [c.invitee_id for c in checkins()] == [cong.id]


def test_projector_key_shows_a_hall_code_that_opens_the_hall_page(new_page, opened, shot):
    """The hall QR on a screen, read by an ordinary QR reader, is the current hall link."""
    import zxingcpp

    screen = new_page(LAPTOP)
    screen.goto(f"/meetings/{opened.id}/hall-code?key={opened.display_key}")
    image = Image.open(io.BytesIO(screen.locator("#hall-code .hall-qr").screenshot())).convert("RGB")
    texts = [r.text for r in zxingcpp.read_barcodes(image)]
    assert len(texts) == 1 and re.fullmatch(rf"{PUBLIC}/h/{opened.id}/\d+\.[A-Za-z0-9_-]{{16}}", texts[0])
    hallcode.verify(opened.id, texts[0].rsplit("/", 1)[1])
    shot(screen, "checkin-hall-code-screen")


# --------------------------------------------------------------------------- the door: camera

def _y4m(path, text: str, width: int = 640, height: int = 480, frames: int = 6) -> None:
    """A YUV4MPEG2 (4:2:0) video of a QR code on a white sheet, as a tablet camera would see it."""
    qr = qrcode.make(text, border=4, box_size=6).convert("L")
    side = min(height - 40, qr.size[0])
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (width, height), 235)
    frame.paste(qr, ((width - side) // 2, (height - side) // 2))
    luma = bytes(16 + (v * 219) // 255 for v in frame.tobytes())  # studio range, as cameras send
    chroma = bytes([128]) * ((width // 2) * (height // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        f.writelines(b"FRAME\n" + luma + chroma + chroma for _ in range(frames))


@pytest.fixture()
def camera_browser(browser, tmp_path, opened):
    """A second Chromium whose camera films the personal QR of Nguyễn Văn Lộc's invitation."""
    loc = person(opened, "Nguyễn Văn Lộc")
    video = tmp_path / "invitation.y4m"
    _y4m(video, f"{PUBLIC}/d/{loc.active_token.token}")
    chromium = _browser_state["pw"].chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                              f"--use-file-for-fake-video-capture={video}"])
    yield chromium, loc
    chromium.close()


def test_door_camera_reads_a_personal_qr_and_shows_green(camera_browser, live_server, opened, shot):
    chromium, loc = camera_browser
    make_user("cuavao", Role.DOOR)
    context = chromium.new_context(viewport=LAPTOP, base_url=live_server, locale="vi-VN",
                                   timezone_id="Asia/Ho_Chi_Minh")
    context.grant_permissions(["camera"])
    context.set_default_timeout(15_000)
    errors, violations = [], []
    watch_policy(context, violations)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        login(page, "cuavao")
        page.goto(f"/meetings/{opened.id}/door")
        sent = scan_posts(page)
        page.click("#camera-toggle")
        result = page.locator("#door-result.result-ok")
        result.wait_for()
        box = result.bounding_box()  # the answer above the camera: in view without scrolling
        assert box["y"] >= 0 and box["y"] + box["height"] <= LAPTOP["height"]
        assert "Nguyễn Văn Lộc" in result.inner_text()
        assert "Lễ tân quét mã" in result.inner_text()
        page.evaluate("window.localStorage.removeItem('meetingday-door-camera')")
        shot(page, "checkin-door-camera-green")
        rows = checkins()
        assert [(r.invitee_id, r.method) for r in rows] == [(loc.id, CheckInMethod.DOOR_SCAN)]
        # The camera keeps seeing the same paper: one scan however long it is held there (no
        # amber "already checked in" for the person still standing at the door), one record.
        page.wait_for_timeout(6000)
        assert len(sent) == 1 and len(checkins()) == 1
        # Still in view: keeping the handheld scanner's field focused never scrolls the page.
        assert page.evaluate("window.scrollY") == 0
        assert page.evaluate("document.activeElement.id") == "scan-input"
        shot(page, "checkin-door-camera-held", full_page=False)  # what the tablet shows
        assert page.locator("#door-result").get_attribute("data-outcome") == "ok"
        assert page.locator("#door-log li").count() == 1
    finally:
        context.close()
    assert errors == []
    assert_no_violations(violations)


# --------------------------------------------------------------------------- the door: handheld, search

# Notes each door:scan event the page sends over its live connection, as a form body.
_LIVE_SCANS = """
(function () {
  var sent = window.__doorScans = [];
  function hook(live) {
    var socket = live.socket, emit = socket.emit;
    socket.emit = function (name, data) {
      if (name === "door:scan") {
        sent.push("code=" + encodeURIComponent(data.code) + "&nonce=" + data.nonce +
                  (data.scanned_at === null ? "" : "&scanned_at=" + data.scanned_at));
      }
      return emit.apply(this, arguments);
    };
  }
  if (window.meetingdayLive) { hook(window.meetingdayLive); return; }
  var value;
  Object.defineProperty(window, "meetingdayLive", {configurable: true, enumerable: true,
    get: function () { return value; }, set: function (v) { value = v; hook(v); }});
}());
"""


class SentScans:
    """The scans a door page sends, as they leave it (form bodies): over its live connection
    (door:scan, since the page last loaded) and as POSTs to /door/scan."""

    def __init__(self, page):
        self.page, self.posts = page, []
        page.on("request", lambda req: self.posts.append(req.post_data or "")
                if req.url.endswith("/door/scan") else None)
        page.add_init_script(_LIVE_SCANS)  # after a reload
        page.evaluate(_LIVE_SCANS)         # this page, already loaded

    @property
    def live(self) -> list[str]:
        return self.page.evaluate("window.__doorScans || []")

    def all(self) -> list[str]:
        return self.live + self.posts

    def clear(self) -> None:
        self.posts.clear()
        self.page.evaluate("window.__doorScans && (window.__doorScans.length = 0)")

    def __len__(self) -> int:
        return len(self.all())

    def __iter__(self):
        return iter(self.all())


def scan_posts(page) -> SentScans:
    return SentScans(page)


def test_handheld_scanner_green_then_amber_then_red(door_page, opened, shot):
    loc = person(opened, "Nguyễn Văn Lộc")
    url = f"{PUBLIC}/d/{loc.active_token.token}"
    # Its live connection is up: until it is, a scan goes as a POST (tested below).
    connected(door_page)
    sent = scan_posts(door_page)
    field = door_page.locator("#scan-input")
    assert door_page.evaluate("document.activeElement.id") == "scan-input"
    field.type(url + "\n")  # a handheld scanner types the link and Enter
    door_page.locator("#door-result.result-ok").wait_for()
    assert "Nguyễn Văn Lộc" in door_page.locator("#door-result").inner_text()
    shot(door_page, "checkin-door-green")
    field.type(url + "\n")
    amber = door_page.locator("#door-result.result-repeat")
    amber.wait_for()
    assert re.search(r"Đã điểm danh lúc \d\d:\d\d", amber.inner_text())
    shot(door_page, "checkin-door-amber")
    field.type(f"{PUBLIC}/d/{'x' * 32}\n")
    red = door_page.locator("#door-result.result-error")
    red.wait_for()
    assert "Mã này không phải thẻ đại biểu của hội nghị." in red.inner_text()
    shot(door_page, "checkin-door-red")
    assert door_page.evaluate("document.activeElement.id") == "scan-input"  # ready for the next one
    assert door_page.locator("#door-log li").count() == 3
    assert len(checkins()) == 1
    # Sent at once over the screen's live connection, so the server's clock times them: no
    # device time goes with them.
    assert len(sent.live) == 3 and sent.posts == []
    assert not any("scanned_at" in body for body in sent)


def test_door_log_shows_hall_time_on_a_tablet_set_to_another_zone(browser, live_server, opened):
    """The tablet's own time zone is wrong (New York): the log still shows the hall's time."""
    make_user("cuavao", Role.DOOR)
    context = browser.new_context(viewport=LAPTOP, base_url=live_server, locale="vi-VN",
                                  timezone_id="America/New_York")
    context.set_default_timeout(10_000)
    errors, violations = [], []
    watch_policy(context, violations)
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        login(page, "cuavao")
        page.goto(f"/meetings/{opened.id}/door")
        loc = person(opened, "Nguyễn Văn Lộc")
        page.locator("#scan-input").type(f"{PUBLIC}/d/{loc.active_token.token}\n")
        page.locator("#door-result.result-ok").wait_for()
        shown = page.locator("#door-log li .log-time").first.inner_text()
        at = checkins()[0].checked_in_at + timedelta(hours=7)  # Asia/Ho_Chi_Minh
        # The log takes the time the scan was made, the row when the server had it: a minute apart at most.
        assert shown in {at.strftime("%H:%M"), (at - timedelta(minutes=1)).strftime("%H:%M")}
    finally:
        context.close()
    assert errors == []
    assert_no_violations(violations)


def test_search_without_diacritics_tap_to_check_in_and_undo(door_page, opened, shot):
    door_page.fill("#door-search", "nguyen van loc")
    loc = person(opened, "Nguyễn Văn Lộc")
    row = door_page.locator(f"#person-{loc.id}")
    row.wait_for()
    row.get_by_role("button", name="Điểm danh").click()
    door_page.locator("#door-result.result-ok").wait_for()
    door_page.locator(f"#person-{loc.id}.is-present").wait_for()
    shot(door_page, "checkin-door-search")
    assert [(c.invitee_id, c.method) for c in checkins()] == [(loc.id, CheckInMethod.DOOR_SEARCH)]
    row = door_page.locator(f"#person-{loc.id}")
    row.locator("summary").click()
    row.locator("input[name=reason]").fill("Bấm nhầm người")
    row.get_by_role("button", name="Xác nhận hủy").click()
    door_page.locator("#door-result.result-undone").wait_for()
    door_page.locator(f"#person-{loc.id}:not(.is-present)").wait_for()
    assert checkins()[0].undo_reason == "Bấm nhầm người"


def test_walk_in_guest_registered_at_the_door(door_page, opened, shot):
    door_page.locator("#door-register summary").click()
    door_page.fill("#reg-name", "Phạm Văn Khách")
    door_page.fill("#reg-position", "Phóng viên Báo Quảng Ngãi")
    door_page.get_by_role("button", name="Đăng ký và điểm danh").click()
    result = door_page.locator("#door-result.result-ok")
    result.wait_for()
    assert "Khách không có trong danh sách mời" in result.inner_text()
    shot(door_page, "checkin-door-walk-in")
    assert len(checkins()) == 1 and checkins()[0].invitee.walk_in
    # The walk-in is counted apart on the door's attendance panel (live region).
    wait_for(door_page,
        "document.querySelector('#attendance-panel').textContent.indexOf('danh sách mời: 1') >= 0")
    # The hall code for phones opens on the door screen too.
    door_page.locator(".door-hall summary").click()
    door_page.locator(".door-hall #hall-code .hall-qr svg").wait_for()


# --------------------------------------------------------------------------- offline

def test_offline_scans_wait_on_the_device_and_are_sent_once(door_page, opened, shot):
    context = door_page.context
    a, b = person(opened, "Nguyễn Văn Lộc"), person(opened, "Nguyễn Văn Công")
    context.set_offline(True)
    field = door_page.locator("#scan-input")
    for p in (a, b, a):  # a is scanned twice while offline
        field.type(f"{PUBLIC}/d/{p.active_token.token}\n")
    banner = door_page.locator("#door-offline")
    banner.wait_for()
    wait_for(door_page, "document.getElementById('door-offline').textContent.indexOf('3 lượt') >= 0")
    assert banner.inner_text() == "Mất mạng — 3 lượt đang chờ gửi"
    assert door_page.locator("#door-result.result-pending").is_visible()
    shot(door_page, "checkin-door-offline")
    assert checkins() == []
    door_page.fill("#door-search", "loc")  # the server is out of reach: found in the door's own list
    door_page.locator('#door-search-results[data-query="loc"]').wait_for()
    assert "Mất mạng — tìm trong danh sách" in door_page.locator("#door-search-results .door-list-note").inner_text()
    # A reload while offline keeps them (they are on the device, not in the page).
    door_page.route("**/door/scan", lambda route: route.abort())  # the server is still out of reach
    context.set_offline(False)
    door_page.reload()
    wait_for(door_page, "window.meetingdayDoor && window.meetingdayDoor.waiting() === 3")
    door_page.unroute("**/door/scan")
    door_page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0")
    banner.wait_for(state="hidden")
    # Each waiting scan's line in the log now says how it was answered; the screen says so too.
    door_page.locator("#door-result[data-outcome=idle]").wait_for()
    assert "đã gửi 3 lượt điểm danh" in door_page.locator("#door-result").inner_text()
    assert door_page.locator("#door-log li").count() == 3
    assert door_page.locator("#door-log li.log-pending").count() == 0
    assert door_page.locator("#door-log li.log-ok").count() == 2  # a twice: ok, then repeat
    rows = checkins()
    assert sorted(c.invitee_id for c in rows) == sorted([a.id, b.id])  # none lost, none doubled
    db.session.rollback()
    assert db.session.scalar(select(func.count(CheckIn.id))) == 2


def test_offline_search_finds_in_the_door_list_and_the_tap_waits(door_page, opened, shot):
    context = door_page.context
    loc, cong = person(opened, "Nguyễn Văn Lộc"), person(opened, "Nguyễn Văn Công")
    checkin.check_in(opened, cong, CheckInMethod.DOOR_SCAN, actor="test")
    door_page.reload()  # the door takes its copy of the list when it opens
    wait_for(door_page, "window.meetingdayDoor.listed() > 0")
    context.set_offline(True)
    door_page.fill("#door-search", "nguyen van")
    door_page.locator('#door-search-results[data-query="nguyen van"]').wait_for()
    results = door_page.locator("#door-search-results")
    assert results.locator(".door-list-note").inner_text().startswith("Mất mạng — tìm trong danh sách đã tải")
    here = results.locator(f"#person-{cong.id}.is-local.is-present")
    assert "Có mặt lúc" in here.inner_text() and here.locator("button").count() == 0
    row = results.locator(f"#person-{loc.id}.is-local")
    row.get_by_role("button", name="Điểm danh").click()
    wait_for(door_page, "window.meetingdayDoor.waiting() === 1")
    # The row says so once the send has failed (a moment after the tap is kept).
    row.locator("[data-queued]").wait_for()
    assert "Đã lưu trên máy, chờ gửi" in row.inner_text() and row.locator("button").count() == 0
    assert door_page.locator("#door-offline").inner_text() == "Mất mạng — 1 lượt đang chờ gửi"
    assert door_page.locator("#door-result").get_attribute("data-outcome") == "pending"
    assert door_page.locator("#door-log li.log-pending").inner_text().endswith(
        "Ông Nguyễn Văn Lộc — Đã lưu trên máy, sẽ gửi khi có mạng")
    shot(door_page, "checkin-door-offline-search")
    # Found again (the words in another order): still waiting, not offered twice.
    door_page.fill("#door-search", "loc nguyen")
    door_page.locator('#door-search-results[data-query="loc nguyen"]').wait_for()
    again = results.locator(f"#person-{loc.id}.is-local")
    assert "Đã lưu trên máy, chờ gửi" in again.inner_text() and again.locator("button").count() == 0
    door_page.fill("#door-search", "khong co ai")
    door_page.locator('#door-search-results[data-query="khong co ai"]').wait_for()
    assert "Không tìm thấy ai phù hợp với “khong co ai”" in results.inner_text()
    assert [c.invitee_id for c in checkins()] == [cong.id]
    door_page.fill("#door-search", "nguyen van loc")
    door_page.locator('#door-search-results[data-query="nguyen van loc"]').wait_for()
    back = utcnow()
    context.set_offline(False)
    door_page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0")
    door_page.locator("#door-log li.log-ok").wait_for()
    rows = checkins()
    assert [(c.invitee_id, c.method) for c in rows] == [(cong.id, CheckInMethod.DOOR_SCAN),
                                                        (loc.id, CheckInMethod.DOOR_SEARCH)]
    assert rows[1].checked_in_at <= back  # the time of the tap, not of the sending
    # Online again, what was found in the device's list is found again on the server, which has
    # the person here, with the server's own row (and its undo).
    door_page.locator(f"#door-search-results:not(.is-local) #person-{loc.id}.is-present").wait_for()
    assert door_page.locator(".door-list-note").count() == 0


def test_a_waiting_tap_survives_a_reload_and_a_refused_one_is_offered_again(door_page, opened):
    context = door_page.context
    loc = person(opened, "Nguyễn Văn Lộc")
    wait_for(door_page, "window.meetingdayDoor.listed() > 0")
    # The server answers the search with a proxy's error page: the door's own list instead, no error box.
    door_page.route("**/door/search*", lambda route: route.fulfill(status=502, body="Bad Gateway"))
    door_page.fill("#door-search", "nguyen van loc")
    door_page.locator('#door-search-results[data-query="nguyen van loc"]').wait_for()
    assert door_page.locator("#flash .flash-error").count() == 0
    door_page.unroute("**/door/search*")
    context.set_offline(True)
    door_page.locator(f"#person-{loc.id}.is-local").get_by_role("button", name="Điểm danh").click()
    wait_for(door_page, "window.meetingdayDoor.waiting() === 1")
    # A reload (the server still out of reach for the tap): the tap still waits, and its row says so.
    door_page.route("**/door/people/*/checkin", lambda route: route.abort())
    context.set_offline(False)
    door_page.reload()
    wait_for(door_page, "window.meetingdayDoor.listed() > 0 && window.meetingdayDoor.waiting() === 1")
    context.set_offline(True)
    door_page.fill("#door-search", "nguyen van loc")
    door_page.locator('#door-search-results[data-query="nguyen van loc"]').wait_for()
    row = door_page.locator(f"#person-{loc.id}.is-local")
    assert "Đã lưu trên máy, chờ gửi" in row.inner_text() and row.locator("button").count() == 0
    # Meanwhile someone registered at another door in his place: the tap is refused when it arrives,
    # and the row no longer says "waiting": found again on the server, it says who sits there.
    checkin.register_substitute(opened, loc.id, "Đỗ Minh Thay", honorific="Ông", actor="test")
    door_page.unroute("**/door/people/*/checkin")
    context.set_offline(False)
    door_page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0")
    assert "đã dự thay cho đại biểu Nguyễn Văn Lộc" in door_page.locator("#door-log li.log-error").inner_text()
    row = door_page.locator(f"#door-search-results:not(.is-local) #person-{loc.id}")
    row.wait_for()
    assert "Đỗ Minh Thay đang dự thay" in row.inner_text() and "Đã lưu trên máy" not in row.inner_text()
    assert [c.invitee.full_name for c in checkins()] == ["Đỗ Minh Thay"]


def test_a_tap_on_a_server_row_refused_later_brings_the_row_up_to_date(door_page, opened):
    context = door_page.context
    loc = person(opened, "Nguyễn Văn Lộc")
    door_page.fill("#door-search", "nguyen van loc")  # online: the server's rows
    row = door_page.locator(f"#door-search-results:not(.is-local) #person-{loc.id}")
    row.wait_for()
    context.set_offline(True)
    row.get_by_role("button", name="Điểm danh").click()
    wait_for(door_page, "window.meetingdayDoor.waiting() === 1")
    row.locator("[data-queued]").wait_for()  # once the send has failed
    assert "Đã lưu trên máy, chờ gửi" in row.inner_text()
    checkin.register_substitute(opened, loc.id, "Đỗ Minh Thay", honorific="Ông", actor="test")
    context.set_offline(False)
    door_page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0")
    wait_for(door_page,
        f"document.getElementById('person-{loc.id}').textContent.indexOf('Đỗ Minh Thay đang dự thay') >= 0")
    assert row.get_by_role("button", name="Điểm danh").count() == 0
    assert [c.invitee.full_name for c in checkins()] == ["Đỗ Minh Thay"]


def test_a_scan_the_server_keeps_failing_does_not_hold_up_the_queue(door_page, opened, shot):
    context = door_page.context
    a, b, c = (person(opened, n) for n in ("Nguyễn Văn Lộc", "Nguyễn Văn Công", "Võ Thanh Bình"))
    sent = scan_posts(door_page)
    # Without the live connection (a proxy that does not pass websockets), scans are POSTs, and
    # a proxy can answer one of them with its own error page.
    door_page.evaluate("window.meetingdayLive.socket.disconnect()")
    context.set_offline(True)
    field = door_page.locator("#scan-input")
    for p in (a, b, c):
        field.type(f"{PUBLIC}/d/{p.active_token.token}\n")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 3")
    assert door_page.locator("#door-result").get_attribute("data-outcome") == "pending"

    def bad_gateway_for_a(route):  # a proxy's error page, without the check-in's answer header
        if a.active_token.token in (route.request.post_data or ""):
            route.fulfill(status=502, content_type="text/html", body="<html><h1>502 Bad Gateway</h1></html>")
        else:
            route.continue_()

    door_page.route("**/door/scan", bad_gateway_for_a)
    sent.clear()  # what tried to leave while offline
    context.set_offline(False)
    door_page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 1")  # b and c went past a
    assert sorted(r.invitee_id for r in checkins()) == sorted([b.id, c.id])
    assert door_page.locator("#door-result").get_attribute("data-outcome") == "pending"  # a still waits
    door_page.unroute("**/door/scan")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0", timeout=30_000)  # a, retried later
    assert sorted(r.invitee_id for r in checkins()) == sorted([a.id, b.id, c.id])
    # Everything answered: the screen is ready for the next person, the answers are in the log.
    ready = door_page.locator("#door-result[data-outcome=idle]")
    ready.wait_for()
    assert "Sẵn sàng quét" in ready.inner_text()
    assert door_page.locator("#door-offline").is_hidden()
    assert door_page.locator("#door-log li.log-ok").count() == 3
    shot(door_page, "checkin-door-drained")
    # Scans that waited carry the time they were scanned (nothing was sent while offline).
    assert sent and all("scanned_at=" in body for body in sent)


def test_while_the_database_is_lost_the_door_keeps_its_scans_and_says_why(door_page, opened, shot):
    """The server answers 503 (its database does not answer): the door says so, not "no
    network", keeps the scan and sends it by itself once the database is back; an action on the
    screen shows the server's message in #flash; the search looks in the door's own list."""
    a = person(opened, "Nguyễn Văn Lộc")
    a_id, code = a.id, f"{PUBLIC}/d/{a.active_token.token}"
    connected(door_page)  # the scan goes over the live connection (door:scan)
    with database_down():
        door_page.locator("#scan-input").type(code + "\n")
        wait_for(door_page, "document.getElementById('door-offline').textContent.indexOf('cơ sở dữ liệu') >= 0")
        assert door_page.evaluate("window.meetingdayDoor.waiting()") == 1
        assert door_page.locator("#door-offline").inner_text() == (
            "Máy chủ tạm thời không ghi được dữ liệu (cơ sở dữ liệu không trả lời): "
            "1 lượt đang lưu trên máy này và sẽ tự gửi lại.")
        assert door_page.locator("#door-result").inner_text() == "Đã lưu trên máy, sẽ gửi lại khi máy chủ ghi được"
        door_page.once("dialog", lambda dialog: dialog.accept())
        door_page.locator("#checkin-window button").click()  # "Đóng điểm danh"
        door_page.locator("#flash .flash-error").wait_for()
        assert "Máy chủ tạm thời không kết nối được cơ sở dữ liệu" in door_page.locator("#flash").inner_text()
        door_page.fill("#door-search", "loc")  # the search: in the door's own list, as when offline
        door_page.locator('#door-search-results.is-local[data-query="loc"]').wait_for()
        shot(door_page, "checkin-door-database-lost")
    wait_for(door_page, "window.meetingdayDoor.waiting() === 0", timeout=30_000)  # sent again by itself
    assert [c.invitee_id for c in checkins()] == [a_id]
    assert door_page.locator("#door-offline").is_hidden()


def test_a_door_opened_in_english_without_the_cookie_answers_in_english(new_page, opened):
    """?lang=en sets no cookie: the search (htmx) and a scan sent as a POST (no live connection)
    still answer in the page's language."""
    make_user("cuavao", Role.DOOR)
    page = new_page(LAPTOP)
    login(page, "cuavao")
    page.route("**/socket.io/**", lambda route: route.abort())  # the POST path, as before the socket is up
    page.goto(f"/meetings/{opened.id}/door?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert not any(c["name"] == "lang" for c in page.context.cookies())
    page.fill("#door-search", "nguyen van loc")
    loc = person(opened, "Nguyễn Văn Lộc")
    row = page.locator(f"#person-{loc.id}")
    row.wait_for()
    assert row.get_by_role("button", name="Check in", exact=True).is_visible()
    page.fill("#door-search", "")
    sent = scan_posts(page)
    page.locator("#scan-input").type(f"{PUBLIC}/d/{loc.active_token.token}\n")
    green = page.locator("#door-result.result-ok")
    green.wait_for()
    assert len(sent.posts) == 1 and sent.live == []
    assert "Checked in" in green.inner_text() and "Đã điểm danh" not in green.inner_text()


def test_opening_check_in_clears_the_red_not_open_answer(new_page, demo_meeting):
    make_user("cuavao", Role.DOOR)
    page = new_page(LAPTOP)
    login(page, "cuavao")
    page.goto(f"/meetings/{demo_meeting.id}/door")
    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    page.locator("#scan-input").type(f"{PUBLIC}/d/{loc.active_token.token}\n")
    red = page.locator("#door-result.result-error")
    red.wait_for()
    assert "Chưa mở điểm danh" in red.inner_text()
    page.get_by_role("button", name="Mở điểm danh").click()
    page.locator("#door-result[data-outcome=idle]").wait_for()
    assert "Sẵn sàng quét" in page.locator("#door-result").inner_text()
    assert checkins() == []


def test_the_projectors_hall_code_follows_the_window_without_waiting_for_its_refresh(new_page, demo_meeting):
    screen = new_page(LAPTOP)
    screen.goto(f"/display/{demo_meeting.display_key}")
    screen.locator("#hall-code[data-state=not_open]").wait_for(state="attached")  # no panel shown yet
    checkin.open_checkin(demo_meeting, "test")  # on another screen: a push reaches the projector
    screen.locator("#hall-code[data-state=open] .hall-qr").wait_for(timeout=10_000)  # its own refresh: 20 s
    checkin.close_checkin(demo_meeting, "test")
    screen.locator("#hall-code[data-state=closed]").wait_for(state="attached", timeout=10_000)
    assert screen.locator("#hall-code .hall-qr").count() == 0


def test_the_doors_hall_code_follows_the_window_without_waiting_for_its_refresh(new_page, demo_meeting):
    make_user("cuavao", Role.DOOR)
    page = new_page(LAPTOP)
    login(page, "cuavao")
    page.goto(f"/meetings/{demo_meeting.id}/door")
    connected(page)
    page.locator(".door-hall summary").click()
    page.locator(".door-hall #hall-code[data-state=not_open]").wait_for()
    checkin.open_checkin(demo_meeting, "test")  # on another screen: a push reaches the door's window
    page.locator("#hall-code[data-state=open] .hall-qr").wait_for(timeout=10_000)  # its own refresh: 20 s
    checkin.close_checkin(demo_meeting, "test")
    page.locator("#hall-code[data-state=closed]").wait_for(timeout=10_000)
    assert page.locator("#hall-code .hall-qr").count() == 0


def test_the_projectors_hall_code_catches_up_with_a_window_that_closed_while_it_loaded(new_page, demo_meeting):
    """The window closes while the projector is still loading the hall code its opening asked for.

    htmx drops a reload asked while one is under way (it queues it on the element the answer
    replaces), so without the state remembered the late "open" code stayed up to 20 s."""
    screen = new_page(LAPTOP)
    screen.goto(f"/display/{demo_meeting.display_key}")
    screen.locator("#hall-code[data-state=not_open]").wait_for(state="attached")  # no panel shown yet
    held = []

    def hold(route):  # the first: the server answers now (open); the screen gets it when released
        if held:
            route.continue_()
        else:
            held.append((route, route.fetch()))

    screen.route(re.compile(r"/hall-code\b"), hold)
    checkin.open_checkin(demo_meeting, "test")
    wait_for(screen, "() => document.querySelector('[data-checkin=open]') !== null")
    for _ in range(500):  # the reload the opening asked for: up to 10 s
        if held:
            break
        screen.wait_for_timeout(20)
    assert held, "the projector did not reload its hall code when check-in opened"
    checkin.close_checkin(demo_meeting, "test")
    wait_for(screen, "() => document.querySelector('[data-checkin=closed]') !== null")
    [(route, answer)] = held
    assert 'data-state="open"' in answer.text()
    route.fulfill(response=answer)
    screen.locator("#hall-code[data-state=closed]").wait_for(state="attached", timeout=10_000)
    assert screen.locator("#hall-code .hall-qr").count() == 0


def test_the_door_before_check_in_opens_has_one_big_action(new_page, demo_meeting, shot):
    """On the door's tablet, "Mở điểm danh" is the screen's big action while check-in is closed; a
    scan refused meanwhile names the person."""
    make_user("cuavao", Role.DOOR)
    door = new_page({"width": 1024, "height": 768}, has_touch=True)
    login(door, "cuavao")
    door.goto(f"/meetings/{demo_meeting.id}/door")
    connected(door)
    button = door.locator("#checkin-window button", has_text="Mở điểm danh")
    box = button.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 240, f"a small button: {box}"
    assert box["y"] + box["height"] <= 768
    band = door.locator("#checkin-window").bounding_box()
    assert band["width"] >= door.locator(".door-grid").bounding_box()["width"] - 1, "not across the screen"
    shot(door, "door-not-open", full_page=False)

    loc = person(demo_meeting, "Nguyễn Văn Lộc")
    door.fill("#scan-input", f"{PUBLIC}/d/{loc.active_token.token}")
    door.press("#scan-input", "Enter")
    result = door.locator("#door-result.result-error")
    expect(result.locator(".result-who")).to_have_text(f"Ông {loc.full_name}")
    expect(door.locator("#door-log li").first).to_contain_text(f"{loc.full_name} — Chưa mở điểm danh")
    shot(door, "door-refused-named", full_page=False)

    button.click()
    expect(door.locator("#checkin-window")).to_contain_text("Đang mở điểm danh")
    shot(door, "door-open", full_page=False)
