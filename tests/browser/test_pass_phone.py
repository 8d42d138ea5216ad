"""The delegate's pass on a 360 × 740 phone, through a meeting: before check-in the pass with its
QR; once checked in the QR folds away and the top of the page is what is happening now (the
current item, who speaks, the holder's own place or countdown), and after the end the closing
conclusion. Checked by bounding boxes in the first screen. Screenshots in
test-artifacts/screenshots/pass-phone-*-<backend>.png."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from meetingday.models import AgendaItem, ItemKind, Meeting
from meetingday.regions import checkin as regions_checkin
from meetingday.services import checkin, closing, flow, minutes, notes, speaker_queue, speakers
from tests.browser.fixtures import PHONE, assert_no_reload, connected, settle, tap
from tests.conftest import fresh
from tests.speakerhall import commune_delegates, to_last_item


def version(meeting_id: int) -> int:
    return fresh(Meeting, meeting_id).version


def in_first_screen(page, selector: str) -> None:
    """The element is whole within the first 740 px of the viewport, as the phone shows it now."""
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{selector} is off the first screen: {box}"


@pytest.fixture()
def hall(demo_meeting):
    """The demo meeting at its discussion item with the queue open; a speaker at the lectern, and
    a delegate from another commune who has not checked in yet."""
    m = demo_meeting
    speaker, holder = commune_delegates(m, 2)
    checkin.open_checkin(m, actor="test")
    checkin.check_in_by_id(m, speaker.id, actor="test")
    discussion = next(i for i in m.items if i.kind == ItemKind.DISCUSSION)
    flow.start_meeting(m.id, version(m.id), "test")
    flow.jump_to(m.id, discussion.id, version(m.id), "test")
    speakers.open_queue(m.id, discussion.id, actor="test")
    first = speakers.ask(m.id, discussion.id, speaker.id)
    speakers.give_floor(m.id, first.id, "", actor="test")
    return {"meeting_id": m.id, "item": fresh(AgendaItem, discussion.id), "speaker": speaker.full_name,
            "holder_id": holder.id, "honorific": holder.honorific or "Ông/Bà",
            "token": holder.active_token.token}


def test_the_phone_shows_what_is_happening_now_first(new_page, hall, shot, monkeypatch):
    m_id, item = hall["meeting_id"], hall["item"]
    # The welcome lasts a few minutes; here a few seconds (the server runs in this process).
    monkeypatch.setattr(regions_checkin, "WELCOME", timedelta(seconds=5))
    phone = new_page(PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"/d/{hall['token']}")
    connected(phone)

    # Before check-in: the pass is a pass, its QR open near the top.
    expect(phone.locator("#pass-checkin")).to_have_class(re.compile(r"\bis-waiting\b"))
    expect(phone.locator("#pass-checkin .pass-qr img")).to_be_visible()
    in_first_screen(phone, "#pass-checkin .pass-qr img")
    shot(phone, "pass-phone-before-checkin", full_page=False)
    phone.evaluate("document.getElementById('pass-qr-img').kept = true")  # not loaded again below

    # The door checks them in: the welcome for the moment, the QR folded, now at the top.
    checkin.check_in_by_id(fresh(Meeting, m_id), hall["holder_id"], actor="test")
    expect(phone.locator("#pass-checkin")).to_have_class(re.compile(r"\bis-present\b"))
    expect(phone.locator("#pass-checkin .pass-welcome")).to_have_text("Xin cảm ơn. Mời vào hội trường.")
    qr = phone.locator("#pass-checkin .pass-qr img")
    expect(qr).to_be_hidden()
    assert phone.evaluate("document.getElementById('pass-qr-img').kept") is True
    expect(phone.locator("#pass-now .pn-title")).to_have_text(item.title)
    expect(phone.locator("#pass-now .pn-speaker")).to_contain_text(hall["speaker"])
    expect(phone.locator("#pass-speak .ps-ask")).to_be_visible()
    settle(phone)
    for selector in ("#pass-now", "#pass-speak .ps-ask"):
        in_first_screen(phone, selector)
    shot(phone, "pass-phone-just-checked-in", full_page=False)
    # ... and the welcome is gone once its moment has passed; the top stays what happens now.
    expect(phone.locator("#pass-checkin .pass-welcome")).not_to_be_attached(timeout=15_000)
    expect(phone.locator("#pass-checkin")).not_to_have_class(re.compile(r"\bis-welcome\b"))
    shot(phone, "pass-phone-waiting", full_page=False)

    # One tap shows the QR, another folds it.
    tap(phone, phone.locator("#pass-checkin .pass-qr-fold summary"))
    expect(qr).to_be_visible()
    shot(phone, "pass-phone-qr-shown", full_page=False)
    tap(phone, phone.locator("#pass-checkin .pass-qr-fold summary"))
    expect(qr).to_be_hidden()

    # They ask to speak from further down the page (the note opened and typed): the page goes
    # back to the top, where their place is, with the item and the speaker.
    phone.locator("#pass-speak .ps-more summary").click()
    phone.locator("#pass-speak input[name=topic]").fill("Kinh phí sửa chữa trường học")
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    tap(phone, phone.locator("#pass-speak .ps-ask"))
    honorific = hall["honorific"]
    expect(phone.locator("#pass-speak .ps-status")).to_have_text(f"{honorific} sắp đến lượt phát biểu")
    expect(phone.locator("#pass-speak .ps-place")).to_contain_text(
        f"{honorific} đứng thứ 1 trong danh sách phát biểu")
    settle(phone)
    for selector in ("#pass-now .pn-title", "#pass-now .pn-speaker", "#pass-speak .ps-place"):
        in_first_screen(phone, selector)
    shot(phone, "pass-phone-queued", full_page=False)

    # The chair gives them the floor while they read the programme: their countdown comes up.
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    discussion = fresh(AgendaItem, item.id)
    mine, current = speaker_queue.waiting(discussion)[0], speaker_queue.speaking(discussion)
    speakers.give_floor(m_id, mine.id, current.id, actor="test")
    expect(phone.locator("#pass-speak .ps-status")).to_have_text("Đang phát biểu")
    expect(phone.locator("#pass-speak h2")).to_have_text(f"Mời {honorific} phát biểu")
    expect(phone.locator("#pass-speak .ps-clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    settle(phone)
    for selector in ("#pass-now .pn-title", "#pass-speak .ps-clock"):
        in_first_screen(phone, selector)
    shot(phone, "pass-phone-speaking", full_page=False)

    # The last item, the closing conclusion published, the meeting ended: the conclusion is
    # the main thing, in the first screen.
    to_last_item(m_id)
    notes.save_closing_intro(m_id, "Hội nghị đánh giá cao sự chuẩn bị chu đáo của các địa phương.", 0, actor="test")
    closing.add_task(m_id, "UBND thị xã", "Chỉ đạo giải quyết dứt điểm các kiến nghị của cử tri.",
                     minutes.meeting_day(fresh(Meeting, m_id)) + timedelta(days=60),
                     actor="test")
    closing.add_task(m_id, "Các xã, phường", "Khẩn trương hoàn thành chỉ tiêu thu ngân sách.", None, actor="test")
    closing.publish(m_id, actor="test")
    flow.end_meeting(m_id, version(m_id), "test")
    expect(phone.locator("#pass-now .pn-status")).to_have_text("Hội nghị đã kết thúc")
    expect(phone.locator("#pass-closing h2")).to_have_text("Kết luận Hội nghị")
    expect(phone.locator("#pass-closing .closing-tasks li")).to_have_count(2)
    phone.evaluate("window.scrollTo(0, 0)")
    settle(phone)
    for selector in ("#pass-now", "#pass-closing h2", "#pass-closing .closing-body p >> nth=0"):
        in_first_screen(phone, selector)
    shot(phone, "pass-phone-ended", full_page=False)
    shot(phone, "pass-phone-ended-full")
    widths = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the pass is {widths[0]}px wide on a {widths[1]}px phone"
    assert_no_reload(phone)
