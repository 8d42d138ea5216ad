"""live.js in Chromium: pushed fragments swap in, an older state never replaces a newer one,
and a lost connection is shown and recovered from."""
from __future__ import annotations

from playwright.sync_api import expect

from meetingday import live
from meetingday.extensions import socketio
from meetingday.services import display_key
from tests.browser.fixtures import settle, wait_for

PROJECTOR = {"width": 1280, "height": 720}


def _open_projector(new_page, meeting):
    key = display_key.rotate_display_key(meeting, actor="test")
    projector = new_page(PROJECTOR)
    projector.goto(f"/display/{key}")
    wait_for(projector, "window.meetingdayLive && window.meetingdayLive.socket.connected")
    settle(projector)
    return projector


def _projectors(meeting) -> str:
    """The room of the projectors opened with the meeting's key (public pushes go there)."""
    return live.display_room(meeting.id, meeting.display_key, "vi")


def _push(meeting, read: int, text: str) -> None:
    html = f'<div id="display-main"><p id="pushed">{text}</p></div>'
    socketio.emit("swap", {"now": read, "read": read, "swaps": [{"target": "#display-main", "html": html}]},
                  to=_projectors(meeting))


def test_a_push_of_an_older_state_does_not_replace_a_newer_one(new_page, demo_meeting):
    projector = _open_projector(new_page, demo_meeting)
    base = 1_900_000_000_000
    _push(demo_meeting, base + 2000, "mới hơn")
    expect(projector.locator("#pushed")).to_have_text("mới hơn")
    _push(demo_meeting, base + 1000, "cũ hơn")  # rendered earlier by another process, arrives later
    # A later message to another region: once it is in, the one before it has been handled.
    socketio.emit("swap", {"now": base, "read": base + 1500, "swaps": [
        {"target": "#display-attendance", "html": '<div id="display-attendance">đã xử lý</div>'}]},
        to=_projectors(demo_meeting))
    expect(projector.locator("#display-attendance")).to_have_text("đã xử lý")
    expect(projector.locator("#pushed")).to_have_text("mới hơn")
    _push(demo_meeting, base + 3000, "mới nhất")
    expect(projector.locator("#pushed")).to_have_text("mới nhất")
    assert projector.evaluate("document.querySelectorAll('#pushed').length") == 1


def test_an_offline_screen_says_so_and_reloads_its_regions_when_back(new_page, demo_meeting):
    projector = _open_projector(new_page, demo_meeting)
    expect(projector.locator("#live-status")).to_be_hidden()
    projector.evaluate("window.meetingdayLive.socket.io.engine.close()")  # the connection drops
    expect(projector.locator("#live-status")).to_be_visible()
    expect(projector.locator("#live-status")).to_have_text("Mất kết nối — đang kết nối lại…")
    # While it was away, the meeting was renamed; nothing was pushed to this screen.
    demo_meeting.title = "Hội nghị đã đổi tên"
    from meetingday.extensions import db
    db.session.commit()
    expect(projector.locator("#live-status")).to_be_hidden(timeout=15_000)  # reconnected by itself
    expect(projector.locator("#display-main")).to_contain_text("Hội nghị đã đổi tên")


def test_a_region_failing_to_refresh_in_the_background_shows_no_error(new_page, demo_meeting):
    """The hall sees the projector: a poll or reload that fails while the network is down says
    nothing (it tries again); only what someone did gets the "not sent" message."""
    projector = _open_projector(new_page, demo_meeting)
    projector.route("**/hall-code*", lambda route: route.abort())
    projector.evaluate("""id => new Promise(done => {
        document.body.addEventListener("htmx:sendError", () => setTimeout(done, 50), {once: true});
        htmx.ajax("GET", "/meetings/" + id + "/hall-code", {target: "#display-hallcode"}).catch(() => {});
    })""", demo_meeting.id)
    assert projector.locator("#flash").inner_text().strip() == ""


def test_the_projector_shows_the_hall_code_large_before_the_start(new_page, demo_meeting, shot):
    from meetingday.services import checkin

    checkin.open_checkin(demo_meeting, actor="test")
    projector = new_page({"width": 1920, "height": 1080})
    projector.goto(f"/display/{display_key.rotate_display_key(demo_meeting, actor='test')}")
    qr = projector.locator("#display-hallcode .hall-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 1920 * 0.2 and box["height"] >= 1080 * 0.3, f"the hall code is too small: {box}"
    shot(projector, "projector-hall-code")


def test_every_region_of_a_page_reloads_when_the_connection_is_back(new_page, demo_meeting):
    """The projector has three regions (main, speaker, attendance): all three are fetched again
    after a reconnect, not only the first and the last."""
    projector = _open_projector(new_page, demo_meeting)
    parts = projector.evaluate("[...document.querySelectorAll('[data-live-src]')].map(e => e.getAttribute('data-live-src'))")
    assert len(parts) >= 3, parts
    asked: list[str] = []
    projector.on("request", lambda request: asked.append(request.url))
    projector.evaluate("window.meetingdayLive.socket.io.engine.close()")
    expect(projector.locator("#live-status")).to_be_visible()
    expect(projector.locator("#live-status")).to_be_hidden(timeout=15_000)
    for part in parts:
        wait_for(projector, """part => performance.getEntriesByType("resource")
            .some(e => e.name.endsWith(part))""", arg=part, timeout=10_000)
    assert all(any(url.endswith(part) for url in asked) for part in parts), (parts, asked)


def test_a_projector_or_phone_whose_link_is_revoked_says_so(new_page, demo_meeting, shot):
    """Revoked while open: the screen is disconnected, is refused when it tries again, and
    reloads to the page that says its link no longer works, rather than reconnecting forever."""
    from meetingday.services import passes
    from tests.browser.fixtures import PHONE

    projector = _open_projector(new_page, demo_meeting)
    person = demo_meeting.invitees[0]
    phone = new_page(PHONE)
    phone.goto(f"/d/{person.active_token.token}")
    wait_for(phone, "window.meetingdayLive && window.meetingdayLive.socket.connected")

    display_key.revoke_display_key(demo_meeting, actor="test")
    expect(projector.locator("main")).to_contain_text("Đường dẫn màn hình này không còn hiệu lực.")
    expect(projector.locator("#live-status")).to_be_hidden()
    shot(projector, "display-revoked")
    expect(phone.locator("#live-status")).to_be_hidden()  # the phone is not touched by it

    passes.revoke_token(person, person.active_token.id, actor="test")
    expect(phone.locator("main")).to_contain_text("Thẻ này đã bị thu hồi.")
    shot(phone, "pass-revoked")
